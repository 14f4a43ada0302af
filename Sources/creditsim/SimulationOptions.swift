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
