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
/// paths with the Acerbi–Tasche tail weights (ES contributions): row 0 holds Σ w·loss_b / n, row
/// 1 + k holds Σ w·t_k(L)·loss_b for level k. The sums of a block go to a per-worker dense scratch
/// ((levels + 1) × bonds doubles, allocated once per worker) and leave it, at the block's end, as
/// a sparse list of the entries the block touched, so a block costs memory in proportion to its
/// defaults, not to the number of bonds.
struct ContributionRecorder: PathObserver {
    let request: ContributionRequest
    let bonds: Int
    private var scratch: [Double] = []
    private var touched: [Int] = []
    private var marked: [Bool] = []

    init(request: ContributionRequest, bonds: Int) {
        self.request = request
        self.bonds = bonds
    }

    var rowCount: Int { request.levels.count + 1 }

    /// Sees the path's exact net loss (the second pass replays the first bit for bit).
    mutating func observe(path: Int, net: Double, ledger: borrowing PathLedger, weight pathWeight: PathWeight,
                          into summary: inout BlockSummary) {
        guard !ledger.bondLosses.isEmpty else { return }
        if scratch.isEmpty {
            scratch = [Double](repeating: 0, count: rowCount * bonds)
            marked = [Bool](repeating: false, count: rowCount * bonds)
        }
        let weight = pathWeight.value
        let perPath = weight / Double(request.paths)
        let bonds = self.bonds
        scratch.withUnsafeMutableBufferPointer { sums in
            marked.withUnsafeMutableBufferPointer { marks in
                func add(_ i: Int, _ x: Double) {
                    if !marks[i] {
                        marks[i] = true
                        touched.append(i)
                    }
                    sums[i] += x
                }
                for (b, loss) in ledger.bondLosses { add(b, loss * perPath) }
                for (k, level) in request.levels.enumerated() {
                    let w = weight * (net > level.valueAtRisk ? level.weightAbove : (net == level.valueAtRisk ? level.weightAt : 0))
                    guard w != 0 else { continue }
                    let row = (k + 1) * bonds
                    for (b, loss) in ledger.bondLosses { add(row + b, w * loss) }
                }
            }
        }
    }

    /// Moves the block's sums into its summary (sparse, by increasing index) and clears the scratch.
    mutating func finishBlock(into summary: inout BlockSummary) {
        guard !touched.isEmpty else { return }
        touched.sort()
        var sparse = SparseSums(count: rowCount * bonds)
        sparse.index.reserveCapacity(touched.count)
        sparse.value.reserveCapacity(touched.count)
        for i in touched {
            sparse.index.append(i)
            sparse.value.append(scratch[i])
            scratch[i] = 0
            marked[i] = false
        }
        touched.removeAll(keepingCapacity: true)
        summary.contributionEntries = sparse
    }
}
