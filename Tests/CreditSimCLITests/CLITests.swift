import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// The `creditsim` executable end to end: help, exit codes, error texts, files written.
@Suite(.serialized) struct CLITests {
    /// The tool built next to the test bundle (`swift test` builds every product first).
    static let tool: URL = {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
            Bundle.main.bundleURL,
            Bundle.main.bundleURL.deletingLastPathComponent(),
        ]
        for dir in candidates {
            let url = dir.appendingPathComponent("creditsim")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        // Fall back to the package's debug build.
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/debug/creditsim")
    }()

    /// Runs the tool to the end (the one process runner of the CLI tests, `Tool`).
    func run(_ arguments: [String]) throws -> Tool.Result { try Tool.run(arguments) }

    static let entities = """
        id,name,sector,pd,global
        a,Alpha,tech,0.03,0.4
        b,Beta,coal,0.05,0.3
        g,Guarantor,state,0.002,0.3
        s,Seller,bank,0.004,0.3

        """
    static let bonds = """
        id,issuer,notional,maturity,lgd,guarantor,coverage,protection_seller,protection_notional,protection_spread_bps
        b1,a,100,0.5,0.6,g,1,,,
        b2,b,50,2,0.4,,,s,40,80

        """
    static let scenario = """
        version: 1
        name: CLI test
        simulation: {paths: 20000, seed: 4}
        factors: [global]
        entities: entities.csv
        bonds: bonds.csv
        output: {quantiles: [0.95, 0.99], tail_thresholds: [0, 30]}

        """

    func fixture(entities: String = Self.entities) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("creditsim-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try Data(Self.scenario.utf8).write(to: dir.appendingPathComponent("s.yaml"))
        try Data(entities.utf8).write(to: dir.appendingPathComponent("entities.csv"))
        try Data(Self.bonds.utf8).write(to: dir.appendingPathComponent("bonds.csv"))
        return dir
    }

