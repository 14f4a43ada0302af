/// What a contribution pass needs from the first pass: the net-loss VaR of each level and the
/// weight a path at exactly VaR gets (the Acerbi–Tasche split of the atom).
import CreditMath
import CreditModel

public struct ContributionRequest: Sendable {
    public struct Level: Sendable {
        public let level: Double
        public let valueAtRisk: Double
        /// Weight of a path with L > VaR: 1/(n(1 − q)) (times its likelihood ratio).
        public let weightAbove: Double
        /// Weight of a path with L = VaR: (P(L ≤ VaR) − q) / (P(L = VaR) · n(1 − q)).
        public let weightAt: Double

        public init(level: Double, valueAtRisk: Double, weightAbove: Double, weightAt: Double) {
            self.level = level
            self.valueAtRisk = valueAtRisk
            self.weightAbove = weightAbove
            self.weightAt = weightAt
        }
    }

    /// Which sums a pass fills.
    public enum Part: Sendable, Equatable {
        /// Every row: a whole run, or MPI ranks that know the global VaR.
        case all
        /// A shard, which does not know the global VaR: the EL row only (its levels have no
        /// tail), and the bond losses of every path whose net loss is at least `from` (every
        /// path with a loss when nil) kept for the merge (`SimulationOutput.tailLosses`).
        case meanKeepingTail(from: Double?)
        /// A merge: the ES rows only, replayed from the shards' kept paths (`ContributionReplay`).
        case tail
    }

    /// From levels computed elsewhere (an MPI rank receives them from rank 0, which holds the
    /// first pass's distribution).
    public init(levels: [Level], paths: Int, portfolio: Portfolio? = nil, part: Part = .all) {
        self.levels = levels
        self.paths = paths
        groups = portfolio.map(ContributionGroups.init)
        self.part = part
    }

    /// A shard's pass: `levels` levels whose tails are not known yet (no path reaches them), the
    /// EL row summed, and the paths from `keepFrom` on kept.
    public static func shard(levels: [Double], paths: Int, portfolio: Portfolio, keepFrom: Double?) -> ContributionRequest {
        ContributionRequest(levels: levels.map { Level(level: $0, valueAtRisk: .infinity, weightAbove: 0, weightAt: 0) },
                            paths: paths, portfolio: portfolio, part: .meanKeepingTail(from: keepFrom))
    }

    /// The same request for another part.
    public func with(part: Part) -> ContributionRequest {
        var r = self
        r.part = part
        return r
    }

    public let levels: [Level]
    public let paths: Int
    /// Groups of bonds (issuers, sectors, guarantors) whose contributions get their own standard
    /// errors; nil: bonds only.
    public let groups: ContributionGroups?
    public private(set) var part: Part
}

/// Accumulates, per bond, the weighted net loss over all paths (EL contributions) and over tail
/// paths with the Acerbi–Tasche tail weights (ES contributions), with the sums of squares of the
/// per-path terms for their standard errors, per bond and per group (a group's per-path term is
/// the sum of its bonds', so its error needs its own squares). Layout: see `ContributionLayout`.
/// The sums of a block go to a per-worker dense scratch (`layout.count` doubles, allocated once
/// per worker) and leave it, at the block's end, as a sparse list of the entries the block
/// touched, so a block costs memory in proportion to its defaults, not to the number of bonds.
struct ContributionRecorder: PathObserver {
    let request: ContributionRequest
    let layout: ContributionLayout
    /// Per-path group totals of the current row, and the groups touched.
    private var groupTotal: [Double]
    private var touched: [Int] = []
    /// The block's sums, and which entries of them the block touched.
    private var scratch: [Double] = []
    private var marked: [Bool] = []
    private var entries: [Int] = []

    init(request: ContributionRequest, bonds: Int) {
        self.request = request
        layout = ContributionLayout(rows: request.levels.count + 1, bonds: bonds, groups: request.groups?.count ?? 0)
        groupTotal = [Double](repeating: 0, count: layout.groups)
    }

    /// Sees the path's exact net loss (the second pass replays the first bit for bit).
    mutating func observe(path: Int, net: Double, gross: Double, ledger: borrowing PathLedger, weight pathWeight: PathWeight,
                          into summary: inout BlockSummary) {
        guard !ledger.bondLosses.isEmpty else { return }
        if case let .meanKeepingTail(from) = request.part, from.map({ net >= $0 }) ?? true {
            var kept = summary.tailLosses ?? TailLosses()
            summary.tailLosses = nil
            for (b, loss) in ledger.bondLosses { kept.append(path: path, bond: b, loss: loss) }
            summary.tailLosses = kept
        }
        record(net: net, losses: ledger.bondLosses, weight: pathWeight)
    }

