/// What the engine produced: the net and gross loss and the weight of every path, and the merged
/// block summaries (provider payouts, premium shortfall, capacity cuts, contributions).
import CreditMath
import CreditModel

public struct SimulationOutput: Sendable {
    public let settings: SimulationSettings
    /// Index of the first path held (0 unless the run covered a later range of blocks).
    public let firstPath: Int
    /// Net loss of the holder per path (after guarantees and protection).
    public let net: [Double]
    /// Gross loss per path.
    public let gross: [Double]
    /// Likelihood ratio per path under importance sampling; nil for plain Monte Carlo.
    public let weights: [Double]?
    /// Per path, the systematic factors Z = Lξ (paths × `factorCount`, row-major), when recorded.
    public let factors: [Float]?
    public let factorCount: Int
    /// Sectors (in order of first appearance in the bond file) and, when recorded, each path's
    /// net loss per sector (paths × sectors, row-major).
    public let sectorIDs: [String]
    public let sectorLosses: [Float]?
    /// Provider payouts: entity indices of the slots (guarantors first, then sellers).
    public let guarantorEntities: [Int]
    public let sellerEntities: [Int]
    /// Everything observers collected, merged in block order.
    public let summary: RunSummary
    /// Σ premium rate · window: the premium if no protected issuer defaulted.
    public let fullPremium: Double
    public let elapsedSeconds: Double
    /// Paths of the run. When the run is split over processes (`split(over:paths:tallies:elapsedSeconds:)`), all
    /// of theirs: the per-path arrays and payouts here are this process's `localPaths` only.
    public let paths: Int
    /// How figures over the paths are combined: `LocalSample` when this output holds them all.
    public let reducer: any SampleReducer

    public var localPaths: Int { net.count }

    init(settings: SimulationSettings, firstPath: Int, net: [Double], gross: [Double], weights: [Double]?,
         factors: [Float]?, factorCount: Int, sectorIDs: [String], sectorLosses: [Float]?,
         guarantorEntities: [Int], sellerEntities: [Int], summary: RunSummary, fullPremium: Double,
         elapsedSeconds: Double, paths: Int? = nil, reducer: any SampleReducer = LocalSample()) {
        self.settings = settings
        self.firstPath = firstPath
        self.net = net
        self.gross = gross
        self.weights = weights
        self.factors = factors
        self.factorCount = factorCount
        self.sectorIDs = sectorIDs
        self.sectorLosses = sectorLosses
        self.guarantorEntities = guarantorEntities
        self.sellerEntities = sellerEntities
        self.summary = summary
        self.fullPremium = fullPremium
        self.elapsedSeconds = elapsedSeconds
        self.paths = paths ?? net.count
        self.reducer = reducer
    }

    /// This process's part of a run split over processes: `paths` in all, `tallies` this
    /// output's summary reduced over the processes (`RunSummary.reduced(over:)`, which keeps this
    /// process's payouts), its own per-path arrays kept. Every statistic then reduces over `reducer`.
    public func split(over reducer: any SampleReducer, paths: Int, tallies: RunSummary,
                      elapsedSeconds: Double) -> SimulationOutput {
        SimulationOutput(
            settings: settings, firstPath: firstPath, net: net, gross: gross, weights: weights, factors: factors,
            factorCount: factorCount, sectorIDs: sectorIDs, sectorLosses: sectorLosses,
            guarantorEntities: guarantorEntities, sellerEntities: sellerEntities,
            summary: tallies, fullPremium: fullPremium, elapsedSeconds: elapsedSeconds, paths: paths, reducer: reducer)
    }

    /// The same run's metadata with none of its paths: what a process keeps when a stopped
    /// process before it ends the run's prefix of blocks.
    public var withoutPaths: SimulationOutput {
        SimulationOutput(
            settings: settings, firstPath: firstPath, net: [], gross: [], weights: weights.map { _ in [] },
            factors: factors.map { _ in [] }, factorCount: factorCount, sectorIDs: sectorIDs,
            sectorLosses: sectorLosses.map { _ in [] }, guarantorEntities: guarantorEntities, sellerEntities: sellerEntities,
            summary: RunSummary(guarantorSlots: guarantorEntities.count), fullPremium: fullPremium,
            elapsedSeconds: elapsedSeconds)
    }