    @Test func helpListsSubcommands() throws {
        let r = try run(["--help"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("USAGE: creditsim <subcommand>"))
        for sub in ["run", "validate", "compare", "bench"] { #expect(r.stdout.contains("  \(sub) ")) }
        let runHelp = try run(["run", "--help"])
        #expect(runHelp.stdout.contains("USAGE: creditsim run [<options>] <scenario>"))
        for option in ["--paths <paths>", "--seed <seed>", "--threads <threads>", "--out <out>", "--json", "--quiet",
                       "--stress <name>", "--method <method>", "--contributions", "--model <model>",
                       "--precision <fraction>", "--max-paths <paths>", "--horizon <years>", "--levels <levels>"] {
            #expect(runHelp.stdout.contains("  \(option)"), "run --help lacks \(option)")
        }
        #expect(runHelp.stdout.contains("Example: --paths 1000000"))
    }

    @Test func runWritesFilesAndJSONMatchesSummary() throws {
        let dir = try fixture()
        let out = dir.appendingPathComponent("results")
        let r = try run(["run", dir.appendingPathComponent("s.yaml").path, "--out", out.path, "--json", "--threads", "1"])
        #expect(r.status == 0, "\(r.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
        #expect(files == ["loss-distribution.csv", "manifest.json", "quantiles.csv", "report.html", "summary.json"])
        let summary = try Data(contentsOf: out.appendingPathComponent("summary.json"))
        #expect(String(decoding: summary, as: UTF8.self) == r.stdout)
        let json = try #require(try JSONSerialization.jsonObject(with: summary) as? [String: Any])
        for key in ["scenario", "paths", "seed", "threads", "horizon", "elapsed_seconds", "paths_per_second",
                    "portfolio", "expected_premium", "net", "gross", "guarantors", "protection_sellers"] {
            #expect(json[key] != nil, "summary.json lacks \(key)")
        }
        #expect(json["paths"] as? Int == 20000 && json["seed"] as? Int == 4 && json["threads"] as? Int == 1)
        let net = try #require(json["net"] as? [String: Any])
        let quantiles = try #require(net["quantiles"] as? [[String: Any]])
        #expect(quantiles.map { $0["level"] as? Double } == [0.95, 0.99])
        #expect(quantiles.allSatisfy { $0["var"] != nil && $0["es"] != nil })
        // Tail probabilities: P(L > 0) is one minus the atom at zero, and P(L > x) falls with x.
        let tail = try #require(net["tail"] as? [[String: Any]])
        #expect(tail.map { ($0["threshold"] as? NSNumber)?.doubleValue } == [0, 30])
        let p0 = try #require((tail[0]["probability"] as? NSNumber)?.doubleValue)
        let p30 = try #require((tail[1]["probability"] as? NSNumber)?.doubleValue)
        #expect(p0 > p30 && p0 > 0 && p0 < 0.2)
        let distribution = try String(contentsOf: out.appendingPathComponent("loss-distribution.csv"), encoding: .utf8)
        let atom = Double(distribution.split(separator: "\n")[1].split(separator: ",")[1]) ?? -1
        #expect(abs(p0 - (1 - atom)) < 1e-12)
        let guarantors = try #require(json["guarantors"] as? [[String: Any]])
        #expect(guarantors.first?["id"] as? String == "g")
        let csv = try String(contentsOf: out.appendingPathComponent("loss-distribution.csv"), encoding: .utf8)
        #expect(csv.hasPrefix("loss,probability,cumulative_probability\n0,"))
        let q = try String(contentsOf: out.appendingPathComponent("quantiles.csv"), encoding: .utf8)
        #expect(q.hasPrefix("level,net_var,net_es,gross_var,gross_es\n0.01,"))

        // Same seed, other thread count: same numbers (elapsed time aside).
        let r2 = try run(["run", dir.appendingPathComponent("s.yaml").path, "--json", "--threads", "2"])
        let j2 = try #require(try JSONSerialization.jsonObject(with: Data(r2.stdout.utf8)) as? [String: Any])
        #expect(NSDictionary(dictionary: j2["net"] as? [String: Any] ?? [:]).isEqual(to: net))
    }

    @Test func tableGoesToStdoutAndFlagsOverrideScenario() throws {
        let dir = try fixture()
        let r = try run(["run", dir.appendingPathComponent("s.yaml").path, "--paths", "3000", "--seed", "9"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("Scenario   CLI test"))
        #expect(r.stdout.contains("Paths      3000 (seed 9,"))
        #expect(r.stdout.contains("VaR 99%"))
        #expect(r.stderr.isEmpty)
    }

    @Test func badDataExits65WithMessageAndNoFiles() throws {
        let dir = try fixture(entities: Self.entities.replacingOccurrences(of: "b,Beta,coal,0.05", with: "b,Beta,coal,2"))
        let out = dir.appendingPathComponent("results")
        let r = try run(["run", dir.appendingPathComponent("s.yaml").path, "--out", out.path])
        #expect(r.status == 65)
        #expect(r.stderr.contains("error: entities.csv:3: column \"pd\": value \"2\": must be a number with 0 < pd < 1"), "\(r.stderr)")
        #expect(r.stdout.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: out.path))
        let v = try run(["validate", dir.appendingPathComponent("s.yaml").path])
        #expect(v.status == 65 && v.stderr == r.stderr)
    }

    @Test func missingFileExits66() throws {
        let r = try run(["run", "/nonexistent/scenario.yaml"])
        #expect(r.status == 66)
        #expect(r.stderr == "error: /nonexistent/scenario.yaml: file not found\n")
    }

    @Test func badCommandLineExits64() throws {
        let r = try run(["run", "x.yaml", "--paths", "0"])
        #expect(r.status == 64)
        #expect(r.stderr.contains("--paths must be at least 1 (got 0)"))
        let unknown = try run(["run", "x.yaml", "--frobnicate"])
        #expect(unknown.status == 64)
        #expect(unknown.stderr.contains("Unknown option '--frobnicate'"))
    }

    @Test func tooManyPathsForMemoryExits64() throws {
        let dir = try fixture()
        let r = try run(["run", dir.appendingPathComponent("s.yaml").path, "--paths", "1900000000"])
        #expect(r.status == 64)
        #expect(r.stderr.contains("--paths 1900000000 needs about"), "\(r.stderr)")
    }

    @Test func unwritableOutputExits73() throws {
        let dir = try fixture()
        let blocker = dir.appendingPathComponent("file")
        try Data("x".utf8).write(to: blocker)
        let r = try run(["run", dir.appendingPathComponent("s.yaml").path, "--out", blocker.path])
        #expect(r.status == 73)
        #expect(r.stderr.contains("exists and is not a directory"))
    }

    @Test func validateDescribesPortfolio() throws {
        let dir = try fixture()
        let r = try run(["validate", dir.appendingPathComponent("s.yaml").path])
        #expect(r.status == 0)
        #expect(r.stdout.contains("is a valid scenario"))
        #expect(r.stdout.contains("Entities    4 (from entities.csv)"))
        #expect(r.stdout.contains("Guarantees  1 bonds by 1 guarantors"))
    }

    /// A Ctrl-C in a run's first instant was lost when it came before Dispatch had registered the
    /// signal source (the signal was already ignored): the run went on to the end and exited 0, in
    /// 3 of 5 runs of this test without the fix. The hook signals the process right after arming.
    @Test func ctrlCAtTheStartIsNotLost() throws {
        let dir = try fixture()
        let out = dir.appendingPathComponent("out")
        let r = try Tool.run(["run", dir.appendingPathComponent("s.yaml").path, "--paths", "20000", "--quiet", "--out", out.path],
                             environment: ["CREDITSIM_TEST_INTERRUPT_AT_START": "1"])
        #expect(r.status == 130, "\(r.stderr)")
        #expect(r.stderr.hasSuffix("Interrupted: interrupted before the first block of paths finished; nothing to report or write\n"),
                "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    @Test func ctrlCKeepsFinishedBlocksAndSaysPartial() throws {
        let scenario = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Scenarios/reference/scenario.yaml")
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("creditsim-int-\(UUID().uuidString)")
        // Interrupt once a block has finished (the run says so through a test hook), never after a fixed time.
        let p = try Tool.Started(["run", scenario.path, "--paths", "20000000", "--json", "--out", out.path],
                                 environment: ["CREDITSIM_TEST_MARKS": "1"])
        #expect(p.waitFor("test hook: first block of base finished", timeout: 600))
        p.kill(SIGINT)
        let o = Data(p.stdoutText.utf8), e = p.stderrText
        #expect(p.process.terminationStatus == 130, "\(e)")
        #expect(e.contains("Interrupted: keeping the "))
        let json = try #require(try JSONSerialization.jsonObject(with: o) as? [String: Any])
        #expect(json["partial"] as? Bool == true)
        #expect(json["requested_paths"] as? Int == 20_000_000)
        let paths = try #require(json["paths"] as? Int)
        #expect(paths < 20_000_000 && paths % 1024 == 0)
        let files = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
        #expect(files == ["loss-distribution.csv", "manifest.json", "quantiles.csv", "report.html", "summary.json"])
    }

    @Test func stressRunsCompareWithBase() throws {
        let scenario = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Scenarios/tech-bonds-2026/tech-bonds.yaml")
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("creditsim-stress-\(UUID().uuidString)")
        let r = try run(["run", scenario.path, "--paths", "4096", "--stress", "dressed_up_tech", "--out", out.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("Stress dressed_up_tech: Weak"))
        #expect(r.stdout.contains("B: dressed_up_tech: Technology and innovation bonds, 2026 [stress dressed_up_tech], 4096 paths"))
        let files = try FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent("stress-dressed_up_tech").path).sorted()
        // Every result folder carries its manifest, stress folders included.
        #expect(files == ["loss-distribution.csv", "manifest.json", "quantiles.csv", "report.html", "summary.json"])
        let unknown = try run(["run", scenario.path, "--stress", "asteroid"])
        #expect(unknown.status == 64)
        #expect(unknown.stderr.contains("--stress asteroid: no such stress"), "\(unknown.stderr)")
        #expect(unknown.stderr.contains("defined: coal_steel_downturn, guarantor_downgrade, dressed_up_tech, refinancing_freeze, provincial_guarantor_fails, extension_wave, or all"))
    }

    @Test func compareShowsTwoRunsSideBySide() throws {
        let dir = try fixture()
        let a = dir.appendingPathComponent("a"), b = dir.appendingPathComponent("b")
        #expect(try run(["run", dir.appendingPathComponent("s.yaml").path, "--out", a.path, "--seed", "1"]).status == 0)
        #expect(try run(["run", dir.appendingPathComponent("s.yaml").path, "--out", b.path, "--seed", "2"]).status == 0)
        let r = try run(["compare", a.path, b.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("A: \(a.path): CLI test, 20000 paths, seed 1"))
        #expect(r.stdout.contains("B: \(b.path): CLI test, 20000 paths, seed 2"))
        for label in ["net EL", "net VaR 95%", "gross ES  99%", "expected premium", "guarantor g E[payout]", "seller s E[payout]"] {
            #expect(r.stdout.contains(label), "missing \(label)")
        }
        // Comparing a run with itself: every difference is zero and every ratio one.
        let same = try run(["compare", a.path, a.path])
        let netEL = same.stdout.split(separator: "\n").first { $0.hasPrefix("net EL") }.map(String.init) ?? ""
        #expect(netEL.hasSuffix("  0  1.000"), "\(netEL)")
        let missing = try run(["compare", a.path, dir.appendingPathComponent("nowhere").path])
        #expect(missing.status == 66)
        #expect(missing.stderr.contains("nowhere/summary.json: file not found or unreadable"))
    }

    @Test func completionScriptsCoverSubcommands() throws {
        for shell in ["bash", "zsh", "fish"] {
            let r = try run(["--generate-completion-script", shell])
            #expect(r.status == 0)
            for sub in ["run", "validate", "compare", "bench"] { #expect(r.stdout.contains(sub), "\(shell): \(sub)") }
        }
    }

    @Test func benchPrintsThroughput() throws {
        let r = try run(["bench", "--names", "50", "--factors", "2", "--paths", "2048", "--threads", "1,2", "--repeat", "1", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        // The engine per thread count (beside the generator's bound, see BenchCLITests).
        let m = try #require(json["measurements"] as? [[String: Any]]).filter { $0["kind"] as? String == "engine" }
        #expect(m.count == 2)
        #expect(m.allSatisfy { (($0["name_paths_per_second"] as? [String: Any])?["median"] as? Double ?? 0) > 0 })
    }
}

/// Any JSON value, decoded exactly.
enum JSONValue: Decodable {
    case number(Double), string(String), bool(Bool), array([JSONValue]), object([String: JSONValue]), null

    init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let d = try? c.decode(Double.self) { self = .number(d) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSONValue].self) { self = .array(a) }
        else { self = .object(try c.decode([String: JSONValue].self)) }
    }

    subscript(key: String) -> JSONValue? { if case let .object(o) = self { return o[key] } else { return nil } }
    var array: [JSONValue]? { if case let .array(a) = self { return a } else { return nil } }
    var number: Double? { if case let .number(d) = self { return d } else { return nil } }
    var string: String? { if case let .string(s) = self { return s } else { return nil } }
}

/// `model: creditriskplus`, `output.capital` and `run --model all`, end to end.
@Suite(.serialized) struct AnalyticCLITests {
    let cli = CLITests()

    static var repository: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// `creditsim run` of the bundled scenario at `path` with `options`, writing to a fresh
    /// folder `creditsim-TAG-…` (the caller removes it); the run must succeed.
    func runBundled(_ path: String, _ options: [String], tag: String) throws -> (Tool.Result, URL) {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("creditsim-\(tag)-\(UUID().uuidString)")
        let r = try cli.run(["run", Self.repository.appendingPathComponent(path).path] + options + ["--out", out.path])
        #expect(r.status == 0, "\(r.stderr)")
        return (r, out)
    }

    @Test func creditRiskPlusScenarioWritesItsFiles() throws {
        let (r, out) = try runBundled("Scenarios/csfb-example/csfb.yaml", [], tag: "crp")
        defer { try? FileManager.default.removeItem(at: out) }
        #expect(r.stdout.contains("CreditRisk+ (CSFB 1997)"))
        for name in ["summary.json", "loss-distribution.csv", "quantiles.csv", "risk-contributions.csv", "report.html", "capital.csv"] {
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(name).path), "\(name)")
        }
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("summary.json"))) as? [String: Any]
        #expect(json?["method"] as? String == "creditriskplus")
        // An exact distribution has no Monte Carlo error: the error keys are present and null (never 0).
        let net = try #require(json?["net"] as? [String: Any])
        #expect(net["expected_loss_se"] is NSNull && (net["expected_loss"] as? Double ?? 0) > 0)
        let quantile = try #require((net["quantiles"] as? [[String: Any]])?.first)
        #expect(quantile["es_se"] is NSNull && quantile["var_ci_low"] is NSNull && quantile["var_ci_high"] is NSNull)
        let irb = (json?["capital"] as? [String: Any])?["irb"] as? [String: Any]
        let k = try #require(irb?["capital"] as? Double)
        #expect(abs((irb?["risk_weighted_assets"] as? Double ?? 0) - 12.5 * k) < 1e-6 * k)
        let capital = try String(contentsOf: out.appendingPathComponent("capital.csv"), encoding: .utf8)
        #expect(capital.hasPrefix("bond,pd,lgd,maturity,correlation,capital_k,risk_weight,capital,provider_pd,treatment\n"))
        #expect(capital.split(separator: "\n").count == 26)
    }

    @Test func modelAllComparesSideBySide() throws {
        let (r, out) = try runBundled("Scenarios/small/small.yaml", ["--model", "all", "--paths", "4000", "--quiet"], tag: "all")
        defer { try? FileManager.default.removeItem(at: out) }
        #expect(r.stdout.contains("gaussian") && r.stdout.contains("student-t(5") && r.stdout.contains("creditriskplus"))
        #expect(r.stdout.contains("IRB capital"))
        for name in ["comparison.json", "report.html", "capital.csv", "gaussian/summary.json", "student-t/summary.json", "creditriskplus/summary.json"] {
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(name).path), "\(name)")
        }
        let bad = try cli.run(["run", Self.repository.appendingPathComponent("Scenarios/small/small.yaml").path, "--model", "bogus"])
        #expect(bad.status == 64)
    }

    /// `--model all` runs on every valid scenario: the bundled tech-bonds scenario has no pd_sd and
    /// a factor_correlation, so CreditRisk+ fills in pd_sd = pd and says, once per kind, what it did.
    @Test func modelAllFillsInWhatCreditRiskPlusNeeds() throws {
        let (r, out) = try runBundled("Scenarios/tech-bonds-2026/tech-bonds.yaml", ["--model", "all", "--paths", "20000", "--quiet"],
                                      tag: "all-tech")
        defer { try? FileManager.default.removeItem(at: out) }
        let warnings = r.stderr.split(separator: "\n").filter { $0.hasPrefix("warning: CreditRisk+:") }.map { String($0.dropFirst(9)) }
        #expect(warnings == [
            "CreditRisk+: 290 entities with sector weights have no pd_sd (state_bond_insurer, national_guarantee_fund, provincial_guarantee_a, …); "
                + "using pd_sd = pd, capped at √(pd·(1 − pd)) (CSFB 1997, §A7: σ/pd is typically of the order of one)",
            "CreditRisk+: its sectors are independent gamma factors; factor_correlation enters only the joint default probabilities of double default",
        ], "\(r.stderr)")
        let comparison = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("comparison.json"))) as? [String: Any]
        #expect(comparison?["notes"] as? [String] == warnings)
        #expect(comparison?["partial"] as? Bool == false)
        let crp = try JSONDecoder().decode(JSONValue.self, from: Data(contentsOf: out.appendingPathComponent("creditriskplus/summary.json")))
        #expect(crp["enhancements"]?.string == "double-default")
        // Double default: the guaranteed book's net tail never exceeds its gross tail.
        let net = crp["net"]?["quantiles"]?.array ?? [], gross = crp["gross"]?["quantiles"]?.array ?? []
        #expect(net.count == 5 && gross.count == 5)
        for (n, g) in zip(net, gross) {
            #expect((n["var"]?.number ?? .infinity) <= (g["var"]?.number ?? 0) && (n["es"]?.number ?? .infinity) <= (g["es"]?.number ?? 0))
        }
        #expect(r.stdout.contains("CreditRisk+ with guarantees and protection by double default"))
    }

    /// Loadings that are not sector weights (here a negative one) give derived weights under
    /// `--model all`, with a warning; `--model creditriskplus` keeps refusing them.
    @Test func modelAllDerivesSectorWeightsFromLoadings() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("creditsim-neg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data(CLITests.entities.replacingOccurrences(of: "b,Beta,coal,0.05,0.3", with: "b,Beta,coal,0.05,-0.3").utf8)
            .write(to: dir.appendingPathComponent("entities.csv"))
        try Data(CLITests.bonds.utf8).write(to: dir.appendingPathComponent("bonds.csv"))
        try Data(CLITests.scenario.utf8).write(to: dir.appendingPathComponent("s.yaml"))
        let s = dir.appendingPathComponent("s.yaml").path
        let all = try cli.run(["run", s, "--model", "all", "--paths", "2048", "--quiet", "--json"])
        #expect(all.status == 0, "\(all.stderr)")
        #expect(all.stderr.contains("warning: CreditRisk+: the factor columns are not sector weights (entity b has loading -0.3 on global, outside [0, 1]); "
            + "every entity's sector weights are derived from its loadings w as s·w_k²/Σ_j w_j², s = wᵀΣw its systematic variance\n"), "\(all.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(all.stdout.utf8)) as? [String: Any]
        #expect((json?["notes"] as? [String])?.count == 2)
        let strict = try cli.run(["run", s, "--model", "creditriskplus"])
        #expect(strict.status == 65)
    }

    /// Ctrl-C during CreditRisk+ (here while `--model all` computes it, before any simulation) was
    /// held until the simulation began and then exited 65. Now the recursion polls the stop flag:
    /// exit 130, and nothing is written since nothing is complete. (The hook holds the process
    /// before the recursion until the Ctrl-C has raised the stop flag, at most 120 s.)
    @Test(arguments: [["--model", "all", "--paths", "2048"], ["--model", "creditriskplus"]])
    func ctrlCDuringCreditRiskPlusExits130(options: [String]) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("creditsim-crp-int-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data(CLITests.entities.replacingOccurrences(of: "pd,global", with: "pd,pd_sd,global")
                    .replacingOccurrences(of: ",0.03,", with: ",0.03,0.03,").replacingOccurrences(of: ",0.05,", with: ",0.05,0.05,")
                    .replacingOccurrences(of: ",0.002,", with: ",0.002,0.002,").replacingOccurrences(of: ",0.004,", with: ",0.004,0.004,").utf8)
            .write(to: dir.appendingPathComponent("entities.csv"))
        try Data(CLITests.bonds.utf8).write(to: dir.appendingPathComponent("bonds.csv"))
        try Data(CLITests.scenario.utf8).write(to: dir.appendingPathComponent("s.yaml"))
        let out = dir.appendingPathComponent("out")
        let run = try Tool.Started(["run", dir.appendingPathComponent("s.yaml").path] + options + ["--out", out.path],
                                   environment: ["CREDITSIM_TEST_PAUSE": "creditriskplus:120"])
        #expect(run.waitFor("test hook: paused at creditriskplus"))
        kill(run.process.processIdentifier, SIGINT)
        run.process.waitUntilExit()
        #expect(run.process.terminationStatus == 130, "\(run.stderrText)")
        #expect(run.stderrText.hasSuffix("Interrupted: interrupted during CreditRisk+, before any result was complete; nothing to report or write\n"),
                "\(run.stderrText)")
        let files = (try? FileManager.default.contentsOfDirectory(atPath: out.path)) ?? []
        #expect(files.isEmpty, "\(files)")
    }

    @Test func missingPdSDIsRefusedWithExit65() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("creditsim-nosd-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data(CLITests.entities.utf8).write(to: dir.appendingPathComponent("entities.csv"))
        try Data(CLITests.bonds.utf8).write(to: dir.appendingPathComponent("bonds.csv"))
        try Data(CLITests.scenario.utf8).write(to: dir.appendingPathComponent("s.yaml"))
        let r = try cli.run(["run", dir.appendingPathComponent("s.yaml").path, "--model", "creditriskplus"])
        #expect(r.status == 65)
        #expect(r.stderr.contains("entity a: CreditRisk+ needs the default-rate standard deviation pd_sd"))
    }
}
