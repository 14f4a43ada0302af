/// A difference between two estimates made on the same paths, with the standard error of the
/// paired difference.
import CreditMath
import CreditModel
import CreditEngine

public struct PairedDifference: Sendable, Hashable, Codable {
    public let difference: Double
    public let standardError: Double

    public init(difference: Double, standardError: Double) {
        self.difference = difference
        self.standardError = standardError
    }

    /// Whether the difference is outside its two-sided 95 % band around zero.
    public var isSignificant: Bool { abs(difference) > RiskMeasures.z95 * standardError }
}

/// A difference of two VaRs on the same paths, whose standard error may be undetermined.
///
/// Each VaR's error comes from its 95 % interval (half-width / 1.96), a conversion that assumes a
/// loss density at VaR. When an interval has zero width the VaR sits on an atom of the simulated
/// losses (many paths with the same loss, as with few names or a floor): the interval's width
/// says nothing about how far a rerun could move it (to the next atom), so the paired error is
/// undetermined (nil) and no significance is claimed. The same holds when the paired error comes
/// out 0 for a non-zero difference: an SE of 0 is no precision.
public struct PairedVaRDifference: Sendable, Hashable, Codable {
    public let difference: Double
    /// nil when undetermined (see above).
    public let standardError: Double?

    public init(difference: Double, standardError: Double?) {
        self.difference = difference
        self.standardError = standardError
    }

    /// From the two VaRs' interval-derived errors `seA`, `seB` and their paired error.
    init(difference: Double, seA: Double, seB: Double, paired: Double) {
        let undetermined = !(seA > 0) || !(seB > 0) || (!(paired > 0) && difference != 0)
        self.init(difference: difference, standardError: undetermined ? nil : paired)
    }

    /// Whether the difference is outside its two-sided 95 % band around zero; nil when the
    /// error is undetermined.
    public var isSignificant: Bool? { standardError.map { abs(difference) > RiskMeasures.z95 * $0 } }
}

/// One run minus another on the same paths (same seed, same path range): a stress against its
/// base, or two scenarios compared under common random numbers.
///
/// Path i of both runs is a function of the same random numbers, so every difference of means is
/// the mean of per-path differences d_i, whose standard error is sd(d)/√n (Glasserman 2004,
/// §4.2) — far below the errors of the two figures when the runs are alike. Per path:
/// - EL: d_i = w'_i L'_i − w_i L_i (the weights are 1 under plain sampling);
/// - ES_q, by its influence function (the delta method of `RiskMeasures`):
///   d_i = (w'_i (L'_i − v')⁺ − w_i (L_i − v)⁺)/(1 − q);
/// - VaR_q: each VaR's error is that of its exceedance probability at VaR divided by the loss
///   density there, which its 95 % interval gives (half-width/1.96 = se); the paired error is
///   √(se² + se'² − 2ρ se se'), with ρ the correlation of w_i 1{L_i > v} and w'_i 1{L'_i > v'};
///   undetermined when either VaR sits on an atom (`PairedVaRDifference`);
/// - expected payouts: d_i = w'_i P'_i − w_i P_i per provider present in both runs.
public struct PairedComparison: Sendable {
    public struct Quantile: Sendable {
        public let level: Double
        public let valueAtRisk: PairedVaRDifference
        public let expectedShortfall: PairedDifference
    }

    public struct Loss: Sendable {
        public let expectedLoss: PairedDifference
        public let quantiles: [Quantile]
    }

    public let net: Loss
    public let gross: Loss
    /// Expected payout differences of the providers of both runs, by entity id.
    public let payouts: [(id: String, difference: PairedDifference)]

    /// `other` minus `base`; nil when they are not on the same paths (seed or path range differ).
    public init?(base: SimulationOutput, baseReport: RiskReport, other: SimulationOutput, otherReport: RiskReport) {
        guard base.settings.seed == other.settings.seed, base.firstPath == other.firstPath, base.paths == other.paths,
              base.paths > 1, baseReport.levels == otherReport.levels else { return nil }
        let reducer = base.reducer
        net = Self.loss(base.net, base.weights, baseReport.net, other.net, other.weights, otherReport.net,
                        paths: base.paths, reducer: reducer)
        gross = Self.loss(base.gross, base.weights, baseReport.gross, other.gross, other.weights, otherReport.gross,
                          paths: base.paths, reducer: reducer)
        var payouts: [(String, PairedDifference)] = []
        let providers = baseReport.guarantors + baseReport.protectionSellers
        let otherProviders = otherReport.guarantors + otherReport.protectionSellers
        // Report order is slot order: guarantors, then sellers.
        for (slot, p) in providers.enumerated() {
            guard let otherSlot = otherProviders.firstIndex(where: { $0.id == p.id }) else { continue }
            let d = Self.sparseDifference(base.payouts, slot: slot, other.payouts, otherSlot: otherSlot, paths: base.paths,
                                          reducer: reducer)
            payouts.append((p.id, PairedDifference(difference: otherProviders[otherSlot].expectedPayout - p.expectedPayout,
                                                   standardError: d)))
        }
        self.payouts = payouts
    }

