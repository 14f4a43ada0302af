import ArgumentParser
import CreditRisk
import CreditScenario
import Foundation

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure simulation throughput: a synthetic portfolio or your own scenario, with its noise, bound and peer.",
        discussion: """
            The default portfolio is the reference of Glasserman & Li (2005): 1000 names, 10 Gaussian \
            factors, PDs 0.01·(1 + sin(16πk/n)), exposures ⌈5k/n⌉², LGD 1. For each thread count the \
            engine alone and the random-number generator alone (the bound: one uniform per name-path) \
            are timed --repeat times, round robin; each row shows min, median, max and their spread. \
            A warning on stderr says when the spread passes 10 % or other work loaded the machine. \
            Benchmarks/README.md explains every figure and JSON key.

            Example: creditsim bench --paths 1000000 --threads 1,2 --repeat 5 --json > today.json
            Example: creditsim bench --scenario Scenarios/reference/scenario.yaml --peer --against today.json
            """
    )

    @Option(help: "Number of names (default 1000). Example: --names 20000", transform: NumberArgument.whole) var names: Int?
    @Option(help: "Number of factors, loadings uniform on (0, 1/√K) (default 10). Example: --factors 3", transform: NumberArgument.whole) var factors: Int?
    @Option(help: "Paths per measurement (default 1000000, or the scenario's). Example: --paths 200000", transform: NumberArgument.whole) var paths: Int?
    @Option(help: "Comma-separated thread counts (default: 1 and all cores; all cores with --scenario). Example: --threads 1,2") var threads: String?
    @Option(help: "Copula: gaussian or student-t (default gaussian). Example: --copula student-t") var copula: String?
    @Option(help: "Degrees of freedom of the student-t copula (default 5). Example: --degrees-of-freedom 4", transform: NumberArgument.decimal) var degreesOfFreedom: Double?
    @Flag(help: "Give the dependence as a full n×n correlation matrix (Cholesky + one dgemm per chunk). Example: --full-correlation --names 2000")
    var fullCorrelation = false
    @Option(help: "Repeats of every measurement (min, median, max; 3 or more to judge the noise). Example: --repeat 7", transform: NumberArgument.whole) var `repeat` = 3
    @Option(help: ArgumentHelp("Sampling method: plain, importance (the shift and twist are chosen once, untimed, by pilots sized as `run` sizes them; the timed runs then sample with them), or auto (chosen as `run` chooses). Default plain, or the scenario's.",
                               discussion: "Example: --method importance", valueName: "method"))
    var method: SamplingMethod?
    @Option(help: ArgumentHelp("Valuation: default (default losses), or market (rating migration: each name gets the CreditMetrics 1997 rating nearest its PD, its note a 5-year 5 % bond valued on that document's curves).",
                               discussion: "Example: --valuation market", valueName: "mode"))
    var valuation: String?
    @Option(help: "Random seed (default 1, or the scenario's). Example: --seed 7", transform: NumberArgument.seed) var seed: UInt64?
    @Flag(help: "Print the result as JSON (machine, workload, load, measurements, peer, warnings), for --against later. Example: --json > bench.json") var json = false
    @Option(help: ArgumentHelp("Write the benchmark portfolio as a scenario folder (scenario.yaml, entities.csv, bonds.csv) and exit.",
                               discussion: "Example: creditsim bench --export Scenarios/reference", valueName: "dir"))
    var export: String?
    @Option(help: ArgumentHelp("Measure this scenario file instead of the synthetic portfolio: its paths, method, valuation and model; the engine alone and the whole run (statistics and result files built in memory, not written).",
                               discussion: "Example: --scenario Scenarios/tech-bonds-2026/tech-bonds.yaml", valueName: "file"))
    var scenario: String?
    @Flag(help: "Also run the numpy peer (Benchmarks/peer/npmc_peer.py, needs python3 with numpy) on the same portfolio, side by side. Example: --peer")
    var peer = false
    @Option(help: "Paths per repeat of the peer (default 100000, at most --paths; its rates are per path). Example: --peer-paths 300000") var peerPaths = 100_000
    @Option(help: ArgumentHelp("Compare with a saved `bench --json` result: the ratio per measurement and whether it is beyond the noise of both.",
                               discussion: "Example: --against yesterday.json", valueName: "file"))
    var against: String?
    @Option(help: ArgumentHelp("Show a saved `bench --json` result instead of measuring (with --against: compare two saved files).",
                               discussion: "Example: --saved today.json --against yesterday.json", valueName: "file"))
    var saved: String?

    func validate() throws {
        // Bounds so that a benchmark neither overflows nor runs away with time or memory.
        for (flag, value, low, high) in [("--names", names, 1, 1_000_000), ("--factors", factors, 0, ModelLimits.factors),
                                         ("--paths", paths, 1, 2_000_000_000), ("--repeat", `repeat`, 1, 1000)] {
            guard let value else { continue }
            if value < low { throw ValidationError("\(flag) must be \(low == 0 ? "≥ 0" : "at least \(low)") (got \(value))") }
            if value > high { throw ValidationError("\(flag) must be at most \(high) (got \(value))") }
        }
        guard peerPaths >= 2 else { throw ValidationError("--peer-paths must be at least 2 (got \(peerPaths))") }
        if let copula, !["gaussian", "student-t"].contains(copula) { throw ValidationError("--copula must be gaussian or student-t (got \(copula))") }
        if let valuation, !["default", "market"].contains(valuation) {
            throw ValidationError("--valuation must be default or market (got \(valuation))")
        }
        if let degreesOfFreedom, !ModelLimits.degreesOfFreedom.contains(degreesOfFreedom) {
            throw ValidationError("--degrees-of-freedom must be a number with 0.1 ≤ ν ≤ 1000 (got \(degreesOfFreedom))")
        }
        if scenario != nil || saved != nil {
            let synthetic: [(String, Bool)] = [("--names", names != nil), ("--factors", factors != nil), ("--copula", copula != nil),
                                               ("--degrees-of-freedom", degreesOfFreedom != nil), ("--full-correlation", fullCorrelation),
                                               ("--valuation", valuation != nil), ("--export", export != nil)]
            if let (flag, _) = synthetic.first(where: \.1) {
                throw ValidationError(saved != nil ? "\(flag) does not apply to --saved, which shows a saved result"
                    : "\(flag) describes the synthetic portfolio; --scenario measures the scenario's own portfolio")
            }
        }
        if saved != nil, scenario != nil || peer { throw ValidationError("--saved shows a saved result; it measures nothing (no --scenario or --peer)") }
        let n = names ?? 1000
        if fullCorrelation && n > 20_000 {
            throw ValidationError("--full-correlation needs an n × n matrix: --names must be at most 20000 (got \(n))")
        }
        let memory = Double(ProcessInfo.processInfo.physicalMemory), k = factors ?? 10
        let model = fullCorrelation ? 3 * 8 * Double(n) * Double(n) : 3 * 8 * Double(n) * Double(k)
        if model > 0.5 * memory {
            throw ValidationError(String(format: "--names %d with %@ needs about %.1f GiB for the dependence model; this machine has %.1f GiB",
                                         n, fullCorrelation ? "--full-correlation" : "--factors \(k)", model / 1_073_741_824, memory / 1_073_741_824))
        }
        _ = try threadCounts()
    }

    func threadCounts() throws -> [Int] {
        let all = ProcessInfo.processInfo.activeProcessorCount
        guard let threads else { return scenario != nil || all == 1 ? [all] : [1, all] }
        let parts = threads.split(separator: ",").map { DecimalNumber.whole($0.trimmingCharacters(in: .whitespaces), as: Int.self) }
        guard !parts.isEmpty, parts.allSatisfy({ ($0 ?? 0) >= 1 }) else {
            throw ValidationError("--threads must be a comma-separated list of counts ≥ 1 (got \(threads))")
        }
        var seen = Set<Int>()
        return parts.compactMap { $0 }.filter { seen.insert($0).inserted }
    }

    var workload: SyntheticWorkload {
        SyntheticWorkload(names: names ?? 1000, factors: factors ?? 10,
                          copula: copula == "student-t" ? .studentT(degreesOfFreedom: degreesOfFreedom ?? 5) : .gaussian,
                          fullCorrelation: fullCorrelation, market: valuation == "market")
    }

    func run() throws {
        if let export { return try exportPortfolio(to: export) }
        // The saved file first: a bad one fails before minutes of measuring.
        let old = try against.map(load)
        var report = try saved.map(load) ?? measure()
        if let old, let against { report.against = BenchComparison(old: old, new: report, oldPath: against) }
        if json {
            do { print(try report.json(), terminator: "") } catch {
                StdErr.write("error: internal: cannot encode the result: \(error)\n")
                throw Exit.software
            }
        } else {
            print(BenchTable.render(report), terminator: "")
            if let comparison = report.against { print("\n" + BenchTable.render(comparison), terminator: "") }
        }
        if saved == nil { for w in report.warnings { StdErr.write("warning: \(w)\n") } }
    }

    func measure() throws -> BenchReport {
        var session = BenchSession(paths: paths, seed: seed, method: method, threads: try threadCounts(), repeats: `repeat`)
        if peer { session.peer = (NumpyPeer.locate(), peerPaths) }
        let loaded = try scenario.map(loadScenario)
        do {
            if let loaded { return try session.run(loaded) }
            return try session.run(workload)
        } catch {
            switch error {
            case .syntheticPortfolio, .failed:
                StdErr.write("error: \(error)\n")
                throw Exit.software
            case .run(.tooManyPaths):
                let source = paths.map { "--paths \($0)" } ?? "\(scenario ?? ""): simulation.paths"
                StdErr.write("error: \(source) \(error)\n")
                throw paths != nil || scenario == nil ? Exit.usage : Exit.dataError
            case .run(.importanceNeedsFactors) where method != nil:
                throw ValidationError("--method importance: \(error)")
            case .run:
                StdErr.write("error: \(scenario ?? "bench"): \(error)\n")
                throw Exit.dataError
            }
        }
    }

    func load(_ path: String) throws -> BenchReport {
        do { return try BenchReport.load(path: path) } catch {
            StdErr.write("error: \(error)\n")
            if case .unreadable = error { throw Exit.noInput }
            throw Exit.dataError
        }
    }

    func exportPortfolio(to export: String) throws {
        let portfolio: Portfolio
        do { portfolio = try workload.portfolio() } catch {
            StdErr.write("error: cannot build the synthetic portfolio: \(error)\n")
            throw Exit.software
        }
        do {
            try ScenarioWriter.write(portfolio, name: workload.scenarioName, paths: paths ?? 1_000_000, seed: seed ?? 1,
                                     to: URL(fileURLWithPath: export))
        } catch {
            StdErr.write("error: \(error)\n")
            if case .badPath = error { throw Exit.usage }
            throw Exit.cannotCreate
        }
        print("Wrote scenario.yaml, entities.csv, bonds.csv to \(export)")
    }
}