    /// Adds one path's terms: its net loss, its bond losses as settlement booked them (in order,
    /// a bond possibly twice), its weight.
    mutating func record(net: Double, losses bondLosses: [(bond: Int, loss: Double)], weight pathWeight: PathWeight) {
        if scratch.isEmpty {
            scratch = [Double](repeating: 0, count: layout.count)
            marked = [Bool](repeating: false, count: layout.count)
        }
        let weight = pathWeight.value
        let n = Double(request.paths)
        let perPath = weight / n
        let bonds = layout.bonds
        var sums = scratch
        scratch = []
        defer { scratch = sums }
        sums.withUnsafeMutableBufferPointer { sums in
            // Row 0 (EL): the term of bond b on this path is y = w·loss_b, its mean EL_b.
            if request.part != .tail {
                for (b, loss) in bondLosses {
                    add(sums, b, loss * perPath)
                    let y = weight * loss
                    add(sums, layout.bondSquares(row: 0) + b, y * y)
                    addToGroups(b, y)
                }
                flushGroups(into: sums, row: 0)
            }
            // Row 1 + k (ES at level k): the term is z = n·w·t_k(L)·loss_b, its mean ES_b.
            for (k, level) in request.levels.enumerated() {
                let w = weight * (net > level.valueAtRisk ? level.weightAbove : (net == level.valueAtRisk ? level.weightAt : 0))
                guard w != 0 else { continue }
                let row = (k + 1) * bonds
                for (b, loss) in bondLosses {
                    add(sums, row + b, w * loss)
                    let z = n * w * loss
                    add(sums, layout.bondSquares(row: k + 1) + b, z * z)
                    addToGroups(b, z)
                }
                flushGroups(into: sums, row: k + 1)
            }
        }
    }

    @inline(__always)
    private mutating func add(_ sums: UnsafeMutableBufferPointer<Double>, _ i: Int, _ x: Double) {
        if !marked[i] {
            marked[i] = true
            entries.append(i)
        }
        sums[i] += x
    }

    /// Moves the block's sums into its summary (sparse, by increasing index) and clears the scratch.
    mutating func finishBlock(into summary: inout BlockSummary) {
        guard !entries.isEmpty else { return }
        entries.sort()
        var sparse = SparseSums(count: layout.count)
        sparse.index.reserveCapacity(entries.count)
        sparse.value.reserveCapacity(entries.count)
        for i in entries {
            sparse.index.append(i)
            sparse.value.append(scratch[i])
            scratch[i] = 0
            marked[i] = false
        }
        entries.removeAll(keepingCapacity: true)
        summary.contributionEntries = sparse
    }

    @inline(__always)
    private mutating func addToGroups(_ bond: Int, _ term: Double) {
        guard let groups = request.groups else { return }
        for kind in groups.kinds {
            let g = kind.offset + kind.groupOfBond[bond]
            if groupTotal[g] == 0 { touched.append(g) }
            groupTotal[g] += term
        }
    }

    private mutating func flushGroups(into sums: UnsafeMutableBufferPointer<Double>, row: Int) {
        let base = layout.groupSquares(row: row)
        for g in touched {
            add(sums, base + g, groupTotal[g] * groupTotal[g])
            groupTotal[g] = 0
        }
        touched.removeAll(keepingCapacity: true)
    }
}

/// The bond losses of the paths a shard keeps for its merge (`ContributionRequest.Part`): per
/// (path, booking) in path order, as settlement booked them.
public struct TailLosses: Sendable, Equatable, Codable {
    public var path: [Int] = []
    public var bond: [Int32] = []
    public var loss: [Double] = []

    public init() {}

    public init(path: [Int], bond: [Int32], loss: [Double]) {
        self.path = path
        self.bond = bond
        self.loss = loss
    }

    public var count: Int { path.count }

    mutating func append(path p: Int, bond b: Int, loss l: Double) {
        path.append(p)
        bond.append(Int32(truncatingIfNeeded: b))
        loss.append(l)
    }

