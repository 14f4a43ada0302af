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

    /// Whether anything of this outcome (or of the run after it) was cut short by a stop.
    public var isPartial: Bool { document.partial || contributionsInterrupted || laterStressesSkipped }
}

/// A whole run of a scenario, as the CLI and library users need it: the memory check, the base
/// and each stress under common random numbers, the importance-sampling pilots, the statistics,
/// and the contribution pass. Interrupting (the monitor's `shouldStop`) ends the sequence after
/// the portfolio being simulated, whose result is then partial (a prefix of blocks).
public struct RunPipeline: Sendable {
    public let scenario: Scenario

    public init(scenario: Scenario) { self.scenario = scenario }

    /// Bytes of the per-path results alone (kept for callers that know only paths and method).
    public static func estimatedBytes(paths: Int, method: SamplingMethod) -> Double {
        Double(paths) * MemoryEstimate.peakPerPath(method)
    }

    /// Refuses a run of `paths` paths whose per-path results alone would take more than 80 % of
    /// physical memory (bench, where the portfolio is synthetic).
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
        return MemoryEstimate(portfolios: portfolios, paths: request.settings.paths, threads: request.settings.threads,
                              method: request.method, contributionLevels: request.contributions ? scenario.levels.count : nil)
    }

    /// Refuses a run whose estimated peak memory exceeds 80 % of physical memory.
    public func checkMemory(_ request: RunRequest,
                            available: Double = Double(ProcessInfo.processInfo.physicalMemory)) throws(RunError) {
        let estimate = try memoryEstimate(request)
        if estimate.total > 0.8 * available {
            throw .tooManyPaths(paths: request.settings.paths, neededBytes: estimate.total, availableBytes: available)
        }
    }

    /// Runs the base, then each stress, until done or stopped.
    public func run(_ request: RunRequest, monitor: (any RunMonitor)? = nil) throws(RunError) -> [RunOutcome] {
        try checkMemory(request)
        var outcomes: [RunOutcome] = []
        for stress in [nil] + request.stresses.map(Optional.some) {
            if !outcomes.isEmpty, monitor?.shouldStop == true {
                // Stopped between two portfolios: what ran is whole, the rest is skipped.
                outcomes[outcomes.count - 1].laterStressesSkipped = true
                outcomes[outcomes.count - 1].document.partial = true
                outcomes[outcomes.count - 1].document.interruptedPhase = "before stress \(stress?.name ?? "")"
                break
            }
            var portfolio = scenario.portfolio
            if let stress {
                do { portfolio = try stress.apply(to: scenario.portfolio) } catch {
                    throw .stress(name: stress.name, error)
                }
            }
            let outcome: RunOutcome
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
            outcomes.append(outcome)
            if outcome.isPartial { break }
        }
        return outcomes
    }

    /// One portfolio: pilots (importance sampling), the run, its statistics, and contributions.
    public func simulate(_ portfolio: Portfolio, stress: Stress?, request: RunRequest,
                         monitor: (any RunMonitor)? = nil) throws(RunError) -> RunOutcome {
        let engine = Engine(portfolio: portfolio)
        let settings = request.settings
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
        monitor?.phaseStarted(phase, paths: settings.paths)
        let output = engine.run(settings, progress: progress, shouldStop: shouldStop, importance: shift)
        monitor?.phaseFinished()
        if output.paths == 0 { throw .interruptedBeforeAnyPath }
        let report = RiskReport(output: output, portfolio: portfolio, levels: scenario.levels)
        var document = SummaryDocument(scenario: scenario, report: report, output: output,
                                       requestedPaths: settings.paths, portfolio: portfolio)
        if document.partial { document.interruptedPhase = "simulation" }
        document.stress = stress?.name
        document.method = shift == nil ? SamplingMethod.plain.rawValue : SamplingMethod.importance.rawValue
        document.importanceTarget = shift?.target
        document.importanceShift = shift?.mu
        var euler: Contributions? = nil
        var interrupted = false
        if request.contributions && !document.partial {
            // Second pass over the same paths (same seed, same blocks): tail paths are found by
            // their exact net loss, so no per-path bond losses need to be kept from the first.
            let contributionRequest = ContributionRequest(net: report.netDistribution, levels: scenario.levels)
            monitor?.phaseStarted("\(phase) contributions", paths: settings.paths)
            let again = engine.run(settings, progress: progress, shouldStop: shouldStop,
                                   contributions: contributionRequest, importance: shift)
            monitor?.phaseFinished()
            if again.paths == output.paths {
                // No defaulted bond on any path leaves every sum zero.
                let zeros = [Double](repeating: 0, count: (scenario.levels.count + 1) * portfolio.bonds.count)
                euler = Contributions(sums: again.contributionSums ?? zeros, request: contributionRequest, portfolio: portfolio)
            } else {
                interrupted = true
                document.partial = true
                document.interruptedPhase = "contributions"
            }
        }
        return RunOutcome(stress: stress, portfolio: portfolio, output: output, report: report, document: document,
                          contributions: euler, shift: shift, contributionsInterrupted: interrupted)
    }
}
