import Foundation
import Testing

/// `compare` of several folders: paired errors from exported paths, warnings for runs that
/// differ in seed or inputs, JSON and CSV output.
@Suite(.serialized) struct CompareTests {
    let cli = CLITests()

    @Test func comparesManyRunsWithPairedErrorsAndWarnings() throws {
        let dir = try cli.fixture()
        let s = dir.appendingPathComponent("s.yaml").path
        let a = dir.appendingPathComponent("a").path, b = dir.appendingPathComponent("b").path, c = dir.appendingPathComponent("c").path
        #expect(try cli.run(["run", s, "--paths", "8000", "--seed", "3", "--export-paths", "--out", a, "--quiet"]).status == 0)
        #expect(try cli.run(["run", s, "--paths", "8000", "--seed", "3", "--horizon", "2", "--export-paths", "--out", b, "--quiet"]).status == 0)
        #expect(try cli.run(["run", s, "--paths", "8000", "--seed", "4", "--out", c, "--quiet"]).status == 0)

        let table = try cli.run(["compare", a, b, c])
        #expect(table.status == 0, "\(table.stderr)")
        #expect(table.stdout.contains("B − A is paired (same paths)"))
        #expect(table.stderr.contains("warning: \(a) and \(c): seeds differ (3 and 4): differences mix effect and noise"), "\(table.stderr)")
        #expect(!table.stderr.contains("warning: \(a) and \(b)"), "\(table.stderr)")

        let json = try cli.run(["compare", a, b, c, "--json"])
        #expect(json.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let runs = try #require(object["runs"] as? [[String: Any]])
        #expect(runs.count == 2)
        let paired = try #require(runs[0]["paired"] as? [String: Any])
        let net = try #require(paired["net"] as? [String: Any])
        let se = try #require(net["expected_loss_se"] as? Double)
        let bEL = ((runs[0]["summary"] as? [String: Any])?["net"] as? [String: Any])?["expected_loss_se"] as? Double ?? 0
        #expect(se > 0 && se < bEL, "paired SE \(se) below the run's own \(bEL)")
        #expect(runs[1]["paired"] == nil && (runs[1]["warnings"] as? [String])?.isEmpty == false)

        let csv = try cli.run(["compare", a, b, "--csv"])
        #expect(csv.status == 0)
        let lines = csv.stdout.split(separator: "\n")
        #expect(lines.first == "figure,run,a,b,b_minus_a,se,significant")
        #expect(lines.contains { $0.hasPrefix("net EL,") && $0.hasSuffix(",true") || $0.hasSuffix(",false") })

        let one = try cli.run(["compare", a])
        #expect(one.status == 64 && one.stderr.contains("compare needs at least two result folders (got 1)"))
    }
}
