import ArgumentParser
import CreditRisk
import CreditScenario
import Foundation

struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Combine the shard folders of `run --shard K/N` into the one-process result.",
        discussion: """
            Checks that the folders are one complete set (shards 1 … N once each, the same seed, \
            paths, method, stresses, tool version and scenario files, by SHA-256) and writes the \
            result folder `run` would have written, bit for bit in every figure but timing.

            Example: creditsim merge shards/1 shards/2 shards/3 shards/4 --out results/
            """
    )

    @Argument(help: "The shard folders, in any order. Example: shards/1 shards/2")
    var shards: [String]

    @Option(help: "Directory for the merged result (summary.json, CSVs, report.html, manifest.json). Example: --out results/")
    var out: String

    @Flag(help: "Print the summary JSON instead of the table. Example: --json | jq .net")
    var json = false

    @Flag(help: "Also write the merged per-path arrays in DIR/paths/. Example: --export-paths")
    var exportPaths = false

    func run() throws {
        let started = Date()
        let loaded: [ShardMerge.Loaded]
        do { loaded = try ShardMerge.load(shards) } catch {
            StdErr.write("error: \(error)\n")
            throw error.isBusy ? Exit.cannotCreate : Exit.dataError
        }
        let document = loaded[0].document
        let scenario: Scenario
        do {
            scenario = try loadScenario(document.scenarioPath).overriding(horizon: document.horizon, levels: document.levels)
        } catch let error as PortfolioError {
            StdErr.write("error: \(document.scenarioPath): \(error)\n")
            throw Exit.dataError
        }
        let outcomes: [RunOutcome]
        do { outcomes = try ShardMerge.outcomes(loaded, scenario: scenario) } catch {
            StdErr.write("error: \(error)\n")
            throw Exit.dataError
        }
        let output: OutputDirectory
        do {
            output = try OutputDirectory.acquire(path: out, protecting: scenario.inputFiles + shards, markers: ["summary.json"])
        } catch {
            StdErr.write("error: \(error)\n")
            if case .badPath = error { throw Exit.usage }
            throw Exit.cannotCreate
        }
        defer { output.release() }
        var manifest = Manifest(commandLine: CommandLine.arguments, scenario: scenario, seed: document.seed,
                                paths: outcomes.first?.output.paths ?? 0, threads: outcomes.first?.output.settings.threads ?? 1,
                                method: document.method, started: started, finished: Date())
        manifest.shard = "merged from \(document.shard.count) shards"
        if exportPaths, outcomes.contains(where: { $0.output.events == nil }) {
            StdErr.write("warning: paths/events/ not written: the shards were run without --export-paths (rerun them with it for per-bond events)\n")
        }
        let results = RunResults(outcomes, scenario: scenario, options: ExportOptions(exportPaths: exportPaths))
        try Delivery(output: output, outPath: out, json: json).deliver(results, manifest: manifest)
    }
}
