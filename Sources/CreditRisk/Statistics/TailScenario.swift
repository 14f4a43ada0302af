/// What a bad year looks like: at a level q, the mean of each systematic factor Z_k and of each
/// sector's net loss over the paths whose net loss reaches VaR_q (CONTRACT §11, reverse stress).
///
/// E[Z_k | L ≥ v] is estimated by the ratio Σ_T w Z_k / Σ_T w over the tail paths T (weights 1
/// without importance sampling, so under importance sampling it is the mean in the original
/// measure), with the delta-method standard error √(Σ_T w² (Z_k − m)²)/Σ_T w (a ratio estimator,
/// Glasserman 2004, §4.1.3). A sector's share is its tail mean over the portfolio's: E[L_s | L ≥ v]
/// / E[L | L ≥ v], which is its share of ES when VaR carries no atom.
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
        let n = output.paths
        var tail: [Int] = []
        for i in 0..<n where output.net[i] >= v { tail.append(i) }
        tailPaths = tail.count
        let w = output.weights
        var totalWeight = 0.0, lossSum = 0.0
        for i in tail {
            totalWeight += w?[i] ?? 1
            lossSum += (w?[i] ?? 1) * output.net[i]
        }
        tailMeanLoss = totalWeight > 0 ? lossSum / totalWeight : 0
        /// Ratio mean and SE over the tail of a per-path value.
        func figure(id: String, _ value: (Int) -> Double) -> Figure {
            guard totalWeight > 0 else { return Figure(id: id, mean: 0, standardError: 0) }
            var s = 0.0
            for i in tail { s += (w?[i] ?? 1) * value(i) }
            let m = s / totalWeight
            var ss = 0.0
            for i in tail {
                let wi = w?[i] ?? 1, d = value(i) - m
                ss += wi * wi * d * d
            }
            return Figure(id: id, mean: m, standardError: ss.squareRoot() / totalWeight)
        }
        /// Column j of a paths × width Float matrix.
        func figure(_ values: [Float], width: Int, column j: Int, id: String) -> Figure {
            figure(id: id) { Double(values[$0 * width + j]) }
        }
        if let z = output.factors, output.factorCount == factorIDs.count {
            factors = factorIDs.indices.map { figure(z, width: output.factorCount, column: $0, id: factorIDs[$0]) }
        } else {
            factors = []
        }
        if let s = output.sectorLosses {
            let width = output.sectorIDs.count
            sectors = output.sectorIDs.indices.map { figure(s, width: width, column: $0, id: output.sectorIDs[$0]) }
        } else if output.sectorIDs.count == 1 {
            // One sector carries the whole net loss (the engine records nothing per path then).
            sectors = [figure(id: output.sectorIDs[0]) { output.net[$0] }]
        } else {
            sectors = []
        }
    }
}