    /// This output followed by `next`, the run's next range of blocks: the same bits as one run
    /// over both ranges.
    public func appending(_ next: SimulationOutput) -> SimulationOutput {
        precondition(next.firstPath == firstPath + paths && next.factorCount == factorCount, "not the next range of blocks")
        var summary = self.summary
        summary.append(next.summary)
        return SimulationOutput(
            settings: settings, firstPath: firstPath, net: net + next.net, gross: gross + next.gross,
            weights: weights.map { $0 + (next.weights ?? []) }, factors: factors.map { $0 + (next.factors ?? []) },
            factorCount: factorCount, sectorIDs: sectorIDs, sectorLosses: sectorLosses.map { $0 + (next.sectorLosses ?? []) },
            guarantorEntities: guarantorEntities, sellerEntities: sellerEntities,
            summary: summary, fullPremium: fullPremium, elapsedSeconds: elapsedSeconds + next.elapsedSeconds)
    }

    public var payouts: SparsePayouts { summary.payouts }
    /// Per-bond events in path order, when recorded (`PathRecords.events`).
    public var events: BondEvents? { summary.events }
    /// Contribution pass only: (1 + levels) × bonds sums, row 0 the EL contributions, row 1 + k
    /// the ES contributions at level k of the request (bonds in portfolio order).
    public var contributionSums: [Double]? { summary.contributions?.map(\.value) }

    /// E[premium] = Σ_b Np · spread · E[min(τ_i, T_b)]: the full premium less the weighted mean
    /// shortfall.
    public var expectedPremium: Estimate {
        let shortfall = summary.premiumShortfall.estimate(paths: paths)
        return Estimate(value: fullPremium - shortfall.value, standardError: shortfall.standardError)
    }

    /// A figure split by credit state (`CreditStateTallies` position), as a weighted mean over the
    /// run's paths; nil when the run does not split states (no issuer can extend).
    public func stateEstimate(_ index: Int) -> Estimate? {
        guard let states = summary.states, states.indices.contains(index) else { return nil }
        return states[index].estimate(paths: paths)
    }

    /// Per guarantor slot: P(its capacity cuts a claim), weighted.
    public var capacityExhausted: [Estimate] {
        summary.capacityExhausted.map { $0.estimate(paths: paths) }
    }
}

/// The holder's loss after enhancements (net) or before (gross).
public enum LossKind: Sendable, Hashable { case net, gross }

extension SimulationOutput {
    /// Everything of an output but its per-path arrays: what a shard writes beside its `.npy`
    /// files, and what a merge needs to rebuild the output.
    public struct State: Codable, Sendable {
        public var settings: SimulationSettings
        public var firstPath: Int
        public var paths: Int
        public var weighted: Bool
        public var factorCount: Int
        public var sectorIDs: [String]
        public var guarantorEntities: [Int]
        public var sellerEntities: [Int]
        public var summary: RunSummary
        public var fullPremium: Double
        public var elapsedSeconds: Double
    }

    public var state: State {
        State(settings: settings, firstPath: firstPath, paths: paths, weighted: weights != nil, factorCount: factorCount,
              sectorIDs: sectorIDs, guarantorEntities: guarantorEntities, sellerEntities: sellerEntities,
              summary: summary, fullPremium: fullPremium, elapsedSeconds: elapsedSeconds)
    }

    /// Rebuilds an output from its state and arrays; nil when they do not fit together.
    public init?(state: State, net: [Double], gross: [Double], weights: [Double]?, factors: [Float]?, sectorLosses: [Float]?) {
        let n = state.paths
        guard net.count == n, gross.count == n, (weights?.count ?? n) == n, state.weighted == (weights != nil),
              (factors?.count ?? 0) == (factors == nil ? 0 : n * state.factorCount),
              (sectorLosses?.count ?? 0) == (sectorLosses == nil ? 0 : n * state.sectorIDs.count),
              state.summary.paths == n else { return nil }
        self.init(settings: state.settings, firstPath: state.firstPath, net: net, gross: gross, weights: weights,
                  factors: factors, factorCount: factors == nil ? 0 : state.factorCount,
                  sectorIDs: state.sectorIDs, sectorLosses: sectorLosses,
                  guarantorEntities: state.guarantorEntities, sellerEntities: state.sellerEntities,
                  summary: state.summary, fullPremium: state.fullPremium, elapsedSeconds: state.elapsedSeconds)
    }
}
