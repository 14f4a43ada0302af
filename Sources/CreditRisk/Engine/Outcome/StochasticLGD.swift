/// Beta-distributed loss rates (`lgd_sd`), optionally a downturn LGD driven by the issuer's
/// systematic factor.
///
/// U_L = Φ(−√ρ_L·Z_e + √(1 − ρ_L)·η) and LGD = I⁻¹_{U_L}(α, β): Z_e = w_eᵀZ/√s_e is the issuer's
/// standard-normal systematic factor (bad states, Z_e low, give high LGDs when ρ_L > 0) and η an
/// independent normal from a counter-based stream keyed by (seed, path, bond), so the draw does
/// not depend on the thread count nor on how many other names default on the path.
struct StochasticLGD: Sendable {
    /// Per bond in issuer-grouped order: Beta(α, β), NaN for a fixed LGD.
    let alpha: [Double]
    let beta: [Double]
    /// Per entity: σ_e and √s_e = √(1 − σ_e²), so that Z_e = σ_e·m_e/√s_e (0 in full mode).
    let sigma: [Double]
    let systematicSD: [Double]
    let correlation: Double

    init(ordered: [Bond], sigma: [Double], correlation: Double) {
        alpha = ordered.map { $0.lgdBeta?.alpha ?? .nan }
        beta = ordered.map { $0.lgdBeta?.beta ?? .nan }
        self.sigma = sigma
        systematicSD = sigma.map { (max(0, 1 - $0 * $0)).squareRoot() }
        self.correlation = correlation
    }

    @inline(__always)
    func isStochastic(_ j: Int) -> Bool { !alpha[j].isNaN }

    /// The LGD of bond j (file index `bond`) of issuer e on path `path`.
    func draw(_ j: Int, bond: Int, issuer e: Int, path: Int, seed: UInt64, sys: UnsafePointer<Double>) -> Double {
        let key = StreamKey.hash(StreamKey.hash(seed ^ 0x4C47_445F_4452_4157, UInt64(path)), UInt64(bond))
        let eta = Normal.quantile(Double(StreamKey.mix(key) >> 11) * 0x1.0p-53 + 0x1.0p-54)
        var driver = eta
        if correlation > 0 {
            let sd = systematicSD[e]
            let z = sd > 0 ? sigma[e] * sys[e] / sd : 0
            driver = -correlation.squareRoot() * z + (1 - correlation).squareRoot() * eta
        }
        return Incomplete.betaInverse(alpha[j], beta[j], Normal.cdf(driver))
    }
}
