import CreditRisk
import Foundation

/// Receives a run's progress and says when to stop. Called from worker threads.
public protocol RunMonitor: Sendable {
    /// A phase of `paths` paths starts: "base", a stress's name, or "NAME contributions".
    func phaseStarted(_ phase: String, paths: Int)
    func pathsFinished(_ done: Int)
    func phaseFinished()
    /// Polled between blocks: true stops the run with the blocks finished so far.
    var shouldStop: Bool { get }
}

/// One simulated portfolio of a run: the base or a stress.
public struct RunOutcome: Sendable {
    public var stress: Stress?
    public var portfolio: Portfolio
    public var output: SimulationOutput
    public var report: RiskReport
    public var document: SummaryDocument
    public var contributions: Contributions?
    public var shift: ImportanceShift?
    /// True when the contribution pass was stopped: the loss figures are complete, the
    /// contributions missing.
    public var contributionsInterrupted = false

    /// True when a stop came after this outcome finished and before the next stress started:
    /// the outcome is whole, the stresses after it were not run.
    public var laterStressesSkipped = false
    /// The scenario's factor ids (for exports).
    public var factorIDs: [String] = []

    /// Whether anything of this outcome (or of the run after it) was cut short by a stop.
    public var isPartial: Bool { document.partial || contributionsInterrupted || laterStressesSkipped }
}

/// A whole run of a scenario, as the CLI and library users need it: the memory check, the base
/// and each stress under common random numbers, the importance-sampling pilots, the statistics,
/// and the contribution pass. Interrupting (the monitor's `shouldStop`) ends the sequence after
/// the portfolio being simulated, whose result is then partial (a prefix of blocks).
public struct RunPipeline: Sendable {
    public let scenario: Scenario
    /// MPI: the ranks the run is split over. Every rank calls `run` with the same request and gets
    /// the same figures, each rank holding only its own paths; rank 0 reports.
    public var collective: (any RunCollective)?

    public init(scenario: Scenario, collective: (any RunCollective)? = nil) {
        self.scenario = scenario
        self.collective = collective.flatMap { $0.size > 1 ? $0 : nil }
    }

    /// Whether this process reports the run (rank 0, or no MPI).
    public var isRoot: Bool { collective.map { $0.rank == 0 } ?? true }

    /// A quick bound before any portfolio exists (`bench`): the per-path net and gross losses
    /// (16 B a path, 24 with importance weights) and their sorted copies with tail sums (up to
    /// 48 B, 112 weighted). Runs use `memoryEstimate(_:)`, which counts everything they hold.
    public static func estimatedBytes(paths: Int, method: SamplingMethod) -> Double {
        Double(paths) * Double(method == .importance ? 24 + 112 : 16 + 48)
    }

    /// Refuses `paths` whose per-path results would take more than 80 % of physical memory.
    public static func checkMemory(paths: Int, method: SamplingMethod,
                                   available: Double = Double(ProcessInfo.processInfo.physicalMemory)) throws(RunError) {
        let needed = estimatedBytes(paths: paths, method: method)
        if needed > 0.8 * available {
            throw .tooManyPaths(paths: paths, neededBytes: needed, availableBytes: available)
        }
    }

    /// What `request` will hold at its peak (see ``MemoryEstimate``).
    public func memoryEstimate(_ request: RunRequest) throws(RunError) -> MemoryEstimate {
        var portfolios = [scenario.portfolio]
        for stress in request.stresses {
            do { portfolios.append(try stress.apply(to: scenario.portfolio)) } catch { throw .stress(name: stress.name, error) }
        }
        let sectors = Set(scenario.portfolio.entities.map { $0.sector ?? "" }).count
        // Under MPI a rank holds its own blocks' paths only.
        let blocks = collective.map { c in (0..<c.size).map { c.blocks(of: request.settings.blockCount, rank: $0).count }.max() ?? 0 }
        let paths = blocks.map { min($0 * SimulationSettings.blockSize, request.settings.paths) } ?? request.settings.paths
        return MemoryEstimate(portfolios: portfolios, paths: paths, threads: request.settings.threads,
                              method: request.method, contributionLevels: request.contributions ? scenario.levels.count : nil,
                              recordedPerPath: scenario.factorIDs.count + sectors)
    }

