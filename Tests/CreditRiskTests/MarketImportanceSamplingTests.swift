@testable import CreditEngine
@testable import CreditMath
@testable import CreditModel
@testable import CreditStatistics
import Foundation
import Testing

/// Importance sampling in market valuation (a tilt of each issuer's D-or-E event) changes only
/// the errors: its EL, top-level ES and tail probability agree with plain sampling within four
/// combined standard errors, with and without extensions.
@Suite struct MarketImportanceSamplingTests {
    /// The reference portfolio (100 names, 3 factors) valued at market; with `extensions`, every
    /// third name may extend (extension_pd twice its rating's one-year PD, at least 0.5 %).
    static func portfolio(extensions: Bool) throws -> Portfolio {
        let p = try SyntheticPortfolio.marketReference(SyntheticPortfolio.reference(names: 100, factors: 3))
        guard extensions else { return p }
        var entities = p.entities
        for i in entities.indices where i % 3 == 0 { entities[i].extensionPD = max(0.005, 2 * entities[i].pd) }
        return try Portfolio(entities: entities, bonds: p.bonds, dependence: p.dependence, copula: p.copula,
                             horizon: p.horizon, valuation: p.valuation)
    }

    @Test(arguments: [false, true])
    func importanceSamplingAgreesWithPlainSampling(extensions: Bool) throws {
        let p = try Self.portfolio(extensions: extensions)
        let engine = Engine(portfolio: p)
        #expect(engine.supportsImportanceSampling)
        let level = 0.999, paths = 40_000
        let plain = engine.run(SimulationSettings(paths: paths, seed: 17, threads: 2))
        let shift = engine.importanceShift(level: level, pilotPaths: 10_000, seed: 18, threads: 2)
        #expect(shift.target > 0 && shift.mu.contains { $0 != 0 })
        let tilted = engine.run(SimulationSettings(paths: paths, seed: 19, threads: 2), importance: shift)
        let a = RiskReport(output: plain, portfolio: p, levels: [0.99, level])
        let b = RiskReport(output: tilted, portfolio: p, levels: [0.99, level])
        func agree(_ x: Double, _ sx: Double, _ y: Double, _ sy: Double, _ what: String) {
            #expect(abs(x - y) <= 4 * (sx * sx + sy * sy).squareRoot(), "\(what): plain \(x) ± \(sx), importance \(y) ± \(sy)")
        }
        agree(a.net.expectedLoss, a.net.expectedLossSE, b.net.expectedLoss, b.net.expectedLossSE, "EL")
        let esA = a.net.quantiles[1], esB = b.net.quantiles[1]
        agree(esA.expectedShortfall, esA.expectedShortfallSE, esB.expectedShortfall, esB.expectedShortfallSE, "ES 99.9 %")
        let x = a.net.quantiles[0].valueAtRisk
        let pa = a.netDistribution.exceedance(x), pb = b.netDistribution.exceedance(x)
        agree(pa.probability, pa.se, pb.probability, pb.se, "P(L > \(x))")
        // The far tail is where the tilt pays: ES 99.9 % is resolved more tightly.
        #expect(esB.expectedShortfallSE < esA.expectedShortfallSE)
        if extensions {
            let ea = try #require(a.extensionProbability), eb = try #require(b.extensionProbability)
            agree(ea.value, ea.standardError, eb.value, eb.standardError, "P(extension)")
            let sa = try #require(a.netByState), sb = try #require(b.netByState)
            agree(sa.extended.value, sa.extended.standardError, sb.extended.value, sb.extended.standardError, "EL by extension")
            #expect(sa.migration != nil)
        }
    }
}
