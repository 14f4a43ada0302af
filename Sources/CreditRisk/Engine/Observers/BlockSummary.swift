/// What a block of paths yields besides its per-path losses: everything observers collected,
/// accumulated in the block's path order. Blocks combine into a `RunSummary`.
public struct BlockSummary: Sendable, Codable {
    public var paths: Int
    public var payouts = SparsePayouts()
    /// Σ over paths of w · (premium not received).
    public var premiumShortfall = WeightedTally()
    /// Per guarantor slot: w · 1{its capacity cut a claim on the path}.
    public var capacityExhausted: [WeightedTally]
    /// Contribution pass only, one block: the non-zero entries of the sums of
    /// `ContributionLayout` (see `ContributionRecorder`).
    public var contributionEntries: SparseSums?

    public init(paths: Int, guarantorSlots: Int) {
        self.paths = paths
        capacityExhausted = [WeightedTally](repeating: WeightedTally(), count: guarantorSlots)
    }
}

/// The blocks of a run (or of a range of its blocks) combined: payouts concatenated in path
/// order, sums added exactly (`ExactSum`), so that any grouping of the same blocks (threads,
/// ranges, shards, ranks) gives the same bits. `Codable`, so that pieces can travel.
public struct RunSummary: Sendable, Codable {
    public private(set) var paths = 0
    public private(set) var payouts = SparsePayouts()
    public private(set) var premiumShortfall = ExactTally()
    public private(set) var capacityExhausted: [ExactTally]
    public private(set) var contributions: [ExactSum]?

    public init(guarantorSlots: Int) {
        capacityExhausted = [ExactTally](repeating: ExactTally(), count: guarantorSlots)
    }

    /// Appends the next block (blocks must come in increasing order, for the payouts).
    public mutating func append(_ block: BlockSummary) {
        paths += block.paths
        payouts.append(contentsOf: block.payouts)
        premiumShortfall.add(block.premiumShortfall)
        for i in capacityExhausted.indices where i < block.capacityExhausted.count {
            capacityExhausted[i].add(block.capacityExhausted[i])
        }
        if let e = block.contributionEntries {
            // Added in place (through the optional), so the totals are never copied per block.
            if contributions == nil { contributions = [ExactSum](repeating: ExactSum(), count: e.count) }
            for (i, v) in zip(e.index, e.value) where v != 0 { contributions?[i].add(v) }
        }
    }

    /// The run's summed figures over all processes of a split run, each process holding the
    /// summary of its own blocks: paths, premium, capacity and contribution sums reduced exactly
    /// (the same bits as one process's), and this process's payouts kept as they are (they are
    /// per path: statistics reduce over them, see `RiskReport`).
    public func reduced(over reducer: any SampleReducer) -> RunSummary {
        var out = self
        let width = reducer.max([Int64(contributions?.count ?? 0)])[0]
        var sums = [premiumShortfall.sum, premiumShortfall.sumOfSquares]
        for t in capacityExhausted { sums += [t.sum, t.sumOfSquares] }
        let contributionStart = sums.count
        if width > 0 { sums += contributions ?? [ExactSum](repeating: ExactSum(), count: Int(width)) }
        let (total, counts) = reducer.sum(sums, counts: [paths])
        out.paths = counts[0]
        out.premiumShortfall = ExactTally(sum: total[0], sumOfSquares: total[1])
        for i in capacityExhausted.indices {
            out.capacityExhausted[i] = ExactTally(sum: total[2 + 2 * i], sumOfSquares: total[3 + 2 * i])
        }
        out.contributions = width > 0 ? Array(total[contributionStart...]) : nil
        return out
    }

    /// Appends the summary of the next range of blocks.
    public mutating func append(_ next: RunSummary) {
        paths += next.paths
        payouts.append(contentsOf: next.payouts)
        premiumShortfall.add(next.premiumShortfall)
        for i in capacityExhausted.indices where i < next.capacityExhausted.count {
            capacityExhausted[i].add(next.capacityExhausted[i])
        }
        if let c = next.contributions {
            if contributions == nil { contributions = [ExactSum](repeating: ExactSum(), count: c.count) }
            for i in c.indices { contributions?[i].add(c[i]) }
        }
    }
}

/// (path, slot, amount, weight) per provider and path with a payout, in path order.
public struct SparsePayouts: Sendable, Codable {
    public var path: [Int] = []
    public var slot: [Int32] = []
    public var amount: [Double] = []
    /// The path's likelihood ratio (1 under plain Monte Carlo).
    public var weight: [Double] = []

    public init() {}

    mutating func append(path p: Int, slot s: Int, amount a: Double, weight w: PathWeight) {
        path.append(p)
        slot.append(Int32(truncatingIfNeeded: s))
        amount.append(a)
        weight.append(w.value)
    }

    mutating func append(contentsOf other: SparsePayouts) {
        path.append(contentsOf: other.path)
        slot.append(contentsOf: other.slot)
        amount.append(contentsOf: other.amount)
        weight.append(contentsOf: other.weight)
    }
}

/// The non-zero entries of a dense array of `count` sums, by increasing index.
public struct SparseSums: Sendable, Codable {
    public var count: Int
    public var index: [Int] = []
    public var value: [Double] = []

    public init(count: Int) { self.count = count }
}
