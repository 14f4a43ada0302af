/// What a contribution pass needs from the first pass: the net-loss VaR of each level and the
/// weight a path at exactly VaR gets (the Acerbi–Tasche split of the atom).
public struct ContributionRequest: Sendable {
    public struct Level: Sendable {
        public let level: Double
        public let valueAtRisk: Double
        /// Weight of a path with L > VaR: 1/(n(1 − q)) (times its likelihood ratio).
        public let weightAbove: Double
        /// Weight of a path with L = VaR: (P(L ≤ VaR) − q) / (P(L = VaR) · n(1 − q)).
        public let weightAt: Double
    }

    public let levels: [Level]
    public let paths: Int

    /// From the net loss distribution of the first pass.
    public init(net: EmpiricalLoss, levels: [Double]) {
        let n = net.count
        paths = n
        self.levels = levels.map { q in
            // Probabilities are weight averages under importance sampling, counts otherwise.
            let v = RiskMeasures.measure(net, level: q).valueAtRisk
            let above = net.exceedance(v).probability
            let equal = v == 0 ? net.zeroWeight / Double(n) : net.exceedance(v.nextDown).probability - above
            let scale = 1 / (Double(n) * (1 - q))
            return Level(level: q, valueAtRisk: v, weightAbove: scale,
                         weightAt: equal > 0 ? (1 - q - above) / equal * scale : 0)
        }
    }
}

/// Accumulates, per bond, the weighted net loss over all paths (EL contributions) and over tail
/// paths with the Acerbi–Tasche tail weights (ES contributions), into the block's summary:
/// row 0 holds Σ w·loss_b / n, row 1 + k holds Σ w·t_k(L)·loss_b for level k.
struct ContributionRecorder: PathObserver {
    let request: ContributionRequest
    let bonds: Int

    var rowCount: Int { request.levels.count + 1 }

    /// Sees the path's exact net loss (the second pass replays the first bit for bit).
    mutating func observe(path: Int, net: Double, ledger: borrowing PathLedger, weight pathWeight: PathWeight,
                          into summary: inout BlockSummary) {
        guard !ledger.bondLosses.isEmpty else { return }
        if summary.contributions == nil { summary.contributions = [Double](repeating: 0, count: rowCount * bonds) }
        let weight = pathWeight.value
        let perPath = weight / Double(request.paths)
        summary.contributions!.withUnsafeMutableBufferPointer { sums in
            for (b, loss) in ledger.bondLosses { sums[b] += loss * perPath }
            for (k, level) in request.levels.enumerated() {
                let w = weight * (net > level.valueAtRisk ? level.weightAbove : (net == level.valueAtRisk ? level.weightAt : 0))
                guard w != 0 else { continue }
                let row = (k + 1) * bonds
                for (b, loss) in ledger.bondLosses { sums[row + b] += w * loss }
            }
        }
    }
}
