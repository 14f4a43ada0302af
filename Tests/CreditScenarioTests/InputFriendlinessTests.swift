import CreditRisk
@testable import CreditScenario
import Foundation
import Testing

/// Inputs that load but look wrong are named in warnings; Excel's GB18030 CSVs are read.
@Suite struct InputFriendlinessTests {
    @Test func percentLikePDsAreWarnedAbout() throws {
        let entities = """
            id,name,sector,pd,global,tech
            a,Alpha,tech,0.35,0.3,0.4
            b,Beta,coal,0.5,0.4,
            g,Guarantor,state,0.25,0.3,
            s,Seller,bank,0.005,0.4,0.1

            """
        let f = try Fixture(["s.yaml": Samples.scenario(), "entities.csv": entities, "bonds.csv": Samples.bonds])
        let s = try ScenarioLoader.load(path: f.path("s.yaml"))
        #expect(s.warnings.map(\.description) == [
            "entities.csv: column \"pd\": 3 of 4 PDs are above 0.2 (median 0.35); pd is a one-year probability, not a percent: write 0.0035 for 0.35 %",
        ])
        let plain = try Fixture(["s.yaml": Samples.scenario(), "entities.csv": Samples.entities, "bonds.csv": Samples.bonds])
        #expect(try ScenarioLoader.load(path: plain.path("s.yaml")).warnings.isEmpty)
    }

    @Test func gb18030CSVIsReadWithAWarning() throws {
        // "宁德时代" (CATL) and "伊利" (Yili) in GB18030, as Excel on a Chinese Windows saves them.
        let catl: [UInt8] = [0xC4, 0xFE, 0xB5, 0xC2, 0xCA, 0xB1, 0xB4, 0xFA]
        let yili: [UInt8] = [0xD2, 0xC1, 0xC0, 0xFB]
        var csv = Array("id,name,sector,pd,global,tech\na,".utf8) + catl + Array(",tech,0.02,0.3,0.4\nb,".utf8) + yili
        csv += Array(",coal,0.05,0.4,\ng,G,state,0.002,0.3,\ns,S,bank,0.005,0.4,0.1\n".utf8)
        let f = try Fixture(["s.yaml": Samples.scenario(), "bonds.csv": Samples.bonds])
        try Data(csv).write(to: URL(fileURLWithPath: f.path("entities.csv")))
        let s = try ScenarioLoader.load(path: f.path("s.yaml"))
        #expect(s.portfolio.entities.map(\.name) == ["宁德时代", "伊利", "G", "S"])
        #expect(s.warnings.map(\.description) == [
            "entities.csv: read as GB18030 (a CSV saved by Excel on a Chinese-language Windows); save it as \"CSV UTF-8\" to silence this",
        ])
    }

    @Test func utf8ByteOrderMarkIsDropped() throws {
        let f = try Fixture(["s.yaml": Samples.scenario(), "bonds.csv": Samples.bonds])
        try Data([0xEF, 0xBB, 0xBF] + Array(Samples.entities.utf8)).write(to: URL(fileURLWithPath: f.path("entities.csv")))
        let s = try ScenarioLoader.load(path: f.path("s.yaml"))
        #expect(s.portfolio.entities.first?.id == "a" && s.warnings.isEmpty)
    }

    @Test func otherEncodingsAreRefusedWithTheFix() throws {
        // UTF-16 little endian with its byte-order mark: valid in neither UTF-8 nor GB18030.
        let f = try Fixture(["s.yaml": Samples.scenario(), "bonds.csv": Samples.bonds])
        var utf16: [UInt8] = [0xFF, 0xFE]
        for unit in Samples.entities.utf16 { utf16 += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        try Data(utf16).write(to: URL(fileURLWithPath: f.path("entities.csv")))
        #expect {
            try ScenarioLoader.load(path: f.path("s.yaml"))
        } throws: { error in
            (error as? ScenarioError)?.description.contains("neither UTF-8 nor GB18030 text; save it as \"CSV UTF-8\"") ?? false
        }
    }
}
