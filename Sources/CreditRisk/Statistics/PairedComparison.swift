/// A difference between two estimates made on the same paths, with the standard error of the
/// paired difference.
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
        net = Self.loss(base.net, base.weights, baseReport.net, other.net, other.weights, otherReport.net)
        gross = Self.loss(base.gross, base.weights, baseReport.gross, other.gross, other.weights, otherReport.gross)
        var payouts: [(String, PairedDifference)] = []
        let providers = baseReport.guarantors + baseReport.protectionSellers
        let otherProviders = otherReport.guarantors + otherReport.protectionSellers
        // Report order is slot order: guarantors, then sellers.
        for (slot, p) in providers.enumerated() {
            guard let otherSlot = otherProviders.firstIndex(where: { $0.id == p.id }) else { continue }
            let d = Self.sparseDifference(base.payouts, slot: slot, other.payouts, otherSlot: otherSlot, paths: base.paths)
            payouts.append((p.id, PairedDifference(difference: otherProviders[otherSlot].expectedPayout - p.expectedPayout,
                                                   standardError: d)))
        }
        self.payouts = payouts
    }

    private static func loss(_ a: [Double], _ wa: [Double]?, _ sa: LossSummary,
                             _ b: [Double], _ wb: [Double]?, _ sb: LossSummary) -> Loss {
        let n = a.count
        let el = standardError(n) { i in (wb?[i] ?? 1) * b[i] - (wa?[i] ?? 1) * a[i] }
        var quantiles: [Quantile] = []
        for (qa, qb) in zip(sa.quantiles, sb.quantiles) {
            let q = qa.level, va = qa.valueAtRisk, vb = qb.valueAtRisk
            let es = standardError(n) { i in
                ((wb?[i] ?? 1) * max(b[i] - vb, 0) - (wa?[i] ?? 1) * max(a[i] - va, 0)) / (1 - q)
            }
            // VaR: errors from the intervals, correlation from the exceedance indicators.
            let seA = (qa.valueAtRiskUpper - qa.valueAtRiskLower) / (2 * RiskMeasures.z95)
            let seB = (qb.valueAtRiskUpper - qb.valueAtRiskLower) / (2 * RiskMeasures.z95)
            let rho = correlation(n, { i in (wa?[i] ?? 1) * (a[i] > va ? 1 : 0) }, { i in (wb?[i] ?? 1) * (b[i] > vb ? 1 : 0) })
            let varSE = max(0, seA * seA + seB * seB - 2 * rho * seA * seB).squareRoot()
            quantiles.append(Quantile(level: q,
                                      valueAtRisk: PairedDifference(difference: vb - va, standardError: varSE),
                                      expectedShortfall: PairedDifference(difference: qb.expectedShortfall - qa.expectedShortfall,
                                                                          standardError: es)))
        }
        return Loss(expectedLoss: PairedDifference(difference: sb.expectedLoss - sa.expectedLoss, standardError: el),
                    quantiles: quantiles)
    }

    /// sd(d)/√n of the per-path terms d(i), by a two-pass sum.
    private static func standardError(_ n: Int, _ d: (Int) -> Double) -> Double {
        var mean = 0.0
        for i in 0..<n { mean += d(i) }
        mean /= Double(n)
        var ss = 0.0
        for i in 0..<n { let x = d(i) - mean; ss += x * x }
        return (ss / Double(n - 1) / Double(n)).squareRoot()
    }

    private static func correlation(_ n: Int, _ x: (Int) -> Double, _ y: (Int) -> Double) -> Double {
        var mx = 0.0, my = 0.0
        for i in 0..<n { mx += x(i); my += y(i) }
        mx /= Double(n); my /= Double(n)
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for i in 0..<n {
            let dx = x(i) - mx, dy = y(i) - my
            sxy += dx * dy; sxx += dx * dx; syy += dy * dy
        }
        return sxx > 0 && syy > 0 ? sxy / (sxx * syy).squareRoot() : 0
    }

    /// SE of the mean difference of two sparse payout series (records in path order).
    private static func sparseDifference(_ a: SparsePayouts, slot: Int, _ b: SparsePayouts, otherSlot: Int,
                                         paths n: Int) -> Double {
        var d: [Int: Double] = [:]
        for i in a.slot.indices where Int(a.slot[i]) == slot { d[a.path[i], default: 0] -= a.weight[i] * a.amount[i] }
        for i in b.slot.indices where Int(b.slot[i]) == otherSlot { d[b.path[i], default: 0] += b.weight[i] * b.amount[i] }
        // Paths absent from both have d = 0. Summed in path order: a dictionary's order changes
        // from one process to the next (seeded hashing), and so would the last bits.
        let values = d.sorted { $0.key < $1.key }.map(\.value)
        let sum = values.reduce(0, +)
        let mean = sum / Double(n)
        var ss = Double(n - d.count) * mean * mean
        for v in values { ss += (v - mean) * (v - mean) }
        return (ss / Double(n - 1) / Double(n)).squareRoot()
    }
}
