import CreditRisk
import Foundation
import Testing

@Suite struct StochasticLGDTests {
    @Test func betaInverseInvertsTheCDF() {
        for (a, b) in [(2.0, 3.0), (0.7, 0.4), (12.5, 30)] {
            for p in [1e-6, 0.01, 0.3, 0.5, 0.9, 0.999] {
                let x = Incomplete.betaInverse(a, b, p)
                // Either p is hit to 1e-12, or x is within one ulp of the root (near 1 with b < 1 the
                // CDF moves by more than 1e-12 between neighbouring doubles).
                let close = abs(Incomplete.betaI(a, b, x) - p) < 1e-12
                let bracketed = (Incomplete.betaI(a, b, x.nextDown) - p) * (Incomplete.betaI(a, b, x.nextUp) - p) <= 0
                #expect(close || bracketed, "a \(a) b \(b) p \(p)")
            }
        }
    }

    /// Given default, the loss is notional · LGD with LGD ~ Beta of mean m and deviation sd: the
    /// sample mean and variance of the non-zero losses match m and sd² within their errors, and
    /// EL = pd · notional · m.
    @Test func betaLGDMoments() throws {
        let m = 0.45, sd = 0.2, pd = 0.3
        let p = try Portfolio(entities: [Entity(id: "a", pd: pd, loadings: [])],
                              bonds: [Bond(id: "x", issuer: 0, notional: 1, maturity: 1, lgd: m, lgdSD: sd)],
                              dependence: .factors(FactorModel(factorIDs: [])))
        let (out, report) = try simulate(p, paths: 200_000)
        let losses = out.gross.filter { $0 > 0 }
        let k = Double(losses.count)
        let mean = losses.reduce(0, +) / k
        let variance = losses.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (k - 1)
        #expect(abs(mean - m) < 4 * sd / k.squareRoot(), "mean \(mean)")
        // SE of a sample variance ≈ sd² √(2/k) (normal approximation; Beta kurtosis is below 3 here).
        #expect(abs(variance - sd * sd) < 4 * sd * sd * (2 / k).squareRoot() * 1.5, "variance \(variance)")
        #expect(abs(report.gross.expectedLoss - pd * m) < 4 * report.gross.expectedLossSE)
        #expect(losses.allSatisfy { $0 > 0 && $0 < 1 })
    }

    /// With a downturn correlation the LGD driver falls with the systematic factor, and defaults
    /// cluster in bad states, so the average LGD over defaults exceeds the unconditional mean.
    @Test func downturnLGDIsHigherWhenDefaultsCluster() throws {
        let m = 0.4, sd = 0.2
        let entities = (0..<50).map { Entity(id: "e\($0)", pd: 0.05, loadings: [0.6]) }
        let bonds = (0..<50).map { Bond(id: "b\($0)", issuer: $0, notional: 1, maturity: 1, lgd: m, lgdSD: sd) }
        let independent = try Portfolio(entities: entities, bonds: bonds, dependence: .factors(FactorModel(factorIDs: ["m"])))
        let downturn = try Portfolio(entities: entities, bonds: bonds, dependence: .factors(FactorModel(factorIDs: ["m"])),
                                     lgdCorrelation: 0.5)
        let (_, a) = try simulate(independent, paths: 40_000)
        let (_, b) = try simulate(downturn, paths: 40_000)
        // Independent LGDs: EL = 50 · pd · m exactly in expectation.
        #expect(abs(a.gross.expectedLoss - 50 * 0.05 * m) < 4 * a.gross.expectedLossSE)
        #expect(b.gross.expectedLoss > a.gross.expectedLoss + 4 * (a.gross.expectedLossSE + b.gross.expectedLossSE))
        #expect(b.gross.quantiles[1].expectedShortfall > a.gross.quantiles[1].expectedShortfall)
    }

    @Test func lgdSDMustFitTheMean() {
        #expect(throws: PortfolioError.self) {
            try Portfolio(entities: [Entity(id: "a", pd: 0.1, loadings: [])],
                          bonds: [Bond(id: "x", issuer: 0, notional: 1, maturity: 1, lgd: 0.5, lgdSD: 0.5)],
                          dependence: .factors(FactorModel(factorIDs: [])))
        }
    }
}
