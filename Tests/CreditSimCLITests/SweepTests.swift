import Foundation
import Testing

/// `creditsim sweep`: every point on the same paths, the point (1, 1) equal to `run` with the
/// same seed, the others paired with it.
@Suite(.serialized) struct SweepTests {
    let cli = CLITests()

    @Test func gridPointsPairWithTheScenarioItself() throws {
        let dir = try cli.fixture()
        let s = dir.appendingPathComponent("s.yaml").path
        let out = dir.appendingPathComponent("sweep")
        let r = try cli.run(["sweep", s, "--pd-scale", "0.5,1,2", "--loading-scale", "1,1.2", "--paths", "8192", "--seed", "3",
                             "--json", "--quiet", "--out", out.path])
        #expect(r.status == 0, "\(r.stderr)")
        let sweep = try JSONDecoder().decode(JSONValue.self, from: Data(r.stdout.utf8))
        let points = try #require(sweep["points"]?.array)
        #expect(points.count == 6)
        let one = try #require(points.first { $0["pd_scale"]?.number == 1 && $0["loading_scale"]?.number == 1 })
        #expect(one["versus_base"] == nil)
        // (1, 1) is `run` with the same seed and paths, figure for figure.
        let run = try cli.run(["run", s, "--paths", "8192", "--seed", "3", "--json"])
        let summary = try JSONDecoder().decode(JSONValue.self, from: Data(run.stdout.utf8))
        #expect(one["net"]?["expected_loss"]?.number == summary["net"]?["expected_loss"]?.number)
        #expect(one["net"]?["quantiles"]?.array?.map { $0["es"]?.number } == summary["net"]?["quantiles"]?.array?.map { $0["es"]?.number })
        #expect(one["gross"]?["std_dev"]?.number == summary["gross"]?["std_dev"]?.number)
        // Every other point: its change from (1, 1), on the same paths, with a paired error.
        for p in points where !(p["pd_scale"]?.number == 1 && p["loading_scale"]?.number == 1) {
            let el = try #require(p["net"]?["expected_loss"]?.number)
            let change = try #require(p["versus_base"]?["net"]?["expected_loss"]?.number)
            let base = try #require(one["net"]?["expected_loss"]?.number)
            #expect(abs(change - (el - base)) <= 1e-12 * max(1, abs(el)))
            #expect(p["versus_base"]?["net"]?["expected_loss_se"]?.number != nil)
        }
        // More default risk, more loss.
        let doubled = try #require(points.first { $0["pd_scale"]?.number == 2 && $0["loading_scale"]?.number == 1 })
        #expect((doubled["versus_base"]?["net"]?["expected_loss"]?.number ?? 0) > 0)
        for file in ["sweep.json", "sweep.csv", "report.html", "manifest.json"] {
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(file).path), "\(file)")
        }
        let bad = try cli.run(["sweep", s, "--pd-scale", "0,1"])
        #expect(bad.status == 64 && bad.stderr.contains("--pd-scale"))
    }
}