    public mutating func append(contentsOf other: TailLosses) {
        path.append(contentsOf: other.path)
        bond.append(contentsOf: other.bond)
        loss.append(contentsOf: other.loss)
    }
}

/// A merge's share of the contribution pass: the ES rows of the paths the shards kept, summed
/// block by block exactly as a one-process pass sums them (per block in path order, then
/// exactly across blocks), so that with the shards' EL rows the sums are the one-process bits.
public enum ContributionReplay {
    /// `request` with the global VaR (its part is set to `.tail`); `net(i)` and `weight(i)` the
    /// loss and likelihood ratio of path i. Returns the sums in `ContributionLayout` order.
    public static func tailSums(request: ContributionRequest, bonds: Int, kept: TailLosses,
                                net: (Int) -> Double, weight: (Int) -> Double) -> [ExactSum] {
        var recorder = ContributionRecorder(request: request.with(part: .tail), bonds: bonds)
        var sums = [ExactSum](repeating: ExactSum(), count: recorder.layout.count)
        func flush(_ recorder: inout ContributionRecorder) {
            var summary = BlockSummary(paths: 0, guarantorSlots: 0)
            recorder.finishBlock(into: &summary)
            if let e = summary.contributionEntries {
                for (i, v) in zip(e.index, e.value) where v != 0 { sums[i].add(v) }
            }
        }
        var i = 0, block = -1
        var losses: [(bond: Int, loss: Double)] = []
        while i < kept.count {
            let p = kept.path[i]
            losses.removeAll(keepingCapacity: true)
            while i < kept.count && kept.path[i] == p {
                losses.append((Int(kept.bond[i]), kept.loss[i]))
                i += 1
            }
            let b = p / SimulationSettings.blockSize
            if b != block {
                flush(&recorder)
                block = b
            }
            recorder.record(net: net(p), losses: losses, weight: PathWeight(weight(p)))
        }
        flush(&recorder)
        return sums
    }
}

/// Where a contribution pass keeps its sums: rows r = 0 (EL) and 1 + k (ES at level k), each
/// with Σ term/n per bond, Σ term² per bond and Σ (group term)² per group:
/// `[sums: rows × bonds][bond squares: rows × bonds][group squares: rows × groups]`.
public struct ContributionLayout: Sendable, Hashable {
    public let rows: Int
    public let bonds: Int
    public let groups: Int

    public init(rows: Int, bonds: Int, groups: Int) {
        self.rows = rows
        self.bonds = bonds
        self.groups = groups
    }

    public var count: Int { rows * (2 * bonds + groups) }
    public func sums(row: Int) -> Int { row * bonds }
    public func bondSquares(row: Int) -> Int { rows * bonds + row * bonds }
    public func groupSquares(row: Int) -> Int { 2 * rows * bonds + row * groups }
}

/// The issuers, sectors and guarantors bonds belong to, in order of first appearance in the bond
/// file; built in linear time.
public struct ContributionGroups: Sendable {
    public struct Kind: Sendable {
        /// "issuer", "sector" or "guarantor".
        public let name: String
        public let ids: [String]
        /// Group index (within this kind) of each bond, in file order.
        public let groupOfBond: [Int]
        /// Index of this kind's first group among all groups.
        public let offset: Int
    }

    public let kinds: [Kind]
    public var count: Int { kinds.reduce(0) { $0 + $1.ids.count } }

    public init(portfolio: Portfolio) {
        var kinds: [Kind] = []
        var offset = 0
        let keys: [(String, (Bond) -> String)] = [
            ("issuer", { portfolio.entities[$0.issuer].id }),
            ("sector", { portfolio.entities[$0.issuer].sector ?? "(none)" }),
            ("guarantor", { b in b.guarantee.map { portfolio.entities[$0.guarantor].id } ?? "(none)" }),
        ]
        for (name, key) in keys {
            var index: [String: Int] = [:]
            var ids: [String] = []
            var groupOfBond: [Int] = []
            groupOfBond.reserveCapacity(portfolio.bonds.count)
            for bond in portfolio.bonds {
                let id = key(bond)
                if let g = index[id] {
                    groupOfBond.append(g)
                } else {
                    index[id] = ids.count
                    groupOfBond.append(ids.count)
                    ids.append(id)
                }
            }
            kinds.append(Kind(name: name, ids: ids, groupOfBond: groupOfBond, offset: offset))
            offset += ids.count
        }
        self.kinds = kinds
    }
}
