import Foundation
import Testing

/// Every numeric option of every command reads numbers by the scenario file's rule: decimal
/// notation only (issue 22: `--horizon 0x1p3` was read as 8 while `horizon: 0x1p3` is refused),
/// and levels as fractions or exact percents.
@Suite(.serialized) struct NumberOptionsTests {
    let cli = CLITests()

    func scenario() throws -> String {
        try cli.fixture().appendingPathComponent("s.yaml").path
    }

    /// Hexadecimal floats and integers, digit separators, exponents in counts, infinities: each
    /// is ArgumentParser's usage error (exit 64) naming the option and the value, before anything
    /// is read or simulated.
    @Test func hexadecimalAndSeparatorsAreRefusedEverywhere() throws {
        let s = try scenario()
        let cases: [([String], String)] = [
            (["run", s, "--horizon", "0x1p3"], "'0x1p3' is invalid for '--horizon <years>': not a decimal number"),
            (["run", s, "--horizon", "inf"], "'inf' is invalid for '--horizon <years>': not a decimal number"),
            (["run", s, "--precision", "0x1p-7"], "'0x1p-7' is invalid for '--precision <fraction>'"),
            (["run", s, "--precision", "0x1p-1%"], "'0x1p-1%' is invalid for '--precision <fraction>'"),
            (["run", s, "--levels", "0x1p-1"], "'0x1p-1' is invalid for '--levels <levels>'"),
            (["run", s, "--levels", "0.99,0x1.ff7cedp-1"], "'0.99,0x1.ff7cedp-1' is invalid for '--levels <levels>'"),
            (["run", s, "--paths", "0x10"], "'0x10' is invalid for '--paths <paths>': not a whole number"),
            (["run", s, "--paths", "1_000"], "'1_000' is invalid for '--paths <paths>': not a whole number"),
            (["run", s, "--paths", "1e4"], "'1e4' is invalid for '--paths <paths>': not a whole number"),
            (["run", s, "--precision", "1%", "--max-paths", "0x100000"], "'0x100000' is invalid for '--max-paths <paths>'"),
            (["run", s, "--seed", "0x2a"], "'0x2a' is invalid for '--seed <seed>'"),
            (["run", s, "--threads", "0x2"], "'0x2' is invalid for '--threads <threads>'"),
            (["sweep", s, "--pd-scale", "0x1p1"], "'0x1p1' is invalid for '--pd-scale <scales>'"),
            (["sweep", s, "--pd-scale", "1", "--loading-scale", "1,0x1.8p0"], "'1,0x1.8p0' is invalid for '--loading-scale <scales>'"),
            (["sweep", s, "--pd-scale", "1", "--paths", "0x400"], "'0x400' is invalid for '--paths <paths>'"),
            (["bench", "--names", "0x10"], "'0x10' is invalid for '--names <names>'"),
            (["bench", "--factors", "0x2"], "'0x2' is invalid for '--factors <factors>'"),
            (["bench", "--paths", "1_000"], "'1_000' is invalid for '--paths <paths>'"),
            (["bench", "--degrees-of-freedom", "0x1p2"], "'0x1p2' is invalid for '--degrees-of-freedom <degrees-of-freedom>': not a decimal number"),
            (["bench", "--repeat", "0x3"], "'0x3' is invalid for '--repeat <repeat>'"),
            (["bench", "--seed", "0x7"], "'0x7' is invalid for '--seed <seed>'"),
            (["bench", "--threads", "1,0x2"], "--threads must be a comma-separated list of counts ≥ 1 (got 1,0x2)"),
        ]
        // A bench that wrongly accepted its value measures only a tiny portfolio.
        let small = [("--names", "10"), ("--factors", "1"), ("--paths", "1000"), ("--repeat", "1"), ("--threads", "1")]
        for (arguments, message) in cases {
            let extra = arguments[0] == "bench" ? small.filter { !arguments.contains($0.0) }.flatMap { [$0.0, $0.1] } : []
            let r = try cli.run(arguments + extra)
            #expect(r.status == 64, "\(arguments): \(r.status) \(r.stderr)")
            #expect(r.stderr.contains(message), "\(arguments): \(r.stderr)")
            #expect(r.stdout.isEmpty, "\(arguments): \(r.stdout)")
        }
    }

    /// The decimal forms the scenario accepts are still accepted: a leading point, an exponent.
    @Test func decimalFormsAreAccepted() throws {
        let r = try cli.run(["run", try scenario(), "--horizon", "2e0", "--levels", ".9", "--paths", "+2000", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(json["horizon"] as? Double == 2 && json["paths"] as? Int == 2000)
    }

    /// `--levels 99.9%` is accepted as `--precision 1%` is, and a percent is the decimal with its
    /// point moved (0.35% is exactly the Double of "0.0035", which 0.35 / 100 is not).
    @Test func levelsTakePercentsExactly() throws {
        #expect(0.35 / 100 != Double("0.0035")!, "the case would not tell a division from a shift")
        let r = try cli.run(["run", try scenario(), "--levels", "99.9%,0.35%,0.99", "--paths", "2000", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let net = try #require(json["net"] as? [String: Any])
        let levels = (net["quantiles"] as? [[String: Any]])?.compactMap { $0["level"] as? Double }
        #expect(levels == [Double("0.0035")!, 0.99, 0.999], "\(String(describing: levels))")
        let bad = try cli.run(["run", try scenario(), "--levels", "100%"])
        #expect(bad.status == 64 && bad.stderr.contains("each level must lie strictly between 0 and 1"), "\(bad.stderr)")
    }
}
