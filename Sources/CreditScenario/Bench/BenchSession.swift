import CreditRisk
import Foundation

/// One `bench`: the settings shared by both workloads, and the seams tests replace (the timer,
/// the load probe, the machine).
///
/// For each thread count it measures the engine alone and the generator alone (the bound), and
/// for a scenario also the whole run; every measurement is repeated `repeats` times, round
/// robin. The machine's load is sampled throughout; the peer runs afterwards, outside that window.
public struct BenchSession: Sendable {
    /// Paths per repeat; nil takes the scenario's (required for the synthetic portfolio).
    public var paths: Int?
    /// Nil takes the scenario's (1 for the synthetic portfolio).
    public var seed: UInt64?
    /// Nil takes the scenario's (plain for the synthetic portfolio).
    public var method: SamplingMethod?
    public var threads: [Int]
    public var repeats: Int
    /// Run the numpy peer: its script (nil: not found) and its paths per repeat.
    public var peer: (script: String?, paths: Int)?
    public var timer: any BenchTimer = RunningTimer()
    public var load: any LoadProbe = SystemLoad()
    public var machine: BenchMachine = .current

    public init(paths: Int?, seed: UInt64?, method: SamplingMethod?, threads: [Int], repeats: Int,
                peer: (script: String?, paths: Int)? = nil) {
        self.paths = paths
        self.seed = seed
        self.method = method
        self.threads = threads
        self.repeats = repeats
        self.peer = peer
    }

    /// The synthetic reference portfolio.
    public func run(_ workload: SyntheticWorkload) throws(BenchError) -> BenchReport {
        let started = Date()
        let portfolio: Portfolio
        do { portfolio = try workload.portfolio() } catch { throw .syntheticPortfolio(error) }
        let method = self.method ?? .plain
        let described = "synthetic reference portfolio (Glasserman & Li 2005): \(workload.names) names, "
            + (workload.fullCorrelation ? "a full \(workload.names)×\(workload.names) correlation matrix" : "\(workload.factors) factors")
            + ", \(workload.copulaName) copula"
        let spec = Spec(portfolio: portfolio, label: workload.label, description: described, path: nil,
                        paths: paths ?? 1_000_000, seed: seed ?? 1, method: method, levels: [0.999], scenario: nil)
        return try measure(spec, started: started, copula: workload.copulaName,
                           factors: workload.fullCorrelation ? nil : workload.factors)
    }

    /// A scenario file's own book: its paths, method, valuation and model, unless overridden.
    public func run(_ scenario: Scenario) throws(BenchError) -> BenchReport {
        let started = Date()
        let p = scenario.portfolio
        let description = "scenario \(scenario.path) (\(scenario.name)): \(p.entities.count) entities, \(p.bonds.count) bonds"
        if scenario.model == .creditRiskPlus { return try measureAnalytic(scenario, description: description, started: started) }
        let method = self.method ?? scenario.method
        let spec = Spec(portfolio: p, label: "scenario \(scenario.name)", description: description, path: scenario.path,
                        paths: paths ?? scenario.paths, seed: seed ?? scenario.seed, method: method,
                        levels: scenario.levels, scenario: scenario)
        var copula = "gaussian"
        if case .studentT = p.copula { copula = "student-t" }
        var factors: Int? = nil
        if case let .factors(model) = p.dependence { factors = model.factorIDs.count }
        return try measure(spec, started: started, copula: copula, factors: factors)
    }

    /// A simulated workload, synthetic or from a scenario (then with the whole run too).
    struct Spec {
        var portfolio: Portfolio
        var label: String
        var description: String
        var path: String?
        var paths: Int
        var seed: UInt64
        /// As asked (`auto` is resolved as `run` resolves it).
        var method: SamplingMethod
        var levels: [Double]
        var scenario: Scenario?
    }

