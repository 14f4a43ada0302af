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
/// - expected payouts: d_i = w'_i P'_i − w_i P_i per provider present in both runs.
public struct PairedComparison: Sendable {
    public struct Quantile: Sendable {
        public let level: Double
        public let valueAtRisk: PairedDifference
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
    /// sum is reduced exactly over `reducer` (two reductions, whatever the number of levels).
    public static func loss(_ a: [Double], _ wa: [Double]?, _ sa: LossSummary,
                            _ b: [Double], _ wb: [Double]?, _ sb: LossSummary,
                            paths: Int? = nil, reducer: any SampleReducer = LocalSample()) -> Loss {
        let n = a.count, nd = Double(paths ?? n)
        let levels = zip(sa.quantiles, sb.quantiles).map { ($0.level, $0.valueAtRisk, $1.valueAtRisk) }
        // Per path: the EL term, each level's ES term, and each level's two exceedance indicators.
        let terms = 1 + 3 * levels.count
        func term(_ i: Int, into t: inout [Double]) {
            let ua = wa?[i] ?? 1, ub = wb?[i] ?? 1
            t[0] = ub * b[i] - ua * a[i]
            for (k, (q, va, vb)) in levels.enumerated() {
                t[1 + 3 * k] = (ub * max(b[i] - vb, 0) - ua * max(a[i] - va, 0)) / (1 - q)
                t[2 + 3 * k] = ua * (a[i] > va ? 1 : 0)
                t[3 + 3 * k] = ub * (b[i] > vb ? 1 : 0)
            }
        }
        var t = [Double](repeating: 0, count: terms)
        var first = [ExactSum](repeating: ExactSum(), count: terms)
        for i in 0..<n {
            term(i, into: &t)
            for j in 0..<terms { first[j].add(t[j]) }
        }
        let mean = reducer.sum(first).map { $0.value / nd }
        // Second pass about the global means: Σ (d − m)² for EL and each ES; for each level's
        // indicators Σ dx dy, Σ dx², Σ dy².
        let second = 1 + 4 * levels.count
        var centred = [ExactSum](repeating: ExactSum(), count: second)
        for i in 0..<n {
            term(i, into: &t)
            let e = t[0] - mean[0]
            centred[0].add(e * e)
            for k in levels.indices {
                let d = t[1 + 3 * k] - mean[1 + 3 * k]
                let dx = t[2 + 3 * k] - mean[2 + 3 * k], dy = t[3 + 3 * k] - mean[3 + 3 * k]
                centred[1 + 4 * k].add(d * d)
                centred[2 + 4 * k].add(dx * dy)
                centred[3 + 4 * k].add(dx * dx)
                centred[4 + 4 * k].add(dy * dy)
            }
        }
        let c = reducer.sum(centred).map(\.value)
        func standardError(_ ss: Double) -> Double { (ss / (nd - 1) / nd).squareRoot() }
        var quantiles: [Quantile] = []
        for (k, (qa, qb)) in zip(sa.quantiles, sb.quantiles).enumerated() {
            // VaR: errors from the intervals, correlation from the exceedance indicators.
            let seA = (qa.valueAtRiskUpper - qa.valueAtRiskLower) / (2 * RiskMeasures.z95)
            let seB = (qb.valueAtRiskUpper - qb.valueAtRiskLower) / (2 * RiskMeasures.z95)
            let sxy = c[2 + 4 * k], sxx = c[3 + 4 * k], syy = c[4 + 4 * k]
            let rho = sxx > 0 && syy > 0 ? sxy / (sxx * syy).squareRoot() : 0
            let varSE = max(0, seA * seA + seB * seB - 2 * rho * seA * seB).squareRoot()
            quantiles.append(Quantile(level: qa.level,
                                      valueAtRisk: PairedDifference(difference: qb.valueAtRisk - qa.valueAtRisk, standardError: varSE),
                                      expectedShortfall: PairedDifference(difference: qb.expectedShortfall - qa.expectedShortfall,
                                                                          standardError: standardError(c[1 + 4 * k]))))
        }
        return Loss(expectedLoss: PairedDifference(difference: sb.expectedLoss - sa.expectedLoss, standardError: standardError(c[0])),
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
