import CreditMath
import CreditModel
import CreditEngine
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
/// **Loss on default** (`Obligor/lossOnDefault`). An obligor's default may lose less than its
/// exposure: a guaranteed bond loses its covered part only if the guarantor defaults too (double
/// default). Each default event of obligor i then draws its loss from a distribution on
/// [0, E_i] (independently across events, conditionally on the sectors); banded, a loss L counts
/// as J = L·ν_i/E_i units, split between ⌊J⌋ and ⌈J⌉ with the probabilities that keep its mean.
/// The default events keep their rate μ'_i, so every event of the net view is an event of the
/// gross view (the obligor with its whole exposure) with a loss of at most ν_i units: the net
/// loss is at most the gross loss path by path, hence in distribution (see the DocC article
/// *Guarantees in the analytic models*). Without it an event loses exactly ν_i units, CSFB's model.
///
/// **PGF.** With P_k(z) = Σ_i w_ik μ'_i z^{ν_i} / μ_k, p_k = β_k/(1 + β_k), β_k = v_k μ_k:
///
///     ln G(z) = Σ_i w_i0 μ'_i (z^{ν_i} − 1) + Σ_k (1/v_k) [ln(1 − p_k) − ln(1 − p_k P_k(z))]
///
/// (with a loss on default, z^{ν_i} becomes Σ_j π_ij z^j over its banded losses; see `PGFInputs`).
///
/// **Evaluation: a sparse recursion with positive terms** (`SparseRecursion`). From
/// G′ = G·(S′ + Σ_k α_k c_k′/(1 − c_k)), with c_k = p_k P_k, S the specific part and α_k = 1/v_k,
/// each sector keeps the series V_k = G·c_k′/(1 − c_k), which obeys V_k = G·c_k′ + c_k·V_k; then
/// n·g_n = Σ_ν ν λ_ν g_{n−ν} + Σ_k α_k V_k,n−1. Every coefficient and every term is
/// non-negative, so nothing cancels and each probability carries a relative rounding error of
/// order n·ε, however far in the tail — the property of the nested log–exp recursion of Giese
/// (2003) and Haaf, Reiß & Schoenmakers (2004), which this replaces (it is kept as
/// `LogExpRecursion` for the tests). Each step reads only the lags ν of the exposure bands, so a
/// lattice of N points costs O(N·B) for B (sector, band) pairs instead of the O(N²) of exp(ln G).
/// CSFB's own recursion (§A10) is also O(N·bands) but divides by the expanded polynomial
/// Π_k (1 − c_k), whose coefficients have both signs; with many sectors or large portfolios it
/// cancels catastrophically in the far tail (Gordy 2002; Haaf, Reiß & Schoenmakers 2004), which
/// is why it is not used. g_0 = e^{a_0} underflows for portfolios with hundreds of expected
/// defaults, so the recursion runs on scaled values with a separate logarithmic scale, rescaled
/// whenever a value passes 10²⁸⁰.
public struct CreditRiskPlus: Sendable {
    public struct Obligor: Sendable, Hashable {
        public let id: String
        /// Exposure (the largest loss of one default), > 0.
        public let exposure: Double
        /// Expected number of defaults over the horizon (the PD), > 0.
        public let expectedDefaults: Double
        /// Standard deviation of the default rate, ≥ 0.
        public let defaultRateSD: Double
        /// Sector weights, one per sector, each in [0, 1], summing to at most 1.
        public let sectorWeights: [Double]
        /// The loss of one default as a distribution over amounts in [0, exposure] (probabilities
        /// summing to 1); empty for the whole exposure, CSFB's model.
        public let lossOnDefault: [LossOutcome]

        public init(id: String, exposure: Double, expectedDefaults: Double, defaultRateSD: Double, sectorWeights: [Double],
                    lossOnDefault: [LossOutcome] = []) {
            self.id = id
            self.exposure = exposure
            self.expectedDefaults = expectedDefaults
            self.defaultRateSD = defaultRateSD
            self.sectorWeights = sectorWeights
            self.lossOnDefault = lossOnDefault
        }

