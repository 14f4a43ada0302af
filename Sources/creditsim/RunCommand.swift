import ArgumentParser
import CreditHistory
import CreditRisk
import CreditScenario
import Foundation

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Simulate a scenario and report its loss distribution.",
        discussion: """
            Prints a summary table (or the summary JSON with --json) on stdout. With --out DIR, \
            writes summary.json, loss-distribution.csv, quantiles.csv and report.html into DIR; a failed run \
            leaves none of them behind.

            Ctrl-C stops the run cleanly: the blocks of paths finished so far are kept, the summary \
            says it is partial and how many paths it holds, the files are written whole, and the \
            exit code is 130.

            Example: creditsim run Scenarios/tech-bonds-2026/tech-bonds.yaml --paths 1000000 --out results/
            """
    )

    @Argument(help: "The scenario file (YAML, version 1). Example: Scenarios/tech-bonds-2026/tech-bonds.yaml")
    var scenario: String

    @OptionGroup var simulation: SimulationOptions

    @Option(help: "Directory for summary.json, loss-distribution.csv, quantiles.csv, report.html (created if missing). Example: --out results/base")
    var out: String?

    @Flag(help: "Print the summary JSON (the same object as summary.json) instead of the table. Example: --json | jq .net")
    var json = false

    @Flag(help: "No progress bar on stderr (it only appears on a terminal, for runs over a second). Example: --quiet")
    var quiet = false

    @Option(help: ArgumentHelp("Also run a stress of the scenario's stress: list (repeatable; all for every one), with the same seed, and compare it with the base.",
                               discussion: "Example: --stress coal_steel_downturn --stress refinancing_freeze", valueName: "name"))
    var stress: [String] = []

    @Option(help: ArgumentHelp("Sampling method (overrides simulation.method): plain, or importance for the Glasserman–Li factor shift and twist, which cuts the errors of far-tail figures.",
                               discussion: "Example: --method importance", valueName: "method"))
    var method: SamplingMethod?

    @Flag(help: ArgumentHelp("Also compute Euler contributions to EL and ES (per bond, issuer, sector, guarantor) by a second, bit-identical pass over the paths; writes contributions.csv and prints the top contributors.",
                             discussion: "Example: --contributions --out results/"))
    var contributions = false

    @Option(help: ArgumentHelp("Loss model (overrides the scenario's model:): copula simulates with the scenario's copula, creditriskplus computes CreditRisk+ analytically, all compares the Gaussian and Student-t simulations, CreditRisk+ and Basel IRB capital side by side.",
                               discussion: "Example: --model all --out results/", valueName: "model"))
    var model: ModelChoice?

    @Option(help: ArgumentHelp("Grow the run block by block until the net ES at the highest level is known to this relative standard error (or --max-paths); the result equals a run of that many paths with the same seed.",
                               discussion: "Example: --precision 1% (or 0.01)", valueName: "fraction"), transform: Precision.parse)
    var precision: Precision?

    @Option(help: ArgumentHelp("With --precision: the most paths to run (default 100 times the scenario's paths, at most 2000000000).",
                               discussion: "Example: --precision 0.5% --max-paths 20000000", valueName: "paths"),
            transform: NumberArgument.whole)
    var maxPaths: Int?

    @OptionGroup var overrides: ScenarioOverrides

    @Option(help: ArgumentHelp("Append the run to this SQLite history database (created when missing; overrides output.history); `creditsim history FILE` lists the runs and draws their trend.",
                               discussion: "Example: --history runs.sqlite", valueName: "file"))
    var history: String?

    @Option(help: ArgumentHelp("Language of report.html and the summary table: en or zh (overrides output.language).",
                               discussion: "Example: --lang zh", valueName: "language"))
    var lang: Language?

    @Flag(help: ArgumentHelp("Also write every path's net and gross loss, weight, factors, sector losses and payouts, and each bond's events (DIR/paths/events/), as NumPy .npy files in DIR/paths/ (and in each stress folder).",
                             discussion: "Example: --export-paths --out results/"))
    var exportPaths = false

    @Flag(help: ArgumentHelp("Also write results.xlsx (summary, quantiles, contributions, a sheet per stress) to --out; scenario key output.excel: true does the same.",
                             discussion: "Example: --excel --out results/"))
    var excel = false

    @Option(help: ArgumentHelp("Simulate only shard K of N (a K-th of the blocks of paths, base and stresses) and write its raw results to --out; `creditsim merge` of all N folders gives the one-process result, bit for bit.",
                               discussion: "Example: --shard 2/4 --out shards/2", valueName: "K/N"))
    var shard: ShardSpec?

    func validate() throws {
        if let out, out.isEmpty { throw ValidationError("--out must name a folder (got an empty string)") }
        if shard != nil {
            if out == nil { throw ValidationError("--shard needs --out DIR for the shard's results") }
            if precision != nil { throw ValidationError("--shard: --precision needs the whole run; give --paths instead") }
        }
        if maxPaths != nil && precision == nil { throw ValidationError("--max-paths needs --precision") }
        if let maxPaths, maxPaths < 1 || maxPaths > 2_000_000_000 {
            throw ValidationError("--max-paths must be between 1 and 2000000000 (got \(maxPaths))")
        }
        if precision != nil && simulation.paths != nil {
            throw ValidationError("--precision chooses the number of paths; give --max-paths instead of --paths")
        }
    }

    func run() throws {
        let started = Date()
        let loaded = try loadScenario(self.scenario)
        let scenario: Scenario
        do {
            scenario = try loaded.overriding(horizon: overrides.horizon, levels: overrides.levels?.values)
        } catch {
            throw ValidationError("--horizon \(overrides.horizon.map { "\($0)" } ?? ""): \(error)")
        }
        var request = RunRequest(scenario: scenario, paths: simulation.paths, seed: simulation.seed,
                                 threads: simulation.threads ?? ProcessInfo.processInfo.activeProcessorCount,
                                 method: method, stresses: try selectedStresses(scenario), contributions: contributions)
        if let precision {
            request.precision = precision.value
            request.settings.paths = maxPaths ?? min(100 * scenario.paths, 2_000_000_000)
            if maxPaths == nil {
                // The default maximum is what fits: a precision run stops long before it in most books.
                let fit = RunPipeline(scenario: scenario).largestPaths(request, upTo: request.settings.paths)
                if fit < request.settings.paths, fit >= 4 * SimulationSettings.blockSize {
                    StdErr.write("note: --precision: at most \(fit) paths fit in memory; that is the maximum (give --max-paths to choose)\n")
                    request.settings.paths = fit
                }
            }
        }
        var partition = RunPartition.whole
        if let world = MPIRuntime.world { partition = .ranks(world) }
        if let shard { partition = .shard(shard) }
        let plan = RunPlan(scenario: scenario, request: request, model: model, partition: partition,
                           options: ExportOptions(exportPaths: exportPaths, language: lang ?? scenario.language, excel: excel))
        let fail = { (error: RunError) in
            runExitCode(for: error, scenario: self.scenario, pathsFromCommandLine: simulation.paths != nil,
                     methodFromCommandLine: method != nil)
        }
        do { try plan.validate() } catch { throw fail(error) }
        let historyFile = history ?? scenario.historyPath
        if historyFile != nil, plan.model == .all || shard != nil {
            throw ValidationError("--history: a run's history keeps whole runs of one model; not with --model all or --shard")
        }
        // The history must be writable before anything is simulated.
        if let historyFile, MPIRuntime.isRoot {
            do { _ = try HistoryStore(path: historyFile) } catch {
                StdErr.write("error: \(error)\n")
                throw Exit.cannotCreate
            }
        }
        // The output folder is locked before computing, so a second run into it stops at once
        // (under MPI by rank 0, which alone writes).
        var output: OutputDirectory? = nil
        if let out, MPIRuntime.isRoot {
            do {
                output = try OutputDirectory.acquire(path: out, protecting: Self.inputs(of: scenario),
                                                     markers: ["summary.json", "comparison.json", "shard.json"])
            } catch {
                StdErr.write("error: \(error)\n")
                if case .badPath = error { throw Exit.usage }
                throw Exit.cannotCreate
            }
        }
        defer { output?.release() }
        let result: any Presentation
        do {
            result = try plan.perform(monitor: CommandLineMonitor(quiet: quiet || !MPIRuntime.isRoot))
        } catch { throw fail(error) }
        var manifest = Manifest(commandLine: CommandLine.arguments, scenario: scenario, seed: request.settings.seed,
                                paths: result.paths, threads: request.settings.threads, method: plan.request.method.rawValue,
                                shard: shard?.description, started: started, finished: Date())
        manifest.ranks = MPIRuntime.world?.size ?? 1
        try Delivery(output: output, outPath: out, json: json, isRoot: MPIRuntime.isRoot).deliver(result, manifest: manifest) {
            guard let historyFile, MPIRuntime.isRoot else { return }
            try Self.append(result, to: historyFile, scenario: scenario, manifest: manifest, out: out)
        }
        TestHook.reportMemory(RunPipeline(scenario: scenario), plan.request, partition: partition)
    }

    /// `--history FILE`: the run appended to the database (exit 73 when it cannot be written; the
    /// result folder, already written, stays).
    static func append(_ result: any Presentation, to file: String, scenario: Scenario, manifest: Manifest, out: String?) throws {
        guard let source = result as? any HistoryEntrySource, let portfolios = source.historyPortfolios else { return }
        let record = HistoryRecord(portfolios: portfolios, scenario: scenario, manifest: manifest, partial: result.isPartial,
                                   outDir: out.map { URL(fileURLWithPath: $0).standardizedFileURL.path })
        do { try HistoryStore(path: file).append(record) { TestHook.pause(at: "history") } } catch {
            StdErr.write("error: \(error)\n")
            throw Exit.cannotCreate
        }
    }

    /// The scenario's folder and files, which --out must neither be nor contain.
    static func inputs(of scenario: Scenario) -> [String] {
        let folder = URL(fileURLWithPath: scenario.path).deletingLastPathComponent()
        var inputs = [folder.path, scenario.path]
        for source in [scenario.entitySource, scenario.bondSource, scenario.correlationSource ?? "inline"] where source != "inline" {
            inputs.append(source.hasPrefix("/") ? source : folder.appendingPathComponent(source).path)
        }
        return inputs
    }

    func selectedStresses(_ scenario: Scenario) throws -> [Stress] {
        if stress.contains("all") { return scenario.stresses }
        return try stress.map { name in
            guard let s = scenario.stresses.first(where: { $0.name == name }) else {
                let known = scenario.stresses.map(\.name)
                throw ValidationError("--stress \(SafeText.message(name)): no such stress in \(SafeText.message(self.scenario)); "
                    + (known.isEmpty ? "it defines none" : "defined: \(known.joined(separator: ", ")), or all"))
            }
            return s
        }
    }
}

extension ModelChoice: ExpressibleByArgument {}

extension Language: ExpressibleByArgument {}
