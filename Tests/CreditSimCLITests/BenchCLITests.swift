import Foundation
import Testing

/// `creditsim bench` end to end: the JSON it saves, a scenario's own book, comparisons of saved
/// files, the numpy peer, and its errors. No speed is asserted: only keys, structure and verdicts.
@Suite(.serialized) struct BenchCLITests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func object(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "\(text)")
    }

    func measurements(_ json: [String: Any]) -> [[String: Any]] { json["measurements"] as? [[String: Any]] ?? [] }

    /// `git rev-parse --short=12 HEAD` of the package, nil without git or outside a work tree.
    func gitHead() -> String? {
        let p = Process(), out = Pipe()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["git", "-C", Self.root.path, "rev-parse", "--short=12", "HEAD"]
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return nil }
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        return p.terminationStatus == 0 ? text.trimmingCharacters(in: .whitespacesAndNewlines) : nil
    }

    @Test func jsonCarriesTheMachineTheSpreadAndTheBound() throws {
        let r = try Tool.run(["bench", "--names", "50", "--factors", "2", "--paths", "2048", "--threads", "1,2", "--repeat", "3", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try object(r.stdout)
        let m = try #require(json["machine"] as? [String: Any])
        for key in ["cpu_model", "vector_target", "openblas_core", "build_configuration", "tool_version", "revision", "system"] {
            #expect(!((m[key] as? String) ?? "").isEmpty, "\(key)")
        }
        #expect((m["cores"] as? Int ?? 0) >= 1)
        #expect(["debug", "release"].contains(m["build_configuration"] as? String ?? ""))
        // The revision is recorded at build time: HEAD, with -dirty when the sources differ from it.
        // (`swift test` builds first; a binary built before a commit rightly names the older revision.)
        if let head = gitHead() {
            let revision = m["revision"] as? String ?? ""
            #expect(revision == head || revision == head + "-dirty", "\(revision) against \(head)")
        }
        let ms = measurements(json)
        #expect(ms.map { $0["kind"] as? String } == ["engine", "generator", "engine", "generator"])
        for x in ms {
            let s = try #require(x["seconds"] as? [String: Any])
            let runs = s["runs"] as? [Double] ?? []
            #expect(runs.count == 3)
            #expect(s["min"] as? Double == runs.min() && s["max"] as? Double == runs.max())
            #expect(s["median"] as? Double == runs.sorted()[1])
            #expect(s["relative_spread"] is Double)
        }
        let bound = try #require(ms[0]["bound"] as? [String: Any])
        #expect((bound["fraction"] as? Double ?? 0) > 0 && (bound["uniforms_per_second"] as? Double ?? 0) > 0)
        #expect(ms[2]["speedup_vs_one_thread"] is Double)
        #expect(json["load"] is [String: Any] && json["warnings"] is [Any])
    }

    @Test func tableShowsSpreadBoundAndMachine() throws {
        let r = try Tool.run(["bench", "--names", "20", "--factors", "1", "--paths", "1024", "--threads", "1", "--repeat", "1"])
        #expect(r.status == 0, "\(r.stderr)")
        for text in ["machine: ", "OpenBLAS ", "workload: synthetic reference portfolio (Glasserman & Li 2005): 20 names, 1 factors",
                     "measure", "min s", "median s", "max s", "spread", "of bound", "bound: the random-number generator alone"] {
            #expect(r.stdout.contains(text), "\(text)")
        }
        // One repeat shows no noise, and says so.
        #expect(r.stderr.contains("warning: 1 repeat(s) per measurement: too few to see the noise; rerun with --repeat 3 or more"))
    }

    @Test func scenarioMeasuresTheBundledBook() throws {
        let file = Self.root.appendingPathComponent("Scenarios/reference/scenario.yaml").path
        let r = try Tool.run(["bench", "--scenario", file, "--paths", "2048", "--threads", "1", "--repeat", "1", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try object(r.stdout)
        let workload = try #require(json["workload"] as? [String: Any])
        #expect(workload["kind"] as? String == "scenario" && workload["paths"] as? Int == 2048 && workload["names"] as? Int == 1000)
        #expect(workload["method"] as? String == "plain" && workload["valuation"] as? String == "default")
        let ms = measurements(json)
        #expect(ms.map { $0["kind"] as? String } == ["engine", "whole-run", "generator"])
        #expect(ms.allSatisfy { $0["name_paths_per_second"] != nil || $0["uniforms_per_second"] != nil })
        #expect(ms[1]["key"] as? String == "scenario Reference portfolio (Glasserman & Li 2005), 1000 names, 10 factors | whole-run | plain | default | 1 thread")
        #expect((json["peak_resident_bytes"] as? Double ?? 0) > 0)
        // CreditRisk+ is timed analytically: no paths, so no path rates.
        let csfb = Self.root.appendingPathComponent("Scenarios/csfb-example/csfb.yaml").path
        let a = try Tool.run(["bench", "--scenario", csfb, "--repeat", "2", "--json"])
        #expect(a.status == 0, "\(a.stderr)")
        let analytic = try object(a.stdout)
        #expect(measurements(analytic).map { $0["kind"] as? String } == ["analytic", "whole-run"])
        #expect(measurements(analytic).allSatisfy { $0["name_paths_per_second"] == nil && $0["paths"] == nil })
        #expect((analytic["workload"] as? [String: Any])?["model"] as? String == "creditriskplus")
    }

    /// Writes `json` with every engine run's seconds multiplied by `factor`.
    func scaled(_ json: [String: Any], by factor: Double, to url: URL) throws {
        var json = json
        json["measurements"] = measurements(json).map { m -> [String: Any] in
            var m = m
            if m["kind"] as? String == "engine", var s = m["seconds"] as? [String: Any] {
                s["runs"] = (s["runs"] as? [Double] ?? []).map { $0 * factor }
                m["seconds"] = s
            }
            return m
        }
        try JSONSerialization.data(withJSONObject: json).write(to: url)
    }

    @Test func againstComparesTwoSavedFiles() throws {
        let dir = try Tool.temporaryFolder("bench-against")
        let r = try Tool.run(["bench", "--names", "20", "--factors", "1", "--paths", "1024", "--threads", "1", "--repeat", "3", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try object(r.stdout)
        let old = dir.appendingPathComponent("old.json"), same = dir.appendingPathComponent("same.json"),
            faster = dir.appendingPathComponent("faster.json")
        try scaled(json, by: 1, to: old)
        try scaled(json, by: 1, to: same)
        // Every engine run a hundredth of the time: the ranges cannot overlap unless one old run
        // took a hundred times another.
        try scaled(json, by: 0.01, to: faster)
        let within = try Tool.run(["bench", "--saved", same.path, "--against", old.path])
        #expect(within.status == 0, "\(within.stderr)")
        #expect(within.stdout.contains("against \(old.path)"))
        let engineLine = within.stdout.split(separator: "\n").first { $0.contains("| engine |") }.map(String.init) ?? ""
        #expect(engineLine.hasSuffix("1.000  within noise"), "\(engineLine)")
        let beyond = try Tool.run(["bench", "--saved", faster.path, "--against", old.path, "--json"])
        #expect(beyond.status == 0, "\(beyond.stderr)")
        let rows = try #require((try object(beyond.stdout)["against"] as? [String: Any])?["rows"] as? [[String: Any]])
        let engine = try #require(rows.first { ($0["key"] as? String ?? "").contains("| engine |") })
        #expect(engine["verdict"] as? String == "faster, beyond noise")
        #expect(abs((engine["ratio"] as? Double ?? 0) - 100) < 1e-6)
        #expect(rows.first { ($0["key"] as? String ?? "").contains("| generator |") }?["verdict"] as? String == "within noise")
        // A live measurement against a saved file: the same keys match.
        let live = try Tool.run(["bench", "--names", "20", "--factors", "1", "--paths", "1024", "--threads", "1", "--repeat", "1",
                                 "--against", old.path])
        #expect(live.status == 0, "\(live.stderr)")
        #expect(live.stdout.contains("too few repeats to judge"), "\(live.stdout)")
    }

    @Test func badInputsAreRefused() throws {
        let dir = try Tool.temporaryFolder("bench-bad")
        let summary = dir.appendingPathComponent("summary.json")
        try Data(#"{"net": {"expected_loss": 1}}"#.utf8).write(to: summary)
        let scenario = Self.root.appendingPathComponent("Scenarios/reference/scenario.yaml").path
        let cases: [([String], Int32, String)] = [
            (["--against", dir.appendingPathComponent("none.json").path], 66, "none.json: file not found or unreadable"),
            (["--saved", summary.path], 65, "summary.json: not a creditsim bench result: key \"format\" is missing"),
            (["--scenario", scenario, "--names", "10"], 64, "--names describes the synthetic portfolio; --scenario measures the scenario's own portfolio"),
            (["--saved", summary.path, "--peer"], 64, "--saved shows a saved result; it measures nothing"),
            (["--scenario", dir.appendingPathComponent("none.yaml").path], 66, "none.yaml"),
            (["--scenario", scenario, "--paths", "2000000000"], 64, "--paths 2000000000 needs about"),
        ]
        for (args, status, message) in cases {
            let r = try Tool.run(["bench"] + args)
            #expect(r.status == status, "\(args): \(r.stderr)")
            #expect(r.stderr.contains(message), "\(args): \(r.stderr)")
            #expect(r.stdout.isEmpty, "\(args)")
        }
    }

    /// Whether `python3 -c "import numpy"` works here (CI installs numpy).
    func numpyAvailable() -> Bool {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", "import numpy"]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return false }
        p.waitUntilExit()
        return p.terminationStatus == 0
    }

    @Test func peerSimulatesTheSameModel() throws {
        let r = try Tool.run(["bench", "--names", "200", "--factors", "3", "--paths", "20000", "--threads", "1", "--repeat", "1",
                              "--peer", "--peer-paths", "20000", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try object(r.stdout)
        let peer = try #require(json["peer"] as? [String: Any])
        guard numpyAvailable() else {
            #expect((peer["skipped"] as? String ?? "").contains("numpy"), "\(peer)")
            return
        }
        #expect(peer["skipped"] == nil, "\(peer)")
        // Both estimate the same expected loss: within 4 combined standard errors (seeds fixed).
        let z = try #require(peer["z"] as? Double)
        #expect(abs(z) < 4, "\(peer)")
        let ms = measurements(json)
        #expect(ms.last?["kind"] as? String == "peer" && ms.last?["threads"] == nil)
        #expect((ms[0]["ratio_to_peer"] as? Double ?? 0) > 0)

        // And each against the exact EL, Σ pd · notional · lgd, of the exported portfolio.
        let dir = try Tool.temporaryFolder("bench-peer").appendingPathComponent("book")
        #expect(try Tool.run(["bench", "--names", "200", "--factors", "3", "--export", dir.path]).status == 0)
        let p = Process(), out = Pipe()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", Self.root.appendingPathComponent("Benchmarks/peer/npmc_peer.py").path, dir.path, "--paths", "20000", "--seed", "5"]
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        let result = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let entities = try String(contentsOf: dir.appendingPathComponent("entities.csv"), encoding: .utf8).split(separator: "\n").dropFirst()
        let bonds = try String(contentsOf: dir.appendingPathComponent("bonds.csv"), encoding: .utf8).split(separator: "\n").dropFirst()
        var pd: [String: Double] = [:]
        for line in entities { let f = line.split(separator: ",", omittingEmptySubsequences: false); pd[String(f[0])] = Double(f[3]) }
        let exact = bonds.reduce(0.0) { sum, line in
            let f = line.split(separator: ",", omittingEmptySubsequences: false)
            return sum + (pd[String(f[1])] ?? .nan) * (Double(f[2]) ?? .nan) * (Double(f[4]) ?? .nan)
        }
        let el = try #require(result["expected_loss"] as? Double), se = try #require(result["expected_loss_se"] as? Double)
        #expect(abs(el - exact) < 4 * se, "peer EL \(el) ± \(se), exact \(exact)")
    }
}