        /// w_i0 = 1 − Σ_k w_ik.
        public var specificWeight: Double { max(0, 1 - sectorWeights.reduce(0, +)) }
    }

    /// One possible loss of a default and its probability.
    public struct LossOutcome: Sendable, Hashable {
        public let loss: Double
        public let probability: Double
        public init(loss: Double, probability: Double) {
            self.loss = loss
            self.probability = probability
        }
    }

    /// A sector's gamma factor: mean default count μ_k, standard deviation σ_k, v_k = (σ_k/μ_k)².
    public struct Sector: Sendable, Hashable {
        public let meanDefaults: Double
        public let defaultSD: Double
        public var relativeVariance: Double { meanDefaults > 0 ? (defaultSD / meanDefaults) * (defaultSD / meanDefaults) : 0 }
    }

    /// CSFB's risk contribution of an obligor to the standard deviation (§A13), for a loss on
    /// default J_i (in units u) drawn per event: RC_i = (μ'_i E[J_i²]u² + EL_i Σ_k v_k w_ik EL_k) / σ_L
    /// with EL_i = μ'_i E[J_i] u and EL_k = Σ_j w_jk EL_j (banded figures); they sum to σ_L. With
    /// the whole exposure lost (J_i = ν_i) this is CSFB's E_i μ_i (E_i + Σ_k v_k w_ik EL_k) / σ_L.
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
    /// The banded loss of one default of obligor i: (units j ≥ 1, probability); the rest of the
    /// probability is a default without loss. [(ν_i, 1)] when the whole exposure is lost.
    let severities: [[(units: Int, probability: Double)]]
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
            if !o.lossOnDefault.isEmpty {
                let total = o.lossOnDefault.reduce(0) { $0 + $1.probability }
                let inRange = o.lossOnDefault.allSatisfy {
                    $0.probability.isFinite && $0.probability >= 0 && $0.loss.isFinite && $0.loss >= 0 && $0.loss <= o.exposure * (1 + 1e-12)
                }
                if !inRange || abs(total - 1) > 1e-9 {
                    issues.append(ModelIssue(.entity(index: i, key: "loss on default"), value: "\(o.lossOnDefault.count) outcomes, total probability \(total)",
                                             rule: "losses must lie in [0, exposure] with probabilities summing to 1"))
                }
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
        } else if !(maxExposure / unit <= 1_000_000) {
            issues.append(ModelIssue(.scenario(key: "creditriskplus.loss_unit"), value: "\(unit)",
                                     rule: "the largest exposure (\(maxExposure)) would be more than 10⁶ loss units; choose a larger loss unit"))
        }
        guard issues.isEmpty else { throw PortfolioError(issues: issues) }
        self.obligors = obligors
        self.sectorCount = sectorCount
        self.lossUnit = unit
        var bands: [Int] = [], mu: [Double] = [], sd: [Double] = []
        var severities: [[(units: Int, probability: Double)]] = []
        for o in obligors {
            // ≤ 10⁶ (checked above), so the conversion cannot trap.
            let nu = max(1, Int((o.exposure / unit * (1 - 1e-12)).rounded(.up)))
            let scale = o.exposure / (Double(nu) * unit)
            bands.append(nu)
            mu.append(o.expectedDefaults * scale)
            sd.append(o.defaultRateSD * scale)
            severities.append(Self.bandedSeverity(o, units: nu))
        }
        self.bands = bands
        bandedDefaults = mu
        bandedSD = sd
        self.severities = severities
        sectors = (0..<sectorCount).map { k in
            var m = 0.0, s = 0.0
            for i in obligors.indices {
                m += obligors[i].sectorWeights[k] * mu[i]
                s += obligors[i].sectorWeights[k] * sd[i]
            }
            return Sector(meanDefaults: m, defaultSD: s)
        }
    }

    /// A loss L of one default as J = L·ν/E units, split between ⌊J⌋ and ⌈J⌉ so that the mean is
    /// kept; J ≤ ν. Outcomes on the same unit are merged; a default without loss is left out.
    static func bandedSeverity(_ o: Obligor, units nu: Int) -> [(units: Int, probability: Double)] {
        guard !o.lossOnDefault.isEmpty else { return [(nu, 1)] }
        var mass = [Double](repeating: 0, count: nu + 1)
        for outcome in o.lossOnDefault where outcome.probability > 0 {
            let j = min(Double(nu), max(0, outcome.loss / o.exposure * Double(nu)))
            let low = j.rounded(.down)
            let fraction = j - low
            let l = Int(low)
            mass[l] += outcome.probability * (1 - fraction)
            if fraction > 0 { mass[l + 1] += outcome.probability * fraction }
        }
        return (1...nu).compactMap { mass[$0] > 0 ? ($0, mass[$0]) : nil }
    }

    /// EL_i = μ'_i E[J_i] u per obligor.
    var obligorExpectedLoss: [Double] {
        obligors.indices.map { i in bandedDefaults[i] * severities[i].reduce(0) { $0 + Double($1.units) * $1.probability } * lossUnit }
    }

    /// Expected loss Σ_i μ'_i E[J_i] u (unchanged by banding: Σ_i μ_i E[L_i]).
    public var expectedLoss: Double { obligorExpectedLoss.reduce(0, +) }

    /// EL_k = Σ_i w_ik EL_i per sector.
    func sectorExpectedLoss(_ el: [Double]) -> [Double] {
        (0..<sectorCount).map { k in obligors.indices.reduce(0) { $0 + obligors[$1].sectorWeights[k] * el[$1] } }
    }

    /// μ'_i E[J_i²] u², the Poisson part of obligor i's variance.
    var obligorSecondMoment: [Double] {
        obligors.indices.map { i in
            bandedDefaults[i] * severities[i].reduce(0) { $0 + Double($1.units) * Double($1.units) * $1.probability } * lossUnit * lossUnit
        }
    }

    /// Var L = Σ_i μ'_i E[J_i²] u² + Σ_k v_k EL_k² (CSFB §A7 for J_i = ν_i: a Poisson–gamma mixture).
    public var variance: Double {
        let el = obligorExpectedLoss
        var v = obligorSecondMoment.reduce(0, +)
        for (k, elk) in sectorExpectedLoss(el).enumerated() { v += sectors[k].relativeVariance * elk * elk }
        return v
    }

    public var standardDeviation: Double { variance.squareRoot() }

    /// CSFB's SD risk contributions per obligor (they add up to σ_L).
    public var contributions: [Contribution] {
        let sigma = standardDeviation
        let el = obligorExpectedLoss, m2 = obligorSecondMoment
        let elk = sectorExpectedLoss(el)
        return obligors.indices.map { i in
            var systematic = 0.0
            for k in 0..<sectorCount { systematic += sectors[k].relativeVariance * obligors[i].sectorWeights[k] * elk[k] }
            let rc = sigma > 0 ? (m2[i] + el[i] * systematic) / sigma : 0
            return Contribution(id: obligors[i].id, exposure: obligors[i].exposure, expectedLoss: el[i], standardDeviation: rc)
        }
    }

    /// Why a distribution was not computed.
    public enum EvaluationError: Error, Sendable, CustomStringConvertible {
        /// The lattice reached its largest size with more than 10⁻⁶ of probability beyond it.
        case tailTooLong(lattice: Int, tailMass: Double, largestSectorVariance: Double)
        /// `shouldStop` answered true (Ctrl-C).
        case cancelled

        public var description: String {
            switch self {
            case let .tailTooLong(lattice, tailMass, v):
                return "CreditRisk+: after \(lattice) loss units the remaining tail mass is still \(tailMass); choose a larger creditriskplus.loss_unit"
                    + (v > 100 ? ", or check pd_sd: the largest sector variance (σ_k/μ_k)² is \(v), a very heavy tail" : "")
            case .cancelled:
                return "CreditRisk+: interrupted"
            }
        }
    }

    /// The loss distribution on the lattice of the loss unit, extended until the mass beyond it is
    /// below `tailMass` (or, at `maxLattice` points, below 10⁻⁶, else an error).
    ///
    /// Evaluated by the sparse positive recursion (see `SparseRecursion`), O(N·B) for N lattice
    /// points and B (sector, band) pairs. `shouldStop` is polled every 4096 lattice points; when it
    /// answers true the evaluation ends with `EvaluationError.cancelled`.
    public func distribution(tailMass target: Double = 1e-10, maxLattice: Int = 600_000,
                             shouldStop: () -> Bool = { false }) throws(EvaluationError) -> LatticeLoss {
        var recursion = SparseRecursion(pgfInputs)
        return try evaluate(&recursion, tailMass: target, maxLattice: maxLattice, shouldStop: shouldStop)
    }

    /// The same distribution by the nested log–exp recursion (O(N²)): the previous evaluation,
    /// kept as an independent cross-check for the tests.
    func logExpDistribution(tailMass target: Double = 1e-10, maxLattice: Int = 600_000) throws(EvaluationError) -> LatticeLoss {
        var recursion = LogExpRecursion(pgfInputs, capacity: maxLattice)
        return try evaluate(&recursion, tailMass: target, maxLattice: maxLattice, shouldStop: { false })
    }

    /// The PGF in the form both recursions read:
    /// ln G(z) = a₀ + Σ_ν λ_ν z^ν + Σ_k α_k · (−ln(1 − c_k(z))), c_k(z) = Σ_ν c_kν z^ν,
    /// with every λ_ν, c_kν and α_k positive (sectors without variance join the specific part).
    /// A default of obligor i enters band j with rate w·μ'_i·π_ij; m_k, the rate of defaults with a
    /// loss in sector k, takes the place of μ_k in β_k = v_k m_k (defaults without a loss drop
    /// out of the PGF: z⁰ − 1 = 0), while v_k stays that of all the defaults.
    struct PGFInputs {
        var a0 = 0.0
        /// (ν, λ_ν), ascending ν: the Poisson (specific) intensities by band.
        var specific: [(nu: Int, lambda: Double)] = []
        /// Per gamma sector: α_k = 1/v_k and (ν, c_kν = p_k·λ_kν/m_k), ascending ν.
        var sectors: [(alpha: Double, terms: [(nu: Int, c: Double)])] = []
    }

    var pgfInputs: PGFInputs {
        var inputs = PGFInputs()
        var specific: [Int: Double] = [:]
        for (k, s) in sectors.enumerated() where s.meanDefaults > 0 {
            let v = s.relativeVariance
            var byBand: [Int: Double] = [:]
            var rate = 0.0
            for i in obligors.indices where obligors[i].sectorWeights[k] > 0 {
                for (j, p) in severities[i] {
                    let l = obligors[i].sectorWeights[k] * bandedDefaults[i] * p
                    byBand[j, default: 0] += l
                    rate += l
                }
            }
            guard rate > 0 else { continue }
            if v <= 0 {
                // A sector without variance is Poisson: it adds to the specific part.
                for (nu, l) in byBand { specific[nu, default: 0] += l }
                inputs.a0 -= rate
                continue
            }
            let beta = v * rate
            let p = beta / (1 + beta)
            inputs.a0 -= (1 / v) * Foundation.log1p(beta)
            inputs.sectors.append((1 / v, byBand.sorted { $0.key < $1.key }.map { ($0.key, p * $0.value / rate) }))
        }
        for i in obligors.indices {
            let w0 = obligors[i].specificWeight
            guard w0 > 0 else { continue }
            for (j, p) in severities[i] {
                specific[j, default: 0] += w0 * bandedDefaults[i] * p
                inputs.a0 -= w0 * bandedDefaults[i] * p
            }
        }
        inputs.specific = specific.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        return inputs
    }

    /// Runs a recursion, extending the lattice until the mass beyond it is below `target`.
    private func evaluate<R: LatticeRecursion>(_ recursion: inout R, tailMass target: Double, maxLattice: Int,
                                               shouldStop: () -> Bool) throws(EvaluationError) -> LatticeLoss {
        let mean = expectedLoss, sd = standardDeviation
        // In Double first: a huge pd_sd makes sd astronomically large, beyond Int.
        let guess = mean / lossUnit + 12 * sd / lossUnit + Double(bands.max() ?? 1)
        var limit = guess < Double(maxLattice) ? max(64, Int(guess.rounded(.up))) : maxLattice
        var computed = -1
        while true {
            while computed < limit {
                if shouldStop() { throw .cancelled }
                computed = min(limit, computed + 4096)
                recursion.advance(through: computed)
            }
            var total = 0.0
            for n in 0...limit { total += recursion.probability(n) }
            let tail = max(0, 1 - total)
            if tail <= target { break }
            if limit >= maxLattice {
                if tail <= 1e-6 { break }
                throw .tailTooLong(lattice: limit, tailMass: tail, largestSectorVariance: sectors.map(\.relativeVariance).max() ?? 0)
            }
            limit = min(maxLattice, limit + max(limit / 2, 64))
        }
        var probabilities = (0...limit).map { recursion.probability($0) }
        // Trim the negligible far tail (the lattice keeps everything above 10⁻¹⁸).
        while probabilities.count > 2, let last = probabilities.last, last < 1e-18 { probabilities.removeLast() }
        return LatticeLoss(unit: lossUnit, probabilities: probabilities, mean: mean, standardDeviation: sd)
    }
}

