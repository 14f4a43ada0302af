import Foundation
import Testing

/// Text from scenarios is neutralised where it lands: formula cells in contributions.csv get an
/// apostrophe, control characters reach no terminal raw, huge values are cut in messages; and
/// the loader's small rules (decimal numbers only, duplicate keys at their second line).
@Suite struct HostileTextTests {
    static let formula = "=1+cmd|' /C calc'!A0"

    func write(_ yaml: String) throws -> URL {
        let url = try Tool.temporaryFolder("hostile").appendingPathComponent("s.yaml")
        try Data(yaml.utf8).write(to: url)
        return url
    }

    /// No C0 control but the line feed, no DEL or C1, in what a terminal would show.
    func isClean(_ s: String) -> Bool {
        !s.unicodeScalars.contains { ($0.value < 0x20 && $0.value != 0x0A) || (0x7F...0x9F).contains($0.value) }
    }

    @Test func idsAndNamesAreNeutralised() throws {
        let s = try write("""
            version: 1
            name: "evil \\e[2J\\a name"
            factors: []
            entities:
              - {id: "\(Self.formula)", pd: 0.5, sector: "-2+3"}
              - {id: "\\e]0;title\\a", pd: 0.5}
            bonds:
              - {id: "@x", issuer: "\(Self.formula)", notional: 1, maturity: 1, lgd: 0.5}
              - {id: "+y", issuer: "\\e]0;title\\a", notional: 1, maturity: 1, lgd: 0.5}

            """)
        let out = s.deletingLastPathComponent().appendingPathComponent("out")
        let r = try Tool.run(["run", s.path, "--paths", "2048", "--contributions", "--out", out.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(isClean(r.stdout) && isClean(r.stderr))
        #expect(r.stdout.contains("Scenario   evil \\u{1B}[2J\\u{7} name"))
        let csv = try String(contentsOf: out.appendingPathComponent("contributions.csv"), encoding: .utf8)
        let ids = csv.split(separator: "\n").dropFirst().map { $0.split(separator: ",")[1] }
        #expect(ids.contains("'@x") && ids.contains("'+y") && ids.contains("'-2+3"))
        #expect(csv.contains("\nissuer,'\(Self.formula),"))
        #expect(!csv.split(separator: "\n").contains { line in line.split(separator: ",").dropFirst().first.map { "=+-@".contains($0.first!) } ?? false })
        let v = try Tool.run(["validate", s.path])
        #expect(v.status == 0 && isClean(v.stdout))
        #expect(v.stdout.contains("Name        evil \\u{1B}[2J\\u{7} name"))
        let c = try Tool.run(["compare", out.path, out.path])
        #expect(c.status == 0 && isClean(c.stdout))
        #expect(c.stdout.contains("evil \\u{1B}[2J\\u{7} name"))
        let stress = try Tool.run(["run", s.path, "--stress", "\u{1B}[2J"])
        #expect(stress.status == 64 && isClean(stress.stderr))
        #expect(stress.stderr.contains("--stress \\u{1B}[2J: no such stress"), "\(stress.stderr)")
    }

    /// A line break in the scenario's name, a sector, a rating label or an id cannot forge a line
    /// of `validate` or `run` output: it shows as `\u{A}`.
    @Test func lineBreaksInTextForgeNoLines() throws {
        let s = try write("""
            version: 1
            name: "book\\nFORGED scenario line"
            ratings: {scale: ["A\\nFORGED rating", BB], pd: {"A\\nFORGED rating": 0.01, BB: 0.05}}
            factors: [global]
            entities:
              - {id: "a\\nFORGED id", rating: "A\\nFORGED rating", sector: "tech\\nFORGED sector", loadings: {global: 0.3}}
              - {id: g, pd: 0.01, sector: state, loadings: {global: 0.3}}
            bonds:
              - {id: "b\\nFORGED bond", issuer: "a\\nFORGED id", notional: 10, maturity: 1, lgd: 0.5, guarantor: g, coverage: 1}
            output: {tail_thresholds: [1]}

            """)
        let out = s.deletingLastPathComponent().appendingPathComponent("out")
        for arguments in [["validate", s.path], ["run", s.path, "--paths", "4096", "--contributions", "--out", out.path]] {
            let r = try Tool.run(arguments)
            #expect(r.status == 0, "\(arguments): \(r.stderr)")
            let forged = (r.stdout + r.stderr).split(separator: "\n").filter { $0.hasPrefix("FORGED") }
            #expect(forged.isEmpty, "\(arguments): \(forged)")
            #expect(r.stdout.contains("\\u{A}FORGED"), "\(arguments[0]) shows the escape")
        }
    }

    @Test func errorMessagesAreEscapedAndCut() throws {
        let huge = String(repeating: "9", count: 10_000_000)
        let s = try write("""
            version: 1
            name: bad
            factors: []
            entities:
              - {id: a, pd: \(huge)}
              - {id: b, pd: "0.1\\e[31m"}
            bonds:
              - {id: x, issuer: a, notional: 1, maturity: 1, lgd: 0.5}

            """)
        let r = try Tool.run(["validate", s.path])
        #expect(r.status == 65)
        #expect(r.stderr.count < 1000)
        #expect(r.stderr.contains("error: \(s.path):5: key \"pd\": value \"\(String(repeating: "9", count: 80))… (10000000 characters)\": "), "\(r.stderr.prefix(300))")
        #expect(r.stderr.contains("error: \(s.path):6: key \"pd\": value \"0.1\\u{1B}[31m\": not a number"), "\(r.stderr)")
        #expect(isClean(r.stderr))
    }

    @Test func numbersAreDecimalAndDuplicateKeysAreFoundWhereTheyRepeat() throws {
        let s = try write("""
            version: 1
            name: numbers
            factors: []
            entities:
              - {id: a, pd: 0.5}
            bonds:
              - {id: x, issuer: a, notional: 0x10, maturity: 1, lgd: 0.5}
              - {id: y, issuer: a, notional: 1_000, maturity: 0x1p-2, lgd: 0.5}

            """)
        let r = try Tool.run(["validate", s.path])
        #expect(r.status == 65)
        #expect(r.stderr == """
            error: \(s.path):7: key "notional": value "0x10": not a number
            error: \(s.path):8: key "notional": value "1_000": not a number
            error: \(s.path):8: key "maturity": value "0x1p-2": not a number
            3 problems found.

            """, "\(r.stderr)")
        let dup = try write("""
            version: 1
            name: first
            factors: []
            entities:
              - {id: a, pd: 0.5}
            bonds:
              - {id: x, issuer: a, notional: 1, maturity: 1, lgd: 0.5}
            name: second

            """)
        let d = try Tool.run(["validate", dup.path])
        #expect(d.status == 65)
        #expect(d.stderr == "error: \(dup.path):8: key \"name\": duplicate key in a mapping\n", "\(d.stderr)")
        let inline = try write("""
            version: 1
            name: inline
            factors: []
            entities:
              - {id: a, pd: 0.5,
                 pd: 0.6}
            bonds:
              - {id: x, issuer: a, notional: 1, maturity: 1, lgd: 0.5}

            """)
        let i = try Tool.run(["validate", inline.path])
        #expect(i.stderr == "error: \(inline.path):6: key \"pd\": duplicate key in a mapping\n", "\(i.stderr)")
    }
}
