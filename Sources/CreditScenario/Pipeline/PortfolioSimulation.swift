import CreditRisk
import Foundation

/// One portfolio's paths as the engine left them, before any statistic.
struct SimulatedPortfolio: Sendable {
    var stress: Stress?
    var portfolio: Portfolio
    var output: SimulationOutput
    var shift: ImportanceShift?
    var requestedPaths: Int
    var precision: PrecisionOutcome?
}

extension RunPipeline {
    /// Pilot runs of a tenth of the paths, 20 000 to 100 000 (see `Engine.importanceShift`).
    static func pilotPaths(_ paths: Int) -> Int { min(max(paths / 10, minimumPilotPaths), 100_000) }

    /// The smallest pilot: 200 paths beyond the 99 % level for the plain pilot, whose shift the
    /// importance-sampled pilot then uses to resolve the requested level.
    static let minimumPilotPaths = 20_000

    /// Pilots sized by what they must resolve rather than by a ceiling: a precision run's path
    /// count is only the most it may take (often 100× the scenario's), so its pilots keep the
    /// minimum; a fixed-size run's grow with it.
    static func pilotPaths(_ request: RunRequest) -> Int {
        request.precision == nil ? pilotPaths(request.settings.paths) : minimumPilotPaths
    }

    /// The importance shift for `engine` under `request` (nil for plain sampling). Every process
    /// of a partition chooses the same one: the pilots depend only on the seed.
    func importanceShift(_ engine: Engine, request: RunRequest) throws(RunError) -> ImportanceShift? {
        guard request.method == .importance else { return nil }
        guard engine.supportsImportanceSampling else { throw .importanceNeedsFactors }
        let settings = request.settings
        return engine.importanceShift(level: scenario.levels.max() ?? 0.99, pilotPaths: Self.pilotPaths(request),
                                      seed: settings.seed, threads: settings.threads)
    }

    /// The pilot, then this process's blocks of the portfolio (grown block by block under a
    /// precision target). Throws `interruptedBeforeAnyPath` when a stop came before a block finished.
    /// `baseShift`: a stress uses the base's importance shift, so that it keeps the base's paths
    /// (common random numbers) and a stress that changes nothing differs by exactly zero.
    func simulate(_ portfolio: Portfolio, stress: Stress?, request: RunRequest, partition: RunPartition,
                  baseShift: ImportanceShift? = nil, monitor: (any RunMonitor)?) throws(RunError) -> SimulatedPortfolio {
        let started = Date()
        let engine = Engine(portfolio: portfolio)
        var settings = request.settings
        if baseShift != nil && !engine.supportsImportanceSampling { throw .importanceNeedsFactors }
        var shift = baseShift
        if shift == nil { shift = try importanceShift(engine, request: request) }
        let shouldStop: @Sendable () -> Bool = { monitor?.shouldStop ?? false }
        var progress: (@Sendable (Int) -> Void)? = nil
        if let monitor { progress = { done in monitor.pathsFinished(done) } }
        let blocks = partition.blocks(of: settings.blockCount)
        let ownPaths = blocks.map { min($0.upperBound * SimulationSettings.blockSize, settings.paths)
                                    - min($0.lowerBound * SimulationSettings.blockSize, settings.paths) } ?? settings.paths
        monitor?.phaseStarted(stress?.name ?? "base", paths: ownPaths)
        // Factors and sector losses per path, for the tail scenario and exports; each bond's
        // events when the paths are exported.
        let record: PathRecords = request.exportPaths ? [.factors, .sectors, .events] : [.factors, .sectors]
        let output: SimulationOutput
        var precision: PrecisionOutcome? = nil
        if let target = request.precision {
            let (grown, achieved) = grow(engine, settings: settings, target: target, importance: shift, record: record,
                                         progress: progress, shouldStop: shouldStop)
            output = grown
            precision = PrecisionOutcome(target: target, achieved: achieved, paths: grown.paths)
            // A run that ended by its policy asked for the paths it has; one cut short keeps the maximum.
            if !shouldStop() { settings.paths = grown.paths }
        } else {
            let mine = engine.run(settings, progress: progress, shouldStop: shouldStop, importance: shift,
                                  blocks: blocks, record: record)
            // Under MPI every rank keeps its own paths; statistics reduce over the ranks.
            output = partition.collective?.split(mine, settings: settings, elapsedSeconds: Date().timeIntervalSince(started)) ?? mine
        }
        monitor?.phaseFinished()
        if output.paths == 0 { throw .interruptedBeforeAnyPath }
        if partition.isShard && output.paths < ownPaths { throw .interruptedBeforeAnyPath }
        return SimulatedPortfolio(stress: stress, portfolio: portfolio, output: output, shift: shift,
                                  requestedPaths: settings.paths, precision: precision)
    }

