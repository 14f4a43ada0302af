@testable import CreditEngine
import CreditMath
import CreditModel
import CreditTestSupport
import Testing

/// Every outcome the engine specialises (default valuation with constant and piecewise hazards,
/// credit states with extensions, market valuation by ratings; factor and full-correlation latent
/// models; Gaussian and Student-t copulas) against the contract every outcome keeps
/// (`OutcomeContract`): a screen that misses nothing the outcome books, candidates in order, a
/// screen that leaves quiet names out, and the same bits on any thread count.
@Suite struct OutcomeContractTests {
    @Test(arguments: [Copula.gaussian, .studentT(degreesOfFreedom: 4)])
    func defaultValuationKeepsTheContract(copula: Copula) throws {
        // Guarantees with capacity, protection, stochastic LGD, several windows per issuer.
        let factor = try KernelEquivalenceTests.factorPortfolio(copula, capacity: 2, lgdSD: 0.2, lgdCorrelation: 0.3)
        #expect(OutcomeContract.violations(of: Engine(portfolio: factor)).isEmpty)
        let full = try KernelEquivalenceTests.fullPortfolio(copula, singular: false)
        #expect(OutcomeContract.violations(of: Engine(portfolio: full)).isEmpty)
    }

    @Test func piecewiseHazardKeepsTheContract() throws {
        let curve = PDCurve(tenors: [1, 3, 5], cumulative: [0.02, 0.07, 0.12])
        let entities = (0..<30).map { i in
            Entity(id: "e\(i)", pd: 0.02, loadings: [0.4, i % 2 == 0 ? 0.3 : 0], pdCurve: i % 3 == 0 ? nil : curve)
        }
        let bonds = (0..<60).map { i in
            Bond(id: "b\(i)", issuer: i % 30, notional: Double(1 + i % 4), maturity: [0.5, 2, 4.5][i % 3], lgd: 0.6)
        }
        let p = try Portfolio(entities: entities, bonds: bonds, dependence: .factors(FactorModel(factorIDs: ["a", "b"])),
                              horizon: 5)
        let engine = Engine(portfolio: p)
        guard case .piecewise = engine.plan.outcome else { Issue.record("expected the piecewise-hazard outcome"); return }
        #expect(OutcomeContract.violations(of: engine).isEmpty)
    }

    @Test func creditStatesKeepTheContract() throws {
        let p = try CreditStateEquivalenceTests.portfolio(.gaussian)
        #expect(p.hasExtension)
        #expect(OutcomeContract.violations(of: Engine(portfolio: p)).isEmpty)
    }

    @Test(arguments: [false, true])
    func marketValuationKeepsTheContract(full: Bool) throws {
        let p = try MarketKernelEquivalenceTests.statesPortfolio(names: 40, copula: .gaussian, full: full, rollover: false)
        let engine = Engine(portfolio: p)
        #expect(engine.isMarketValuation)
        #expect(OutcomeContract.violations(of: engine, paths: 500).isEmpty)
    }

    /// Under importance sampling with a partial twist (78 of 120 issuers, θ warm-started path to
    /// path within each block), the bits still do not depend on the thread count.
    @Test func importanceSamplingKeepsTheContract() throws {
        let p = try KernelEquivalenceTests.factorPortfolio(.gaussian, capacity: 2, lgdSD: 0.2, lgdCorrelation: 0.3,
                                                           issuers: 120)
        let engine = Engine(portfolio: p)
        let shift = ImportanceShift(mu: [-1.0, -0.4], target: 35)
        #expect(engine.twistSelection(for: shift).members.count == 78)
        #expect(OutcomeContract.violations(of: engine, importance: shift).isEmpty)
    }

    /// A screen that drops a name the outcome books is caught.
    @Test func aScreenThatMissesANameIsCaught() throws {
        let p = try KernelEquivalenceTests.factorPortfolio(.gaussian, capacity: 2, lgdSD: 0.2, lgdCorrelation: 0.3)
        let problems = OutcomeContract.violations(of: Engine(portfolio: p), droppingLastCandidate: true)
        #expect(problems.contains { $0.contains("screened names give") })
    }
}