    /// Refuses a run whose estimated peak memory exceeds 80 % of physical memory.
    public func checkMemory(_ request: RunRequest,
                            available: Double = Double(ProcessInfo.processInfo.physicalMemory)) throws(RunError) {
        let estimate = try memoryEstimate(request)
        if estimate.total > 0.8 * available {
            throw .tooManyPaths(paths: request.settings.paths, neededBytes: estimate.total, availableBytes: available)
        }
    }

    /// Lμ: the importance shift μ of the independent normals ξ, in the factors' own space Z = Lξ.
    static func factorShift(_ mu: [Double], portfolio: Portfolio) -> [Double] {
        let l = portfolio.dependenceFactor.values, k = mu.count
        guard l.count == k * k else { return mu }
        return (0..<k).map { i in (0..<k).reduce(0) { $0 + l[i * k + $1] * mu[$1] } }
    }

    /// Runs the base, then each stress, until done or stopped.
    public func run(_ request: RunRequest, monitor: (any RunMonitor)? = nil) throws(RunError) -> [RunOutcome] {
        try checkMemory(request)
        var outcomes: [RunOutcome] = []
        for stress in [nil] + request.stresses.map(Optional.some) {
            if !outcomes.isEmpty, stopBetweenPortfolios(monitor) {
                // Stopped between two portfolios: what ran is whole, the rest is skipped.
                outcomes[outcomes.count - 1].laterStressesSkipped = true
                outcomes[outcomes.count - 1].document.partial = true
                outcomes[outcomes.count - 1].document.interruptedPhase = "before stress \(stress?.name ?? "")"
                break
            }
            let request = settingsAfterBase(request, outcomes: outcomes)
            var portfolio = scenario.portfolio
            if let stress {
                do { portfolio = try stress.apply(to: scenario.portfolio) } catch {
                    throw .stress(name: stress.name, error)
                }
            }
            var outcome: RunOutcome
            do {
                outcome = try simulate(portfolio, stress: stress, request: request, monitor: monitor)
            } catch {
                // Stopped before a block of this stress finished: report what ran before it.
                guard case .interruptedBeforeAnyPath = error, !outcomes.isEmpty else { throw error }
                outcomes[outcomes.count - 1].laterStressesSkipped = true
                outcomes[outcomes.count - 1].document.partial = true
                outcomes[outcomes.count - 1].document.interruptedPhase = "before stress \(stress?.name ?? "")"
                break
            }
            if let base = outcomes.first, let paired = PairedComparison(base: base.output, baseReport: base.report,
                                                                        other: outcome.output, otherReport: outcome.report) {
                outcome.document.versusBase = VersusBase(paired)
            }
            outcomes.append(outcome)
            // Every figure of an outcome is global, so every rank takes the same decision.
            if outcome.isPartial { break }
        }
        return outcomes
    }

    /// Rank 0's monitor decides for all ranks whether to stop before the next portfolio.
    private func stopBetweenPortfolios(_ monitor: (any RunMonitor)?) -> Bool {
        let stop = monitor?.shouldStop == true
        return collective?.broadcast(stop) ?? stop
    }

    /// The base's precision run fixes the path count: stresses then run that many paths, so they
    /// stay paired with the base.
    private func settingsAfterBase(_ request: RunRequest, outcomes: [RunOutcome]) -> RunRequest {
        guard request.precision != nil, let base = outcomes.first else { return request }
        var next = request
        next.precision = nil
        next.settings.paths = base.output.paths
        return next
    }

