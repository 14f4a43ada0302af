import Foundation
import Testing

/// The memory guard's estimate against the measured peak resident memory (VmHWM, reported by
/// the test hook CREDITSIM_TEST_REPORT_MEMORY) over shapes that stress each part: a loss on
/// every path, stresses kept side by side, a hundred paying guarantors, and contributions over
/// many bonds. The estimate must be at least the peak and at most three times it.
@Suite struct MemoryEstimateTests {
    static let allLoss = """
        version: 1
        name: all loss
        factors: [g]
        entities:
          - {id: a, pd: 0.95, loadings: {g: 0.3}}
          - {id: b, pd: 0.9}
          - {id: c, pd: 0.9}
        bonds:
          - {id: x, issuer: a, notional: 1, maturity: 1, lgd: 0.5}
          - {id: y, issuer: b, notional: 2, maturity: 1, lgd: 0.5}
          - {id: z, issuer: c, notional: 3, maturity: 1, lgd: 0.5}
        stress:
          - {name: s1, pd_multiplier: {entity: {a: 1.01}}}
          - {name: s2, lgd_floor: 0.7}

        """

    func write(_ files: [String: String]) throws -> URL {
        let dir = try Tool.temporaryFolder("memory")
        for (name, text) in files { try Data(text.utf8).write(to: dir.appendingPathComponent(name)) }
        return dir
    }

    /// A scenario `s.yaml` named `name` on one factor g, with entities.csv and bonds.csv of these
    /// header and rows (`extra` appended to the YAML); its folder.
    func writeScenario(_ name: String, entities: [String], bonds: [String], extra: String = "") throws -> URL {
        try write(["s.yaml": "version: 1\nname: \(name)\nfactors: [g]\nentities: e.csv\nbonds: b.csv\n\(extra)",
                   "e.csv": entities.joined(separator: "\n") + "\n", "b.csv": bonds.joined(separator: "\n") + "\n"])
    }

    /// `count` issuers i0… of PD `issuerPD`, each with a bond guaranteed 50 % by its own provider
    /// p0… (PD 0.001).
    func writeProviders(_ count: Int, issuerPD: String) throws -> URL {
        try writeScenario("providers",
                          entities: ["id,pd,g"] + (0..<count).map { "i\($0),\(issuerPD),0.3" } + (0..<count).map { "p\($0),0.001,0.3" },
                          bonds: ["id,issuer,notional,maturity,lgd,guarantor,coverage"] + (0..<count).map { "b\($0),i\($0),10,1,0.6,p\($0),0.5" })
    }

    func measure(_ arguments: [String]) throws -> (peak: Double, estimate: Double, line: String) {
        let r = try Tool.run(arguments + ["--quiet"], environment: ["CREDITSIM_TEST_REPORT_MEMORY": "1"])
        #expect(r.status == 0, "\(r.stderr)")
        let line = r.stderr.split(separator: "\n").first { $0.hasPrefix("test hook: peak resident") }.map(String.init) ?? ""
        let words = line.split(separator: " ")
        let peak = words.count > 4 ? Double(words[4]) ?? 0 : 0
        let estimate = words.count > 7 ? Double(words[7]) ?? 0 : 0
        return (peak, estimate, line)
    }

    func check(_ arguments: [String]) throws {
        let (peak, estimate, line) = try measure(arguments)
        #expect(peak > 0, "\(line)")
        #expect(estimate >= peak, "estimate below the peak: \(line)")
        #expect(estimate <= 3 * peak, "estimate over 3× the peak: \(line)")
    }

    @Test func lossOnEveryPath() throws {
        let dir = try write(["s.yaml": Self.allLoss])
        try check(["run", dir.appendingPathComponent("s.yaml").path, "--paths", "200000"])
    }

    @Test func stressesKeptSideBySide() throws {
        let dir = try write(["s.yaml": Self.allLoss])
        try check(["run", dir.appendingPathComponent("s.yaml").path, "--paths", "120000", "--stress", "all"])
    }

    @Test func hundredPayingGuarantors() throws {
        let dir = try writeProviders(100, issuerPD: "0.5")
        try check(["run", dir.appendingPathComponent("s.yaml").path, "--paths", "10240"])
    }

    /// `--export-paths` keeps every bond's events: here about 150 a path (300 bonds at pd 0.5),
    /// which dominate the peak; the estimate (expected events × 2) must cover it, not triple it.
    @Test func exportedEventsOfManyDefaults() throws {
        let dir = try writeScenario("events", entities: ["id,pd,g"] + (0..<300).map { "i\($0),0.5,0.3" },
                                    bonds: ["id,issuer,notional,maturity,lgd"] + (0..<300).map { "b\($0),i\($0),10,1,0.6" })
        try check(["run", dir.appendingPathComponent("s.yaml").path, "--paths", "40960", "--export-paths",
                   "--out", dir.appendingPathComponent("out").path])
    }

    /// `--export-paths` writes a dense paths × providers payout array, whatever the providers
    /// pay (here almost nothing): the estimate counts it (without it, 62 MB against a 371 MB peak).
    @Test func exportedPathsOfManyProviders() throws {
        let dir = try writeProviders(200, issuerPD: "0.0001")
        try check(["run", dir.appendingPathComponent("s.yaml").path, "--paths", "102400", "--export-paths",
                   "--out", dir.appendingPathComponent("out").path])
    }

    @Test func contributionsOverManyBonds() throws {
        let dir = try writeScenario("contributions",
                                    entities: ["id,pd,sector,g"] + (0..<500).map { "e\($0),\(0.002 + 0.00004 * Double($0)),s\($0 % 20),0.4" },
                                    bonds: ["id,issuer,notional,maturity,lgd"] + (0..<20_000).map { "b\($0),e\($0 % 500),\(1 + $0 % 7),3,0.5" },
                                    extra: "output: {quantiles: [0.5, 0.9, 0.95, 0.99, 0.999]}\n")
        try check(["run", dir.appendingPathComponent("s.yaml").path, "--paths", "2048", "--contributions"])
    }
}
