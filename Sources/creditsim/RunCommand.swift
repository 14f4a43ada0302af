import ArgumentParser
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
    var model: ModelOption?

    @Option(help: ArgumentHelp("Grow the run block by block until the net ES at the highest level is known to this relative standard error (or --max-paths); the result equals a run of that many paths with the same seed.",
                               discussion: "Example: --precision 1% (or 0.01)", valueName: "fraction"))
    var precision: Precision?

    @Option(help: ArgumentHelp("With --precision: the most paths to run (default 100 times the scenario's paths, at most 2000000000).",
                               discussion: "Example: --precision 0.5% --max-paths 20000000", valueName: "paths"))
    var maxPaths: Int?

    @OptionGroup var overrides: ScenarioOverrides

    @Flag(help: ArgumentHelp("Also write every path's net and gross loss, weight, factors, sector losses and payouts as NumPy .npy files in DIR/paths/ (and in each stress folder).",
                             discussion: "Example: --export-paths --out results/"))
    var exportPaths = false

    @Option(help: ArgumentHelp("Simulate only shard K of N (a K-th of the blocks of paths, base and stresses) and write its raw results to --out; `creditsim merge` of all N folders gives the one-process result, bit for bit.",
                               discussion: "Example: --shard 2/4 --out shards/2", valueName: "K/N"))
    var shard: ShardSpec?

    func validate() throws {
        if let out, out.isEmpty { throw ValidationError("--out must name a folder (got an empty string)") }
        if shard != nil {
            if out == nil { throw ValidationError("--shard needs --out DIR for the shard's results") }
            if contributions { throw ValidationError("--shard: contributions need the whole run's VaR; run them without --shard") }
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
        let chosen = model ?? (scenario.model == .creditRiskPlus ? .creditriskplus : .copula)
        if chosen != .copula {
            if !stress.isEmpty { throw ValidationError("--stress: only with --model copula") }
            if contributions { throw ValidationError("--contributions: only with --model copula (CreditRisk+ writes risk-contributions.csv itself)") }
        }
        if chosen == .copula && scenario.model == .creditRiskPlus {
            throw ValidationError("--model copula: \(self.scenario) has model: creditriskplus, whose factor columns are sector weights; use --model all to simulate them as loadings beside CreditRisk+")
        }
        if let world = MPIRuntime.world {
            if chosen != .copula { throw ValidationError("--model \(chosen.rawValue): not under MPI (\(world.size) ranks); run it as one process") }
            if precision != nil { throw ValidationError("--precision: not under MPI (\(world.size) ranks); give --paths") }
            if exportPaths {
                throw ValidationError("--export-paths: not under MPI (\(world.size) ranks), where no rank holds all paths; run shards (--shard K/N) with --export-paths instead")
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
        if chosen == .creditriskplus { return try runCreditRiskPlus(scenario, output: output) }
        var request = RunRequest(scenario: scenario, paths: simulation.paths, seed: simulation.seed,
                                 threads: simulation.threads ?? ProcessInfo.processInfo.activeProcessorCount,
                                 method: method, stresses: try selectedStresses(scenario), contributions: contributions)
        if let precision {
            if chosen != .copula { throw ValidationError("--precision: only with --model copula") }
            request.precision = precision.value
            request.settings.paths = maxPaths ?? min(100 * scenario.paths, 2_000_000_000)
        }
        let settings = request.settings
        if chosen == .all { return try runComparison(scenario, request, output: output) }
        if let shard, let output {
            if chosen != .copula { throw ValidationError("--shard: only with --model copula") }
            return try runShard(scenario, request, shard: shard, output: output, started: started)
        }
        // Base first, then each stress with the same seed (common random numbers, so differences
        // are the stress and not noise). An interruption ends the sequence.
        let monitor = CommandLineMonitor(quiet: quiet || !MPIRuntime.isRoot)
        let outcomes: [RunOutcome]
        let pipeline = RunPipeline(scenario: scenario, collective: MPIRuntime.world)
        do {
            outcomes = try pipeline.run(request, monitor: monitor)
        } catch {
            switch error {
            case .tooManyPaths:
                let source = simulation.paths != nil ? "--paths \(settings.paths)" : "\(self.scenario): simulation.paths \(settings.paths)"
                StdErr.write("error: \(source) \(error)\n")
                throw simulation.paths != nil ? Exit.usage : Exit.dataError
            case .interruptedBeforeAnyPath:
                StdErr.write("Interrupted: \(error)\n")
                throw ExitCode(130)
            case .importanceNeedsFactors where method != nil:
                throw ValidationError("--method importance: \(error)")
            case .stress, .importanceNeedsFactors, .creditRiskPlus:
                StdErr.write("error: \(self.scenario): \(error)\n")
                throw Exit.dataError
            }
        }
        // Under MPI every rank builds the files and the table, whose figures are collective
        // queries, in lockstep; rank 0 alone writes and prints.
        let partial = outcomes.contains(where: \.isPartial)
        if partial && pipeline.isRoot {
            if let cut = outcomes.last, cut.contributionsInterrupted {
                StdErr.write("Interrupted during the contribution pass: the loss figures are complete, the contributions are not written.\n")
            } else if let cut = outcomes.last, cut.laterStressesSkipped {
                StdErr.write("Interrupted: the \(outcomes.count) portfolio(s) simulated are complete; the stresses after them were not run.\n")
            } else {
                let done = outcomes.last.map(\.output.paths) ?? 0
                StdErr.write("Interrupted: keeping the \(done) of \(settings.paths) paths finished; the results say they are partial.\n")
            }
        }

        if out != nil {
            let manifest = Manifest(commandLine: CommandLine.arguments, scenario: scenario, seed: settings.seed,
                                    paths: outcomes.first?.output.paths ?? 0, threads: settings.threads,
                                    method: request.method.rawValue, started: started, finished: Date())
            let files: [(name: String, contents: Data)]
            do {
                files = try ResultFiles.make(outcomes, manifest: manifest, exportPaths: exportPaths)
            } catch {
                StdErr.write("error: internal: cannot encode the results: \(error)\n")
                throw Exit.software
            }
            if let output {
                do {
                    try output.write(files)
                } catch {
                    StdErr.write("error: \(error)\n")
                    throw Exit.cannotCreate
                }
            }
        }
        let table = json ? "" : SummaryTable.render(scenario: scenario, report: outcomes[0].report, output: outcomes[0].output,
                                                    requestedPaths: settings.paths)
        if !pipeline.isRoot { return }
        if json {
            if request.stresses.isEmpty, let base = outcomes.first {
                print(try encode(base.document), terminator: "")
            } else {
                print(try encode(StressedSummaries(base: outcomes[0].document, stresses: outcomes.dropFirst().map(\.document))),
                      terminator: "")
            }
        } else {
            let base = outcomes[0]
            print(table, terminator: "")
            let tail = SummaryTable.tailScenario(base.document)
            if !tail.isEmpty { print("\n" + tail, terminator: "") }
            if let c = base.contributions { print("\n" + SummaryTable.topContributors(c, report: base.report), terminator: "") }
            if let capital = base.document.capital { print("\n" + SummaryTable.capitalTable(capital), terminator: "") }
            for o in outcomes.dropFirst() {
                guard let stress = o.stress else { continue }
                print("\nStress \(stress.name)\(stress.description.map { ": \($0)" } ?? "")")
                print(ComparisonTable.render(base.document, o.document, labels: ("A: base", "B: \(stress.name)")), terminator: "")
            }
            if let out {
                let extra = outcomes.count > 1 ? " (stresses in stress-NAME/)" : ""
                let euler = outcomes.contains { $0.contributions != nil } ? ", contributions.csv" : ""
                let paths = exportPaths ? ", paths/*.npy" : ""
                print("\nWrote summary.json, loss-distribution.csv, quantiles.csv, report.html\(euler)\(paths), manifest.json to \(out)\(extra)")
            }
        }
        // Test hook (tests only): the peak resident memory against the estimate.
        if ProcessInfo.processInfo.environment["CREDITSIM_TEST_REPORT_MEMORY"] != nil,
           let estimate = try? RunPipeline(scenario: scenario).memoryEstimate(request) {
            let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
            let hwm = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") }
                .flatMap { Double($0.split(separator: " ").dropFirst().first ?? "") } ?? 0
            StdErr.write(String(format: "test hook: peak resident %.0f bytes, estimate %.0f bytes (baseline %.0f, inputs %.0f, per-path %.0f, payouts %.0f, contributions %.0f)\n",
                                hwm * 1024, estimate.total, estimate.baseline, estimate.inputs, estimate.perPath,
                                estimate.payouts, estimate.contributions))
        }
        // 128 + SIGINT, after the partial results are safely written.
        if partial { throw ExitCode(130) }
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

    /// `model: creditriskplus` or `--model creditriskplus`: the analytic evaluation.
    func runCreditRiskPlus(_ scenario: Scenario, output: OutputDirectory?) throws {
        let outcome: AnalyticOutcome
        do {
            outcome = try RunPipeline(scenario: scenario).creditRiskPlus(seed: simulation.seed)
        } catch {
            StdErr.write("error: \(self.scenario): \(error)\n")
            throw Exit.dataError
        }
        if let output {
            let files: [(name: String, contents: String)]
            do { files = try ResultFiles.make(analytic: outcome) } catch {
                StdErr.write("error: internal: cannot encode the summary: \(error)\n")
                throw Exit.software
            }
            try write(files, to: output)
        }
        if json {
            print(try encode(outcome.document), terminator: "")
        } else {
            print(SummaryTable.render(scenario: scenario, analytic: outcome), terminator: "")
            if let out { print("\nWrote summary.json, loss-distribution.csv, quantiles.csv, risk-contributions.csv, report.html\(outcome.capital != nil ? ", capital.csv" : "") to \(out)") }
        }
    }

    /// `--model all`: Gaussian and Student-t simulations, CreditRisk+ and IRB side by side.
    func runComparison(_ scenario: Scenario, _ request: RunRequest, output: OutputDirectory?) throws {
        let comparison: ModelComparison
        do {
            comparison = try ModelComparison(scenario: scenario, request: request, monitor: CommandLineMonitor(quiet: quiet))
        } catch {
            if case .tooManyPaths = error {
                StdErr.write("error: \(error)\n")
                throw simulation.paths != nil ? Exit.usage : Exit.dataError
            }
            StdErr.write("error: \(self.scenario): \(error)\n")
            throw Exit.dataError
        }
        let partial = comparison.simulations.contains(where: \.isPartial)
        if let output {
            var files: [(name: String, contents: String)] = [
                ("comparison.json", try encode(comparison.document)),
                ("report.html", comparison.html),
                ("capital.csv", CSVExport.capital(comparison.capital)),
            ]
            for o in comparison.simulations {
                let folder = o.document.model + "/"
                files.append((folder + "summary.json", try encode(o.document)))
                files.append((folder + "loss-distribution.csv", CSVExport.lossDistribution(o.report)))
                files.append((folder + "quantiles.csv", CSVExport.quantiles(o.report)))
                files.append((folder + "report.html", HTMLReport.render(o.document, report: o.report)))
            }
            let a = comparison.analytic
            files += [
                ("creditriskplus/summary.json", try encode(a.document)),
                ("creditriskplus/loss-distribution.csv", CSVExport.lossDistribution(a.net)),
                ("creditriskplus/quantiles.csv", CSVExport.quantiles(net: a.net, gross: a.gross)),
                ("creditriskplus/risk-contributions.csv", CSVExport.riskContributions(a.netModel)),
                ("creditriskplus/report.html", HTMLReport.render(analytic: a)),
            ]
            try write(files, to: output)
        }
        if json {
            print(try encode(comparison.document), terminator: "")
        } else {
            print(comparison.table, terminator: "")
            if let out { print("\nWrote comparison.json, report.html, capital.csv and gaussian/, student-t/, creditriskplus/ to \(out)") }
        }
        if partial { throw ExitCode(130) }
    }

    func write(_ files: [(name: String, contents: String)], to output: OutputDirectory) throws {
        do {
            try output.write(files)
        } catch {
            StdErr.write("error: \(error)\n")
            throw Exit.cannotCreate
        }
    }

    /// `--shard K/N`: this shard's blocks of the base and every stress, written raw for `merge`.
    func runShard(_ scenario: Scenario, _ request: RunRequest, shard: ShardSpec, output: OutputDirectory,
                  started: Date) throws {
        let pieces: [ShardPiece]
        do {
            pieces = try RunPipeline(scenario: scenario).simulateShard(request, shard: shard, monitor: CommandLineMonitor(quiet: quiet))
        } catch {
            if case .interruptedBeforeAnyPath = error {
                StdErr.write("Interrupted: a shard is written only whole; nothing written.\n")
                throw ExitCode(130)
            }
            StdErr.write("error: \(self.scenario): \(error)\n")
            throw Exit.dataError
        }
        let manifest = Manifest(commandLine: CommandLine.arguments, scenario: scenario, seed: request.settings.seed,
                                paths: pieces.first?.output.paths ?? 0, threads: request.settings.threads,
                                method: request.method.rawValue, shard: shard.description, started: started, finished: Date())
        let files: [(name: String, contents: Data)]
        do {
            files = try ShardDocument.files(pieces, scenario: scenario, request: request, shard: shard, manifest: manifest)
        } catch {
            StdErr.write("error: internal: cannot encode the shard: \(error)\n")
            throw Exit.software
        }
        do { try output.write(files) } catch {
            StdErr.write("error: \(error)\n")
            throw Exit.cannotCreate
        }
        let blocks = shard.blocks(of: request.settings.blockCount)
        print("Shard \(shard): blocks \(blocks.lowerBound)..<\(blocks.upperBound), \(pieces.first?.output.paths ?? 0) paths of \(request.settings.paths), "
              + "\(pieces.count) portfolio(s); wrote \(out ?? "")")
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

    func encode<T: Encodable>(_ document: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            return String(decoding: try encoder.encode(document), as: UTF8.self) + "\n"
        } catch {
            StdErr.write("error: internal: cannot encode the summary: \(error)\n")
            throw Exit.software
        }
    }
}

/// `run --model`: which loss model to use.
enum ModelOption: String, ExpressibleByArgument, CaseIterable {
    case copula, creditriskplus, all
}

/// `run --json --stress …`: the base summary and one per stress.
struct StressedSummaries: Encodable {
    var base: SummaryDocument
    var stresses: [SummaryDocument]
}
