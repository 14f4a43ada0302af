/// What a block of paths yields besides its per-path losses: everything observers collected,
/// accumulated in the block's path order. Blocks combine into a `RunSummary`.
import CreditMath
import CreditModel

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
    /// A portfolio whose issuers can extend: the figures split by credit state, laid out as
    /// `CreditStateTallies` describes; nil otherwise.
    public var states: [WeightedTally]?
    /// Per-bond events of the block's paths, when recorded (`PathRecords.events`).
    public var events: BondEvents?
    /// A shard's contribution pass: the bond losses of the paths kept for its merge.
    public var tailLosses: TailLosses?

    /// `stateSlots`: the provider slots when figures are split by credit state, else nil.
    public init(paths: Int, guarantorSlots: Int, stateSlots: Int? = nil) {
        self.paths = paths
        capacityExhausted = [WeightedTally](repeating: WeightedTally(), count: guarantorSlots)
        states = stateSlots.map { [WeightedTally](repeating: WeightedTally(), count: CreditStateTallies.count(slots: $0)) }
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
    /// The state-split figures (`CreditStateTallies`), when some issuer can extend.
    public private(set) var states: [ExactTally]?
    /// Per-bond events in path order, when recorded. Not encoded: shards write them as arrays.
    public private(set) var events: BondEvents?
    /// A shard's contribution pass: the bond losses of the paths kept for its merge, in path
    /// order. Not encoded: shards write them as arrays.
    public private(set) var tailLosses: TailLosses?

    enum CodingKeys: String, CodingKey {
        case paths, payouts, premiumShortfall, capacityExhausted, contributions, states
    }

    public init(guarantorSlots: Int) {
        capacityExhausted = [ExactTally](repeating: ExactTally(), count: guarantorSlots)
    }

    /// Adds tallies of the same layout, position by position.
    private mutating func addStates<T>(_ other: [T]?, _ add: (inout ExactTally, T) -> Void) {
        guard let other else { return }
        var sums = states ?? [ExactTally](repeating: ExactTally(), count: other.count)
        for i in other.indices { add(&sums[i], other[i]) }
        states = sums
    }

    /// What a block and a range of blocks append alike; `add` adds one of their tallies.
    private mutating func appendParts<Part: SummaryParts>(of next: Part, _ add: (inout ExactTally, Part.Tally) -> Void) {
        paths += next.paths
        payouts.append(contentsOf: next.payouts)
        add(&premiumShortfall, next.premiumShortfall)
        let capacity = next.capacityExhausted
        for i in capacityExhausted.indices where i < capacity.count { add(&capacityExhausted[i], capacity[i]) }
        addStates(next.states, add)
        appendEvents(next.events)
        appendTail(next.tailLosses)
    }

    /// Appends the events of the next paths, in place.
    private mutating func appendEvents(_ next: BondEvents?) {
        guard let next else { return }
        if events == nil { events = BondEvents() }
        events?.append(contentsOf: next)
    }

    private mutating func appendTail(_ next: TailLosses?) {
        guard let next else { return }
        if tailLosses == nil { tailLosses = TailLosses() }
        tailLosses?.append(contentsOf: next)
    }

    /// The same summary with `events` (a shard's events, read back from its arrays).
    public func with(events: BondEvents?) -> RunSummary {
        var out = self
        out.events = events
        return out
    }

    /// Appends the next block (blocks must come in increasing order, for the payouts).
    public mutating func append(_ block: BlockSummary) {
        appendParts(of: block) { $0.add($1) }
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
        let widths = reducer.max([Int64(contributions?.count ?? 0), Int64(states?.count ?? 0)])
        let width = widths[0], stateWidth = Int(widths[1])
        var sums = [premiumShortfall.sum, premiumShortfall.sumOfSquares]
        for t in capacityExhausted { sums += [t.sum, t.sumOfSquares] }
        // A process without blocks holds no state tallies: it adds zeros of the common layout.
        let stateStart = sums.count
        for t in states ?? [ExactTally](repeating: ExactTally(), count: stateWidth) { sums += [t.sum, t.sumOfSquares] }
        let contributionStart = sums.count
        if width > 0 { sums += contributions ?? [ExactSum](repeating: ExactSum(), count: Int(width)) }
        let (total, counts) = reducer.sum(sums, counts: [paths])
        out.paths = counts[0]
        out.premiumShortfall = ExactTally(sum: total[0], sumOfSquares: total[1])
        for i in capacityExhausted.indices {
            out.capacityExhausted[i] = ExactTally(sum: total[2 + 2 * i], sumOfSquares: total[3 + 2 * i])
        }
        if stateWidth > 0 {
            out.states = (0..<stateWidth).map {
                ExactTally(sum: total[stateStart + 2 * $0], sumOfSquares: total[stateStart + 2 * $0 + 1])
            }
        }
        out.contributions = width > 0 ? Array(total[contributionStart...]) : nil
        return out
    }

    /// Appends the summary of the next range of blocks.
    public mutating func append(_ next: RunSummary) {
        appendParts(of: next) { $0.add($1) }
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
