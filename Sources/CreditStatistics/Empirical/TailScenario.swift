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
        scenarios(output: output, levels: report.net.quantiles.map { ($0.level, $0.valueAtRisk) }, factorIDs: factorIDs)
    }

    /// Tail sums of one threshold, reduced: the tail's path count and Σ w, Σ w L, Σ w², then per
    /// column Σ w x, Σ w² x², Σ w² x.
    private struct Totals {
        let paths: Int
        let sums: ArraySlice<Double>
    }

    /// Every level in one pass over the tail paths, whatever their number (10⁴ levels once cost
    /// 10⁴ passes over every path): the paths at or above the lowest VaR are sorted by loss,
    /// highest first, and walked once while running exact sums grow; each distinct VaR takes a
    /// snapshot of them when the walk reaches it. The spread about each level's means comes from
    /// the same sums, Σ w²(x − m)² = Σ w²x² − 2m Σ w²x + m² Σ w². Snapshots are reduced over the
    /// processes of a split run in batches (the same number of collective calls on every rank,
    /// since the VaRs are global).
    public static func scenarios(output: SimulationOutput, levels: [(level: Double, valueAtRisk: Double)],
                                 factorIDs: [String]) -> [TailScenario] {
        let n = output.localPaths
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
        let thresholds = Array(Set(levels.map(\.valueAtRisk))).sorted(by: >)
        guard let lowest = thresholds.last else { return [] }
        let net = output.net
        var order = (0..<n).filter { net[$0] >= lowest }
        order.sort { net[$0] > net[$1] || (net[$0] == net[$1] && $0 < $1) }
        let width = 3 + 3 * columns.count
        var running = [ExactSum](repeating: ExactSum(), count: width)
        var count = 0, next = 0
        var totals: [Double: Totals] = [:]
        var pending: [ExactSum] = [], pendingCounts: [Int] = [], pendingThresholds: [Double] = []
        func flush() {
            guard !pendingThresholds.isEmpty else { return }
            let (sums, counts) = output.reducer.sum(pending, counts: pendingCounts)
            let values = sums.map(\.value)
            for (k, v) in pendingThresholds.enumerated() {
                totals[v] = Totals(paths: counts[k], sums: values[k * width..<(k + 1) * width])
            }
            pending.removeAll(keepingCapacity: true)
            pendingCounts.removeAll(keepingCapacity: true)
            pendingThresholds.removeAll(keepingCapacity: true)
        }
        for v in thresholds {
            while next < order.count, net[order[next]] >= v {
                let i = order[next], wi = w?[i] ?? 1, w2 = wi * wi
                running[0].add(wi)
                running[1].add(wi * net[i])
                running[2].add(w2)
                for (c, column) in columns.enumerated() {
                    let x = column.value(i)
                    running[3 + 3 * c].add(wi * x)
                    running[4 + 3 * c].add(w2 * x * x)
                    running[5 + 3 * c].add(w2 * x)
                }
                count += 1
                next += 1
            }
            pending += running
            pendingCounts.append(count)
            pendingThresholds.append(v)
            if pendingThresholds.count == 256 { flush() }
        }
        flush()
        return levels.map { level, v in
            guard let t = totals[v] else { return TailScenario(level: level, valueAtRisk: v) }
            let s = t.sums, base = s.startIndex, weight = s[base]
            let figures = columns.indices.map { c -> Figure in
                guard weight > 0 else { return Figure(id: columns[c].id, mean: 0, standardError: 0) }
                let m = s[base + 3 + 3 * c] / weight
                let spread = s[base + 4 + 3 * c] - 2 * m * s[base + 5 + 3 * c] + m * m * s[base + 2]
                return Figure(id: columns[c].id, mean: m, standardError: max(0, spread).squareRoot() / weight)
            }
            return TailScenario(level: level, valueAtRisk: v, tailPaths: t.paths, factors: Array(figures[..<factorColumns]),
                                sectors: Array(figures[factorColumns...]), tailMeanLoss: weight > 0 ? s[base + 1] / weight : 0)
        }
    }

    private init(level: Double, valueAtRisk: Double, tailPaths: Int = 0, factors: [Figure] = [], sectors: [Figure] = [],
                 tailMeanLoss: Double = 0) {
        self.level = level
        self.valueAtRisk = valueAtRisk
        self.tailPaths = tailPaths
        self.factors = factors
        self.sectors = sectors
        self.tailMeanLoss = tailMeanLoss
    }
}
