import CreditRisk
import Foundation
import Testing

/// Homogeneous one-factor portfolios: the exact finite-pool distribution (an integral over the
/// factor of binomial probabilities) and the Vasicek (2002) large-pool limit.
@Suite struct FactorModelTests {
    @Test func finitePoolMatchesOneFactorIntegral() throws {
        let names = 40, pd = 0.02, rho = 0.25
        let entities = oneFactorEntities([Double](repeating: pd, count: names), rho: rho)
        let bonds = (0..<names).map { Bond(id: "b\($0)", issuer: $0, notional: 1, maturity: 1, lgd: 1) }
        let p = try Portfolio(entities: entities, bonds: bonds,
                              dependence: .factors(FactorModel(factorIDs: ["m"])))
        let n = 200_000
        let (_, report) = try simulate(p, paths: n, levels: [0.99])
        let exact = Reference.oneFactor(names: names, pd: pd, rho: rho)
        #expect(abs(report.gross.expectedLoss - Double(names) * pd) < 4 * report.gross.expectedLossSE)
        var cdf = 0.0
        for k in 0...12 {
            cdf += exact[k]
            let mc = report.grossDistribution.cdf(Double(k))
            #expect(abs(mc - cdf) < 4 * probabilitySE(cdf, n), "P(L ≤ \(k)): \(mc) vs \(cdf)")
        }
        // ES99 of the exact distribution.
        let exactES = Reference.valueAtRiskAndES(exact, level: 0.99).es
        let es = report.gross.quantiles[0]
        #expect(abs(es.expectedShortfall - exactES) < 4 * es.expectedShortfallSE, "\(es.expectedShortfall) vs \(exactES)")
    }

    @Test func largePoolApproachesVasicekLimit() throws {
        // 1000 names of notional 1/1000: L ≈ p(Z). Tolerance: 4 × the order-statistic error of the
        // MC quantile plus 3 × the conditional binomial standard deviation √(x(1 − x)/N) that
        // separates a finite pool from its limit.
        let names = 1000, pd = 0.01, rho = 0.15
        let entities = oneFactorEntities([Double](repeating: pd, count: names), rho: rho)
        let bonds = (0..<names).map { Bond(id: "b\($0)", issuer: $0, notional: 1.0 / Double(names), maturity: 1, lgd: 1) }
        let p = try Portfolio(entities: entities, bonds: bonds, dependence: .factors(FactorModel(factorIDs: ["m"])))
        let n = 40_000
        let (_, report) = try simulate(p, paths: n, levels: [0.9, 0.99])
        #expect(abs(report.gross.expectedLoss - pd) < 4 * report.gross.expectedLossSE)
        for q in report.gross.quantiles {
            let limit = Reference.vasicekQuantile(pd: pd, rho: rho, level: q.level)
            let mcHalfWidth = (q.valueAtRiskUpper - q.valueAtRiskLower) / 2
            let granularity = (limit * (1 - limit) / Double(names)).squareRoot()
            #expect(abs(q.valueAtRisk - limit) < 4 * mcHalfWidth / 1.96 + 3 * granularity,
                    "VaR \(q.level): \(q.valueAtRisk) vs Vasicek \(limit)")
        }
    }

    @Test func correlatedFactorsEnterThroughSigma() throws {
        // Two names loading on different factors with factor correlation 0.6: latent correlation
        // is w1·w2·0.6. Joint default by the window equals the bivariate normal probability,
        // computed here by the one-dimensional integral ∫_{x ≤ c} φ(x) Φ((c − r x)/√(1 − r²)) dx.
        let w = 0.7, sigma = 0.6, pd = 0.05
        let entities = [Entity(id: "a", pd: pd, loadings: [w, 0]), Entity(id: "b", pd: pd, loadings: [0, w])]
        let bonds = [Bond(id: "x", issuer: 0, notional: 1, maturity: 1, lgd: 1),
                     Bond(id: "y", issuer: 1, notional: 1, maturity: 1, lgd: 1)]
        let model = FactorModel(factorIDs: ["f", "g"], correlation: SymmetricMatrix(rows: [[1, sigma], [sigma, 1]]))
        let p = try Portfolio(entities: entities, bonds: bonds, dependence: .factors(model))
        let n = 400_000
        let (out, _) = try simulate(p, paths: n)
        let both = Double(out.gross.filter { $0 == 2 }.count) / Double(n)
        let r = w * w * sigma, c = Normal.quantile(pd)
        let exact = Reference.integrate(-12, c, intervals: 20000) { x in
            Normal.pdf(x) * Normal.cdf((c - r * x) / (1 - r * r).squareRoot())
        }
        #expect(abs(both - exact) < 4 * probabilitySE(exact, n), "\(both) vs \(exact)")
    }
}
