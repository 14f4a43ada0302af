/// What the engine produced: the net and gross loss and the weight of every path, and the merged
/// block summaries (provider payouts, premium shortfall, capacity cuts, contributions).
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

    public var paths: Int { net.count }

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

    /// The same run's metadata (settings, providers, sectors, premium) with the per-path figures
    /// and summary of another range of its blocks: how a range simulated by another MPI rank is
    /// rebuilt from what it sent.
    public func withPaths(firstPath: Int, net: [Double], gross: [Double], weights: [Double]?, factors: [Float]?,
                          sectorLosses: [Float]?, summary: RunSummary, elapsedSeconds: Double) -> SimulationOutput {
        SimulationOutput(
            settings: settings, firstPath: firstPath, net: net, gross: gross, weights: weights, factors: factors,
            factorCount: factorCount, sectorIDs: sectorIDs, sectorLosses: sectorLosses,
            guarantorEntities: guarantorEntities, sellerEntities: sellerEntities,
            summary: summary, fullPremium: fullPremium, elapsedSeconds: elapsedSeconds)
    }

    public var payouts: SparsePayouts { summary.payouts }
    /// Contribution pass only: (1 + levels) × bonds sums, row 0 the EL contributions, row 1 + k
    /// the ES contributions at level k of the request (bonds in portfolio order).
    public var contributionSums: [Double]? { summary.contributions?.map(\.value) }

    /// E[premium] = Σ_b Np · spread · E[min(τ_i, T_b)]: the full premium less the weighted mean
    /// shortfall.
    public var expectedPremium: Estimate {
        let shortfall = summary.premiumShortfall.estimate(paths: paths)
        return Estimate(value: fullPremium - shortfall.value, standardError: shortfall.standardError)
    }

    /// Per guarantor slot: P(its capacity cuts a claim), weighted.
    public var capacityExhausted: [Estimate] {
        summary.capacityExhausted.map { $0.estimate(paths: paths) }
    }

    /// The net or gross loss distribution, always with the path weights when there are any.
    public func distribution(_ loss: LossKind) -> EmpiricalLoss {
        let values = loss == .net ? net : gross
        return weights.map { EmpiricalLoss(values: values, weights: $0) } ?? EmpiricalLoss(values: values)
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
