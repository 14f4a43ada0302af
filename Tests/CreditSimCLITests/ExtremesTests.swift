import Foundation
import Testing

/// Inputs that pass `validate` run correctly; the extremes that would not are refused there
/// (exit 65) or on the command line (exit 64), with the limit named.
@Suite struct ExtremesTests {
    func scenario(copula: String = "gaussian", factors: String = "[g]", notional: String = "100",
                  loadings: String = "{g: 0.3}") throws -> URL {
        let dir = try Tool.temporaryFolder("extreme")
        let yaml = """
            version: 1
            name: extremes
            copula: \(copula)
            factors: \(factors)
            entities:
              - {id: a, pd: 0.01, loadings: \(loadings)}
              - {id: b, pd: 0.02}
            bonds:
              - {id: x, issuer: a, notional: \(notional), maturity: 1, lgd: 0.5}
              - {id: y, issuer: b, notional: \(notional), maturity: 1, lgd: 0.5}

            """
        let url = dir.appendingPathComponent("s.yaml")
        try Data(yaml.utf8).write(to: url)
        return url
    }

    @Test(arguments: [("0.05", false), ("0.099", false), ("0.1", true), ("1000", true), ("1000.5", false), ("1e6", false), ("1e15", false)])
    func degreesOfFreedomBounds(nu: String, accepted: Bool) throws {
        let s = try scenario(copula: "{type: student-t, degrees_of_freedom: \(nu)}")
        let r = try Tool.run(["validate", s.path])
        #expect(r.status == (accepted ? 0 : 65), "\(nu): \(r.stderr)")
        if !accepted {
            #expect(r.stderr.contains("must be a number with 0.1 ≤ ν ≤ 1000 (below 0.1 the t quantiles of small PDs overflow; above 1000 use copula: gaussian, the limit ν → ∞)"), "\(r.stderr)")
        }
    }

    @Test func notionalsWhoseSumsOverflowAreRefused() throws {
        let r = try Tool.run(["validate", try scenario(notional: "1e31").path])
        #expect(r.status == 65)
        #expect(r.stderr.contains("key \"notional\""), "\(r.stderr)")
        #expect(r.stderr.contains("the notionals sum to 2e+31; the total must be at most 1e30 so that sums of losses, of their squares and the single-precision sector losses stay finite"), "\(r.stderr)")
        let ok = try Tool.run(["run", try scenario(notional: "4e29").path, "--paths", "2048", "--json"])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(!ok.stdout.contains("inf") && !ok.stdout.contains("nan"))
    }

    @Test func hundredThousandFactorIdsAreRefusedBeforeAllocating() throws {
        let ids = (0..<100_000).map { "f\($0)" }.joined(separator: ", ")
        let start = Date()
        let r = try Tool.run(["validate", try scenario(factors: "[\(ids)]", loadings: "{f1: 0.3}").path])
        #expect(r.status == 65)
        #expect(r.stderr.contains("key \"factors\": value \"100000 factor ids\": at most 2000 factors are supported"), "\(r.stderr)")
        #expect(Date().timeIntervalSince(start) < 20)
    }

    @Test func benchSizesAreBounded() throws {
        let cases: [([String], String)] = [
            (["--paths", "9223372036854775807"], "--paths must be at most 2000000000 (got 9223372036854775807)"),
            (["--names", "100000000"], "--names must be at most 1000000 (got 100000000)"),
            (["--factors", "10000"], "--factors must be at most 2000 (got 10000)"),
            (["--full-correlation", "--names", "50000"], "--names must be at most 20000 (got 50000)"),
            (["--copula", "student-t", "--degrees-of-freedom", "1e6"], "--degrees-of-freedom must be a number with 0.1 ≤ ν ≤ 1000"),
            (["--names", "1e8"], "The value '1e8' is invalid for '--names <names>'"),
        ]
        for (args, message) in cases {
            let r = try Tool.run(["bench"] + args)
            #expect(r.status == 64, "\(args)")
            #expect(r.stderr.contains(message), "\(args): \(r.stderr)")
        }
    }
}
