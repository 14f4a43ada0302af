import CreditRisk
@testable import CreditScenario
import Foundation
import Testing

/// The CreditScenario documentation (`Sources/CreditScenario/CreditScenario.docc`) is the
/// specification users rely on: every scenario key the loader accepts and every key of every JSON
/// document the tool writes must appear in it as code (`` `key` ``). A key added without its
/// documentation fails here, with every missing key listed at once.
@Suite struct DocumentationCoverageTests {
    /// The catalog's text: every article, concatenated.
    static func catalog() throws -> String {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()   // Tests/CreditScenarioTests
            .deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/CreditScenario/CreditScenario.docc")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".md") }.sorted()
        #expect(names.contains("CreditScenario.md"), "the catalog's landing page")
        return try names.map { try String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8) }.joined(separator: "\n")
    }

    /// The keys of `want` (block → keys) that the catalog does not show as `` `key` ``, one line each.
    static func missing(_ want: [(block: String, keys: [String])], in text: String) -> [String] {
        want.flatMap { block, keys in
            keys.filter { !text.contains("`\($0)`") }.sorted().map { "\(block): `\($0)`" }
        }
    }

    // MARK: Scenario keys

    @Test func everyScenarioKeyIsDocumented() throws {
        let text = try Self.catalog()
        let want = ScenarioKeys.all.map { (block: $0.block, keys: Array($0.keys)) }
        #expect(want.allSatisfy { !$0.keys.isEmpty })
        // Every set declared in ScenarioKeys.swift is in `all`, so none escapes this test.
        let source = try String(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/CreditScenario/Loading/ScenarioKeys.swift"), encoding: .utf8)
        let declared = source.components(separatedBy: "\n")
            .filter { $0.range(of: #"static let \w+: Set<String>"#, options: .regularExpression) != nil }
        #expect(declared.count == ScenarioKeys.all.count,
                "ScenarioKeys declares \(declared.count) sets but lists \(ScenarioKeys.all.count) in `all`")
        let gaps = Self.missing(want, in: text)
        #expect(gaps.isEmpty, "scenario keys missing from CreditScenario.docc:\n\(gaps.joined(separator: "\n"))")
    }

    // MARK: JSON documents

    /// A small book with every optional part: a guarantor with a capacity, protection, `pd_sd`
    /// (for CreditRisk+), a stress, tail thresholds, IRB capital, currency and unit.
    static func scenario(method: String = "importance") throws -> Scenario {
        let f = try Fixture([
            "s.yaml": """
                version: 1
                name: Coverage
                currency: CNY
                unit: bn
                simulation: {paths: 4096, seed: 7, method: \(method)}
                factors: [global, tech]
                entities: entities.csv
                bonds: bonds.csv
                output: {quantiles: [0.9, 0.99], tail_thresholds: [50], capital: [irb]}
                stress:
                  - name: tech_down
                    pd_multiplier: {sector: {tech: 2}}
                """,
            "entities.csv": """
                id,name,sector,pd,pd_sd,capacity,global,tech
                a,Alpha,tech,0.05,0.03,,0.3,0.4
                b,Beta,coal,0.08,0.05,,0.4,
                g,Guarantor,state,0.01,0.005,60,0.3,
                s,Seller,bank,0.01,0.005,,0.4,0.1

                """,
            "bonds.csv": """
                id,issuer,notional,maturity,lgd,guarantor,coverage,protection_seller,protection_notional,protection_spread_bps
                b1,a,100,0.5,0.6,g,1.0,,,
                b2,b,50,2,0.4,,,s,50,80
                b3,a,70,1,0.5,g,0.5,,,

                """,
        ])
        return try ScenarioLoader.load(path: f.path("s.yaml"))
    }

    /// Every key of a JSON value, with its path; the members of `dictionaries` (name → value maps
    /// such as comparison.json's `models`) are data, not keys, so only their values are walked.
    static func keys(_ value: Any, path: String = "", dictionaries: Set<String> = ["models"]) -> [(path: String, key: String)] {
        if let object = value as? [String: Any] {
            let parent = path.split(separator: ".").last.map(String.init) ?? ""
            return object.flatMap { key, child -> [(path: String, key: String)] in
                let here = path.isEmpty ? key : "\(path).\(key)"
                if dictionaries.contains(parent) { return keys(child, path: path + ".*", dictionaries: dictionaries) }
                return [(path: here, key: key)] + keys(child, path: here, dictionaries: dictionaries)
            }
        }
        if let array = value as? [Any] { return array.flatMap { keys($0, path: path + "[]", dictionaries: dictionaries) } }
        return []
    }

    static func json<T: Encodable>(_ value: T) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(try encodeJSON(value).utf8))
    }

    /// The keys of one document, grouped as "file: key (first path where it occurs)".
    static func documentKeys<T: Encodable>(_ name: String, _ value: T) throws -> (block: String, keys: [String]) {
        var seen: [String: String] = [:]
        for (path, key) in keys(try json(value)) where seen[key] == nil { seen[key] = path }
        return (block: name, keys: Array(seen.keys))
    }

    @Test func everyKeyOfEveryJSONDocumentIsDocumented() throws {
        let s = try Self.scenario()
        // A real run: importance sampling, a stress (versus_base), a precision target, tail
        // thresholds, IRB capital and a capacity-limited guarantor.
        var request = RunRequest(scenario: s, threads: 2, stresses: s.stresses)
        request.precision = 0.5
        request.settings.paths = 16_384
        let outcomes = try RunPipeline(scenario: s).run(request).outcomes
        try #require(outcomes.count == 2)
        let base = SummaryDocument(outcomes[0], scenario: s)
        var stressed = SummaryDocument(outcomes[1], scenario: s)
        // Keys a one-process, uninterrupted run leaves out: MPI's rank count, a stop's phase.
        stressed.run.ranks = 2
        stressed.run.partial = true
        stressed.run.interruptedPhase = "simulation"
        // The base's precision run fixes the path count of the stresses, which carry no precision.
        #expect(base.run.precision != nil && stressed.run.importanceShift != nil && stressed.answers.versusBase != nil)
        #expect(stressed.answers.capital != nil && stressed.losses.net.tail != nil)
        #expect(stressed.losses.guarantors.contains { $0.capacity != nil })
        #expect(stressed.answers.tailScenario?.last?.sectors.contains { $0.share != nil } == true)

        // CreditRisk+ adds loss_unit and enhancements.
        let analytic = AnalyticResult(try RunPipeline(scenario: s).creditRiskPlus(seed: 7), scenario: s)

        // comparison.json of --model all (plain sampling: the Student-t simulation of the
        // comparison shares the request).
        let plain = try Self.scenario(method: "plain")
        let comparison = ComparisonResult(try ModelComparison(scenario: plain, request: RunRequest(scenario: plain, paths: 4096, threads: 2)),
                                          scenario: plain)

        // sweep.json of creditsim sweep: (1, 1) and one scaled point, paired with it.
        let sweep = SweepResult(try RunPipeline(scenario: plain).sweep(SweepGrid(pdScales: [1, 2]),
                                                                      request: RunRequest(scenario: plain, paths: 4096, threads: 2)),
                                scenario: plain)
        #expect(sweep.document.points.count == 2 && sweep.document.points[1].versusBase != nil)

        // shard.json of run --shard 1/2 with importance sampling (each piece carries its shift).
        let shardSpec = try #require(ShardSpec(index: 1, count: 2))
        let plan = RunPlan(scenario: s, request: RunRequest(scenario: s, paths: 4096, threads: 2, stresses: s.stresses),
                           partition: .shard(shardSpec))
        let shard = try #require(try plan.perform() as? ShardResult)
        #expect(shard.document.pieces.allSatisfy { $0.shift != nil })

        // manifest.json of a stress folder of a shard run (every optional key present).
        var manifest = Manifest(commandLine: ["creditsim", "run", s.path], scenario: s, seed: 7, paths: 4096, threads: 2,
                                method: "importance", shard: "1/2", started: Date(), finished: Date())
        manifest.folder = "stress-tech_down"

        // paths/columns.json of --export-paths.
        let columnsFile = try #require(PathArrays.files(outcomes[0].output, portfolio: outcomes[0].portfolio, factorIDs: s.factorIDs)
            .first { $0.name == "columns.json" })
        let columns = try JSONSerialization.jsonObject(with: try columnsFile.render())

        var documents = [
            try Self.documentKeys("summary.json", base),
            try Self.documentKeys("summary.json (stress)", stressed),
            try Self.documentKeys("run --json --stress", StressedSummaries(base: base, stresses: [stressed])),
            try Self.documentKeys("summary.json (CreditRisk+)", analytic.document),
            try Self.documentKeys("comparison.json", comparison.document),
            try Self.documentKeys("sweep.json", sweep.document),
            try Self.documentKeys("shard.json", shard.document),
            try Self.documentKeys("manifest.json", manifest),
        ]
        var columnKeys: Set<String> = []
        for (_, key) in Self.keys(columns) { columnKeys.insert(key) }
        documents.append((block: "paths/columns.json", keys: Array(columnKeys)))

        // The documents really are populated: a sample of optional keys of each.
        let all = Set(documents.flatMap(\.keys))
        for key in ["versus_base", "importance_factor_shift", "capacity_exhausted_se", "ranks", "interrupted_phase", "precision",
                    "tail", "share", "risk_weighted_assets", "loss_unit", "enhancements", "irb", "models", "pieces", "folder",
                    "openblas_core", "first_path", "providers", "pd_scale", "loading_scale"] {
            #expect(all.contains(key), "the documents built here should hold \(key)")
        }
        let gaps = Self.missing(documents, in: try Self.catalog())
        #expect(gaps.isEmpty, "JSON keys missing from CreditScenario.docc:\n\(gaps.joined(separator: "\n"))")
    }
}
