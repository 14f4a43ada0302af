/// What the engine produced: a few numbers per path plus the sparse payouts of guarantors and
/// protection sellers (non-zero only on paths where they paid).
public struct SimulationOutput: Sendable {
    public let settings: SimulationSettings
    /// Net loss of the holder per path (after guarantees and protection).
    public let net: [Double]
    /// Gross loss per path.
    public let gross: [Double]
    /// Likelihood ratio per path under importance sampling; nil for plain Monte Carlo.
    public let weights: [Double]?
    /// Provider payouts: entity indices of the slots (guarantors first, then sellers).
    public let guarantorEntities: [Int]
    public let sellerEntities: [Int]
    public let payouts: SparsePayouts
    /// Per guarantor slot: paths on which its capacity ran out (some claim was cut).
    public let capacityExhausted: [Int]
    /// Contribution pass only: (1 + levels) × bonds sums, row 0 the EL contributions, row 1 + k
    /// the ES contributions at level k of the request (bonds in portfolio order).
    public let contributionSums: [Double]?
    /// E[premium] = Σ_b Np · spread · E[min(τ_i, T_b)].
    public let expectedPremium: Double
    public let elapsedSeconds: Double

    public var paths: Int { net.count }
}

/// (path, slot, amount) triples in path order, one per provider and path with a payout.
public struct SparsePayouts: Sendable {
    public var path: [Int] = []
    public var slot: [Int32] = []
    public var amount: [Double] = []

    public init() {}

    mutating func append(path p: Int, slot s: Int, amount a: Double) {
        path.append(p)
        slot.append(Int32(truncatingIfNeeded: s))
        amount.append(a)
    }

    mutating func append(contentsOf other: SparsePayouts) {
        path.append(contentsOf: other.path)
        slot.append(contentsOf: other.slot)
        amount.append(contentsOf: other.amount)
    }
}
