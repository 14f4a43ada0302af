import Dispatch
import Synchronization

/// Simulates a portfolio: compiles it once (`SimulationPlan`), then runs blocks of paths through
/// a `PathKernel` specialised for its latent model, on a `BlockExecutor`.
///
/// Block b always uses the random stream keyed by (seed, b) and writes only its own slice; block
/// summaries are merged in block order, so the output is bit-identical for any thread count.
public struct Engine: Sendable {
    public let portfolio: Portfolio
    let plan: SimulationPlan

    /// Compiles the portfolio. The correlation factor comes from the portfolio's validation, so
    /// a stress that keeps the dependence does not factorise its matrix again.
    public init(portfolio: Portfolio) {
        self.portfolio = portfolio
        plan = SimulationPlan(portfolio: portfolio, factor: portfolio.dependenceFactor)
    }

    /// Whether importance sampling applies (a factor model; a full correlation matrix has none).
    public var supportsImportanceSampling: Bool {
        if case .factors = plan.latent { return true }
        return false
    }

    /// Simulates. `progress` is called from worker threads with the number of paths finished so far;
    /// `shouldStop` is polled between blocks, and when it returns true the run ends early with the
    /// blocks finished by then (a prefix of blocks, so the partial result is reproducible too).
    ///
    /// With `contributions` (from a first run with the same settings), every path is simulated
    /// again bit for bit and each bond's net loss is accumulated: over all paths for EL, weighted
    /// by the tail weights of each level for ES. With `importance` (factor models only; ignored
    /// otherwise) paths are drawn from the shifted and twisted mixture and carry weights.
    public func run(_ settings: SimulationSettings,
                    progress: (@Sendable (Int) -> Void)? = nil,
                    shouldStop: (@Sendable () -> Bool)? = nil,
                    contributions: ContributionRequest? = nil,
                    importance: ImportanceShift? = nil,
                    executor: (any BlockExecutor)? = nil) -> SimulationOutput {
        let executor = executor ?? DispatchExecutor(threads: settings.threads)
        switch plan.latent {
        case let .factors(latent):
            return simulate(latent, settings, executor, progress, shouldStop, contributions, importance)
        case let .correlated(latent):
            return simulate(latent, settings, executor, progress, shouldStop, contributions, nil)
        }
    }

    private func simulate<Latent: LatentModel>(
        _ latent: Latent, _ settings: SimulationSettings, _ executor: any BlockExecutor,
        _ progress: (@Sendable (Int) -> Void)?, _ shouldStop: (@Sendable () -> Bool)?,
        _ contributions: ContributionRequest?, _ importance: ImportanceShift?
    ) -> SimulationOutput {
        let start = DispatchTime.now().uptimeNanoseconds
        let paths = settings.paths, blocks = settings.blockCount
        let weighted = importance != nil
        // The per-path arrays are written in place by the workers (no copy at the end).
        var net = [Double](repeating: 0, count: paths)
        var gross = [Double](repeating: 0, count: paths)
        var weights = [Double](repeating: 1, count: weighted ? paths : 0)
        let slots = BlockSlots<BlockSummary>(count: blocks)
        let plan = self.plan, bondCount = portfolio.bonds.count
        let waterfall = plan.waterfall
        let finishedPaths = ManagedCounter()
        net.withUnsafeMutableBufferPointer { netBuffer in
            gross.withUnsafeMutableBufferPointer { grossBuffer in
                weights.withUnsafeMutableBufferPointer { weightBuffer in
                    guard let netStart = netBuffer.baseAddress, let grossStart = grossBuffer.baseAddress else { return }
                    let netPointer = SendablePointer(netStart), grossPointer = SendablePointer(grossStart)
                    // Never the (shared) storage of an empty array: only when weighted.
                    let weightPointer = weighted ? weightBuffer.baseAddress.map(SendablePointer.init) : nil
                    BLASThreadPolicy.simulation {
                        executor.execute(blocks: blocks, makeWorker: {
                            PathKernel(latent: latent, outcome: plan.outcome, mixing: plan.mixing,
                                       sampler: importance.map {
                                           ImportanceSampler(shift: $0, entities: plan.twistEntities, costs: plan.twistCosts)
                                       },
                                       observers: StandardObservers(contributions: contributions.map {
                                           ContributionRecorder(request: $0, bonds: bondCount)
                                       }),
                                       providerSlots: waterfall.providerCount,
                                       guarantorSlots: waterfall.guarantorEntities.count)
                        }, body: { kernel, b in
                            let first = b * SimulationSettings.blockSize
                            let count = min(SimulationSettings.blockSize, paths - first)
                            let summary = kernel.run(block: b, firstPath: first, count: count, seed: settings.seed,
                                                     net: netPointer.pointer + first, gross: grossPointer.pointer + first,
                                                     weights: weightPointer.map { $0.pointer + first })
                            slots.store(summary, at: b)
                            progress?(finishedPaths.add(count))
                        }, shouldStop: shouldStop)
                    }
                }
            }
        }

        // Keep the longest prefix of finished blocks (all of them unless stopped early).
        var merged = BlockSummary(paths: 0, guarantorSlots: waterfall.guarantorEntities.count)
        var completeBlocks = 0
        while completeBlocks < blocks, let summary = slots.take(completeBlocks) {
            merged.merge(summary)
            completeBlocks += 1
        }
        let keptPaths = merged.paths
        var kept = settings
        kept.paths = keptPaths
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return SimulationOutput(
            settings: kept,
            net: keptPaths < paths ? Array(net[0..<keptPaths]) : net,
            gross: keptPaths < paths ? Array(gross[0..<keptPaths]) : gross,
            weights: weighted ? (keptPaths < paths ? Array(weights[0..<keptPaths]) : weights) : nil,
            guarantorEntities: waterfall.guarantorEntities,
            sellerEntities: waterfall.sellerEntities,
            summary: merged,
            fullPremium: waterfall.fullPremium,
            elapsedSeconds: elapsed)
    }
}

/// Paths finished so far, for progress reports from workers.
final class ManagedCounter: Sendable {
    private let value = Synchronization.Atomic<Int>(0)
    func add(_ count: Int) -> Int { value.wrappingAdd(count, ordering: .relaxed).newValue }
}