/// A recursion for the lattice probabilities g_n = P(L = n·u), run forward in n. Values are
/// stored scaled, g_n = stored_n · e^{logScale}, because g_0 = e^{a₀} underflows for portfolios
/// with hundreds of expected defaults.
protocol LatticeRecursion {
    /// Computes g_n for every n ≤ `limit` not yet computed.
    mutating func advance(through limit: Int)
    /// g_n (unscaled), for n already computed.
    func probability(_ n: Int) -> Double
}

/// **The sparse positive recursion.** From ln G above, G′ = G·(S′ + Σ_k α_k c_k′/(1 − c_k)) with
/// S(z) = Σ λ_ν z^ν. Let V_k = G·c_k′/(1 − c_k); then V_k = G·c_k′ + c_k·V_k, and comparing
/// coefficients (c_k′ = Σ ν c_kν z^{ν−1}):
///
///     V_k,m = Σ_ν c_kν (ν·g_{m+1−ν} + V_k,m−ν)            (terms with a negative index are 0)
///     n·g_n = Σ_ν ν λ_ν g_{n−ν} + Σ_k α_k V_k,n−1.
///
/// Every coefficient and every term is non-negative, so, as with the log–exp recursion, nothing
/// cancels and each g_n carries a relative rounding error of order n·ε however far in the
/// tail. But each step reads only the lags ν of the (few) exposure bands: O(N·B) for N lattice
/// points and B (sector, band) pairs, instead of the O(N²) of exp(ln G), whose coefficients are
/// dense. CSFB's recursion (§A10) also runs in O(N·bands), but on the polynomial
/// Π_k (1 − c_k), whose coefficients have both signs; here the denominators 1 − c_k are never
/// expanded, each sector keeps its own positive V_k.
struct SparseRecursion: LatticeRecursion {
    private let specific: [(nu: Int, weight: Double)]  // (ν, ν·λ_ν)
    private let sectors: [(alpha: Double, nu: [Int], c: [Double], nuC: [Double])]
    /// Stored (scaled) g_0, g_1, …
    private var g: [Double]
    /// Stored (scaled, with the same scale as g) V_k,0, V_k,1, …
    private var v: [[Double]]
    private var logScale: Double

