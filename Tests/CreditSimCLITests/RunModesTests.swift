import Foundation
import Testing

/// Every run mode goes through one pipeline and one writer: each result folder has its
/// `manifest.json`, the memory guard refuses what would not fit in every mode, a failed run
/// leaves nothing behind, and one "Wrote" line names what was written.
@Suite(.serialized) struct RunModesTests {
    let cli = CLITests()

    static var repository: URL { AnalyticCLITests.repository }

    func manifest(_ folder: URL) throws -> [String: Any] {
        let data = try Data(contentsOf: folder.appendingPathComponent("manifest.json"))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test func everyFolderOfEveryModeHasItsManifest() throws {
        let dir = try cli.fixture()
        let s = dir.appendingPathComponent("s.yaml")
        try Data((CLITests.scenario + "stress:\n  - name: coal_down\n    pd_multiplier: {sector: {coal: 3}}\n").utf8).write(to: s)
        let out = dir.appendingPathComponent("stressed")
        let r = try cli.run(["run", s.path, "--stress", "all", "--paths", "4096", "--quiet", "--out", out.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try manifest(out)["folder"] == nil)
        #expect(try manifest(out.appendingPathComponent("stress-coal_down"))["folder"] as? String == "stress-coal_down")
        // One line says what was written, the stress folder included.
        let wrote = r.stdout.split(separator: "\n").filter { $0.hasPrefix("Wrote ") }
        #expect(wrote.count == 1 && wrote[0].contains("manifest.json") && wrote[0].contains("stress-coal_down/ ("), "\(wrote)")

        let crp = dir.appendingPathComponent("crp")
        let csfb = Self.repository.appendingPathComponent("Scenarios/csfb-example/csfb.yaml").path
        #expect(try cli.run(["run", csfb, "--quiet", "--out", crp.path]).status == 0)
        #expect(try manifest(crp)["scenario"] as? String != nil)

        let all = dir.appendingPathComponent("all")
        let small = Self.repository.appendingPathComponent("Scenarios/small/small.yaml").path
        let a = try cli.run(["run", small, "--model", "all", "--paths", "2048", "--quiet", "--out", all.path])
        #expect(a.status == 0, "\(a.stderr)")
        for folder in ["", "gaussian", "student-t", "creditriskplus"] {
            let m = try manifest(folder.isEmpty ? all : all.appendingPathComponent(folder))
            #expect(m["folder"] as? String == (folder.isEmpty ? nil : folder), "\(folder)")
        }

        let merged = dir.appendingPathComponent("merged")
        var shards: [String] = []
        for k in 1...2 {
            let folder = dir.appendingPathComponent("shard\(k)").path
            #expect(try cli.run(["run", s.path, "--stress", "all", "--paths", "4096", "--shard", "\(k)/2", "--quiet", "--out", folder]).status == 0)
            shards.append(folder)
        }
        #expect(try cli.run(["merge"] + shards + ["--out", merged.path]).status == 0)
        #expect(try manifest(merged)["shard"] as? String == "merged from 2 shards")
        #expect(try manifest(merged.appendingPathComponent("stress-coal_down"))["folder"] as? String == "stress-coal_down")
    }

    /// The memory guard prices every mode before anything is simulated (exit 64 for --paths).
    @Test(arguments: [["--model", "all"], ["--shard", "1/2"], ["--export-paths"]])
    func memoryGuardCoversEveryMode(_ mode: [String]) throws {
        let dir = try cli.fixture()
        let out = dir.appendingPathComponent("out")
        let r = try cli.run(["run", dir.appendingPathComponent("s.yaml").path, "--paths", "2000000000", "--out", out.path] + mode)
        #expect(r.status == 64, "\(mode): \(r.stderr)")
        #expect(r.stderr.contains("--paths 2000000000 needs about"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    /// A run that fails into a new nested folder removes every parent it created (the lock file
    /// in the innermost parent included).
    @Test func failedRunLeavesNoNestedParents() throws {
        let dir = try cli.fixture()
        let out = dir.appendingPathComponent("a/b/c")
        let r = try cli.run(["run", dir.appendingPathComponent("s.yaml").path, "--paths", "2000000000", "--out", out.path])
        #expect(r.status == 64)
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("a").path))
    }

    /// Options a model cannot honour are refused, never ignored.
    @Test(arguments: [["--shard", "1/2", "--out", "x"], ["--export-paths"]])
    func analyticModelsRefuseSimulationOnlyOptions(_ options: [String]) throws {
        let csfb = Self.repository.appendingPathComponent("Scenarios/csfb-example/csfb.yaml").path
        let r = try cli.run(["run", csfb] + options)
        #expect(r.status == 64, "\(r.stderr)")
        #expect(r.stderr.contains("only with --model copula"), "\(r.stderr)")
    }
}
