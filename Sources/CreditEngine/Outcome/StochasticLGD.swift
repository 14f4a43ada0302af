/// Beta-distributed loss rates (`lgd_sd` for a hard default, `extension_lgd_sd` for an extension),
/// optionally driven by the issuer's systematic factor (a downturn LGD).
///
/// U_L = Φ(−√ρ_L·Z_e + √(1 − ρ_L)·η) and rate = I⁻¹_{U_L}(α, β): Z_e = w_eᵀZ/√s_e is the issuer's
/// standard-normal systematic factor (bad states, Z_e low, give high losses when ρ_L > 0) and η an
/// independent normal from a counter-based stream keyed by (seed, path, bond), one stream for
/// hard defaults and another for extensions, so a draw depends neither on the thread count nor on
/// how many other names have events on the path.
import CreditMath
import CreditModel

struct StochasticLGD: Sendable {
    /// Per bond in issuer-grouped order: Beta(α, β) of a hard default's LGD, NaN for a fixed LGD.
    let alpha: [Double]
    let beta: [Double]
    /// The same for an extension's loss rate.
    let extensionAlpha: [Double]
    let extensionBeta: [Double]
    /// Per entity: σ_e and √s_e = √(1 − σ_e²), so that Z_e = σ_e·m_e/√s_e (0 in full mode).
    let sigma: [Double]
    let systematicSD: [Double]
    let correlation: Double

    /// Stream keys of the two draws ("LGD_DRAW", "EXT_DRAW").
    static let defaultStream: UInt64 = 0x4C47_445F_4452_4157
    static let extensionStream: UInt64 = 0x4558_545F_4452_4157

    /// `extensionMean` gives each grouped bond's extension loss rate.
    init(ordered: [Bond], extensionMean: [Double], sigma: [Double], correlation: Double) {
        alpha = ordered.map { $0.lgdBeta?.alpha ?? .nan }
        beta = ordered.map { $0.lgdBeta?.beta ?? .nan }
        let extensionBeta = zip(ordered, extensionMean).map { b, m in b.extensionLGDSD.map { Bond.beta(mean: m, sd: $0) } }
        extensionAlpha = extensionBeta.map { $0?.alpha ?? .nan }
        self.extensionBeta = extensionBeta.map { $0?.beta ?? .nan }
        self.sigma = sigma
        systematicSD = sigma.map { (max(0, 1 - $0 * $0)).squareRoot() }
        self.correlation = correlation
    }

    /// Whether a hard default of grouped bond j draws its LGD.
    @inline(__always)
    func isStochastic(_ j: Int) -> Bool { !alpha[j].isNaN }

    @inline(__always)
    func isStochastic(_ j: Int, _ state: CreditState) -> Bool {
        state == .hardDefault ? !alpha[j].isNaN : !extensionAlpha[j].isNaN
    }

    /// The loss rate of grouped bond j (file index `bond`) of issuer e in `state` on path `path`.
    func draw(_ j: Int, state: CreditState = .hardDefault, bond: Int, issuer e: Int, path: Int, seed: UInt64,
              sys: UnsafePointer<Double>) -> Double {
        let stream = state == .hardDefault ? Self.defaultStream : Self.extensionStream
        let key = StreamKey.hash(StreamKey.hash(seed ^ stream, UInt64(path)), UInt64(bond))
        let eta = Normal.quantile(Double(StreamKey.mix(key) >> 11) * 0x1.0p-53 + 0x1.0p-54)
        var driver = eta
        if correlation > 0 {
            let sd = systematicSD[e]
            let z = sd > 0 ? sigma[e] * sys[e] / sd : 0
            driver = -correlation.squareRoot() * z + (1 - correlation).squareRoot() * eta
        }
        let u = Normal.cdf(driver)
        return state == .hardDefault
            ? Incomplete.betaInverse(alpha[j], beta[j], u) : Incomplete.betaInverse(extensionAlpha[j], extensionBeta[j], u)
    }
}
