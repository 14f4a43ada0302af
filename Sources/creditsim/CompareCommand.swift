import ArgumentParser
import CreditRisk
import CreditScenario
import Foundation

struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Show result folders side by side (EL, VaR, ES, payouts), each against the first.",
        discussion: """
            Reads summary.json (and manifest.json) from each folder written by `creditsim run --out`, and \
            prints every figure of A and of each other run with their difference and ratio. When two runs \
            share their seed and paths and both were run with --export-paths, the differences are paired \
            (same paths) and carry their own standard errors. A warning names runs that differ in seed, \
            paths, input files or tool version.

            Example: creditsim compare out/base out/rollover out/stress --csv
            """
    )

    @Argument(help: "Two or more result folders written by run --out; the first is the reference A. Example: out/base out/stress")
    var folders: [String]

    @Flag(help: "Print the comparison as JSON. Example: --json | jq .runs")
    var json = false

    @Flag(help: "Print the comparison as CSV (figure, run, A, B, B − A, SE of the difference, significant). Example: --csv > cmp.csv")
    var csv = false

    func validate() throws {
        if folders.count < 2 { throw ValidationError("compare needs at least two result folders (got \(folders.count))") }
        if json && csv { throw ValidationError("--json and --csv: choose one") }
    }

    /// One run against the reference.
    struct Entry: Encodable {
        var folder: String
        var summary: SummaryDocument
        /// B − A on the same paths, when both runs exported their paths with one seed.
        var paired: VersusBase?
        var warnings: [String]
    }

    func run() throws {
        let reference = try load(folders[0])
        var entries: [Entry] = []
        for folder in folders.dropFirst() {
            var other = try load(folder)
            var warnings: [String] = []
            switch (reference.manifest, other.manifest) {
            case let (a?, b?): warnings = a.differences(from: b)
            default: warnings = ["no manifest.json in \(reference.manifest == nil ? folders[0] : folder): seed, inputs and version cannot be checked"]
            }
            other.summary.answers.versusBase = paired(reference, other)
            for w in warnings { StdErr.write("warning: \(folders[0]) and \(folder): \(w)\n") }
            entries.append(Entry(folder: folder, summary: other.summary, paired: other.summary.answers.versusBase, warnings: warnings))
        }
        if json {
            struct Document: Encodable { var reference: String; var summary: SummaryDocument; var runs: [Entry] }
            print(try encodeJSON(Document(reference: folders[0], summary: reference.summary, runs: entries)), terminator: "")
        } else if csv {
            print(ComparisonTable.csv(reference.summary, entries.map { ($0.folder, $0.summary) }), terminator: "")
        } else {
            for (i, e) in entries.enumerated() {
                if i > 0 { print("") }
                print(ComparisonTable.render(reference.summary, e.summary, labels: ("A: \(folders[0])", "B: \(e.folder)")), terminator: "")
            }
        }
    }

    struct Loaded {
        var folder: URL
        var summary: SummaryDocument
        var manifest: Manifest?
    }

    func load(_ folder: String) throws -> Loaded {
        let url = URL(fileURLWithPath: folder)
        let path = url.appendingPathComponent("summary.json").path
        guard let data = FileManager.default.contents(atPath: path) else {
            StdErr.write("error: \(path): file not found or unreadable; give a folder written by `creditsim run --out`\n")
            throw Exit.noInput
        }
        let summary: SummaryDocument
        do {
            summary = try JSONDecoder().decode(SummaryDocument.self, from: data)
        } catch {
            StdErr.write("error: \(path): not a CreditSim summary: \(Self.reason(error))\n")
            throw Exit.dataError
        }
        let manifest = FileManager.default.contents(atPath: url.appendingPathComponent("manifest.json").path)
            .flatMap { try? JSONDecoder().decode(Manifest.self, from: $0) }
        return Loaded(folder: url, summary: summary, manifest: manifest)
    }

    /// Paired differences from the exported paths of two runs with one seed and path count.
    func paired(_ a: Loaded, _ b: Loaded) -> VersusBase? {
        guard a.summary.run.seed == b.summary.run.seed, a.summary.run.paths == b.summary.run.paths,
              a.summary.losses.net.quantiles.map(\.level) == b.summary.losses.net.quantiles.map(\.level),
              let na = array(a, "net"), let ga = array(a, "gross"), let nb = array(b, "net"), let gb = array(b, "gross"),
              na.count == nb.count, na.count == a.summary.run.paths else { return nil }
        let wa = array(a, "weight"), wb = array(b, "weight")
        let levels = a.summary.losses.net.quantiles.map(\.level)
        func summary(_ values: [Double], _ w: [Double]?) -> LossSummary {
            RiskMeasures.summary(w.map { EmpiricalLoss(values: values, weights: $0) } ?? EmpiricalLoss(values: values), levels: levels)
        }
        let net = PairedComparison.loss(na, wa, summary(na, wa), nb, wb, summary(nb, wb))
        let gross = PairedComparison.loss(ga, wa, summary(ga, wa), gb, wb, summary(gb, wb))
        return VersusBase(net: net, gross: gross)
    }

    func array(_ run: Loaded, _ name: String) -> [Double]? {
        FileManager.default.contents(atPath: run.folder.appendingPathComponent("paths/\(name).npy").path)
            .flatMap(NumPyFile.read)?.values
    }

    static func reason(_ error: Error) -> String {
        switch error {
        case let DecodingError.keyNotFound(key, _): return "missing key \"\(key.stringValue)\""
        case let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context):
            return "bad value at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
        case DecodingError.dataCorrupted: return "not valid JSON"
        default: return "\(error)"
        }
    }
}
