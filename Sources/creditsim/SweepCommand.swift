import ArgumentParser
import CreditScenario
import Foundation

struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Run a scenario over a grid of PD and loading scales on common random numbers.",
        discussion: """
            Every point of --pd-scale × --loading-scale multiplies every entity's PD and every \
            loading; all points use the same seed and paths, and each is compared with the point \
            (1, 1), the scenario itself (which equals `run` with the same seed). Prints a table; \
            --json prints {points: [{pd_scale, loading_scale, net, gross, versus_base}]}; --out \
            writes sweep.json, sweep.csv and report.html (heat maps).

            Example: creditsim sweep Scenarios/tech-bonds-2026/tech-bonds.yaml --pd-scale 0.5,1,2 --loading-scale 0.8,1,1.2 --out sweep/
            """
    )

    @Argument(help: "The scenario file. Example: Scenarios/tech-bonds-2026/tech-bonds.yaml")
    var scenario: String

    @Option(help: ArgumentHelp("PD scales, comma-separated (> 0).", discussion: "Example: --pd-scale 0.5,1,2", valueName: "scales"), transform: ScaleList.parse)
    var pdScale: ScaleList

    @Option(help: ArgumentHelp("Loading scales, comma-separated (≥ 0; default 1).", discussion: "Example: --loading-scale 0.8,1,1.2",
                               valueName: "scales"), transform: ScaleList.parse)
    var loadingScale: ScaleList = ScaleList(values: [1])

    @OptionGroup var simulation: SimulationOptions

    @Option(help: "Directory for sweep.json, sweep.csv and report.html (created if missing). Example: --out sweep/")
    var out: String?

    @Flag(help: "Print the sweep as JSON instead of the table. Example: --json")
    var json = false

    @Flag(help: "No progress bar on stderr. Example: --quiet")
    var quiet = false

    func validate() throws {
        if let out, out.isEmpty { throw ValidationError("--out must name a folder (got an empty string)") }
        if pdScale.values.contains(where: { $0 <= 0 }) { throw ValidationError("--pd-scale: every scale must be > 0") }
    }

    func run() throws {
        let started = Date()
        let scenario = try loadScenario(self.scenario)
        let request = RunRequest(scenario: scenario, paths: simulation.paths, seed: simulation.seed,
                                 threads: simulation.threads ?? ProcessInfo.processInfo.activeProcessorCount)
        let grid = SweepGrid(pdScales: pdScale.values, loadingScales: loadingScale.values)
        var output: OutputDirectory? = nil
        if let out {
            do { output = try OutputDirectory.acquire(path: out, protecting: RunCommand.inputs(of: scenario), markers: ["sweep.json"]) } catch {
                StdErr.write("error: \(error)\n")
                if case .badPath = error { throw Exit.usage }
                throw Exit.cannotCreate
            }
        }
        defer { output?.release() }
        let outcome: SweepOutcome
        do {
            outcome = try RunPipeline(scenario: scenario).sweep(grid, request: request, monitor: CommandLineMonitor(quiet: quiet))
        } catch {
            throw runExitCode(for: error, scenario: self.scenario, pathsFromCommandLine: simulation.paths != nil, methodFromCommandLine: false)
        }
        let manifest = Manifest(commandLine: CommandLine.arguments, scenario: scenario, seed: request.settings.seed,
                                paths: outcome.points.first?.outcome.output.paths ?? 0, threads: request.settings.threads,
                                method: request.method.rawValue, started: started, finished: Date())
        try Delivery(output: output, outPath: out, json: json).deliver(SweepResult(outcome, scenario: scenario), manifest: manifest)
    }
}

/// `--pd-scale 0.5,1,2`: decimal numbers ≥ 0 (`DecimalNumber`), in the order given, without repeats.
struct ScaleList: CustomStringConvertible {
    let values: [Double]

    /// How help shows a default: `1`, not the struct.
    var description: String { values.map { $0 == $0.rounded() ? String(Int($0)) : "\($0)" }.joined(separator: ",") }

    static func parse(_ argument: String) throws -> ScaleList {
        var values: [Double] = []
        for part in argument.split(separator: ",", omittingEmptySubsequences: false) {
            guard let v = DecimalNumber.finite(part.trimmingCharacters(in: .whitespaces)), v >= 0, !values.contains(v) else {
                throw NumberArgument.Refusal(description: "scales are decimal numbers ≥ 0, comma-separated, without repeats")
            }
            values.append(v)
        }
        return ScaleList(values: values)
    }
}