    /// Runs blocks until the relative SE of the net ES at the highest level is at most `target`,
    /// or `settings.paths` paths (the maximum) are done. Growth: 32 blocks first, then as many as
    /// the error's 1/√n law says are needed, plus a fifth, at least a quarter more each time. The
    /// result is the same bits as a plain run of that many paths with the same seed.
    func grow(_ engine: Engine, settings: SimulationSettings, target: Double, importance: ImportanceShift?,
              progress: (@Sendable (Int) -> Void)?, shouldStop: @escaping @Sendable () -> Bool) -> (SimulationOutput, Double) {
        let maxBlocks = settings.blockCount
        var blocks = min(32, maxBlocks)
        var output = engine.run(settings, progress: progress, shouldStop: shouldStop, importance: importance,
                                blocks: 0..<blocks, record: [.factors, .sectors])
        while true {
            let achieved = Self.relativeError(output, levels: scenario.levels)
            if achieved <= target || blocks >= maxBlocks || output.paths < blocks * SimulationSettings.blockSize
                || shouldStop() {
                return (output, achieved)
            }
            let factor = achieved.isFinite ? max(1.25, 1.2 * (achieved / target) * (achieved / target)) : 2
            let next = min(maxBlocks, max(blocks + 1, Int((Double(blocks) * factor).rounded(.up))))
            let done = output.paths
            var offset: (@Sendable (Int) -> Void)? = nil
            if let progress { offset = { progress(done + $0) } }
            let more = engine.run(settings, progress: offset, shouldStop: shouldStop,
                                  importance: importance, blocks: blocks..<next, record: [.factors, .sectors])
            output = output.appending(more)
            blocks = next
        }
    }

    /// SE/ES of the net ES at the highest level (∞ while ES is 0).
    static func relativeError(_ output: SimulationOutput, levels: [Double]) -> Double {
        guard let q = levels.max() else { return 0 }
        let m = RiskMeasures.measure(output.distribution(.net), level: q)
        return m.expectedShortfall > 0 ? m.expectedShortfallSE / m.expectedShortfall : .infinity
    }

    /// One portfolio: pilots (importance sampling), the run, its statistics, and contributions.
    /// Under MPI every rank runs it in lockstep on its own blocks and gets the same figures (each
    /// statistic is a collective query, see `SampleReducer`); rank 0 reports them.
    public func simulate(_ portfolio: Portfolio, stress: Stress?, request: RunRequest,
                         monitor: (any RunMonitor)? = nil) throws(RunError) -> RunOutcome {
        let started = Date()
        let engine = Engine(portfolio: portfolio)
        var settings = request.settings
        var shift: ImportanceShift? = nil
        if request.method == .importance {
            guard engine.supportsImportanceSampling else { throw .importanceNeedsFactors }
            // Pilots of a tenth of the paths, 20 000 to 100 000 (see `Engine.importanceShift`).
            let pilot = min(max(settings.paths / 10, 20_000), 100_000)
            shift = engine.importanceShift(level: scenario.levels.max() ?? 0.99, pilotPaths: pilot,
                                           seed: settings.seed, threads: settings.threads)
        }
        let phase = stress?.name ?? "base"
        let shouldStop: @Sendable () -> Bool = { monitor?.shouldStop ?? false }
        var progress: (@Sendable (Int) -> Void)? = nil
        if let monitor { progress = { done in monitor.pathsFinished(done) } }
        // Under MPI: this rank's blocks (rank 0's progress bar counts its own paths).
        let local = collective.map { $0.blocks(of: settings.blockCount) }
        monitor?.phaseStarted(phase, paths: local.map { min($0.count * SimulationSettings.blockSize, settings.paths) } ?? settings.paths)
        // Factors and sector losses per path, for the tail scenario.
        let output: SimulationOutput
        var precision: SummaryDocument.Precision? = nil
        if let target = request.precision {
            let (grown, achieved) = grow(engine, settings: settings, target: target, importance: shift,
                                         progress: progress, shouldStop: shouldStop)
            output = grown
            precision = SummaryDocument.Precision(target: target, achieved: achieved, paths: grown.paths)
            // A run that met its target asked for the paths it has; one cut short keeps the maximum.
            if !shouldStop() { settings.paths = grown.paths }
        } else {
            let mine = engine.run(settings, progress: progress, shouldStop: shouldStop, importance: shift,
                                  blocks: local, record: [.factors, .sectors])
            // Under MPI every rank keeps its own paths; statistics reduce over the ranks.
            output = collective?.split(mine, settings: settings, elapsedSeconds: Date().timeIntervalSince(started)) ?? mine
        }
        monitor?.phaseFinished()
        if output.paths == 0 { throw .interruptedBeforeAnyPath }
        var outcome = finish(portfolio, stress: stress, output: output, shift: shift, requestedPaths: settings.paths)
        outcome.document.precision = precision
        outcome.document.ranks = collective?.size
        let report = outcome.report
        var document = outcome.document
        var euler: Contributions? = nil
        var interrupted = false
        let contributionRequest = request.contributions && !document.partial
            ? ContributionRequest(net: report.netDistribution, levels: scenario.levels, portfolio: portfolio) : nil
        if let contributionRequest {
            // Second pass over the same paths (same seed, same blocks): tail paths are found by
            // their exact net loss, so no per-path bond losses need to be kept from the first.
            monitor?.phaseStarted("\(phase) contributions", paths: local.map { min($0.count * SimulationSettings.blockSize, settings.paths) } ?? settings.paths)
            let again = engine.run(settings, progress: progress, shouldStop: shouldStop,
                                   contributions: contributionRequest, importance: shift, blocks: local)
            monitor?.phaseFinished()
            let sums = collective.map { again.summary.reduced(over: $0.reducer) } ?? again.summary
            let paths = sums.paths
            if paths == output.paths {
                // No defaulted bond on any path leaves no sums: every contribution is zero.
                euler = Contributions(sums: sums.contributions?.map(\.value) ?? [], request: contributionRequest, portfolio: portfolio)
            } else {
                interrupted = true
                document.partial = true
                document.interruptedPhase = "contributions"
            }
        }
        outcome.document = document
        outcome.contributions = euler
        outcome.contributionsInterrupted = interrupted
        return outcome
    }

