/// What a block of paths yields besides its per-path losses: everything observers collected.
/// Blocks merge in block order, so the result is the same bits for any thread count, and the
/// type is `Codable` so that shards and MPI ranks can send and combine it.
public struct BlockSummary: Sendable, Codable {
    public var paths: Int
    public var payouts = SparsePayouts()
    /// Σ over paths of w · (premium not received).
    public var premiumShortfall = WeightedTally()
    /// Per guarantor slot: w · 1{its capacity cut a claim on the path}.
    public var capacityExhausted: [WeightedTally]
    /// Contribution pass only, after merging: (1 + levels) × bonds weighted sums (see
    /// `ContributionRecorder`).
    public var contributions: [Double]?
    /// Contribution pass only, one block: the non-zero entries of its sums.
    public var contributionEntries: SparseSums?

    public init(paths: Int, guarantorSlots: Int) {
        self.paths = paths
        capacityExhausted = [WeightedTally](repeating: WeightedTally(), count: guarantorSlots)
    }

    /// Appends the next block (blocks must be merged in increasing order).
    public mutating func merge(_ next: BlockSummary) {
        paths += next.paths
        payouts.append(contentsOf: next.payouts)
        premiumShortfall.merge(next.premiumShortfall)
        for i in capacityExhausted.indices where i < next.capacityExhausted.count {
            capacityExhausted[i].merge(next.capacityExhausted[i])
        }
        if let c = next.contributions {
            if var mine = contributions {
                for i in mine.indices { mine[i] += c[i] }
                contributions = mine
            } else {
                contributions = c
            }
        }
        if let e = next.contributionEntries {
            // In block order, as the dense sums were: adding the untouched zeros changed nothing.
            if contributions == nil { contributions = [Double](repeating: 0, count: e.count) }
            contributions!.withUnsafeMutableBufferPointer { sums in
                for (i, v) in zip(e.index, e.value) { sums[i] += v }
            }
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