    init(_ inputs: CreditRiskPlus.PGFInputs) {
        specific = inputs.specific.map { ($0.nu, Double($0.nu) * $0.lambda) }
        sectors = inputs.sectors.map { s in
            (s.alpha, s.terms.map(\.nu), s.terms.map(\.c), s.terms.map { Double($0.nu) * $0.c })
        }
        g = [1]
        v = Array(repeating: [], count: sectors.count)
        logScale = inputs.a0
    }

    mutating func advance(through limit: Int) {
        guard limit >= g.count else { return }
        g.reserveCapacity(limit + 1)
        for k in v.indices { v[k].reserveCapacity(limit) }
        let ln10 = Foundation.log(10.0)
        for n in g.count...limit {
            var sum = 0.0
            g.withUnsafeBufferPointer { gp in
                for (nu, w) in specific {
                    if nu > n { break }
                    sum += w * gp[n - nu]
                }
                for k in sectors.indices {
                    let s = sectors[k]
                    let m = n - 1  // computing V_k,m
                    var value = 0.0
                    v[k].withUnsafeBufferPointer { vp in
                        for t in s.nu.indices {
                            let nu = s.nu[t]
                            if nu > n { break }
                            value += s.nuC[t] * gp[n - nu]
                            if nu <= m { value += s.c[t] * vp[m - nu] }
                        }
                    }
                    v[k].append(value)
                    sum += s.alpha * value
                }
            }
            let value = sum / Double(n)
            g.append(value)
            if value > 1e280 {
                for t in g.indices { g[t] *= 1e-280 }
                for k in v.indices { for t in v[k].indices { v[k][t] *= 1e-280 } }
                logScale += 280 * ln10
            }
        }
    }

