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

    @Option(help: "Number of Monte Carlo paths (overrides simulation.paths). Example: --paths 1000000")
    var paths: Int?

    @Option(help: "Random seed (overrides simulation.seed); same seed, same bits. Example: --seed 42")
    var seed: UInt64?

    @Option(help: "Worker threads (default: all cores); results do not depend on it. Example: --threads 1")
    var threads: Int?

    @Option(help: "Directory for summary.json, loss-distribution.csv, quantiles.csv, report.html (created if missing). Example: --out results/base")
    var out: String?

    @Flag(help: "Print the summary JSON (the same object as summary.json) instead of the table. Example: --json | jq .net")
    var json = false

    @Flag(help: "No progress bar on stderr (it only appears on a terminal, for runs over a second). Example: --quiet")
    var quiet = false

    func validate() throws {
        if let method, method != "plain" && method != "importance" {
            throw ValidationError("--method must be plain or importance (got \(method))")
        }
        if let paths, paths < 1 { throw ValidationError("--paths must be at least 1 (got \(paths))") }
        if let paths, paths > 2_000_000_000 { throw ValidationError("--paths must be at most 2000000000 (got \(paths))") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1 (got \(threads))") }
    }

    @Option(help: ArgumentHelp("Also run a stress of the scenario's stress: list (repeatable; all for every one), with the same seed, and compare it with the base.",
                               discussion: "Example: --stress coal_steel_downturn --stress refinancing_freeze", valueName: "name"))
    var stress: [String] = []

    @Option(help: ArgumentHelp("Sampling method (overrides simulation.method): plain, or importance for the Glasserman–Li factor shift and twist, which cuts the errors of far-tail figures.",
                               discussion: "Example: --method importance", valueName: "method"))
    var method: String?

    @Flag(help: ArgumentHelp("Also compute Euler contributions to EL and ES (per bond, issuer, sector, guarantor) by a second, bit-identical pass over the paths; writes contributions.csv and prints the top contributors.",
                             discussion: "Example: --contributions --out results/"))
    var contributions = false

    /// One simulated portfolio: the base or a stress.
    struct Outcome {
        var stress: Stress?
        var output: SimulationOutput
        var report: RiskReport
        var document: SummaryDocument
        var contributions: Contributions?
    }

    func run() throws {
        let scenario = try loadScenario(self.scenario)
        let stresses = try selectedStresses(scenario)
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

        // Base first, then each stress with the same seed (common random numbers, so differences
        // are the stress and not noise). An interruption ends the sequence.
        let interrupt = InterruptFlag()
        var outcomes: [Outcome] = []
        for stress in [nil] + stresses.map(Optional.some) {
            var portfolio = scenario.portfolio
            if let stress {
                do { portfolio = try stress.apply(to: scenario.portfolio) } catch {
                    StdErr.write("error: \(self.scenario): stress \(stress.name): \(error)\n")
                    throw Exit.dataError
                }
            }
            let outcome = try simulate(portfolio, stress: stress, scenario: scenario, settings: settings, interrupt: interrupt)
            outcomes.append(outcome)
            if outcome.document.partial { break }
        }
        let partial = outcomes.contains { $0.document.partial }
        if partial {
            let done = outcomes.last.map(\.output.paths) ?? 0
            StdErr.write("Interrupted: keeping the \(done) of \(settings.paths) paths finished; the results say they are partial.\n")
        }

        if let out {
            var files: [(name: String, contents: String)] = []
            for o in outcomes {
                let folder = o.stress.map { "stress-\($0.name)/" } ?? ""
                files.append((folder + "summary.json", try encode(o.document)))
                files.append((folder + "loss-distribution.csv", CSVExport.lossDistribution(o.report)))
                files.append((folder + "quantiles.csv", CSVExport.quantiles(o.report)))
                files.append((folder + "report.html", HTMLReport.render(o.document, report: o.report, contributions: o.contributions)))
                if let c = o.contributions { files.append((folder + "contributions.csv", CSVExport.contributions(c))) }
            }
            do {
                try OutputDirectory(path: out).write(files)
            } catch {
                StdErr.write("error: \(error)\n")
                throw Exit.cannotCreate
            }
        }
        if json {
            if stresses.isEmpty, let base = outcomes.first {
                print(try encode(base.document), terminator: "")
            } else {
                print(try encode(StressedSummaries(base: outcomes[0].document, stresses: outcomes.dropFirst().map(\.document))),
                      terminator: "")
            }
        } else {
            let base = outcomes[0]
            print(SummaryTable.render(scenario: scenario, report: base.report, output: base.output, requestedPaths: settings.paths),
                  terminator: "")
            if let c = base.contributions { print("\n" + SummaryTable.topContributors(c, report: base.report), terminator: "") }
            for o in outcomes.dropFirst() {
                guard let stress = o.stress else { continue }
                print("\nStress \(stress.name)\(stress.description.map { ": \($0)" } ?? "")")
                print(ComparisonTable.render(base.document, o.document, labels: ("A: base", "B: \(stress.name)")), terminator: "")
            }
            if let out {
                let extra = outcomes.count > 1 ? " (stresses in stress-NAME/)" : ""
                let euler = outcomes.contains { $0.contributions != nil } ? ", contributions.csv" : ""
                print("\nWrote summary.json, loss-distribution.csv, quantiles.csv, report.html\(euler) to \(out)\(extra)")
            }
        }
        // 128 + SIGINT, after the partial results are safely written.
        if partial { throw ExitCode(130) }
    }

    func selectedStresses(_ scenario: Scenario) throws -> [Stress] {
        if stress.contains("all") { return scenario.stresses }
        return try stress.map { name in
            guard let s = scenario.stresses.first(where: { $0.name == name }) else {
                let known = scenario.stresses.map(\.name)
                throw ValidationError("--stress \(name): no such stress in \(self.scenario); "
                    + (known.isEmpty ? "it defines none" : "defined: \(known.joined(separator: ", ")), or all"))
            }
            return s
        }
    }

    func simulate(_ portfolio: Portfolio, stress: Stress?, scenario: Scenario, settings: SimulationSettings,
                  interrupt: InterruptFlag) throws -> Outcome {
        let engine = Engine(portfolio: portfolio)
        // Importance sampling: a plain pilot (a tenth of the paths, 20 000 to 100 000) sets the
        // target at the highest level's VaR, then the shift is optimised.
        var shift: ImportanceShift? = nil
        if method.map({ $0 == "importance" }) ?? scenario.importanceSampling {
            if case .fullCorrelation = portfolio.dependence {
                throw ValidationError("--method importance needs a factor model (factors:), not a full correlation matrix")
            }
            let pilot = min(max(settings.paths / 10, 20_000), 100_000)
            shift = engine.importanceShift(level: scenario.levels.max() ?? 0.99, pilotPaths: pilot,
                                           seed: settings.seed, threads: settings.threads)
        }
        let progress = quiet ? nil : ProgressReporter(total: settings.paths)
        var callback: (@Sendable (Int) -> Void)? = nil
        if let progress { callback = { done in progress.update(done) } }
        let output = engine.run(settings, progress: callback, shouldStop: { interrupt.isRaised }, importance: shift)
        progress?.finish()
        let report = RiskReport(output: output, portfolio: portfolio, levels: scenario.levels)
        var document = SummaryDocument(scenario: scenario, report: report, output: output, requestedPaths: settings.paths)
        document.stress = stress?.name
        document.method = shift == nil ? "plain" : "importance"
        document.importanceTarget = shift?.target
        document.importanceShift = shift?.mu
        var euler: Contributions? = nil
        if contributions && !document.partial {
            // Second pass over the same paths (same seed, same blocks): tail paths are found by
            // their exact net loss, so no per-path bond losses need to be kept from the first.
            let request = ContributionRequest(net: report.netDistribution, levels: scenario.levels)
            let again = engine.run(settings, shouldStop: { interrupt.isRaised }, contributions: request, importance: shift)
            if again.paths == output.paths, let sums = again.contributionSums {
                euler = Contributions(sums: sums, request: request, portfolio: portfolio)
            }
        }
        return Outcome(stress: stress, output: output, report: report, document: document, contributions: euler)
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

/// `run --json --stress …`: the base summary and one per stress.
struct StressedSummaries: Encodable {
    var base: SummaryDocument
    var stresses: [SummaryDocument]
}
