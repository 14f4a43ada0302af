import ArgumentParser
import CreditScenario

/// Overrides of the scenario's `simulation:` settings, shared by the commands that simulate.
struct SimulationOptions: ParsableArguments {
    @Option(help: "Number of Monte Carlo paths (overrides simulation.paths). Example: --paths 1000000", transform: NumberArgument.whole)
    var paths: Int?

    @Option(help: "Random seed (overrides simulation.seed); same seed, same bits. Example: --seed 42", transform: NumberArgument.seed)
    var seed: UInt64?

    @Option(help: "Worker threads (default: all cores); results do not depend on it. Example: --threads 1", transform: NumberArgument.whole)
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
                               discussion: "Example: --horizon 3", valueName: "years"), transform: NumberArgument.decimal)
    var horizon: Double?

    @Option(help: ArgumentHelp("VaR/ES levels, comma-separated, as fractions or percents (overrides output.quantiles).",
                               discussion: "Example: --levels 0.99,99.9%", valueName: "levels"), transform: LevelList.parse)
    var levels: LevelList?

    func validate() throws {
        if let horizon, !(horizon.isFinite && horizon > 0) {
            throw ValidationError("--horizon must be a number of years > 0 (got \(horizon))")
        }
    }
}

/// `--levels 0.99,99.9%`: levels strictly between 0 and 1 (fractions or percents, read by
/// `DecimalNumber.fraction`), sorted, without repeats.
struct LevelList {
    let values: [Double]

    static func parse(_ argument: String) throws -> LevelList {
        let parts = argument.split(separator: ",").map { DecimalNumber.fraction($0.trimmingCharacters(in: .whitespaces)) }
        guard !parts.isEmpty, parts.allSatisfy({ $0.map { $0 > 0 && $0 < 1 } ?? false }) else {
            throw NumberArgument.Refusal(description: "each level must lie strictly between 0 and 1, as a decimal fraction (0.999) or a percent (99.9%)")
        }
        return LevelList(values: Array(Set(parts.compactMap { $0 })).sorted())
    }
}

/// `--precision 1%` or `--precision 0.01`: a relative standard error in (0, 1), read by
/// `DecimalNumber.fraction` (a percent exactly, as in `--levels`).
struct Precision {
    let value: Double

    static func parse(_ argument: String) throws -> Precision {
        guard let v = DecimalNumber.fraction(argument.trimmingCharacters(in: .whitespaces)), v > 0 && v < 1 else {
            throw NumberArgument.Refusal(description: "a relative standard error strictly between 0 and 1, as a decimal fraction (0.01) or a percent (1%)")
        }
        return Precision(value: v)
    }
}

extension ShardSpec: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}
