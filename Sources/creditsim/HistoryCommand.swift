import ArgumentParser
import CreditHistory
import CreditScenario
import Foundation

struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "List the runs of a history database and write their trend page.",
        discussion: """
            Reads the SQLite file that `run --history FILE` appends to (tables runs, portfolios and \
            measures; see the documentation) and prints one line per run: as_of, start, scenario, \
            paths, seed, method, and the base's net EL, VaR and ES at the highest level. With --html, \
            also writes a page of EL, VaR and ES by as_of, one line per portfolio (base and stresses).

            Example: creditsim history runs.sqlite --scenario "Tech bonds 2026 H1" --html trend.html
            """
    )

    @Argument(help: "The history database written by run --history. Example: runs.sqlite")
    var file: String

    @Option(help: "Only the runs of this scenario (its name:). Example: --scenario \"Tech bonds\"")
    var scenario: String?

    @Option(help: "Also write the trend page to this file. Example: --html trend.html")
    var html: String?

    @Flag(help: "Print the runs as JSON lines instead of the table. Example: --json")
    var json = false

    func run() throws {
        // Listing never creates a database.
        guard FileManager.default.isReadableFile(atPath: file) else {
            StdErr.write("error: \(file): no such history database (run --history \(file) creates it)\n")
            throw Exit.noInput
        }
        let runs: [HistoryRecord]
        do { runs = try HistoryStore(path: file).runs(scenario: scenario) } catch {
            StdErr.write("error: \(error)\n")
            throw Exit.dataError
        }
        if json {
            // One JSON object per line (JSON Lines), for scripts.
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            for r in runs { print(String(decoding: try encoder.encode(HistoryLine(r)), as: UTF8.self)) }
        } else {
            print(TrendPage.table(runs), terminator: "")
        }
        if let html {
            do {
                try Data(TrendPage.render(runs, source: file).utf8).write(to: URL(fileURLWithPath: html), options: .atomic)
            } catch {
                StdErr.write("error: \(html): cannot write the trend page: \(error.localizedDescription)\n")
                throw Exit.cannotCreate
            }
            if !json { print("Wrote \(html)") }
        }
    }
}

/// One run of `history --json`.
struct HistoryLine: Encodable {
    var id: Int64?, scenario: String, asOf: String, startedUTC: String, paths: Int, seed: UInt64, method: String
    var partial: Bool, portfolios: [String: Double]
    enum CodingKeys: String, CodingKey {
        case id, scenario, paths, seed, method, partial, portfolios
        case asOf = "as_of", startedUTC = "started_utc"
    }
    init(_ r: HistoryRecord) {
        id = r.id
        scenario = r.scenario
        asOf = r.asOf
        startedUTC = r.startedUTC
        paths = r.paths
        seed = r.seed
        method = r.method
        partial = r.partial
        portfolios = Dictionary(r.portfolios.map { ($0.name, $0.netEL) }, uniquingKeysWith: { a, _ in a })
    }
}
