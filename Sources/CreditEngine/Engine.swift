import CreditMath
import CreditModel
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
    /// How close the twist's θ comes to its root on each path (`ImportanceSampler.thetaTolerance`);
    /// the replay tests tighten it to compare weights with an exact root.
    var twistTolerance = ImportanceSampler.thetaTolerance

    /// Compiles the portfolio. The correlation factor comes from the portfolio's validation, so
    /// a stress that keeps the dependence does not factorise its matrix again.
    public init(portfolio: Portfolio) {
        self.portfolio = portfolio
        plan = SimulationPlan(portfolio: portfolio, factor: portfolio.dependenceFactor)
    }

    /// Whether importance sampling applies (a factor model; a full correlation matrix has none),
    /// in default and market valuation alike.
    public var supportsImportanceSampling: Bool {
        if case .factors = plan.latent { return true }
        return false
    }

    /// Whether the portfolio is valued at market (rating migration, signed losses).
    public var isMarketValuation: Bool { plan.isMarket }

    /// Simulates. `progress` is called from worker threads with the number of paths finished so far;
    /// `shouldStop` is polled between blocks, and when it returns true the run ends early with the
    /// blocks finished by then (a prefix of blocks, so the partial result is reproducible too).
    ///
    /// With `contributions` (from a first run with the same settings), every path is simulated
    /// again bit for bit and each bond's net loss is accumulated: over all paths for EL, weighted
    /// by the tail weights of each level for ES. With `importance` (factor models only; ignored
    /// otherwise) paths are drawn from the shifted and twisted mixture and carry weights.
    ///
    /// `blocks` runs only those blocks of the `settings.paths`-path run (default: all): their
    /// paths are exactly the same as in the whole run, so runs of consecutive block ranges
    /// concatenate (`SimulationOutput.appending`) to the whole run's bits. `record` keeps per-path
    /// figures besides the losses: the systematic factors Z = Lξ (factor models), the net loss
    /// per sector, for tail scenarios and export, and each bond's events (`SimulationOutput.events`).
    public func run(_ settings: SimulationSettings,
                    progress: (@Sendable (Int) -> Void)? = nil,
                    shouldStop: (@Sendable () -> Bool)? = nil,
                    contributions: ContributionRequest? = nil,
                    importance: ImportanceShift? = nil,
                    blocks: Range<Int>? = nil,
                    record: PathRecords = []) -> SimulationOutput {
        let all = 0..<settings.blockCount
        let range = blocks.map { $0.clamped(to: all) } ?? all
        let sectors = record.contains(.sectors) ? ContributionGroups(portfolio: portfolio).kinds.first { $0.name == "sector" } : nil
        let job = Job(settings: settings, blocks: range, executor: DispatchExecutor(threads: settings.threads),
                      progress: progress, shouldStop: shouldStop, contributions: contributions, sectors: sectors,
                      events: record.contains(.events))
        let factor = record.contains(.factors) && plan.latentDimension > 0 ? portfolio.dependenceFactor.values : nil
        return plan.visit(Simulation(engine: self, job: job, importance: importance, factorSquareRoot: factor))
    }

    /// `run` for the plan's pair (one generic instance per pair); importance sampling and factor
    /// records only in a factor model.
    private struct Simulation: PlanVisitor {
        let engine: Engine
        let job: Job
        let importance: ImportanceShift?
        let factorSquareRoot: [Double]?

        func visit<Latent: LatentModel, Outcome: PathOutcome>(latent: Latent, outcome: Outcome,
                                                             factorModel: Bool) -> SimulationOutput {
            engine.simulate(latent, outcome, job, importance: factorModel ? importance : nil,
                            factorSquareRoot: factorModel ? factorSquareRoot : nil)
        }
    }

    /// What one call of `run` asks for.
    private struct Job {
        let settings: SimulationSettings
        let blocks: Range<Int>
        let executor: any BlockExecutor
        let progress: (@Sendable (Int) -> Void)?
        let shouldStop: (@Sendable () -> Bool)?
        let contributions: ContributionRequest?
        let sectors: ContributionGroups.Kind?
        let events: Bool

        var firstPath: Int { min(blocks.lowerBound * SimulationSettings.blockSize, settings.paths) }
        var endPath: Int { min(blocks.upperBound * SimulationSettings.blockSize, settings.paths) }
    }

    private func simulate<Latent: LatentModel, Outcome: PathOutcome>(
        _ latent: Latent, _ outcome: Outcome, _ job: Job, importance: ImportanceShift?,
        factorSquareRoot: [Double]?) -> SimulationOutput {
        let start = DispatchTime.now().uptimeNanoseconds
        let settings = job.settings
        let firstPath = job.firstPath, paths = job.endPath - firstPath, firstBlock = job.blocks.lowerBound
        let weighted = importance != nil
        // One sampler to copy per worker (its buffers are copied on a worker's first write).
        let sampler = importance.map {
            ImportanceSampler(shift: $0, selection: twistSelection(for: $0), tolerance: twistTolerance,
                              entities: self.plan.twistEntities, thresholds: self.plan.twistThresholds,
                              costs: self.plan.twistCosts)
        }
        let factorCount = factorSquareRoot == nil ? 0 : latent.inputDimension
        // The per-path arrays are written in place by the workers (no copy at the end).
        var net = [Double](repeating: 0, count: paths)
        var gross = [Double](repeating: 0, count: paths)
        var weights = [Double](repeating: 1, count: weighted ? paths : 0)
        var factors = [Float](repeating: 0, count: paths * factorCount)
        // One sector's loss is the net loss itself: nothing to record (TailScenario reads net).
        let sectorCount = (job.sectors?.ids.count ?? 0) > 1 ? job.sectors?.ids.count ?? 0 : 0
        let sectorOfBond = sectorCount > 0 ? job.sectors?.groupOfBond ?? [] : []
        var sectorLosses = [Float](repeating: 0, count: paths * sectorCount)
        let slots = BlockSlots<BlockSummary>(count: job.blocks.count)
        let plan = self.plan, bondCount = portfolio.bonds.count, contributions = job.contributions
        let waterfall = plan.waterfall
        let finishedPaths = ManagedCounter()
        net.withUnsafeMutableBufferPointer { netBuffer in
            gross.withUnsafeMutableBufferPointer { grossBuffer in
                weights.withUnsafeMutableBufferPointer { weightBuffer in
                    factors.withUnsafeMutableBufferPointer { factorBuffer in
                      sectorLosses.withUnsafeMutableBufferPointer { sectorBuffer in
                        guard let netStart = netBuffer.baseAddress, let grossStart = grossBuffer.baseAddress else { return }
                        let netPointer = SendablePointer(netStart), grossPointer = SendablePointer(grossStart)
                        // Never the (shared) storage of an empty array: only when weighted or recording.
                        let weightPointer = weighted ? weightBuffer.baseAddress.map(SendablePointer.init) : nil
                        let factorPointer = factorCount > 0 ? factorBuffer.baseAddress.map(SendablePointer.init) : nil
                        let sectorPointer = sectorCount > 0 ? sectorBuffer.baseAddress.map(SendablePointer.init) : nil
                        BLASThreadPolicy.simulation {
                            job.executor.execute(blocks: job.blocks.count, makeWorker: {
                                let kernel = PathKernel(
                                    latent: latent, outcome: outcome, mixing: plan.mixing,
                                    sampler: sampler,
                                    observers: StandardObservers(contributions: contributions.map {
                                        ContributionRecorder(request: $0, bonds: bondCount)
                                    }, states: plan.splitsStates ? CreditStateObserver() : nil,
                                    events: job.events ? EventObserver() : nil),
                                    providerSlots: waterfall.providerCount,
                                    guarantorSlots: waterfall.guarantorEntities.count,
                                    sectorOfBond: sectorOfBond, sectors: sectorCount, splitsStates: plan.splitsStates)
                                kernel.factorSquareRoot = factorSquareRoot
                                return kernel
                            }, body: { kernel, i in
                                let b = firstBlock + i
                                let first = b * SimulationSettings.blockSize
                                let count = min(SimulationSettings.blockSize, settings.paths - first)
                                let offset = first - firstPath
                                let summary = kernel.run(block: b, firstPath: first, count: count, seed: settings.seed,
                                                         net: netPointer.pointer + offset, gross: grossPointer.pointer + offset,
                                                         weights: weightPointer.map { $0.pointer + offset },
                                                         factors: factorPointer.map { $0.pointer + offset * factorCount },
                                                         sectorLosses: sectorPointer.map { $0.pointer + offset * sectorCount })
                                slots.store(summary, at: i)
                                job.progress?(finishedPaths.add(count))
                            }, shouldStop: job.shouldStop)
                        }
                      }
                    }
                }
            }
        }

        // Keep the longest prefix of finished blocks (all of them unless stopped early).
        var merged = RunSummary(guarantorSlots: waterfall.guarantorEntities.count)
        var completeBlocks = 0
        while completeBlocks < job.blocks.count, let summary = slots.take(completeBlocks) {
            merged.append(summary)
            completeBlocks += 1
        }
        let kept = merged.paths
        func prefix<T>(_ a: [T], _ width: Int = 1) -> [T] { kept < paths ? Array(a[0..<(kept * width)]) : a }
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return SimulationOutput(
            settings: settings,
            firstPath: firstPath,
            net: prefix(net),
            gross: prefix(gross),
            weights: weighted ? prefix(weights) : nil,
            factors: factorCount > 0 ? prefix(factors, factorCount) : nil,
            factorCount: factorCount,
            sectorIDs: job.sectors?.ids ?? [],
            sectorLosses: sectorCount > 0 ? prefix(sectorLosses, sectorCount) : nil,
            guarantorEntities: waterfall.guarantorEntities,
            sellerEntities: waterfall.sellerEntities,
            summary: merged,
            fullPremium: waterfall.fullPremium,
            elapsedSeconds: elapsed)
    }
}

/// Per-path figures a run can keep besides the losses and weights.
public struct PathRecords: OptionSet, Sendable, Hashable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    /// The systematic factors Z = Lξ of each path (factor models; Float).
    public static let factors = PathRecords(rawValue: 1)
    /// The holder's net loss per sector on each path (Float).
    public static let sectors = PathRecords(rawValue: 2)
    /// Each bond's credit event on each path with a loss (`BondEvents`).
    public static let events = PathRecords(rawValue: 4)
}

/// Paths finished so far, for progress reports from workers.
final class ManagedCounter: Sendable {
    private let value = Synchronization.Atomic<Int>(0)
    func add(_ count: Int) -> Int { value.wrappingAdd(count, ordering: .relaxed).newValue }
}
