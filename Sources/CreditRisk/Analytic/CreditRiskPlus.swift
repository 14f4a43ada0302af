import Foundation

/// CreditRisk+ (Credit Suisse First Boston 1997): defaults are Poisson with intensities driven by
/// independent gamma-distributed sector factors, and the loss distribution follows analytically
/// from its probability generating function (PGF). No simulation.
///
/// **Model.** Obligor i has exposure E_i, expected default count μ_i (its PD), default-rate
/// standard deviation σ_i, and sector weights w_ik ≥ 0 with Σ_k w_ik ≤ 1; w_i0 = 1 − Σ_k w_ik is
/// specific (idiosyncratic) risk with no variance. Sector k has mean μ_k = Σ_i w_ik μ_i and
/// standard deviation σ_k = Σ_i w_ik σ_i (CSFB 1997, §A12), hence a gamma factor of mean 1 and
/// variance v_k = (σ_k/μ_k)².
///
/// **Banding** (CSFB §A4). With loss unit u, ν_i = ⌈E_i/u⌉ (at least 1) and the expected default
/// count becomes μ'_i = μ_i·E_i/(ν_i·u), so each obligor keeps its expected loss exactly
/// (σ'_i scales with μ'_i, keeping σ_i/μ_i).
///
/// **PGF.** With P_k(z) = Σ_i w_ik μ'_i z^{ν_i} / μ_k, p_k = β_k/(1 + β_k), β_k = v_k μ_k:
///
///     ln G(z) = Σ_i w_i0 μ'_i (z^{ν_i} − 1) + Σ_k (1/v_k) [ln(1 − p_k) − ln(1 − p_k P_k(z))].
///
/// **Evaluation: the nested (log–exp) recursion** of Giese (2003) and Haaf, Reiß & Schoenmakers
/// (2004). The coefficients a_n (n ≥ 1) of ln G are sums of non-negative terms: the specific
/// part directly, and −ln(1 − c(z)) for c = p_k P_k by m_n = c_n + (1/n) Σ_ν c_ν (n − ν) m_{n−ν}.
/// Then G = exp(ln G) by n·g_n = Σ_{j=1}^{n} j a_j g_{n−j}. Every term of both recursions is
/// non-negative, so nothing cancels and each probability carries a relative rounding error of
/// order n·ε, however far in the tail. CSFB's own recursion (§A10) divides two polynomials whose
/// coefficients have both signs; with many sectors or large portfolios it cancels
/// catastrophically in the far tail (Gordy 2002; Haaf, Reiß & Schoenmakers 2004), which is why
/// it is not used. The price is O(N²) for N lattice points instead of O(N·bands) — about a
/// second for N = 10⁵ (see the README's timing). g_0 = e^{a_0} underflows for portfolios with
/// hundreds of expected defaults, so the recursion runs on scaled values with a separate
/// logarithmic scale, rescaled whenever a value passes 10²⁸⁰.
public struct CreditRiskPlus: Sendable {
    public struct Obligor: Sendable, Hashable {
        public let id: String
        /// Exposure (loss if it defaults), > 0.
        public let exposure: Double
        /// Expected number of defaults over the horizon (the PD), > 0.
        public let expectedDefaults: Double
        /// Standard deviation of the default rate, ≥ 0.
        public let defaultRateSD: Double
        /// Sector weights, one per sector, each in [0, 1], summing to at most 1.
        public let sectorWeights: [Double]

        public init(id: String, exposure: Double, expectedDefaults: Double, defaultRateSD: Double, sectorWeights: [Double]) {
            self.id = id
            self.exposure = exposure
            self.expectedDefaults = expectedDefaults
            self.defaultRateSD = defaultRateSD
            self.sectorWeights = sectorWeights
        }

        /// w_i0 = 1 − Σ_k w_ik.
        public var specificWeight: Double { max(0, 1 - sectorWeights.reduce(0, +)) }
    }

    /// A sector's gamma factor: mean default count μ_k, standard deviation σ_k, v_k = (σ_k/μ_k)².
    public struct Sector: Sendable, Hashable {
        public let meanDefaults: Double
        public let defaultSD: Double
        public var relativeVariance: Double { meanDefaults > 0 ? (defaultSD / meanDefaults) * (defaultSD / meanDefaults) : 0 }
    }

