import CreditRisk
import CreditScenario
import Foundation
import Testing

/// What ScenarioWriter writes, ScenarioLoader reads back to the same portfolio.
@Suite struct ScenarioWriterTests {
    func roundTrip(_ p: Portfolio) throws -> Portfolio {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("creditsim-writer-\(UUID().uuidString)")
        try ScenarioWriter.write(p, name: "Round \"trip\", test", paths: 1000, seed: 3, to: dir)
        let s = try ScenarioLoader.load(path: dir.appendingPathComponent("scenario.yaml").path)
        #expect(s.name == "Round \"trip\", test")
        return s.portfolio
    }

    @Test func bundledScenarioRoundTrips() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Scenarios/tech-bonds-2026/tech-bonds.yaml").path
        let original = try ScenarioLoader.load(path: path).portfolio
        let back = try roundTrip(original)
        #expect(back.entities == original.entities)
        #expect(back.bonds == original.bonds)
        #expect(back.dependence == original.dependence)
        #expect(back.lgdCorrelation == original.lgdCorrelation && back.horizon == original.horizon)
        #expect(original.entities.contains { $0.capacity != nil } && original.bonds.contains { $0.lgdSD != nil })
    }

    @Test func syntheticAndFullCorrelationPortfoliosRoundTrip() throws {
        let large = try SyntheticPortfolio.large(names: 50, bonds: 200, factors: 3)
        let back = try roundTrip(large)
        #expect(back.entities == large.entities && back.bonds == large.bonds)
        let full = try SyntheticPortfolio.reference(names: 20, factors: 2, fullCorrelation: true)
        let fullBack = try roundTrip(full)
        #expect(fullBack.dependence == full.dependence && fullBack.bonds == full.bonds)
    }
}
