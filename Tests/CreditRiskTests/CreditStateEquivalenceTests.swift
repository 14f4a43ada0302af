@testable import CreditRisk
import Foundation
import Testing

/// Extensions, their losses and triggers change no shortcut of the kernel: the naive replay
/// (`NaiveReplay`) decides every name's state from its two event times, draws every stochastic
/// loss, settles every event in time order, and agrees with the engine path by path, including
/// the figures split by state.
@Suite struct CreditStateEquivalenceTests {
    /// `KernelEquivalenceTests.factorPortfolio` with credit states: every third issuer can extend
    /// (extension_pd 4 %), every fourth bond has its own extension loss (0.15), every fifth from
    /// the third a Beta extension loss (sd 0.1), the other bonds' extension losses come from terms
    /// of 1.5 years, 40 % later default and 3 %; guarantor 37 and seller 38 pay on extensions too.
    static func portfolio(_ copula: Copula) throws -> Portfolio {
        let base = try KernelEquivalenceTests.factorPortfolio(copula, capacity: 2, lgdSD: 0.2, lgdCorrelation: 0.3)
        var entities = base.entities, bonds = base.bonds
        for e in 0..<36 where e % 3 == 0 { entities[e].extensionPD = 0.04 }
        for i in bonds.indices {
            if i % 4 == 0 { bonds[i].extensionLGD = 0.15 }
            if i % 5 == 3 { bonds[i].extensionLGDSD = 0.1 }
            if bonds[i].guarantee?.guarantor == 37 { bonds[i].guarantee?.triggers = .defaultOrExtension }
            if bonds[i].protection?.seller == 38 { bonds[i].protection?.triggers = .defaultOrExtension }
        }
        return try Portfolio(entities: entities, bonds: bonds, dependence: base.dependence, copula: copula,
                             lgdCorrelation: base.lgdCorrelation,
                             extensionTerms: ExtensionTerms(years: 1.5, laterDefault: 0.4, discountRate: 0.03))
    }

    /// The split tallies against the naive sums: Σ w·x over the paths of each figure.
    static func statesAgree(_ out: SimulationOutput, _ results: [NaiveReplay.PathResult], slots: Int) -> [String] {
        guard let states = out.summary.states else { return ["no state tallies"] }
        var problems: [String] = []
        func check(_ index: Int, _ what: String, _ value: (NaiveReplay.PathResult) -> Double) {
            let expected = results.reduce(0.0) { $0 + $1.weight * value($1) }
            let got = states[index].sum.value
            if abs(got - expected) > 1e-9 * max(1, abs(expected)) { problems.append("\(what): \(got) vs \(expected)") }
        }
        for state in CreditState.allCases {
            check(CreditStateTallies.net(state), "net \(state)") { $0.stateNet[state.rawValue] }
            check(CreditStateTallies.gross(state), "gross \(state)") { $0.stateGross[state.rawValue] }
        }
        check(CreditStateTallies.extended, "extended") { $0.extended ? 1 : 0 }
        for slot in 0..<slots {
            check(CreditStateTallies.payout(slot: slot, .extended), "slot \(slot) on extensions") { $0.extensionPayouts[slot] ?? 0 }
            check(CreditStateTallies.payout(slot: slot, .hardDefault), "slot \(slot) on defaults") {
                ($0.payouts[slot] ?? 0) - ($0.extensionPayouts[slot] ?? 0)
            }
        }
        return problems
    }

    @Test(arguments: [Copula.gaussian, .studentT(degreesOfFreedom: 4)])
    func extensionsMatchNaiveSimulation(copula: Copula) throws {
        let p = try Self.portfolio(copula)
        let engine = Engine(portfolio: p)
        #expect(engine.plan.splitsStates)
        let seed: UInt64 = 67
        let paths = KernelEquivalenceTests.replayPaths
        let out = engine.run(SimulationSettings(paths: paths, seed: seed, threads: 1))
        let naive = NaiveReplay(portfolio: p, seed: seed)
        let results = naive.run(paths: paths)
        let c = KernelEquivalenceTests.compare(out, naive, results)
        #expect(c.lossMismatches == 0 && c.payoutMismatches == 0,
                "\(c.lossMismatches) loss, \(c.payoutMismatches) payout mismatches on paths \(c.mismatchedPaths.sorted())")
        #expect(c.providersAgree && c.capacityAgrees && c.premiumAgrees)
        let problems = Self.statesAgree(out, results, slots: naive.guarantorEntities.count + naive.sellerEntities.count)
        #expect(problems.isEmpty, "\(problems)")
        // Exercised: extensions on many paths, their payouts, drawn extension losses.
        #expect(results.filter(\.extended).count > 200)
        #expect(results.contains { !$0.extensionPayouts.isEmpty })
        #expect(results.contains { r in r.stochasticLGDs.contains { abs($0.mean - 0.15) > 1e-12 && $0.mean < 0.3 } })
    }

    /// The tilt of the loss-bearing event (D or E by the longest window) with the D/E-weighted cost.
    @Test func importanceSamplingWithExtensionsMatchesNaiveSimulation() throws {
        let p = try Self.portfolio(.gaussian)
        let engine = Engine(portfolio: p)
        let seed: UInt64 = 71
        let shift = ImportanceShift(mu: [-1.0, -0.4], target: 20)
        let paths = KernelEquivalenceTests.replayPaths
        let out = engine.run(SimulationSettings(paths: paths, seed: seed, threads: 1), importance: shift)
        let naive = NaiveReplay(portfolio: p, seed: seed, importance: shift)
        #expect(naive.twistEntities == engine.plan.twistEntities)
        #expect(zip(naive.twistCosts, engine.plan.twistCosts).allSatisfy { abs($0 - $1) <= 1e-12 * $1 })
        let results = naive.run(paths: paths)
        let c = KernelEquivalenceTests.compare(out, naive, results)
        // As in `KernelEquivalenceTests.importanceSamplingMatchesNaiveSimulation`: θ's tolerance.
        #expect(c.mismatchedPaths.count <= 2, "\(c.lossMismatches) loss, \(c.payoutMismatches) payout, \(c.weightMismatches) weight mismatches on paths \(c.mismatchedPaths.sorted())")
        #expect(c.unexplainedWeightErrors == 0 && c.largestWeightError < 1e-8)
        #expect(c.providersAgree && c.capacityAgrees && c.premiumAgrees)
        #expect(results.filter(\.extended).count > 300)
    }
}
