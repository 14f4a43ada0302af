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
    /// Contribution pass only: (1 + levels) × bonds weighted sums (see `ContributionRecorder`).
    public var contributions: [Double]?

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