    /// `b` minus `a` for one loss (net or gross) from the two runs' per-path values, weights and
    /// summaries; the runs must be on the same paths (same seed and path range). For a run split
    /// over processes, the arrays are this process's paths, `paths` counts all of them and every
    /// sum is reduced exactly over `reducer` (three reductions, whatever the number of levels).
    public static func loss(_ a: [Double], _ wa: [Double]?, _ sa: LossSummary,
                            _ b: [Double], _ wb: [Double]?, _ sb: LossSummary,
                            paths: Int? = nil, reducer: any SampleReducer = LocalSample()) -> Loss {
        let n = a.count, nd = Double(paths ?? n)
        let levels = zip(sa.quantiles, sb.quantiles).map { ($0.level, $0.valueAtRisk, $1.valueAtRisk) }
        // EL: d_i = w'_i b_i − w_i a_i, its mean, then Σ (d − m)² about the global mean.
        func term(_ i: Int) -> Double { (wb?[i] ?? 1) * b[i] - (wa?[i] ?? 1) * a[i] }
        var first = ExactSum()
        for i in 0..<n { first.add(term(i)) }
        let mean = reducer.sum([first])[0].value / nd
        var centred = ExactSum()
        for i in 0..<n { let e = term(i) - mean; centred.add(e * e) }
        let elSpread = reducer.sum([centred])[0].value
        func standardError(_ ss: Double) -> Double { (max(0, ss) / (nd - 1) / nd).squareRoot() }
        // ES and VaR of every level from tail sums (one pass, one more reduction).
        let tails = PairedTailSums(a, wa, valuesAtRiskA: levels.map(\.1), b, wb, valuesAtRiskB: levels.map(\.2), reducer: reducer)
        var quantiles: [Quantile] = []
        for (k, (qa, qb)) in zip(sa.quantiles, sb.quantiles).enumerated() {
            let t = tails.totals[k], q = qa.level, va = qa.valueAtRisk, vb = qb.valueAtRisk
            // A = w (a − va)⁺, B = w' (b − vb)⁺; the per-path ES term is (B − A)/(1 − q).
            let sumA: Double = t[1] - va * t[0]
            // The three squares are expanded in one order of operations, so that equal runs
            // (a stress that changes nothing) give sumA2 = sumB2 = sumAB bit for bit, and an error of exactly 0.
            let sumA2: Double = t[4] - va * t[3] - va * t[3] + va * va * t[2]
            let sumB: Double = t[6] - vb * t[5]
            let sumB2: Double = t[9] - vb * t[8] - vb * t[8] + vb * vb * t[7]
            let sumAB: Double = t[13] - vb * t[11] - va * t[12] + va * vb * t[10]
            let scale: Double = 1 / (1 - q)
            let esSum: Double = (sumB - sumA) * scale
            let esSquares: Double = (sumB2 - 2 * sumAB + sumA2) * scale * scale
            let esSpread: Double = esSquares - esSum * esSum / nd
            // VaR: errors from the intervals, correlation from the exceedance indicators
            // x = w 1{a > va}, y = w' 1{b > vb}.
            let seA = (qa.valueAtRiskUpper - qa.valueAtRiskLower) / (2 * RiskMeasures.z95)
            let seB = (qb.valueAtRiskUpper - qb.valueAtRiskLower) / (2 * RiskMeasures.z95)
            let sxy: Double = t[10] - t[0] * t[5] / nd
            let sxx: Double = t[2] - t[0] * t[0] / nd
            let syy: Double = t[7] - t[5] * t[5] / nd
            let rho = sxx > 0 && syy > 0 ? min(1, max(-1, sxy / (sxx * syy).squareRoot())) : 0
            let varSE = max(0, seA * seA + seB * seB - 2 * rho * seA * seB).squareRoot()
            quantiles.append(Quantile(level: q,
                                      valueAtRisk: PairedVaRDifference(difference: vb - va, seA: seA, seB: seB, paired: varSE),
                                      expectedShortfall: PairedDifference(difference: qb.expectedShortfall - qa.expectedShortfall,
                                                                          standardError: standardError(esSpread))))
        }
        return Loss(expectedLoss: PairedDifference(difference: sb.expectedLoss - sa.expectedLoss, standardError: standardError(elSpread)),
                    quantiles: quantiles)
    }

    /// SE of the mean difference of two sparse payout series (records in path order), from exact
    /// sums of the per-path differences (reduced over the processes of a split run).
    private static func sparseDifference(_ a: SparsePayouts, slot: Int, _ b: SparsePayouts, otherSlot: Int,
                                         paths n: Int, reducer: any SampleReducer) -> Double {
        var d: [(path: Int, value: Double)] = []
        for i in a.slot.indices where Int(a.slot[i]) == slot { d.append((a.path[i], -a.weight[i] * a.amount[i])) }
        for i in b.slot.indices where Int(b.slot[i]) == otherSlot { d.append((b.path[i], b.weight[i] * b.amount[i])) }
        d.sort { $0.path < $1.path || ($0.path == $1.path && $0.value < $1.value) }
        // One value per path: the two runs' terms of a path added.
        var perPath: [Double] = []
        var last = Int.min
        for (path, value) in d {
            if path == last { perPath[perPath.count - 1] += value } else { perPath.append(value); last = path }
        }
        var sum = ExactSum()
        for v in perPath { sum.add(v) }
        let (total, counts) = reducer.sum([sum], counts: [perPath.count])
        // Paths absent from both have d = 0.
        let mean = total[0].value / Double(n)
        var ss = ExactSum()
        for v in perPath { ss.add((v - mean) * (v - mean)) }
        let spread = reducer.sum([ss])[0].value + Double(n - counts[0]) * mean * mean
        return (spread / Double(n - 1) / Double(n)).squareRoot()
    }
}
