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
        #expect(back.extensionTerms == original.extensionTerms)
        #expect(original.entities.contains { $0.capacity != nil } && original.bonds.contains { $0.lgdSD != nil })
        #expect(original.hasExtension && original.bonds.contains { $0.protection?.triggers == .defaultOrExtension })
    }

    @Test func syntheticAndFullCorrelationPortfoliosRoundTrip() throws {
        let large = try SyntheticPortfolio.large(names: 50, bonds: 200, factors: 3)
        let back = try roundTrip(large)
        #expect(back.entities == large.entities && back.bonds == large.bonds)
        let full = try SyntheticPortfolio.reference(names: 20, factors: 2, fullCorrelation: true)
        let fullBack = try roundTrip(full)
        #expect(fullBack.dependence == full.dependence && fullBack.bonds == full.bonds)
    }

    @Test func creditStateFieldsRoundTrip() throws {
        let entities = [Entity(id: "a", pd: 0.02, loadings: [0.3], extensionPD: 0.05), Entity(id: "g", pd: 0.001, loadings: [0.2])]
        let bonds = [
            Bond(id: "b1", issuer: 0, notional: 10, maturity: 1, lgd: 0.6,
                 guarantee: Guarantee(guarantor: 1, coverage: 0.5, triggers: .defaultOrExtension), extensionLGD: 0.2),
            Bond(id: "b2", issuer: 0, notional: 5, maturity: 2, lgd: 0.5,
                 protection: Protection(seller: 1, notional: 5, spreadBps: 30), extensionLGDSD: 0.1),
        ]
        let p = try Portfolio(entities: entities, bonds: bonds, dependence: .factors(FactorModel(factorIDs: ["f"])),
                              extensionTerms: ExtensionTerms(years: 1.5, laterDefault: 0.4, discountRate: 0.03))
        let back = try roundTrip(p)
        #expect(back.entities == p.entities && back.bonds == p.bonds && back.extensionTerms == p.extensionTerms)
    }
}
