import Foundation
import Testing

/// `run --precision`, `--max-paths`, `--horizon`, `--levels`, stress comparisons with paired
/// errors and the tail scenario, end to end.
@Suite(.serialized) struct AnalystOptionsTests {
    let cli = CLITests()

    func scenario(_ extra: String = "") throws -> String {
        let dir = try cli.fixture()
        let path = dir.appendingPathComponent("s.yaml")
        try Data((CLITests.scenario + extra).utf8).write(to: path)
        return path.path
    }

    @Test func precisionRunReportsItsTarget() throws {
        let r = try cli.run(["run", try scenario(), "--precision", "10%", "--max-paths", "200000", "--json", "--threads", "2"])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let precision = try #require(json["precision"] as? [String: Any])
        #expect(precision["target"] as? Double == 0.1)
        let achieved = try #require(precision["achieved"] as? Double)
        let paths = try #require(precision["paths"] as? Int)
        #expect(achieved <= 0.1 && paths == json["paths"] as? Int && json["partial"] as? Bool == false)
    }

    /// A met target is said as reached (never "partial"); a missed one is warned about, says
    /// `met: false`, and is not partial either.
    @Test func precisionMessagesBothWays() throws {
        let s = try scenario()
        let met = try cli.run(["run", s, "--precision", "10%", "--max-paths", "200000", "--threads", "2"])
        #expect(met.status == 0, "\(met.stderr)")
        #expect(met.stdout.contains("Precision  target 10% reached: ") && met.stdout.contains(" paths\n"), "\(met.stdout)")
        #expect(!met.stdout.contains("PARTIAL") && !met.stderr.contains("warning"), "\(met.stdout)\n\(met.stderr)")
        let missed = try cli.run(["run", s, "--precision", "0.1%", "--max-paths", "4096", "--levels", "0.95", "--json", "--threads", "2"])
        #expect(missed.status == 0, "\(missed.stderr)")
        #expect(missed.stderr.contains("warning: precision target 0.1% missed: "), "\(missed.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(missed.stdout.utf8)) as? [String: Any])
        let precision = try #require(json["precision"] as? [String: Any])
        #expect(precision["met"] as? Bool == false && json["partial"] as? Bool == false)
        #expect(precision["paths"] as? Int == 4096)
        // At 99 % every tail path of this book loses the same 4: an SE of 0 is no precision, so
        // the run grows to its maximum and says the error is undefined (no "achieved").
        let atom = try cli.run(["run", s, "--precision", "0.1%", "--max-paths", "4096", "--levels", "0.99", "--json"])
        let a = try #require(try JSONSerialization.jsonObject(with: Data(atom.stdout.utf8)) as? [String: Any])
        let ap = try #require(a["precision"] as? [String: Any])
        #expect(ap["met"] as? Bool == false && ap["achieved"] == nil && atom.stderr.contains("missed"), "\(atom.stderr)")
    }

    /// `--method auto`: importance sampling when a plain run would leave fewer than 100 paths
    /// beyond the highest level, plain otherwise; the choice and its reason are said.
    @Test func autoMethodChoosesAndSays() throws {
        let s = try scenario()
        let far = try cli.run(["run", s, "--method", "auto", "--paths", "20000", "--levels", "0.999", "--json"])
        #expect(far.status == 0, "\(far.stderr)")
        let a = try #require(try JSONSerialization.jsonObject(with: Data(far.stdout.utf8)) as? [String: Any])
        #expect(a["method"] as? String == "importance")
        #expect((a["method_reason"] as? String)?.contains("leaves about 20 paths beyond 99.9 %") == true, "\(a)")
        #expect(far.stderr.contains("method auto chose importance sampling"), "\(far.stderr)")
        let near = try cli.run(["run", s, "--method", "auto", "--paths", "20000", "--levels", "0.9", "--json"])
        let b = try #require(try JSONSerialization.jsonObject(with: Data(near.stdout.utf8)) as? [String: Any])
        #expect(b["method"] as? String == "plain" && near.stderr.contains("method auto chose plain sampling"))
    }

    @Test func badPrecisionOptionsAreUsageErrors() throws {
        let s = try scenario()
        for (arguments, message) in [
            (["--precision", "150%"], "The value '150%' is invalid for '--precision <fraction>'"),
            (["--precision", "abc"], "The value 'abc' is invalid for '--precision <fraction>'"),
            (["--max-paths", "1000"], "--max-paths needs --precision"),
            (["--precision", "1%", "--paths", "1000"], "--precision chooses the number of paths; give --max-paths instead of --paths"),
            (["--levels", "0.9,1.5"], "The value '0.9,1.5' is invalid for '--levels <levels>'"),
            (["--horizon", "0"], "--horizon must be a number of years > 0 (got 0.0)"),
        ] {
            let r = try cli.run(["run", s] + arguments)
            #expect(r.status == 64, "\(arguments): \(r.stderr)")
            #expect(r.stderr.contains(message), "\(arguments): \(r.stderr)")
        }
    }

    @Test func horizonAndLevelsOverrideTheScenario() throws {
        let r = try cli.run(["run", try scenario(), "--horizon", "2", "--levels", "0.999,0.9", "--paths", "5000", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(json["horizon"] as? Double == 2)
        let net = try #require(json["net"] as? [String: Any])
        let levels = (net["quantiles"] as? [[String: Any]])?.compactMap { $0["level"] as? Double }
        #expect(levels == [0.9, 0.999])
        let tail = try #require(json["tail_scenario"] as? [[String: Any]])
        #expect(tail.compactMap { $0["level"] as? Double } == [0.9, 0.999])
    }

    @Test func stressTableShowsPairedErrors() throws {
        let s = try scenario("""
            stress:
              - name: coal_down
                pd_multiplier: {sector: {coal: 3}}

            """)
        let dir = URL(fileURLWithPath: s).deletingLastPathComponent().appendingPathComponent("out")
        let r = try cli.run(["run", s, "--stress", "coal_down", "--paths", "20000", "--out", dir.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("± SE") && r.stdout.contains("B − A is paired (same paths)"))
        #expect(r.stdout.contains("Tail scenario"))
        let stressed = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("stress-coal_down/summary.json"))) as? [String: Any]
        let versus = try #require(stressed?["versus_base"] as? [String: Any])
        #expect((versus["net"] as? [String: Any])?["expected_loss_se"] as? Double ?? 0 > 0)
        let html = try String(contentsOf: dir.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(html.contains("What a bad year looks like"))
        let stressPage = try String(contentsOf: dir.appendingPathComponent("stress-coal_down/report.html"), encoding: .utf8)
        #expect(stressPage.contains("Versus the base") && stressPage.contains("data-key=\"versus_base.net.expected_loss\""))
    }
}
