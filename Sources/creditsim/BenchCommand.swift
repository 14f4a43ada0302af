import ArgumentParser
import CreditRisk
import CreditScenario
import Foundation

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure simulation throughput on a synthetic portfolio.",
        discussion: """
            The default portfolio is the reference of Glasserman & Li (2005): 1000 names, 10 Gaussian \
            factors, PDs 0.01·(1 + sin(16πk/n)), exposures ⌈5k/n⌉², LGD 1. Each thread count is run \
            --repeat times; medians are reported, with the scaling against one thread.

            Example: creditsim bench --paths 1000000 --threads 1,2 --repeat 5
            """
    )

    @Option(help: "Number of names. Example: --names 20000", transform: NumberArgument.whole) var names = 1000
    @Option(help: "Number of factors (loadings uniform on (0, 1/√K)). Example: --factors 3", transform: NumberArgument.whole) var factors = 10
    @Option(help: "Paths per measurement. Example: --paths 200000", transform: NumberArgument.whole) var paths = 1_000_000
    @Option(help: "Comma-separated thread counts to measure (default: 1 and all cores). Example: --threads 1,2") var threads: String?
    @Option(help: "Copula: gaussian or student-t. Example: --copula student-t") var copula = "gaussian"
    @Option(help: "Degrees of freedom of the student-t copula. Example: --degrees-of-freedom 4", transform: NumberArgument.decimal) var degreesOfFreedom = 5.0
    @Flag(help: "Give the dependence as a full n×n correlation matrix (Cholesky + one dgemm per chunk). Example: --full-correlation --names 2000")
    var fullCorrelation = false
    @Option(help: "Measurements per thread count (median reported). Example: --repeat 7", transform: NumberArgument.whole) var `repeat` = 3
    @Option(help: ArgumentHelp("Sampling method: plain, or importance (the shift and twist are chosen once, untimed, by pilots of 20 000 paths for the 99.9 % level; the timed runs then sample with them).",
                               discussion: "Example: --method importance", valueName: "method"))
    var method: SamplingMethod = .plain
    @Option(help: ArgumentHelp("Valuation: default (default losses), or market (rating migration: each name gets the CreditMetrics 1997 rating nearest its PD, its note a 5-year 5 % bond valued on that document's curves).",
                               discussion: "Example: --valuation market", valueName: "mode"))
    var valuation = "default"
    @Option(help: "Random seed. Example: --seed 7", transform: NumberArgument.seed) var seed: UInt64 = 1
    @Flag(help: "Print JSON for scripts. Example: --json > bench.json") var json = false
    @Option(help: ArgumentHelp("Write the benchmark portfolio as a scenario folder (scenario.yaml, entities.csv, bonds.csv) and exit.",
                               discussion: "Example: creditsim bench --export Scenarios/reference", valueName: "dir"))
    var export: String?

    func validate() throws {
        guard names >= 1 else { throw ValidationError("--names must be at least 1 (got \(names))") }
        guard factors >= 0 else { throw ValidationError("--factors must be ≥ 0 (got \(factors))") }
        guard paths >= 1 else { throw ValidationError("--paths must be at least 1 (got \(paths))") }
        guard `repeat` >= 1 else { throw ValidationError("--repeat must be at least 1 (got \(`repeat`))") }
        guard ["gaussian", "student-t"].contains(copula) else {
            throw ValidationError("--copula must be gaussian or student-t (got \(copula))")
        }
        guard ["default", "market"].contains(valuation) else {
            throw ValidationError("--valuation must be default or market (got \(valuation))")
        }
        if valuation == "market" && method == .importance {
            throw ValidationError("--method importance does not apply to --valuation market (importance sampling twists default probabilities, not migrations)")
        }
        guard ModelLimits.degreesOfFreedom.contains(degreesOfFreedom) else {
            throw ValidationError("--degrees-of-freedom must be a number with 0.1 ≤ ν ≤ 1000 (got \(degreesOfFreedom))")
        }
        // Bounds so that a benchmark neither overflows nor runs away with time or memory.
        guard names <= 1_000_000 else { throw ValidationError("--names must be at most 1000000 (got \(names))") }
        guard factors <= ModelLimits.factors else {
            throw ValidationError("--factors must be at most \(ModelLimits.factors) (got \(factors))")
        }
        guard paths <= 2_000_000_000 else { throw ValidationError("--paths must be at most 2000000000 (got \(paths))") }
        guard `repeat` <= 1000 else { throw ValidationError("--repeat must be at most 1000 (got \(`repeat`))") }
        if fullCorrelation && names > 20_000 {
            throw ValidationError("--full-correlation needs an n × n matrix: --names must be at most 20000 (got \(names))")
        }
        let memory = Double(ProcessInfo.processInfo.physicalMemory)
        let model = fullCorrelation ? 3 * 8 * Double(names) * Double(names) : 3 * 8 * Double(names) * Double(factors)
        if model > 0.5 * memory {
            throw ValidationError(String(format: "--names %d with %@ needs about %.1f GiB for the dependence model; this machine has %.1f GiB",
                                         names, fullCorrelation ? "--full-correlation" : "--factors \(factors)",
                                         model / 1_073_741_824, memory / 1_073_741_824))
        }
        do {
            try RunPipeline.checkMemory(paths: paths, method: method)
        } catch {
            throw ValidationError("--paths \(paths) \(error)")
        }
        _ = try threadCounts()
    }

    func threadCounts() throws -> [Int] {
        let all = ProcessInfo.processInfo.activeProcessorCount
        guard let threads else { return all > 1 ? [1, all] : [1] }
        let parts = threads.split(separator: ",").map { DecimalNumber.whole($0.trimmingCharacters(in: .whitespaces), as: Int.self) }
        guard !parts.isEmpty, parts.allSatisfy({ ($0 ?? 0) >= 1 }) else {
            throw ValidationError("--threads must be a comma-separated list of counts ≥ 1 (got \(threads))")
        }
        return parts.compactMap { $0 }
    }

    struct Measurement: Codable {
        var threads: Int
        var medianSeconds: Double
        var pathsPerSecond: Double
        var namePathsPerSecond: Double
        var speedupVsOneThread: Double?
        var runs: [Double]
        enum CodingKeys: String, CodingKey {
            case threads, runs
            case medianSeconds = "median_seconds"
            case pathsPerSecond = "paths_per_second"
            case namePathsPerSecond = "name_paths_per_second"
            case speedupVsOneThread = "speedup_vs_one_thread"
        }
    }

    func run() throws {
        let cop: Copula = copula == "gaussian" ? .gaussian : .studentT(degreesOfFreedom: degreesOfFreedom)
        let mode = (fullCorrelation ? "full \(names)×\(names) correlation" : "\(factors) factors") + (valuation == "market" ? ", market valuation" : "")
        let setupStart = Date()
        let portfolio: Portfolio
        let engine: Engine
        do {
            let reference = try SyntheticPortfolio.reference(names: names, factors: factors, copula: cop,
                                                             fullCorrelation: fullCorrelation)
            portfolio = valuation == "market" ? try SyntheticPortfolio.marketReference(reference) : reference
            engine = Engine(portfolio: portfolio)
        } catch {
            StdErr.write("error: cannot build the synthetic portfolio: \(error)\n")
            throw Exit.software
        }
        let setup = Date().timeIntervalSince(setupStart)
        if let export {
            do {
                try ScenarioWriter.write(portfolio, name: "Reference portfolio (Glasserman & Li 2005), \(names) names, \(mode)",
                                         paths: paths, seed: seed, to: URL(fileURLWithPath: export))
            } catch {
                StdErr.write("error: \(error)\n")
                if case .badPath = error { throw Exit.usage }
                throw Exit.cannotCreate
            }
            print("Wrote scenario.yaml, entities.csv, bonds.csv to \(export)")
            return
        }
        if method == .importance && !engine.supportsImportanceSampling {
            throw ValidationError("--method importance needs factors, not --full-correlation")
        }
        let threadCounts = try threadCounts()
        let shift = method == .importance
            ? engine.importanceShift(level: 0.999, pilotPaths: 20_000, seed: seed, threads: threadCounts.max() ?? 1) : nil
        // One untimed warm-up: page faults, OpenBLAS's thread pool and CPU frequency settle first.
        _ = engine.run(SimulationSettings(paths: min(paths, 16 * SimulationSettings.blockSize), seed: seed, threads: 1),
                       importance: shift)
        var results: [Measurement] = []
        for t in threadCounts {
            var times: [Double] = []
            for _ in 0..<`repeat` {
                let out = engine.run(SimulationSettings(paths: paths, seed: seed, threads: t), importance: shift)
                times.append(out.elapsedSeconds)
            }
            let median = times.sorted()[times.count / 2]
            results.append(Measurement(threads: t, medianSeconds: median, pathsPerSecond: Double(paths) / median,
                                       namePathsPerSecond: Double(paths * names) / median, speedupVsOneThread: nil, runs: times))
        }
        if let one = results.first(where: { $0.threads == 1 }) {
            for i in results.indices { results[i].speedupVsOneThread = one.medianSeconds / results[i].medianSeconds }
        }
        if json {
            struct Doc: Codable {
                var names: Int, factors: Int, paths: Int, copula: String, fullCorrelation: Bool, method: SamplingMethod
                var setupSeconds: Double, measurements: [Measurement]
                enum CodingKeys: String, CodingKey {
                    case names, factors, paths, copula, measurements, method
                    case fullCorrelation = "full_correlation"
                    case setupSeconds = "setup_seconds"
                }
            }
            let enc = JSONEncoder()
            enc.outputFormatting = [.prettyPrinted]
            let doc = Doc(names: names, factors: factors, paths: paths, copula: copula,
                          fullCorrelation: fullCorrelation, method: method, setupSeconds: setup, measurements: results)
            print(String(decoding: try enc.encode(doc), as: UTF8.self))
            return
        }
        print("Portfolio: \(names) names, \(mode), \(copula) copula, \(method.rawValue) sampling; \(paths) paths, median of \(`repeat`); setup \(String(format: "%.3f", setup)) s")
        print("threads   median s      paths/s   name-paths/s   speedup")
        for m in results {
            print(String(format: "%7d  %9.4f  %11.4g  %13.4g  %8@", m.threads, m.medianSeconds, m.pathsPerSecond,
                         m.namePathsPerSecond, m.speedupVsOneThread.map { String(format: "%.2fx", $0) } ?? "-"))
        }
    }
}