    private func measure(_ spec: Spec, started: Date, copula: String, factors: Int?) throws(BenchError) -> BenchReport {
        var spec = spec
        let p = spec.portfolio, names = p.entities.count, maxThreads = threads.max() ?? 1
        var (request, methodReason) = RunRequest(settings: SimulationSettings(paths: spec.paths, seed: spec.seed, threads: maxThreads),
                                                 method: spec.method).resolvingAuto(levels: spec.levels, portfolio: p)
        spec.method = request.method
        if let methodReason { spec.description += "; \(methodReason)" }
        do {
            if let scenario = spec.scenario { try RunPipeline(scenario: scenario).checkMemory(request) } else {
                try RunPipeline.checkMemory(paths: spec.paths, method: spec.method)
            }
        } catch { throw .run(error) }
        let engine = Engine(portfolio: p)
        if spec.method == .importance && !engine.supportsImportanceSampling { throw .run(.importanceNeedsFactors) }
        // The shift is chosen once, untimed, by pilots as `run` sizes them; the timed runs sample with it.
        let shift = spec.method == .importance
            ? engine.importanceShift(level: spec.levels.max() ?? 0.999, pilotPaths: min(max(spec.paths / 10, 20_000), 100_000),
                                     seed: spec.seed, threads: maxThreads) : nil
        // One untimed warm-up: page faults, OpenBLAS's thread pool and the CPU's clock settle first.
        timer.warmUp {
            _ = engine.run(SimulationSettings(paths: min(spec.paths, 16 * SimulationSettings.blockSize), seed: spec.seed, threads: 1),
                           importance: shift)
        }
        let setup = Date().timeIntervalSince(started)
        let firstRun = FirstRunLosses()
        var tasks: [BenchTask] = []
        for t in threads {
            let settings = SimulationSettings(paths: spec.paths, seed: spec.seed, threads: t)
            tasks.append(BenchTask(kind: .engine, threads: t, paths: spec.paths, names: names) {
                let out = engine.run(settings, importance: shift, record: spec.scenario == nil ? [] : [.factors, .sectors])
                if firstRun.mean == nil, out.weights == nil { firstRun.record(out.net) }
                return out.elapsedSeconds
            })
            if let scenario = spec.scenario {
                request.settings.threads = t
                let plan = RunPlan(scenario: scenario, request: request)
                tasks.append(BenchTask(kind: .wholeRun, threads: t, paths: spec.paths, names: names) {
                    try wallSeconds { try Self.wholeRun(plan, started: started) }
                })
            }
            tasks.append(BenchTask(kind: .generator, threads: t, paths: spec.paths, names: names,
                                   note: "one uniform per name-path, the engine's block structure") {
                GeneratorThroughput.run(paths: spec.paths, perPath: names, seed: spec.seed, threads: t).seconds
            })
        }
        let valuation = p.valuation == nil ? "default" : "market"
        let runner = BenchRunner(portfolio: spec.label, method: spec.method.rawValue, valuation: valuation, timer: timer)
        let monitor = LoadMonitor(probe: load, cores: machine.cores)
        var measurements: [BenchMeasurement]
        do {
            measurements = try runner.measure(tasks, repeats: repeats)
        } catch {
            _ = monitor.stop()
            throw .from(error)
        }
        let loadSummary = monitor.stop()
        var peerSummary: PeerSummary? = nil
        if let peer {
            let (summary, measurement) = runPeer(peer, spec: spec, runner: runner, creditsim: firstRun.summary)
            peerSummary = summary
            if let measurement { measurements.append(measurement) }
        }
        BenchRunner.derive(&measurements)
        let workload = BenchWorkload(kind: spec.scenario == nil ? "synthetic" : "scenario", portfolio: spec.label,
                                     description: spec.description, scenario: spec.path, model: "copula", copula: copula,
                                     names: names, bonds: p.bonds.count, factors: factors, paths: spec.paths, seed: spec.seed,
                                     method: spec.method.rawValue, valuation: valuation, repeats: repeats, threads: threads,
                                     setupSeconds: setup)
        return BenchReport(date: Date(), machine: machine, workload: workload, load: loadSummary, measurements: measurements,
                           peer: peerSummary, peakResidentBytes: Self.peakResidentBytes())
    }

    private func runPeer(_ peer: (script: String?, paths: Int), spec: Spec, runner: BenchRunner,
                         creditsim: (mean: Double, se: Double)?) -> (PeerSummary, BenchMeasurement?) {
        guard let script = peer.script else {
            return (PeerSummary(script: nil, skipped: "the peer script \(NumpyPeer.relativePath) was not found above the executable or the current folder; set CREDITSIM_PEER_SCRIPT"), nil)
        }
        if let reason = NumpyPeer.unsupported(spec.portfolio, method: spec.method) {
            return (PeerSummary(script: script, skipped: "the peer cannot run this portfolio: \(reason)"), nil)
        }
        let paths = min(peer.paths, spec.paths)
        switch NumpyPeer(script: script, paths: paths, repeats: repeats, seed: spec.seed).run(spec.portfolio) {
        case let .skipped(reason):
            return (PeerSummary(script: script, skipped: reason), nil)
        case let .ran(run):
            let key = BenchMeasurement.key(kind: .peer, portfolio: runner.portfolio, method: runner.method,
                                           valuation: runner.valuation, threads: nil)
            let seconds = run.seconds.indices.map { i in timer.seconds(of: key, repeat: i) { run.seconds[i] } }
            let note = paths < spec.paths ? "numpy \(run.numpyVersion), \(paths) of \(spec.paths) paths: its rates are per path" : "numpy \(run.numpyVersion)"
            let m = BenchMeasurement(kind: .peer, portfolio: runner.portfolio, method: runner.method, valuation: runner.valuation,
                                     threads: nil, paths: paths, names: run.names, seconds: BenchSpread(runs: seconds), note: note)
            return (PeerSummary(script: script, run: run, creditsim: creditsim), m)
        }
    }

