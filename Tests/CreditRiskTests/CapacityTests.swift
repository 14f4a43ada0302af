import CreditRisk
import Foundation
import Testing

/// A guarantor with a capacity pays claims in order of default time until it is spent.
@Suite struct CapacityTests {
    /// Worked by hand. Independent issuers a (G = 60, also protected by s on Np = 100, so up to 60)
    /// and b (G = 40), both guaranteed in full by g with capacity 50; g and s practically never
    /// default (pd 1e-12). On a path:
    /// - a alone: g pays 50 (cut), s pays 10, net 0;
    /// - b alone: g pays 40, net 0;
    /// - both, a first: a gets 50 from g and 10 from s; b gets nothing: net 40, s pays 10;
    /// - both, b first: b gets 40; a gets 10 from g and 50 from s: net 0, s pays 50.
    /// So E[s] = 10 P(a only) + 10 P(a first) + 50 P(b first), E[net] = 40 P(a first),
    /// E[g] = 50 P(a only) + 40 P(b only) + 50 P(both), and capacity runs out iff a defaults.
    @Test func claimsArePaidInOrderOfDefaultTime() throws {
        let pa = 0.3, pb = 0.4, tiny = 1e-12
        let entities = [
            Entity(id: "a", pd: pa, loadings: []), Entity(id: "b", pd: pb, loadings: []),
            Entity(id: "g", pd: tiny, loadings: [], capacity: 50), Entity(id: "s", pd: tiny, loadings: []),
        ]
        let bonds = [
            Bond(id: "x", issuer: 0, notional: 100, maturity: 1, lgd: 0.6, guarantee: Guarantee(guarantor: 2, coverage: 1),
                 protection: Protection(seller: 3, notional: 100, spreadBps: 0)),
            Bond(id: "y", issuer: 1, notional: 40, maturity: 1, lgd: 1, guarantee: Guarantee(guarantor: 2, coverage: 1)),
        ]
        let p = try Portfolio(entities: entities, bonds: bonds, dependence: .factors(FactorModel(factorIDs: [])))
        let n = 400_000
        let (out, report) = try simulate(p, paths: n)

        let la = -log1p(-pa), lb = -log1p(-pb)
        // P(both in [0, 1], a first) = ∫ λa e^{−λa t} (e^{−λb t} − e^{−λb}) dt over [0, 1].
        let aFirst = la / (la + lb) * -expm1(-(la + lb)) - exp(-lb) * -expm1(-la)
        let both = pa * pb
        let bFirst = both - aFirst
        let aOnly = pa * (1 - pb), bOnly = pb * (1 - pa)

        let seller = try #require(report.protectionSellers.first)
        let guarantor = try #require(report.guarantors.first)
        #expect(abs(seller.expectedPayout - (10 * aOnly + 10 * aFirst + 50 * bFirst)) < 4 * seller.expectedPayoutSE)
        #expect(abs(report.net.expectedLoss - 40 * aFirst) < 4 * report.net.expectedLossSE)
        #expect(abs(guarantor.expectedPayout - (50 * aOnly + 40 * bOnly + 50 * both)) < 4 * guarantor.expectedPayoutSE)
        #expect(guarantor.capacity == 50)
        let exhausted = try #require(guarantor.capacityExhaustedProbability)
        #expect(abs(exhausted - pa) < 4 * probabilitySE(pa, n))
        // Path by path the guarantor never pays more than its capacity.
        #expect(out.payouts.slot.indices.allSatisfy { out.payouts.slot[$0] != 0 || out.payouts.amount[$0] <= 50 + 1e-12 })
    }

    @Test func capacityMustBePositive() {
        #expect(throws: PortfolioError.self) {
            try Portfolio(entities: [Entity(id: "g", pd: 0.01, loadings: [], capacity: 0)], bonds: [],
                          dependence: .factors(FactorModel(factorIDs: [])))
        }
    }
}
