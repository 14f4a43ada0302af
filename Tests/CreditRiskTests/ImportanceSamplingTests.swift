import CreditRisk
import Foundation
import Testing

/// Importance sampling changes only the errors: its estimates must agree with exact answers or
/// with plain Monte Carlo within their standard errors, with smaller errors in the tail.
@Suite struct ImportanceSamplingTests {
    static func onePool() throws -> Portfolio {
        let entities = oneFactorEntities([Double](repeating: 0.02, count: 40), rho: 0.25)
        let bonds = (0..<40).map { Bond(id: "b\($0)", issuer: $0, notional: 1, maturity: 1, lgd: 1) }
        return try Portfolio(entities: entities, bonds: bonds, dependence: .factors(FactorModel(factorIDs: ["m"])))
    }

    /// One factor, exact distribution by the binomial integral (as in FactorModelTests).
    @Test func tailAgreesWithExactOneFactorDistribution() throws {
        let p = try Self.onePool()
        let engine = Engine(portfolio: p)
        let shift = engine.importanceShift(level: 0.999, pilotPaths: 20_000, seed: 5, threads: 2)
        #expect(shift.target > 0 && (shift.mu.first ?? 0) != 0)
        let n = 40_000
        let out = engine.run(SimulationSettings(paths: n, seed: 9, threads: 2), importance: shift)
        #expect(out.weights?.count == n)
        let report = RiskReport(output: out, portfolio: p, levels: [0.99, 0.999])
        let exact = Reference.oneFactor(names: 40, pd: 0.02, rho: 0.25)
        // P(L > k) for tail k, within 4 IS standard errors.
        for k in [5, 8, 12, 16] {
            let exactTail = exact[(k + 1)...].reduce(0, +)
            let (estimate, se) = report.grossDistribution.exceedance(Double(k))
            #expect(abs(estimate - exactTail) < 4 * se, "P(L > \(k)): \(estimate) ± \(se) vs \(exactTail)")
        }
        // EL is unbiased too.
        #expect(abs(report.gross.expectedLoss - 0.8) < 4 * report.gross.expectedLossSE)
        // ES 99.9 % against the exact distribution.
        let exactES = Reference.valueAtRiskAndES(exact, level: 0.999).es
        let es = report.gross.quantiles[1]
        #expect(abs(es.expectedShortfall - exactES) < 4 * es.expectedShortfallSE + 1e-9, "\(es.expectedShortfall) ± \(es.expectedShortfallSE) vs \(exactES)")
    }

    /// At equal paths the tail errors shrink: P(L > VaR99.9) and ES99.9.
    @Test func tailErrorsShrink() throws {
        let p = try Self.onePool()
        let engine = Engine(portfolio: p)
        let n = 20_000
        let plain = RiskReport(output: engine.run(SimulationSettings(paths: n, seed: 3, threads: 2)), portfolio: p, levels: [0.999])
        let shift = engine.importanceShift(level: 0.999, pilotPaths: 20_000, seed: 5, threads: 2)
        let weighted = RiskReport(output: engine.run(SimulationSettings(paths: n, seed: 3, threads: 2), importance: shift),
                                  portfolio: p, levels: [0.999])
        let x = plain.gross.quantiles[0].valueAtRisk
        let sePlain = plain.grossDistribution.exceedance(x).se, seIS = weighted.grossDistribution.exceedance(x).se
        #expect(seIS * 3 < sePlain, "se plain \(sePlain), IS \(seIS)")
        #expect(weighted.gross.quantiles[0].expectedShortfallSE * 3 < plain.gross.quantiles[0].expectedShortfallSE)
    }

    /// With guarantees, protection, several windows and a Student-t copula, IS and a long plain run agree.
    @Test(arguments: [Copula.gaussian, .studentT(degreesOfFreedom: 6)])
    func agreesWithPlainOnEnhancedPortfolio(copula: Copula) throws {
        let p = try ReproducibilityTests.portfolio(copula: copula)
        let engine = Engine(portfolio: p)
        let plain = RiskReport(output: engine.run(SimulationSettings(paths: 200_000, seed: 1, threads: 2)), portfolio: p, levels: [0.99])
        let shift = engine.importanceShift(level: 0.99, pilotPaths: 20_000, seed: 2, threads: 2)
        let weighted = RiskReport(output: engine.run(SimulationSettings(paths: 50_000, seed: 3, threads: 2), importance: shift),
                                  portfolio: p, levels: [0.99])
        for (a, b) in [(plain.net, weighted.net), (plain.gross, weighted.gross)] {
            let combined = (a.expectedLossSE * a.expectedLossSE + b.expectedLossSE * b.expectedLossSE).squareRoot()
            #expect(abs(a.expectedLoss - b.expectedLoss) < 4 * combined, "EL \(a.expectedLoss) vs \(b.expectedLoss)")
            let qa = a.quantiles[0], qb = b.quantiles[0]
            let esCombined = (qa.expectedShortfallSE * qa.expectedShortfallSE + qb.expectedShortfallSE * qb.expectedShortfallSE).squareRoot()
            #expect(abs(qa.expectedShortfall - qb.expectedShortfall) < 4 * esCombined, "ES \(qa.expectedShortfall) vs \(qb.expectedShortfall)")
        }
        let ga = try #require(plain.guarantors.first), gb = try #require(weighted.guarantors.first)
        #expect(abs(ga.expectedPayout - gb.expectedPayout) < 4 * (ga.expectedPayoutSE + gb.expectedPayoutSE))
    }
}