    /// CSFB's risk contribution of an obligor to the standard deviation (§A13):
    /// RC_i = E_i μ_i (E_i + Σ_k v_k w_ik EL_k) / σ_L with EL_k = Σ_j w_jk μ_j E_j (banded
    /// figures); they sum to σ_L.
    public struct Contribution: Sendable, Hashable {
        public let id: String
        public let exposure: Double
        public let expectedLoss: Double
        public let standardDeviation: Double
    }

    public let obligors: [Obligor]
    public let sectorCount: Int
    public let lossUnit: Double
    /// ν_i, the banded exposures in loss units.
    public let bands: [Int]
    /// μ'_i and σ'_i after banding.
    public let bandedDefaults: [Double]
    public let bandedSD: [Double]
    public let sectors: [Sector]

    /// Default loss unit: ⌈largest exposure / 100⌉, as a whole number when the exposures are ≥ 100.
    public static func defaultLossUnit(maxExposure: Double) -> Double {
        maxExposure >= 100 ? (maxExposure / 100).rounded(.up) : maxExposure / 100
    }

    /// Checks the inputs (every broken rule is reported, located by obligor index) and bands them.
    public init(obligors: [Obligor], sectorCount: Int, lossUnit: Double? = nil) throws(PortfolioError) {
        var issues: [ModelIssue] = []
        for (i, o) in obligors.enumerated() {
            if !(o.exposure.isFinite && o.exposure > 0) {
                issues.append(ModelIssue(.entity(index: i, key: "exposure"), value: "\(o.exposure)", rule: "must be a finite amount > 0"))
            }
            if !(o.expectedDefaults.isFinite && o.expectedDefaults > 0) {
                issues.append(ModelIssue(.entity(index: i, key: "pd"), value: "\(o.expectedDefaults)", rule: "must be > 0"))
            }
            if !(o.defaultRateSD.isFinite && o.defaultRateSD >= 0) {
                issues.append(ModelIssue(.entity(index: i, key: "pd_sd"), value: "\(o.defaultRateSD)", rule: "must be a finite number ≥ 0"))
            }
            if o.sectorWeights.count != sectorCount {
                issues.append(ModelIssue(.entity(index: i, key: "sectors"), value: "\(o.sectorWeights.count) weights", rule: "must have one weight per sector (\(sectorCount))"))
                continue
            }
            for w in o.sectorWeights where !(w.isFinite && w >= 0 && w <= 1) {
                issues.append(ModelIssue(.entity(index: i, key: "sector weight"), value: "\(w)", rule: "a CreditRisk+ sector weight must lie in [0, 1]"))
            }
            let total = o.sectorWeights.reduce(0, +)
            if total > 1 + 1e-9 {
                issues.append(ModelIssue(.entity(index: i, key: "sector weights"), value: "sum \(total)", rule: "CreditRisk+ sector weights must sum to at most 1 (the rest is specific risk)"))
            }
        }
        let maxExposure = obligors.map(\.exposure).filter(\.isFinite).max() ?? 1
        let unit = lossUnit ?? Self.defaultLossUnit(maxExposure: maxExposure)
        if !(unit.isFinite && unit > 0) {
            issues.append(ModelIssue(.scenario(key: "creditriskplus.loss_unit"), value: "\(unit)", rule: "must be a finite amount > 0"))
        } else if maxExposure / unit > 1_000_000 {
            issues.append(ModelIssue(.scenario(key: "creditriskplus.loss_unit"), value: "\(unit)",
                                     rule: "the largest exposure (\(maxExposure)) would be more than 10⁶ loss units; choose a larger loss unit"))
        }
        guard issues.isEmpty else { throw PortfolioError(issues: issues) }
        self.obligors = obligors
        self.sectorCount = sectorCount
        self.lossUnit = unit
        var bands: [Int] = [], mu: [Double] = [], sd: [Double] = []
        for o in obligors {
            let nu = max(1, Int((o.exposure / unit * (1 - 1e-12)).rounded(.up)))
            let scale = o.exposure / (Double(nu) * unit)
            bands.append(nu)
            mu.append(o.expectedDefaults * scale)
            sd.append(o.defaultRateSD * scale)
        }
        self.bands = bands
        bandedDefaults = mu
        bandedSD = sd
        sectors = (0..<sectorCount).map { k in
            var m = 0.0, s = 0.0
            for i in obligors.indices {
                m += obligors[i].sectorWeights[k] * mu[i]
                s += obligors[i].sectorWeights[k] * sd[i]
            }
            return Sector(meanDefaults: m, defaultSD: s)
        }
    }

