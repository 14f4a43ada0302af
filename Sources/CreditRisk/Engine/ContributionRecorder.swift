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

/// Accumulates, per bond, the net loss over all paths (EL contributions) and the weighted net
/// loss over tail paths (ES contributions). One per worker; merged in block order.
final class ContributionRecorder {
    let request: ContributionRequest
    let bonds: Int
    /// Row 0: Σ loss_b / n; row 1 + k: Σ w_k(L) · loss_b for level k.
    var sums: [Double]
    private var pathBonds: [Int] = []
    private var pathLosses: [Double] = []

    init(request: ContributionRequest, bonds: Int) {
        self.request = request
        self.bonds = bonds
        sums = [Double](repeating: 0, count: (request.levels.count + 1) * bonds)
    }

    func reset() {
        for i in sums.indices { sums[i] = 0 }
    }

    @inline(__always)
    func record(bond: Int, netLoss: Double) {
        pathBonds.append(bond)
        pathLosses.append(netLoss)
    }

    /// Ends a path whose net loss is `net` (computed exactly as in the first pass).
    func finishPath(net: Double, weight: Double) {
        defer {
            pathBonds.removeAll(keepingCapacity: true)
            pathLosses.removeAll(keepingCapacity: true)
        }
        guard !pathBonds.isEmpty else { return }
        let perPath = weight / Double(request.paths)
        for (b, loss) in zip(pathBonds, pathLosses) { sums[b] += loss * perPath }
        for (k, level) in request.levels.enumerated() {
            let w = weight * (net > level.valueAtRisk ? level.weightAbove : (net == level.valueAtRisk ? level.weightAt : 0))
            guard w != 0 else { continue }
            let row = (k + 1) * bonds
            for (b, loss) in zip(pathBonds, pathLosses) { sums[row + b] += w * loss }
        }
    }
}
