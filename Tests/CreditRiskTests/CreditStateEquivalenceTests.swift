@testable import CreditEngine
@testable import CreditMath
@testable import CreditModel
@testable import CreditStatistics
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
        var engine = Engine(portfolio: p)
        engine.twistTolerance = 1e-10   // as in the replay of KernelEquivalenceTests
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

    /// Without extension_pd nothing extends: extension losses and triggers change no bit, and no
    /// figure is split by state.
    @Test func extensionFieldsChangeNothingWithoutExtensionProbabilities() throws {
        let base = try KernelEquivalenceTests.factorPortfolio(.gaussian, capacity: 2, lgdSD: 0.2, lgdCorrelation: 0.3)
        var bonds = base.bonds
        for i in bonds.indices {
            bonds[i].extensionLGD = 0.1
            bonds[i].extensionLGDSD = 0.05
            bonds[i].guarantee?.triggers = .defaultOrExtension
            bonds[i].protection?.triggers = .defaultOrExtension
        }
        let dressed = try Portfolio(entities: base.entities, bonds: bonds, dependence: base.dependence,
                                    lgdCorrelation: base.lgdCorrelation,
                                    extensionTerms: ExtensionTerms(years: 2, laterDefault: 0.5, discountRate: 0.1))
        let settings = SimulationSettings(paths: 3 * SimulationSettings.blockSize, seed: 79, threads: 2)
        let a = Engine(portfolio: base).run(settings), b = Engine(portfolio: dressed).run(settings)
        #expect(a.net.map(\.bitPattern) == b.net.map(\.bitPattern) && a.gross.map(\.bitPattern) == b.gross.map(\.bitPattern))
        #expect(a.payouts.amount.map(\.bitPattern) == b.payouts.amount.map(\.bitPattern) && a.payouts.path == b.payouts.path)
        #expect(b.summary.states == nil)
    }

    /// One issuer that extends changes only the paths on which it extends, by its extension loss.
    @Test func oneExtendingIssuerChangesOnlyItsExtensionPaths() throws {
        let base = try KernelEquivalenceTests.factorPortfolio(.gaussian, capacity: nil, lgdSD: nil, lgdCorrelation: 0)
        var entities = base.entities
        entities[8].extensionPD = 0.05  // issuer 8 is plain: one window, no enhancement
        let extended = try Portfolio(entities: entities, bonds: base.bonds, dependence: base.dependence)
        let settings = SimulationSettings(paths: 4 * SimulationSettings.blockSize, seed: 83, threads: 2)
        let a = Engine(portfolio: base).run(settings), b = Engine(portfolio: extended).run(settings)
        let loss = base.bonds.filter { $0.issuer == 8 }.reduce(0.0) { $0 + $1.notional * extended.extensionLGD(of: $1) }
        var changed = 0
        // An issuer that extends is no longer plain: its bonds' losses are summed one by one, which
        // may move a path's sum in its last bit; only a change beyond rounding counts.
        for i in 0..<settings.paths where abs(a.gross[i] - b.gross[i]) > 1e-9 || abs(a.net[i] - b.net[i]) > 1e-9 {
            changed += 1
            #expect(abs(b.gross[i] - a.gross[i] - loss) < 1e-9 && abs(b.net[i] - a.net[i] - loss) < 1e-9, "path \(i): gross \(a.gross[i]) → \(b.gross[i]), net \(a.net[i]) → \(b.net[i]), loss \(loss)")
        }
        let expected = 0.05 * Double(settings.paths)
        #expect(abs(Double(changed) - expected) < 4 * expected.squareRoot(), "\(changed) paths changed")
        let extensions = try #require(b.summary.states)[CreditStateTallies.extended].sum.value
        #expect(Int(extensions) == changed)
    }
}
