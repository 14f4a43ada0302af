import CreditRisk
import Foundation
import Testing

@Suite struct CopulaTests {
    /// Two names with zero loadings are still dependent under a Student-t copula through the
    /// common W: P(both default) = E_W[Φ(q√(W/ν))²] with q = T_ν⁻¹(pd), a one-dimensional
    /// integral against the χ²_ν density. Integer ν uses sums of squares, non-integer ν the
    /// inverse gamma CDF; both are checked.
    @Test(arguments: [4.0, 3.5])
    func studentTJointDefaultMatchesMixtureIntegral(nu: Double) throws {
        let pd = 0.03
        let entities = [Entity(id: "a", pd: pd, loadings: []), Entity(id: "b", pd: pd, loadings: [])]
        let bonds = [Bond(id: "x", issuer: 0, notional: 1, maturity: 1, lgd: 1),
                     Bond(id: "y", issuer: 1, notional: 1, maturity: 1, lgd: 1)]
        let p = try Portfolio(entities: entities, bonds: bonds, dependence: .factors(FactorModel(factorIDs: [])),
                              copula: .studentT(degreesOfFreedom: nu))
        let n = 300_000
        let (out, report) = try simulate(p, paths: n)
        let q = StudentT(degreesOfFreedom: nu).quantile(pd)
        let exact = Reference.integrate(1e-12, 200, intervals: 200_000) { w in
            let c = Normal.cdf(q * (w / nu).squareRoot())
            return c * c * Reference.chiSquareDensity(w, nu)
        }
        let both = Double(out.gross.filter { $0 == 2 }.count) / Double(n)
        #expect(abs(both - exact) < 4 * probabilitySE(exact, n), "ν = \(nu): \(both) vs \(exact)")
        // Marginals are those of the PDs whatever the copula.
        #expect(abs(report.gross.expectedLoss - 2 * pd) < 4 * report.gross.expectedLossSE)
        // And far above independence (pd² = 0.0009).
        #expect(exact > 3 * pd * pd)
    }

    @Test func fullCorrelationModeMatchesBivariateNormal() throws {
        let r = 0.45, pd = 0.05
        let entities = [Entity(id: "a", pd: pd, loadings: []), Entity(id: "b", pd: pd, loadings: [])]
        let bonds = [Bond(id: "x", issuer: 0, notional: 1, maturity: 1, lgd: 1),
                     Bond(id: "y", issuer: 1, notional: 1, maturity: 1, lgd: 1)]
        let p = try Portfolio(entities: entities, bonds: bonds,
                              dependence: .fullCorrelation(SymmetricMatrix(rows: [[1, r], [r, 1]])))
        let n = 400_000
        let (out, report) = try simulate(p, paths: n)
        let c = Normal.quantile(pd)
        let exact = Reference.integrate(-12, c, intervals: 20000) { x in
            Normal.pdf(x) * Normal.cdf((c - r * x) / (1 - r * r).squareRoot())
        }
        let both = Double(out.gross.filter { $0 == 2 }.count) / Double(n)
        #expect(abs(both - exact) < 4 * probabilitySE(exact, n), "\(both) vs \(exact)")
        #expect(abs(report.gross.expectedLoss - 2 * pd) < 4 * report.gross.expectedLossSE)
    }

    /// A semi-definite correlation (two perfectly correlated names) goes through the eigen square
    /// root and the full `dgemm`: the two names then default on exactly the same paths.
    @Test func semiDefiniteFullCorrelationMovesNamesTogether() throws {
        let entities = ["a", "b", "c"].map { Entity(id: $0, pd: 0.1, loadings: []) }
        let bonds = [Bond(id: "x", issuer: 0, notional: 1, maturity: 1, lgd: 1),
                     Bond(id: "y", issuer: 1, notional: 1, maturity: 1, lgd: 1),
                     Bond(id: "z", issuer: 2, notional: 10, maturity: 1, lgd: 1)]
        let r = SymmetricMatrix(rows: [[1, 1, 0], [1, 1, 0], [0, 0, 1]])
        let p = try Portfolio(entities: entities, bonds: bonds, dependence: .fullCorrelation(r))
        let (out, report) = try simulate(p, paths: 50_000)
        // Gross per path is 10·D_c + (0 or 2): never exactly one of a and b.
        #expect(out.gross.allSatisfy { Int($0.rounded()) % 10 != 1 })
        #expect(out.gross.contains { Int($0.rounded()) % 10 == 2 })
        #expect(abs(report.gross.expectedLoss - 12 * 0.1) < 4 * report.gross.expectedLossSE)
    }
}

/// The ends of the accepted range of ν (0.1 and 1000) keep the marginal default probabilities.
@Suite struct StudentTExtremesTests {
    @Test(arguments: [0.1, 1000.0])
    func marginalsHoldAtTheBounds(nu: Double) throws {
        let entities = [Entity(id: "a", pd: 0.05, loadings: [0.4]), Entity(id: "b", pd: 0.001, loadings: [0.4])]
        let bonds = [Bond(id: "x", issuer: 0, notional: 1, maturity: 1, lgd: 1),
                     Bond(id: "y", issuer: 1, notional: 1, maturity: 1, lgd: 1)]
        let p = try Portfolio(entities: entities, bonds: bonds, dependence: .factors(FactorModel(factorIDs: ["g"])),
                              copula: .studentT(degreesOfFreedom: nu))
        let n = 20_480
        let out = Engine(portfolio: p).run(SimulationSettings(paths: n, seed: 5, threads: 2))
        let el = out.gross.reduce(0, +) / Double(n)
        let se = (0.05 * 0.95 / Double(n) + 0.001 * 0.999 / Double(n)).squareRoot()
        #expect(abs(el - 0.051) < 5 * se, "ν = \(nu): EL \(el)")
    }

    @Test func degreesOfFreedomOutsideTheBoundsAreRefused() {
        for nu in [0.05, 1e6, 1e15, .infinity, .nan] {
            #expect(throws: PortfolioError.self) {
                try Portfolio(entities: [Entity(id: "a", pd: 0.01, loadings: [])],
                              bonds: [Bond(id: "x", issuer: 0, notional: 1, maturity: 1, lgd: 1)],
                              dependence: .factors(FactorModel(factorIDs: [])), copula: .studentT(degreesOfFreedom: nu))
            }
        }
    }
}