    /// CreditRisk+ (`model: creditriskplus`): the analytic evaluation, and it with the result
    /// files built in memory. No paths, so no path rates and no generator bound.
    private func measureAnalytic(_ scenario: Scenario, description: String, started: Date) throws(BenchError) -> BenchReport {
        let pipeline = RunPipeline(scenario: scenario)
        // Once untimed: errors surface before timing, and the first evaluation's page faults go.
        do { try timer.warmUp { _ = try pipeline.creditRiskPlus() } } catch { throw .from(error) }
        let setup = Date().timeIntervalSince(started)
        let tasks = [
            BenchTask(kind: .analytic, threads: nil, paths: nil, names: nil) { try wallSeconds { _ = try pipeline.creditRiskPlus() } },
            BenchTask(kind: .wholeRun, threads: nil, paths: nil, names: nil) {
                try wallSeconds {
                    try Self.wholeRun(RunPlan(scenario: scenario, request: RunRequest(scenario: scenario, seed: seed, threads: 1),
                                              model: .creditRiskPlus), started: started)
                }
            },
        ]
        let label = "scenario \(scenario.name)"
        let runner = BenchRunner(portfolio: label, method: "analytic", valuation: "default", timer: timer)
        let monitor = LoadMonitor(probe: load, cores: machine.cores)
        let measurements: [BenchMeasurement]
        do { measurements = try runner.measure(tasks, repeats: repeats) } catch {
            _ = monitor.stop()
            throw .from(error)
        }
        let loadSummary = monitor.stop()
        var peerSummary: PeerSummary? = nil
        if let peer { peerSummary = PeerSummary(script: peer.script, skipped: "the peer simulates; this scenario's model is creditriskplus (analytic)") }
        let p = scenario.portfolio
        let workload = BenchWorkload(kind: "scenario", portfolio: label, description: description, scenario: scenario.path,
                                     model: "creditriskplus", copula: nil, names: p.entities.count, bonds: p.bonds.count,
                                     factors: scenario.factorIDs.count, paths: nil, seed: seed ?? scenario.seed, method: "analytic",
                                     valuation: "default", repeats: repeats, threads: [], setupSeconds: setup)
        return BenchReport(date: Date(), machine: machine, workload: workload, load: loadSummary, measurements: measurements,
                           peer: peerSummary, peakResidentBytes: Self.peakResidentBytes())
    }

    /// What `run` does after loading: the plan performed (simulation or evaluation, statistics),
    /// its table, and every result file rendered in memory, manifest included; nothing written.
    static func wholeRun(_ plan: RunPlan, started: Date) throws {
        let shown = try plan.perform()
        _ = shown.terminal()
        let manifest = Manifest(commandLine: ["creditsim", "bench"], scenario: plan.scenario, seed: plan.request.settings.seed,
                                paths: shown.paths, threads: plan.request.settings.threads, method: plan.request.method.rawValue,
                                started: started, finished: Date())
        for file in shown.folder.flattened(manifest: manifest) { _ = try file.render() }
    }

    /// VmHWM of /proc/self/status, bytes: the process's peak resident memory so far.
    public static func peakResidentBytes() -> Double? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kib = line.split(separator: " ").dropFirst().first.flatMap({ Double($0) }) else { return nil }
        return kib * 1024
    }
}

/// The first engine run's net losses, summarised for the peer's check (plain sampling only).
/// Written once by the measuring thread, read after the measurements.
private final class FirstRunLosses: @unchecked Sendable {
    var mean: Double?
    var se = 0.0

    func record(_ net: [Double]) {
        let n = Double(net.count)
        guard n > 1 else { return }
        let m = net.reduce(0, +) / n
        let variance = net.reduce(0) { $0 + ($1 - m) * ($1 - m) } / (n - 1)
        mean = m
        se = (variance / n).squareRoot()
    }

    var summary: (mean: Double, se: Double)? { mean.map { ($0, se) } }
}
