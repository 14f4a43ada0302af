import CreditRisk
import Foundation
import Testing

/// Importance sampling changes errors, never expectations: every reported figure of a portfolio
/// that uses every feature must agree between a long plain run and an importance-sampled run
/// within 4 combined standard errors. (Before the observers received the path weight, the
/// capacity-exhausted probability came out ~15 times too high and the premium a few per cent low
/// under importance sampling.) And the sampler's choice of target must not make a few seeds'
/// errors explode.
@Suite struct WeightedFiguresTests {
    /// Two correlated factors; guarantees by a guarantor with a capacity, protection with a
    /// premium, Beta LGDs with downturn correlation, three exposure windows.
    static func everyFeature(_ copula: Copula) throws -> Portfolio {
        var entities = (0..<30).map {
            Entity(id: "e\($0)", pd: 0.01 + 0.004 * Double($0 % 10), loadings: [0.45, $0 % 2 == 0 ? 0.3 : 0])
        }
        entities[28] = Entity(id: "guarantor", pd: 0.01, loadings: [0.3, 0.2], capacity: 6)
        entities[29] = Entity(id: "seller", pd: 0.015, loadings: [0.35, 0])
        let bonds = (0..<48).map { i -> Bond in
            let issuer = i % 28
            return Bond(id: "b\(i)", issuer: issuer, notional: Double(1 + i % 6), maturity: [0.25, 1, 3][i % 3],
                        lgd: 0.5, guarantee: i % 3 == 1 ? Guarantee(guarantor: 28, coverage: 0.9) : nil,
                        protection: i % 4 == 0 ? Protection(seller: 29, notional: 1, spreadBps: 80) : nil,
                        lgdSD: i % 2 == 0 ? 0.2 : nil)
        }
        let sigma = SymmetricMatrix(rows: [[1, 0.25], [0.25, 1]])
        return try Portfolio(entities: entities, bonds: bonds,
                             dependence: .factors(FactorModel(factorIDs: ["g", "s"], correlation: sigma)),
                             copula: copula, lgdCorrelation: 0.3)
    }

