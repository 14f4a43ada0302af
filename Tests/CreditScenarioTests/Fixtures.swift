import Foundation
@testable import CreditScenario
import Testing

/// A temporary folder holding scenario files for one test.
struct Fixture {
    let directory: URL

    init(_ files: [String: String]) throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("creditsim-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for (name, text) in files {
            try Data(text.utf8).write(to: directory.appendingPathComponent(name))
        }
    }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
}

enum Samples {
    static let entities = """
        id,name,sector,pd,global,tech
        a,Alpha,tech,0.02,0.3,0.4
        b,Beta,coal,0.05,0.4,
        g,Guarantor,state,0.002,0.3,
        s,Seller,bank,0.005,0.4,0.1

        """

    static let bonds = """
        id,issuer,notional,maturity,lgd,guarantor,coverage,protection_seller,protection_notional,protection_spread_bps
        b1,a,100,0.5,0.6,g,1.0,,,
        b2,b,50,2,0.4,,,s,50,80
        b3,a,70,1,0.5,,,,,

        """

    static func scenario(_ extra: String = "", entities: String = "entities.csv", bonds: String = "bonds.csv") -> String {
        """
        version: 1
        name: Test scenario
        horizon: 1.0
        simulation: {paths: 5000, seed: 3}
        factors: [global, tech]
        factor_correlation:
          - [1.0, 0.2]
          - [0.2, 1.0]
        entities: \(entities)
        bonds: \(bonds)
        \(extra)
        """
    }
}

extension Fixture {
    /// The problems of a scenario that must be refused as invalid data (exit 65), as printed with
    /// file names relative to the fixture; records an issue when it loads.
    static func problems(_ files: [String: String], sourceLocation: SourceLocation = #_sourceLocation) throws -> [String] {
        let f = try Fixture(files)
        do {
            _ = try ScenarioLoader.load(path: f.path("s.yaml"))
            Issue.record("expected the scenario to be rejected", sourceLocation: sourceLocation)
            return []
        } catch {
            #expect(error.kind == .invalidData, sourceLocation: sourceLocation)
            return error.problems.map { $0.description.replacingOccurrences(of: f.directory.path + "/", with: "") }
        }
    }
}
