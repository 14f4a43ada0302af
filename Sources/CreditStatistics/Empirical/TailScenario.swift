/// What a bad year looks like: at a level q, the mean of each systematic factor Z_k and of each
/// sector's net loss over the paths whose net loss reaches VaR_q (reverse stress; see CreditScenario's RiskFigures, Tail scenario).
///
/// E[Z_k | L ≥ v] is estimated by the ratio Σ_T w Z_k / Σ_T w over the tail paths T (weights 1
/// without importance sampling, so under importance sampling it is the mean in the original
/// measure), with the delta-method standard error √(Σ_T w² (Z_k − m)²)/Σ_T w (a ratio estimator,
/// Glasserman 2004, §4.1.3). A sector's share is its tail mean over the portfolio's: E[L_s | L ≥ v]
/// / E[L | L ≥ v], which is its share of ES when VaR carries no atom.
import CreditMath
import CreditModel
import CreditEngine

public struct TailScenario: Sendable {
    public struct Figure: Sendable, Hashable {
        public let id: String
        public let mean: Double
        public let standardError: Double
    }

    public let level: Double
    public let valueAtRisk: Double
    /// Tail paths (L ≥ VaR) and their probability.
    public let tailPaths: Int
    public let factors: [Figure]
    public let sectors: [Figure]
    /// E[L | L ≥ VaR], to read sector means as shares.
    public let tailMeanLoss: Double

    /// One scenario per level of `report`, from an output that recorded factors and/or sectors.
    public static func scenarios(output: SimulationOutput, report: RiskReport, factorIDs: [String]) -> [TailScenario] {
        report.net.quantiles.map { q in
            TailScenario(output: output, level: q.level, valueAtRisk: q.valueAtRisk, factorIDs: factorIDs)
        }
    }

    init(output: SimulationOutput, level: Double, valueAtRisk v: Double, factorIDs: [String]) {
        self.level = level
        valueAtRisk = v
        let n = output.localPaths
        var tail: [Int] = []
        for i in 0..<n where output.net[i] >= v { tail.append(i) }
        let w = output.weights
        // The per-path values: each factor's, then each sector's (or the net loss for one sector).
        var columns: [(id: String, value: (Int) -> Double)] = []
        if let z = output.factors, output.factorCount == factorIDs.count {
            let width = output.factorCount
            for j in factorIDs.indices { columns.append((factorIDs[j], { Double(z[$0 * width + j]) })) }
        }
        let factorColumns = columns.count
        if let s = output.sectorLosses {
            let width = output.sectorIDs.count
            for j in output.sectorIDs.indices { columns.append((output.sectorIDs[j], { Double(s[$0 * width + j]) })) }
        } else if output.sectorIDs.count == 1 {
            // One sector carries the whole net loss (the engine records nothing per path then).
            columns.append((output.sectorIDs[0], { output.net[$0] }))
        }
        // Exact sums over this process's tail paths, reduced: Σ w, Σ w L, Σ w x per column; then,
        // with the global means, Σ w² (x − m)² per column.
        var sums = [ExactSum](repeating: ExactSum(), count: 2 + columns.count)
        for i in tail {
            let wi = w?[i] ?? 1
            sums[0].add(wi)
            sums[1].add(wi * output.net[i])
            for (c, column) in columns.enumerated() { sums[2 + c].add(wi * column.value(i)) }
        }
        let (total, counts) = output.reducer.sum(sums, counts: [tail.count])
        tailPaths = counts[0]
        let totalWeight = total[0].value
        tailMeanLoss = totalWeight > 0 ? total[1].value / totalWeight : 0
        let means = columns.indices.map { totalWeight > 0 ? total[2 + $0].value / totalWeight : 0 }
        var squares = [ExactSum](repeating: ExactSum(), count: columns.count)
        for i in tail {
            let wi = w?[i] ?? 1
            for (c, column) in columns.enumerated() {
                let d = column.value(i) - means[c]
                squares[c].add(wi * wi * d * d)
            }
        }
        let spread = output.reducer.sum(squares)
        let figures = columns.indices.map { c in
            totalWeight > 0 ? Figure(id: columns[c].id, mean: means[c], standardError: spread[c].value.squareRoot() / totalWeight)
                            : Figure(id: columns[c].id, mean: 0, standardError: 0)
        }
        factors = Array(figures[..<factorColumns])
        sectors = Array(figures[factorColumns...])
    }
}