    static func agree(_ what: String, _ a: Double, _ seA: Double, _ b: Double, _ seB: Double,
                      sourceLocation: SourceLocation = #_sourceLocation) {
        let combined = (seA * seA + seB * seB).squareRoot()
        #expect(abs(a - b) <= 4 * combined, "\(what): plain \(a) ± \(seA), importance \(b) ± \(seB)",
                sourceLocation: sourceLocation)
    }

    @Test(arguments: [Copula.gaussian, .studentT(degreesOfFreedom: 5)])
    func everyFigureAgreesWithPlainSampling(copula: Copula) throws {
        let p = try Self.everyFeature(copula)
        let engine = Engine(portfolio: p)
        let levels = [0.99]
        let plainOut = engine.run(SimulationSettings(paths: 300_000, seed: 1, threads: 2))
        let plain = RiskReport(output: plainOut, portfolio: p, levels: levels)
        let shift = engine.importanceShift(level: 0.99, pilotPaths: 20_000, seed: 2, threads: 2)
        let weightedOut = engine.run(SimulationSettings(paths: 60_000, seed: 3, threads: 2), importance: shift)
        let weighted = RiskReport(output: weightedOut, portfolio: p, levels: levels)
        #expect(weightedOut.weights != nil)

        for (name, a, b) in [("net", plain.net, weighted.net), ("gross", plain.gross, weighted.gross)] {
            Self.agree("\(name) EL", a.expectedLoss, a.expectedLossSE, b.expectedLoss, b.expectedLossSE)
            let qa = a.quantiles[0], qb = b.quantiles[0]
            Self.agree("\(name) ES 99 %", qa.expectedShortfall, qa.expectedShortfallSE, qb.expectedShortfall, qb.expectedShortfallSE)
        }
        let x = plain.net.quantiles[0].valueAtRisk
        let ta = plain.netDistribution.exceedance(x), tb = weighted.netDistribution.exceedance(x)
        Self.agree("P(net > \(x))", ta.probability, ta.se, tb.probability, tb.se)
        Self.agree("expected premium", plain.expectedPremium, plain.expectedPremiumSE,
                   weighted.expectedPremium, weighted.expectedPremiumSE)
        #expect(plain.expectedPremiumSE > 0 && weighted.expectedPremiumSE > 0)

        let providers = Array(zip(plain.guarantors + plain.protectionSellers, weighted.guarantors + weighted.protectionSellers))
        #expect(providers.count == 2)
        for (a, b) in providers {
            Self.agree("\(a.id) expected payout", a.expectedPayout, a.expectedPayoutSE, b.expectedPayout, b.expectedPayoutSE)
            let pa = a.distribution.exceedance(0), pb = b.distribution.exceedance(0)
            Self.agree("\(a.id) paying probability", pa.probability, pa.se, pb.probability, pb.se)
            #expect(abs(a.payingProbability - pa.probability) < 1e-15)
        }
        let ga = try #require(plain.guarantors.first), gb = try #require(weighted.guarantors.first)
        let ea = try #require(ga.capacityExhaustedProbability), eb = try #require(gb.capacityExhaustedProbability)
        #expect(ea > 0.002, "the capacity must bind on some paths for this test to mean anything")
        Self.agree("capacity exhausted", ea, try #require(ga.capacityExhaustedSE), eb, try #require(gb.capacityExhaustedSE))

        // Euler contributions by a second pass of each run: every bond's EL contribution and every
        // issuer's ES contribution agree too (each with its own standard error).
        func contributions(_ out: SimulationOutput, _ report: RiskReport, _ settings: SimulationSettings,
                           _ shift: ImportanceShift?) -> Contributions {
            let request = ContributionRequest(net: report.netDistribution, levels: levels, portfolio: p)
            let again = engine.run(settings, contributions: request, importance: shift)
            return Contributions(sums: again.contributionSums ?? [], request: request, portfolio: p)
        }
        let ca = contributions(plainOut, plain, SimulationSettings(paths: 300_000, seed: 1, threads: 2), nil)
        let cb = contributions(weightedOut, weighted, SimulationSettings(paths: 60_000, seed: 3, threads: 2), shift)
        for (a, b) in zip(ca.rows, cb.rows) where a.kind == "bond" || a.kind == "issuer" {
            #expect(a.kind == b.kind && a.id == b.id)
            Self.agree("\(a.kind) \(a.id) EL contribution", a.expectedLoss, a.expectedLossSE ?? .infinity,
                       b.expectedLoss, b.expectedLossSE ?? .infinity)
            if a.kind == "issuer" {
                Self.agree("issuer \(a.id) ES contribution", a.expectedShortfall[0], a.expectedShortfallSE?[0] ?? .infinity,
                           b.expectedShortfall[0], b.expectedShortfallSE?[0] ?? .infinity)
            }
        }
    }

    /// One factor, 100 names of exposure 1, levels up to 99.99 %: over 30 seeds (pilot and run),
    /// the errors of P(L > x) far in the tail stay within a small factor of their median, and
    /// every estimate agrees with the exact binomial integral within 4 of its own SE.
    @Test func targetIsStableAcrossSeeds() throws {
        let names = 100, pd = 0.01, rho = 0.2
        let entities = oneFactorEntities([Double](repeating: pd, count: names), rho: rho)
        let bonds = (0..<names).map { Bond(id: "b\($0)", issuer: $0, notional: 1, maturity: 1, lgd: 1) }
        let p = try Portfolio(entities: entities, bonds: bonds, dependence: .factors(FactorModel(factorIDs: ["m"])))
        let engine = Engine(portfolio: p)
        let exact = Reference.oneFactor(names: names, pd: pd, rho: rho)
        // x near the 99.99 % quantile of the exact distribution.
        var cumulative = 0.0
        let x = exact.firstIndex { cumulative += $0; return cumulative >= 0.9999 } ?? names
        let exactTail = exact[(x + 1)...].reduce(0, +)
        var errors: [Double] = []
        for seed in UInt64(1)...30 {
            let shift = engine.importanceShift(level: 0.9999, pilotPaths: 10_000, seed: 1000 + seed, threads: 2)
            let out = engine.run(SimulationSettings(paths: 10_000, seed: seed, threads: 2), importance: shift)
            let (estimate, se) = out.distribution(.gross).exceedance(Double(x))
            #expect(abs(estimate - exactTail) <= 4 * se, "seed \(seed): P(L > \(x)) \(estimate) ± \(se) vs \(exactTail)")
            errors.append(se)
        }
        let sorted = errors.sorted()
        let median = sorted[sorted.count / 2]
        #expect(sorted.last! <= 3 * median, "largest SE \(sorted.last!) vs median \(median): \(errors)")
        #expect(sorted.first! >= median / 3, "smallest SE \(sorted.first!) vs median \(median)")
    }
}