    /// Expected loss Σ_i μ_i E_i (unchanged by banding).
    public var expectedLoss: Double {
        obligors.indices.reduce(0) { $0 + bandedDefaults[$1] * Double(bands[$1]) * lossUnit }
    }

    /// EL_k = Σ_i w_ik μ'_i ν_i u per sector.
    var sectorExpectedLoss: [Double] {
        (0..<sectorCount).map { k in
            obligors.indices.reduce(0) { $0 + obligors[$1].sectorWeights[k] * bandedDefaults[$1] * Double(bands[$1]) * lossUnit }
        }
    }

    /// Var L = Σ_i μ'_i (ν_i u)² + Σ_k v_k EL_k² (CSFB §A7, Poisson–gamma mixture).
    public var variance: Double {
        var v = 0.0
        for i in obligors.indices {
            let e = Double(bands[i]) * lossUnit
            v += bandedDefaults[i] * e * e
        }
        for (k, el) in sectorExpectedLoss.enumerated() { v += sectors[k].relativeVariance * el * el }
        return v
    }

    public var standardDeviation: Double { variance.squareRoot() }

    /// CSFB's SD risk contributions per obligor (they add up to σ_L).
    public var contributions: [Contribution] {
        let sigma = standardDeviation
        let elk = sectorExpectedLoss
        return obligors.indices.map { i in
            let e = Double(bands[i]) * lossUnit
            var systematic = 0.0
            for k in 0..<sectorCount { systematic += sectors[k].relativeVariance * obligors[i].sectorWeights[k] * elk[k] }
            let rc = sigma > 0 ? bandedDefaults[i] * e * (e + systematic) / sigma : 0
            return Contribution(id: obligors[i].id, exposure: obligors[i].exposure, expectedLoss: obligors[i].expectedDefaults * obligors[i].exposure,
                                standardDeviation: rc)
        }
    }

    /// Why a distribution could not be computed.
    public struct EvaluationError: Error, Sendable, CustomStringConvertible {
        public let lattice: Int
        public let tailMass: Double
        public var description: String {
            "CreditRisk+: after \(lattice) loss units the remaining tail mass is still \(tailMass); choose a larger creditriskplus.loss_unit"
        }
    }