    func probability(_ n: Int) -> Double {
        let stored = g[n]
        return stored > 0 ? Foundation.exp(Foundation.log(stored) + logScale) : 0
    }
}

/// **The nested log–exp recursion** (Giese 2003; Haaf, Reiß & Schoenmakers 2004), the previous
/// evaluation, O(N²): the coefficients a_n of ln G (m_k,n of −ln(1 − c_k) by
/// m_n = c_n + (1/n) Σ_ν c_ν (n − ν) m_{n−ν}), then n·g_n = Σ_{j=1}^{n} j a_j g_{n−j}. Kept as an
/// independent check of `SparseRecursion`.
struct LogExpRecursion: LatticeRecursion {
    private let specific: [Int: Double]
    private let sectors: [(alpha: Double, terms: [(nu: Int, c: Double)])]
    private var m: [[Double]]
    /// ja[n] = n·a_n.
    private var ja: [Double] = [0]
    /// g_n stored backwards at rev[top − n], so that the convolution is one forward dot product.
    private var rev: [Double]
    private let top: Int
    private var n = 1
    private var logScale: Double

    init(_ inputs: CreditRiskPlus.PGFInputs, capacity: Int) {
        specific = Dictionary(uniqueKeysWithValues: inputs.specific.map { ($0.nu, $0.lambda) })
        sectors = inputs.sectors
        m = inputs.sectors.map { _ in [0] }
        top = capacity
        rev = [Double](repeating: 0, count: capacity + 1)
        rev[top] = 1
        logScale = inputs.a0
    }

    mutating func advance(through limit: Int) {
        let ln10 = Foundation.log(10.0)
        ja.reserveCapacity(limit + 1)
        while n <= limit {
            var an = specific[n] ?? 0
            for k in sectors.indices {
                var direct = 0.0, convolution = 0.0
                m[k].withUnsafeBufferPointer { mk in
                    for (nu, c) in sectors[k].terms {
                        if nu > n { break }
                        if nu == n { direct = c } else { convolution += c * Double(n - nu) * mk[n - nu] }
                    }
                }
                let value = direct + convolution / Double(n)
                m[k].append(value)
                an += sectors[k].alpha * value
            }
            ja.append(Double(n) * an)
            let sum = ja.withUnsafeBufferPointer { jp in
                rev.withUnsafeBufferPointer { gp in
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
    }

    func probability(_ n: Int) -> Double {
        let stored = rev[top - n]
        return stored > 0 ? Foundation.exp(Foundation.log(stored) + logScale) : 0
    }
}
