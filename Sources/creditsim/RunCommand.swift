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

    @Argument(help: "The scenario file (YAML, version 1).")
    var scenario: String

    @Option(help: "Number of Monte Carlo paths (overrides simulation.paths). Example: --paths 1000000")
    var paths: Int?

    @Option(help: "Random seed (overrides simulation.seed); same seed, same bits. Example: --seed 42")
    var seed: UInt64?

    @Option(help: "Worker threads (default: all cores); results do not depend on it.")
    var threads: Int?

    @Option(help: "Directory for summary.json, loss-distribution.csv, quantiles.csv, report.html (created if missing). Example: --out results/base")
    var out: String?

    @Flag(help: "Print the summary JSON instead of the table.")
    var json = false

    @Flag(help: "No progress output on stderr.")
    var quiet = false

    func validate() throws {
        if let paths, paths < 1 { throw ValidationError("--paths must be at least 1 (got \(paths))") }
        if let paths, paths > 2_000_000_000 { throw ValidationError("--paths must be at most 2000000000 (got \(paths))") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1 (got \(threads))") }
    }

    func run() throws {
        let scenario = try loadScenario(self.scenario)
        let settings = SimulationSettings(
            paths: paths ?? scenario.paths,
            seed: seed ?? scenario.seed,
            threads: threads ?? ProcessInfo.processInfo.activeProcessorCount)
        // The engine keeps a net and a gross loss per path (16 bytes); the statistics hold sorted
        // copies and tail sums (up to 48 more).
        let needed = Double(settings.paths) * 64
        let available = Double(ProcessInfo.processInfo.physicalMemory)
        if needed > 0.8 * available {
            let source = paths != nil ? "--paths \(settings.paths)" : "\(self.scenario): simulation.paths \(settings.paths)"
            StdErr.write(String(format: "error: %@ needs about %.1f GiB for the per-path losses and their statistics; this machine has %.1f GiB. Use fewer paths.\n",
                                source, needed / 1_073_741_824, available / 1_073_741_824))
            throw paths != nil ? Exit.usage : Exit.dataError
        }
        let engine: Engine
        do {
            engine = try Engine(portfolio: scenario.portfolio)
        } catch {
            StdErr.write("error: \(self.scenario): \(error)\n")
            throw Exit.dataError
        }
        let progress = quiet ? nil : ProgressReporter(total: settings.paths)
        var callback: (@Sendable (Int) -> Void)? = nil
        if let progress { callback = { done in progress.update(done) } }
        let interrupt = InterruptFlag()
        let output = engine.run(settings, progress: callback, shouldStop: { interrupt.isRaised })
        progress?.finish()
        let partial = output.paths < settings.paths
        if partial {
            StdErr.write("Interrupted: keeping the \(output.paths) of \(settings.paths) paths finished; the results say they are partial.\n")
        }
        let report = RiskReport(output: output, portfolio: scenario.portfolio, levels: scenario.levels)
        let document = SummaryDocument(scenario: scenario, report: report, output: output, requestedPaths: settings.paths)
        let summaryJSON = try encode(document)

        if let out {
            let files = [
                (name: "summary.json", contents: summaryJSON),
                (name: "loss-distribution.csv", contents: CSVExport.lossDistribution(report)),
                (name: "quantiles.csv", contents: CSVExport.quantiles(report)),
                (name: "report.html", contents: HTMLReport.render(document, report: report)),
            ]
            do {
                try OutputDirectory(path: out).write(files)
            } catch {
                StdErr.write("error: \(error)\n")
                throw Exit.cannotCreate
            }
        }
        if json {
            print(summaryJSON, terminator: "")
        } else {
            print(SummaryTable.render(scenario: scenario, report: report, output: output, requestedPaths: settings.paths),
                  terminator: "")
            if let out { print("\nWrote summary.json, loss-distribution.csv, quantiles.csv, report.html to \(out)") }
        }
        // 128 + SIGINT, after the partial results are safely written.
        if partial { throw ExitCode(130) }
    }

    func encode(_ document: SummaryDocument) throws -> String {
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