    /// The loss distribution on the lattice of the loss unit, extended until the mass beyond it is
    /// below `tailMass` (or, at `maxLattice` points, below 10⁻⁶, else an error).
    public func distribution(tailMass target: Double = 1e-10, maxLattice: Int = 600_000) throws(EvaluationError) -> LatticeLoss {
        // Coefficients of ln G: a[0] = ln P(L = 0), a[n] ≥ 0 for n ≥ 1.
        var specific: [Int: Double] = [:]
        var sectorTerms: [[(nu: Int, c: Double)]] = Array(repeating: [], count: sectorCount)
        var a0 = 0.0
        var sectorP: [Double] = [], sectorAlpha: [Double] = []
        for (k, s) in sectors.enumerated() {
            let v = s.relativeVariance
            if s.meanDefaults <= 0 { sectorP.append(0); sectorAlpha.append(0); continue }
            if v <= 0 {
                // A sector without variance is Poisson: it adds to the specific part.
                for i in obligors.indices where obligors[i].sectorWeights[k] > 0 {
                    specific[bands[i], default: 0] += obligors[i].sectorWeights[k] * bandedDefaults[i]
                }
                a0 -= s.meanDefaults
                sectorP.append(0); sectorAlpha.append(0)
                continue
            }
            let beta = v * s.meanDefaults
            let p = beta / (1 + beta)
            let alpha = 1 / v
            sectorP.append(p); sectorAlpha.append(alpha)
            a0 -= alpha * Foundation.log1p(beta)
            var byBand: [Int: Double] = [:]
            for i in obligors.indices where obligors[i].sectorWeights[k] > 0 {
                byBand[bands[i], default: 0] += obligors[i].sectorWeights[k] * bandedDefaults[i]
            }
            sectorTerms[k] = byBand.sorted { $0.key < $1.key }.map { ($0.key, p * $0.value / s.meanDefaults) }
        }
        for i in obligors.indices {
            let w0 = obligors[i].specificWeight
            if w0 > 0 {
                specific[bands[i], default: 0] += w0 * bandedDefaults[i]
                a0 -= w0 * bandedDefaults[i]
            }
        }
        let mean = expectedLoss, sd = standardDeviation
        let meanUnits = mean / lossUnit, sdUnits = sd / lossUnit
        var limit = min(maxLattice, max(64, Int((meanUnits + 12 * sdUnits).rounded(.up)) + (bands.max() ?? 1)))

        // m[k][n]: coefficients of −ln(1 − p_k P_k(z)); ja[n] = n·a_n. The scaled probabilities
        // are stored backwards, g_n at rev[top − n], so that the convolution Σ_j j a_j g_{n−j}
        // is one forward dot product of two contiguous ranges (OpenBLAS ddot, vectorised; every
        // term is ≥ 0, so the summation order does not matter for accuracy).
        var m: [[Double]] = sectorTerms.map { $0.isEmpty ? [] : [0] }
        var ja: [Double] = [0]
        let top = maxLattice
        var rev = [Double](repeating: 0, count: top + 1)
        rev[top] = 1
        var logScale = a0
        let ln10 = Foundation.log(10.0)
        var n = 1
        func trueProbability(_ stored: Double) -> Double {
            stored > 0 ? Foundation.exp(Foundation.log(stored) + logScale) : 0
        }
        while true {
            ja.reserveCapacity(limit + 1)
            while n <= limit {
                var an = specific[n] ?? 0
                for k in 0..<sectorCount where !sectorTerms[k].isEmpty {
                    // m_n = c_n + (1/n) Σ_{ν<n} c_ν (n − ν) m_{n−ν}
                    var direct = 0.0, convolution = 0.0
                    m[k].withUnsafeBufferPointer { mk in
                        for (nu, c) in sectorTerms[k] {
                            if nu > n { break }
                            if nu == n { direct = c } else { convolution += c * Double(n - nu) * mk[n - nu] }
                        }
                    }
                    let value = direct + convolution / Double(n)
                    m[k].append(value)
                    an += sectorAlpha[k] * value
                }
                ja.append(Double(n) * an)
                // n g_n = Σ_{j=1}^{n} j a_j g_{n−j}: ja[1…n] against rev[top−n+1 … top].
                let sum = ja.withUnsafeBufferPointer { jp in
                    rev.withUnsafeBufferPointer { gp in
                        // Safe: 1 + n ≤ ja.count and top − n + 1 + n = top + 1 = rev.count.
                        MatrixProduct.dot(jp.baseAddress! + 1, gp.baseAddress! + (top - n + 1), count: n)
                    }
                }
                let value = sum / Double(n)
                rev[top - n] = value
                if value > 1e280 {
                    for t in (top - n)...top { rev[t] *= 1e-280 }
                    logScale += 280 * ln10
                }
                n += 1
            }
            var total = 0.0
            for t in (top - n + 1)...top { total += trueProbability(rev[t]) }
            let tail = max(0, 1 - total)
            if tail <= target { break }
            if limit >= maxLattice {
                if tail <= 1e-6 { break }
                throw EvaluationError(lattice: limit, tailMass: tail)
            }
            limit = min(maxLattice, limit + max(limit / 2, 64))
        }
        var probabilities = (0..<n).map { trueProbability(rev[top - $0]) }
        // Trim the negligible far tail (the lattice keeps everything above 10⁻¹⁸).
        while probabilities.count > 2, let last = probabilities.last, last < 1e-18 { probabilities.removeLast() }
        return LatticeLoss(unit: lossUnit, probabilities: probabilities, mean: mean, standardDeviation: sd)
    }
}