    /// The statistics and summary of one simulated portfolio (a whole run, or shards merged).
    public func finish(_ portfolio: Portfolio, stress: Stress?, output: SimulationOutput, shift: ImportanceShift?,
                       requestedPaths: Int) -> RunOutcome {
        let report = RiskReport(output: output, portfolio: portfolio, levels: scenario.levels)
        var document = SummaryDocument(scenario: scenario, report: report, output: output,
                                       requestedPaths: requestedPaths, portfolio: portfolio)
        if document.partial { document.interruptedPhase = "simulation" }
        document.stress = stress?.name
        document.method = shift == nil ? SamplingMethod.plain.rawValue : SamplingMethod.importance.rawValue
        document.importanceTarget = shift?.target
        document.importanceShift = shift?.mu
        document.importanceFactorShift = shift.map { Self.factorShift($0.mu, portfolio: portfolio) }
        document.tailScenario = TailScenario.scenarios(output: output, report: report, factorIDs: scenario.factorIDs)
            .map(TailScenarioDocument.init)
        if scenario.irbCapital {
            document.capital = SummaryDocument.Capital(lines: BaselIRB.lines(for: portfolio), net: document.net)
        }
        var outcome = RunOutcome(stress: stress, portfolio: portfolio, output: output, report: report, document: document,
                                 contributions: nil, shift: shift)
        outcome.factorIDs = scenario.factorIDs
        return outcome
    }

    /// Pairs each stress with the base (`versus_base`), as `run` does.
    public static func pair(_ outcomes: inout [RunOutcome]) {
        guard let base = outcomes.first else { return }
        for i in outcomes.indices.dropFirst() {
            if let paired = PairedComparison(base: base.output, baseReport: base.report,
                                             other: outcomes[i].output, otherReport: outcomes[i].report) {
                outcomes[i].document.versusBase = VersusBase(paired)
            }
        }
    }
}
