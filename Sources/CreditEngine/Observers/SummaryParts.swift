/// What a block and a range of blocks both carry, with their tallies (`WeightedTally` in a
/// block, `ExactTally` once combined): what `RunSummary` appends alike from either.
protocol SummaryParts {
    associatedtype Tally
    var paths: Int { get }
    var payouts: SparsePayouts { get }
    var premiumShortfall: Tally { get }
    var capacityExhausted: [Tally] { get }
    var states: [Tally]? { get }
    var events: BondEvents? { get }
    var tailLosses: TailLosses? { get }
}

extension BlockSummary: SummaryParts {}
extension RunSummary: SummaryParts {}
