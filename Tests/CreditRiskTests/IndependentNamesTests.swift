import CreditRisk
import Foundation
import Testing

/// Independent names against the exact distribution by convolution. Tolerances: 4 standard errors.
@Suite struct IndependentNamesTests {
    static let pds = (0..<24).map { 0.01 + 0.004 * Double($0) }
    static let exposures = (0..<24).map { 1 + $0 % 5 }

    static func portfolio(rollover: Bool) throws -> Portfolio {
        let entities = pds.enumerated().map { Entity(id: "n\($0.offset)", pd: $0.element, loadings: []) }
        // Half of the notes mature at 0.5 years: their window probability is 1 − (1 − pd)^0.5.
        let bonds = exposures.enumerated().map {
            Bond(id: "b\($0.offset)", issuer: $0.offset, notional: Double($0.element) * 2,
                 maturity: $0.offset % 2 == 0 ? 0.5 : 3, lgd: 0.5)
        }
        return try Portfolio(entities: entities, bonds: bonds, dependence: .factors(FactorModel(factorIDs: [])),
                             horizon: 1, rollover: rollover)
    }

    @Test(arguments: [false, true])
    func lossDistributionMatchesConvolution(rollover: Bool) throws {
        let p = try Self.portfolio(rollover: rollover)
        let windowPD = p.bonds.map { b in p.entities[b.issuer].defaultProbability(within: p.window(of: b)) }
        let exact = Reference.convolution(probabilities: windowPD, exposures: Self.exposures)
        let n = 200_000
        let (_, report) = try simulate(p, paths: n, levels: [0.99, 0.999])

        let exactEL = zip(windowPD, Self.exposures).reduce(0) { $0 + $1.0 * Double($1.1) }
        #expect(abs(report.gross.expectedLoss - exactEL) < 4 * report.gross.expectedLossSE)
        #expect(report.net.expectedLoss == report.gross.expectedLoss)

        var cdf = 0.0
        for (k, mass) in exact.enumerated() where k <= 20 {
            cdf += mass
            let mc = report.grossDistribution.cdf(Double(k))
            #expect(abs(mc - cdf) < 4 * probabilitySE(cdf, n) + 1e-12, "P(L ≤ \(k)): \(mc) vs exact \(cdf)")
        }
        // VaR at 99 %: the exact quantile, unless the level falls within 4 SE of a CDF step.
        let (exactVaR, exactES) = Reference.valueAtRiskAndES(exact, level: 0.99)
        let mcVaR = report.gross.quantiles[0].valueAtRisk
        let stepBelow = exact[0..<exactVaR].reduce(0, +)
        let ambiguous = abs(stepBelow - 0.99) < 4 * probabilitySE(0.99, n)
        #expect(ambiguous || mcVaR == Double(exactVaR), "VaR99 \(mcVaR) vs exact \(exactVaR)")
        let es = report.gross.quantiles[0]
        #expect(ambiguous || abs(es.expectedShortfall - exactES) < 4 * es.expectedShortfallSE,
                "ES99 \(es.expectedShortfall) ± \(es.expectedShortfallSE) vs exact \(exactES)")
    }
}
