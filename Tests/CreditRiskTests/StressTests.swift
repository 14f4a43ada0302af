import CreditRisk
import Foundation
import Testing

@Suite struct StressTests {
    static func independent() throws -> Portfolio {
        let entities = [
            Entity(id: "a", sector: "tech", pd: 0.02, loadings: []),
            Entity(id: "b", sector: "coal", pd: 0.05, loadings: []),
            Entity(id: "g", sector: "state", pd: 0.01, loadings: []),
        ]
        let bonds = [
            Bond(id: "x", issuer: 0, notional: 10, maturity: 1, lgd: 0.4),
            Bond(id: "y", issuer: 1, notional: 20, maturity: 0.5, lgd: 0.5, guarantee: Guarantee(guarantor: 2, coverage: 1)),
        ]
        return try Portfolio(entities: entities, bonds: bonds, dependence: .factors(FactorModel(factorIDs: [])))
    }

    /// For independent names EL = Σ G_b · (1 − (1 − pd·m)^T_b): the stressed EL must match it.
    @Test func pdMultipliersChangeELAsExpected() throws {
        let base = try Self.independent()
        var stress = Stress(name: "s")
        stress.pdMultiplierBySector = ["tech": 3]
        stress.pdMultiplierByEntity = [1: 2]
        let stressed = try stress.apply(to: base)
        #expect(stressed.entities.map(\.pd) == [0.06, 0.1, 0.01])
        let n = 400_000
        let (_, report) = try simulate(stressed, paths: n)
        let exact = 4 * -expm1(log1p(-0.06)) + 10 * -expm1(0.5 * log1p(-0.1))
        #expect(abs(report.gross.expectedLoss - exact) < 4 * report.gross.expectedLossSE,
                "\(report.gross.expectedLoss) vs \(exact)")
    }

    @Test func lgdFloorScalesLossesPathByPath() throws {
        let base = try Self.independent()
        var stress = Stress(name: "floor")
        stress.lgdFloorBySector = ["tech": 0.6]
        let stressed = try stress.apply(to: base)
        #expect(stressed.bonds.map(\.lgd) == [0.6, 0.5])
        // Same seed and PDs: the same defaults, so bond x's loss is 1.5 times as large on every path.
        let (a, _) = try simulate(base, paths: 20_000)
        let (b, _) = try simulate(stressed, paths: 20_000)
        for i in 0..<a.paths {
            let bondY = a.gross[i] >= 10 ? 10.0 : 0   // gross is 0, 4 (x), 10 (y) or 14 (both)
            let xLoss = a.gross[i] - bondY
            #expect(abs(b.gross[i] - (bondY + 1.5 * xLoss)) < 1e-12)
        }
    }

    @Test func forcedDefaultLosesEverythingAndGuaranteesFail() throws {
        let base = try Self.independent()
        var issuerDown = Stress(name: "a down")
        issuerDown.forcedDefaults = [0]
        let (out, _) = try simulate(try issuerDown.apply(to: base), paths: 5000)
        #expect(out.gross.allSatisfy { $0 >= 4 })
        var guarantorDown = Stress(name: "g down")
        guarantorDown.forcedDefaults = [2]
        let (gOut, gReport) = try simulate(try guarantorDown.apply(to: base), paths: 50_000)
        #expect(gReport.guarantors.first?.expectedPayout == 0)
        #expect(gOut.net == gOut.gross)
        #expect(gOut.gross.contains { $0 >= 10 })
    }

    @Test func stressThatBreaksTheModelIsAnError() throws {
        var stress = Stress(name: "too much")
        stress.pdMultiplierByEntity = [1: 25]
        #expect(throws: PortfolioError.self) { try stress.apply(to: try Self.independent()) }
    }
}