    /// Runs blocks until the relative SE of the net ES at the highest level is at most `target`,
    /// or `settings.paths` paths (the maximum) are done. Growth: 4 blocks first, then as many as
    /// the error's 1/√n law says are needed, plus a fifth, at least a quarter more and at most
    /// twice as many each time — so a run whose previous step had an error stops with one between
    /// 1/√2 of the target and the target (it shrinks by about √2 a step at most). The error counts only once 100 paths reach the
    /// level's VaR (fewer say too little about the tail). The result is the same bits as a
    /// plain run of that many paths with the same seed.
    func grow(_ engine: Engine, settings: SimulationSettings, target: Double, importance: ImportanceShift?,
              record: PathRecords = [.factors, .sectors], progress: (@Sendable (Int) -> Void)?, shouldStop: @escaping @Sendable () -> Bool) -> (SimulationOutput, Double?) {
        let maxBlocks = settings.blockCount
        var blocks = min(Self.firstPrecisionBlocks, maxBlocks)
        var output = engine.run(settings, progress: progress, shouldStop: shouldStop, importance: importance,
                                blocks: 0..<blocks, record: record)
        while true {
            let achieved = Self.relativeError(output, levels: scenario.levels)
            if achieved.map({ $0 <= target }) == true || blocks >= maxBlocks
                || output.paths < blocks * SimulationSettings.blockSize || shouldStop() {
                return (output, achieved)
            }
            let factor = achieved.map { min(2, max(1.25, 1.2 * ($0 / target) * ($0 / target))) } ?? 2
            let next = min(maxBlocks, max(blocks + 1, Int((Double(blocks) * factor).rounded(.up))))
            let done = output.paths
            var offset: (@Sendable (Int) -> Void)? = nil
            if let progress { offset = { progress(done + $0) } }
            let more = engine.run(settings, progress: offset, shouldStop: shouldStop,
                                  importance: importance, blocks: blocks..<next, record: record)
            output = output.appending(more)
            blocks = next
        }
    }

    /// Blocks of a precision run's first step.
    static let firstPrecisionBlocks = 4

    /// SE/ES of the net ES at the highest level; nil while it says nothing: ES 0, an SE of 0
    /// (every tail path at one loss, an atom: more paths may still find larger losses), or fewer
    /// than 100 paths at or beyond VaR (the level not yet resolved).
    static func relativeError(_ output: SimulationOutput, levels: [Double]) -> Double? {
        guard let q = levels.max() else { return 0 }
        let distribution = output.distribution(.net)
        let m = RiskMeasures.measure(distribution, level: q)
        guard m.expectedShortfall > 0, m.expectedShortfallSE > 0,
              distribution.pathCount(atLeast: m.valueAtRisk) >= RunRequest.resolvedTailPaths else { return nil }
        return m.expectedShortfallSE / m.expectedShortfall
    }

    /// The statistics of one simulated portfolio (a whole run, ranks in lockstep, or shards merged).
    func finish(_ s: SimulatedPortfolio, ranks: Int?) -> RunOutcome {
        let report = RiskReport(output: s.output, portfolio: s.portfolio, levels: scenario.levels)
        var outcome = RunOutcome(stress: s.stress, portfolio: s.portfolio, output: s.output, report: report,
                                 method: s.shift == nil ? .plain : .importance, shift: s.shift, requestedPaths: s.requestedPaths)
        if report.paths < s.requestedPaths { outcome.status = .interrupted(.simulation) }
        outcome.precision = s.precision
        outcome.ranks = ranks
        outcome.tailScenario = TailScenario.scenarios(output: s.output, report: report, factorIDs: scenario.factorIDs)
        if scenario.irbCapital { outcome.capital = BaselIRB.lines(for: s.portfolio) }
        return outcome
    }

    /// Euler contributions by a second pass over the same paths (same seed, same blocks): tail
    /// paths are found by their exact net loss, so no per-path bond losses are kept from the first.
    func contributions(_ outcome: inout RunOutcome, request: RunRequest, partition: RunPartition,
                       monitor: (any RunMonitor)?) throws(RunError) {
        guard request.contributions, !outcome.isPartial else { return }
        let portfolio = outcome.portfolio
        let contribution = ContributionRequest(net: outcome.report.netDistribution, levels: scenario.levels, portfolio: portfolio)
        var settings = request.settings
        settings.paths = outcome.requestedPaths
        let blocks = partition.blocks(of: settings.blockCount)
        let shouldStop: @Sendable () -> Bool = { monitor?.shouldStop ?? false }
        var progress: (@Sendable (Int) -> Void)? = nil
        if let monitor { progress = { done in monitor.pathsFinished(done) } }
        monitor?.phaseStarted("\(outcome.stress?.name ?? "base") contributions", paths: outcome.output.localPaths)
        let again = Engine(portfolio: portfolio).run(settings, progress: progress, shouldStop: shouldStop,
                                                     contributions: contribution, importance: outcome.shift, blocks: blocks)
        monitor?.phaseFinished()
        let sums = partition.collective.map { again.summary.reduced(over: $0.reducer) } ?? again.summary
        if sums.paths == outcome.output.paths {
            // No defaulted bond on any path leaves no sums: every contribution is zero.
            outcome.contributions = Contributions(sums: sums.contributions?.map(\.value) ?? [], request: contribution,
                                                  portfolio: portfolio)
        } else {
            outcome.status = .interrupted(.contributions)
        }
    }
}
