import CreditRisk
import Foundation
import Testing

/// Guarantees and protection pay only if their provider outlives the issuer.
@Suite struct CreditEnhancementTests {
    @Test func guaranteeWithCorrelatedGuarantorMatchesDoubleDefaultIntegral() throws {
        // Issuer and guarantor with latent correlation ρ (one factor, loadings √ρ). Net loss is
        // G·P(τ_i ≤ T, τ_g ≤ τ_i), computed by `Reference.guarantorDiesFirst`.
        let pi = 0.05, pg = 0.04, rho = 0.5
        let entities = oneFactorEntities([pi, pg], rho: rho)
        let bonds = [Bond(id: "x", issuer: 0, notional: 10, maturity: 1, lgd: 1,
                          guarantee: Guarantee(guarantor: 1, coverage: 1))]
        let p = try Portfolio(entities: entities, bonds: bonds, dependence: .factors(FactorModel(factorIDs: ["m"])))
        let n = 400_000
        let (out, report) = try simulate(p, paths: n)
        let failed = Reference.guarantorDiesFirst(pdIssuer: pi, pdGuarantor: pg, rho: rho, window: 1)
        let netProbability = Double(out.net.filter { $0 > 0 }.count) / Double(n)
        #expect(abs(netProbability - failed) < 4 * probabilitySE(failed, n), "\(netProbability) vs \(failed)")
        #expect(abs(report.net.expectedLoss - 10 * failed) < 4 * report.net.expectedLossSE)
        let g = try #require(report.guarantors.first)
        #expect(g.id == "e1")
        #expect(abs(g.expectedPayout - 10 * (pi - failed)) < 4 * g.expectedPayoutSE)
        // Correlation matters: independent names would give pg·(…) ≈ half as often.
        let independent = Reference.guarantorDiesFirst(pdIssuer: pi, pdGuarantor: pg, rho: 0, window: 1)
        #expect(failed > 2 * independent)
    }

    @Test func protectionWithDefaultingSellerAndPremium() throws {
        // Independent issuer (pd 0.1) and seller (pd 0.3): exponential default times, so
        // P(τ_i ≤ T, τ_s > τ_i) = λ_i/(λ_i + λ_s)·(1 − e^{−(λ_i + λ_s)T}) and
        // E[min(τ_i, T)] = (1 − e^{−λ_i T})/λ_i.
        let pi = 0.1, ps = 0.3
        let entities = [Entity(id: "i", pd: pi, loadings: []), Entity(id: "s", pd: ps, loadings: [])]
        let bonds = [Bond(id: "x", issuer: 0, notional: 100, maturity: 0.8, lgd: 0.6,
                          protection: Protection(seller: 1, notional: 100, spreadBps: 150))]
        let p = try Portfolio(entities: entities, bonds: bonds, dependence: .factors(FactorModel(factorIDs: [])))
        let n = 400_000
        let (_, report) = try simulate(p, paths: n)
        let li = -log1p(-pi), ls = -log1p(-ps), t = 0.8
        let paid = li / (li + ls) * -expm1(-(li + ls) * t)
        let seller = try #require(report.protectionSellers.first)
        #expect(abs(seller.expectedPayout - 60 * paid) < 4 * seller.expectedPayoutSE)
        #expect(abs(report.net.expectedLoss - 60 * (-expm1(-li * t) - paid)) < 4 * report.net.expectedLossSE)
        let premium = 100 * 0.015 * -expm1(-li * t) / li
        // min(τ_i, T) lies in [0, T]: its standard error is at most T/(2√n) per unit of rate.
        #expect(abs(report.expectedPremium - premium) < 4 * 100 * 0.015 * t / (2 * Double(n).squareRoot()))
    }

    @Test func guaranteeAndProtectionOnOneBond() throws {
        // Coverage 0.5 of G = 60; protection on Np = 100 caps at Np·lgd = 60 and pays what the
        // guarantee left: 30 if the guarantor is alive, 60 if not. All three names independent.
        let pi = 0.2, pg = 0.25, ps = 0.1
        let entities = [Entity(id: "i", pd: pi, loadings: []), Entity(id: "g", pd: pg, loadings: []),
                        Entity(id: "s", pd: ps, loadings: [])]
        let bonds = [Bond(id: "x", issuer: 0, notional: 100, maturity: 1, lgd: 0.6,
                          guarantee: Guarantee(guarantor: 1, coverage: 0.5),
                          protection: Protection(seller: 2, notional: 100, spreadBps: 0))]
        let p = try Portfolio(entities: entities, bonds: bonds, dependence: .factors(FactorModel(factorIDs: [])))
        let n = 400_000
        let (_, report) = try simulate(p, paths: n)
        let li = -log1p(-pi), lg = -log1p(-pg), ls = -log1p(-ps)
        func first(_ others: Double) -> Double { li / (li + others) * -expm1(-(li + others)) }
        let allAlive = first(lg + ls)           // P(τ_i ≤ 1, τ_g > τ_i, τ_s > τ_i)
        let sellerAlive = first(ls)             // P(τ_i ≤ 1, τ_s > τ_i)
        let guarantorAlive = first(lg)
        let seller = try #require(report.protectionSellers.first)
        let expectedSeller = 30 * allAlive + 60 * (sellerAlive - allAlive)
        #expect(abs(seller.expectedPayout - expectedSeller) < 4 * seller.expectedPayoutSE)
        let guarantor = try #require(report.guarantors.first)
        #expect(abs(guarantor.expectedPayout - 30 * guarantorAlive) < 4 * guarantor.expectedPayoutSE)
        let gross = 60 * -expm1(-li)
        #expect(abs(report.gross.expectedLoss - gross) < 4 * report.gross.expectedLossSE)
        // Net = gross − payouts, path by path, so the identity holds for the estimates too.
        #expect(abs(report.net.expectedLoss - (report.gross.expectedLoss - seller.expectedPayout - guarantor.expectedPayout)) < 1e-9)
    }
}
