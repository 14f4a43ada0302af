import ArgumentParser
import CreditScenario

/// Overrides of the scenario's `simulation:` settings, shared by the commands that simulate.
struct SimulationOptions: ParsableArguments {
    @Option(help: "Number of Monte Carlo paths (overrides simulation.paths). Example: --paths 1000000")
    var paths: Int?

    @Option(help: "Random seed (overrides simulation.seed); same seed, same bits. Example: --seed 42")
    var seed: UInt64?

    @Option(help: "Worker threads (default: all cores); results do not depend on it. Example: --threads 1")
    var threads: Int?

    func validate() throws {
        if let paths, paths < 1 { throw ValidationError("--paths must be at least 1 (got \(paths))") }
        if let paths, paths > 2_000_000_000 { throw ValidationError("--paths must be at most 2000000000 (got \(paths))") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1 (got \(threads))") }
    }
}

extension SamplingMethod: ExpressibleByArgument {}

/// Overrides of scenario keys that users often vary from run to run.
struct ScenarioOverrides: ParsableArguments {
    @Option(help: ArgumentHelp("Horizon in years (overrides horizon:); windows and default probabilities follow.",
                               discussion: "Example: --horizon 3", valueName: "years"))
    var horizon: Double?

    @Option(help: ArgumentHelp("VaR/ES levels, comma-separated (overrides output.quantiles).",
                               discussion: "Example: --levels 0.99,0.999", valueName: "levels"))
    var levels: LevelList?

    func validate() throws {
        if let horizon, !(horizon.isFinite && horizon > 0) {
            throw ValidationError("--horizon must be a number of years > 0 (got \(horizon))")
        }
    }
}

/// `--levels 0.99,0.999`: levels strictly between 0 and 1, sorted, without repeats.
struct LevelList: ExpressibleByArgument {
    let values: [Double]

    init?(argument: String) {
        let parts = argument.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard !parts.isEmpty, parts.allSatisfy({ $0.map { $0 > 0 && $0 < 1 } ?? false }) else { return nil }
        values = Array(Set(parts.compactMap { $0 })).sorted()
    }
}

/// `--precision 1%` or `--precision 0.01`: a relative standard error in (0, 1).
struct Precision: ExpressibleByArgument {
    let value: Double

    init?(argument: String) {
        let text = argument.trimmingCharacters(in: .whitespaces)
        let percent = text.hasSuffix("%")
        guard let number = Double(percent ? String(text.dropLast()) : text) else { return nil }
        let v = percent ? number / 100 : number
        guard v > 0 && v < 1 else { return nil }
        value = v
    }
}

extension ShardSpec: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}
