import CreditRisk
@testable import CreditScenario
import Foundation
import Testing

/// The pipeline's analyst answers: precision targets, paired stress differences in the summary,
/// tail scenarios, and command-line overrides of the scenario.
@Suite struct AnalystAnswersTests {
    static func scenario(_ extra: String = "") throws -> Scenario {
        let f = try Fixture(["s.yaml": Samples.scenario(extra), "entities.csv": Samples.entities, "bonds.csv": Samples.bonds])
        return try ScenarioLoader.load(path: f.path("s.yaml"))
    }

    /// A precision run stops once the relative SE of the net ES at the highest level meets the
    /// target, and equals a fixed-path run of the same length, bit for bit.
    @Test func precisionRunEqualsAFixedRunOfItsLength() throws {
        let s = try Self.scenario()
        var request = RunRequest(scenario: s, seed: 5, threads: 2, method: .plain)
        request.precision = 0.05
        request.settings.paths = 2_000_000
        let grown = try #require(try RunPipeline(scenario: s).run(request).outcomes.first)
        let precision = try #require(grown.precision)
        #expect(precision.met && precision.paths == grown.output.paths)
        let achieved = try #require(precision.achieved)
        // Growth at most doubles the paths a step, so the error stops within [1/√2, 1] × target.
        #expect(achieved <= 0.05 && achieved >= 0.05 / 2.0.squareRoot(), "achieved \(achieved)")
        #expect(grown.output.paths % SimulationSettings.blockSize == 0 && grown.output.paths < 2_000_000)
        #expect(!grown.isPartial && grown.requestedPaths == grown.output.paths)
        let fixed = try #require(try RunPipeline(scenario: s).run(
            RunRequest(scenario: s, paths: grown.output.paths, seed: 5, threads: 1, method: .plain)).outcomes.first)
        #expect(fixed.output.net == grown.output.net && fixed.output.gross == grown.output.gross)
        #expect(fixed.report.net.quantiles.map(\.expectedShortfall) == grown.report.net.quantiles.map(\.expectedShortfall))
        #expect(fixed.report.expectedPremium == grown.report.expectedPremium)
        let q = try #require(fixed.report.net.quantiles.last)
        #expect(q.expectedShortfallSE / q.expectedShortfall == achieved)
        // Half the blocks would not have met the target (else the run grew too far).
        let half = try #require(try RunPipeline(scenario: s).run(
            RunRequest(scenario: s, paths: grown.output.paths / 2, seed: 5, threads: 2, method: .plain)).outcomes.first)
        let h = try #require(half.report.net.quantiles.last)
        #expect(h.expectedShortfallSE / h.expectedShortfall > 0.05 * 0.9)
    }

    /// Stresses carry versus_base, paired with the base; their stress figures minus the base's.
    @Test func stressSummariesCarryPairedDifferences() throws {
        let s = try Self.scenario("""
            stress:
              - name: tech_down
                pd_multiplier: {sector: {tech: 2}}
            """)
        let outcomes = try RunPipeline(scenario: s).run(RunRequest(scenario: s, paths: 20_000, seed: 2, threads: 2,
                                                                   method: .plain, stresses: s.stresses)).outcomes
        let documents = outcomes.map { SummaryDocument($0, scenario: s) }
        #expect(outcomes.count == 2 && documents[0].answers.versusBase == nil)
        let v = try #require(documents[1].answers.versusBase)
        let base = documents[0].losses, stress = documents[1].losses
        #expect(abs(v.net.expectedLoss - (stress.net.expectedLoss - base.net.expectedLoss)) < 1e-9)
        #expect(v.net.expectedLossSE > 0 && v.net.expectedLossSE < (stress.net.expectedLossSE ?? 0))
        #expect(v.net.expectedLossSignificant)
        #expect(v.net.quantiles.count == base.net.quantiles.count)
        #expect(abs(v.net.quantiles[0].expectedShortfall - (stress.net.quantiles[0].expectedShortfall - base.net.quantiles[0].expectedShortfall)) < 1e-9)
        // The guarantor's payout changes only through the tech issuer's bonds (b1 is guaranteed).
        #expect(v.payouts.contains { $0.id == "g" })
    }

    /// Under importance sampling every stress uses the base's shift, so it keeps the base's paths:
    /// a stress that changes nothing differs by exactly zero; one that changes only the guarantor
    /// (not an issuer, so not in the twist) leaves the gross loss exactly unchanged (with its own
    /// pilots its shift, and so its gross paths, would differ); a real one has the paired error of
    /// common random numbers.
    @Test func importanceSampledStressesShareTheBasePaths() throws {
        let s = try Self.scenario("""
            stress:
              - name: nothing
                pd_multiplier: {sector: {tech: 1}}
              - name: guarantor_weak
                pd_multiplier: {entity: {g: 20}}
              - name: tech_down
                pd_multiplier: {sector: {tech: 2}}
            """)
        let outcomes = try RunPipeline(scenario: s).run(RunRequest(scenario: s, paths: 20_000, seed: 3, threads: 2,
                                                                   method: .importance, stresses: s.stresses)).outcomes
        #expect(outcomes.count == 4 && outcomes.allSatisfy { $0.shift?.mu == outcomes[0].shift?.mu })
        let nothing = try #require(outcomes[1].versusBase)
        #expect(outcomes[1].output.net == outcomes[0].output.net && outcomes[1].output.weights == outcomes[0].output.weights)
        #expect(nothing.net.expectedLoss.difference == 0 && nothing.net.expectedLoss.standardError == 0)
        #expect(nothing.net.quantiles.allSatisfy { $0.expectedShortfall.difference == 0 && !$0.expectedShortfall.isSignificant })
        let guarantor = try #require(outcomes[2].versusBase)
        #expect(outcomes[2].output.gross == outcomes[0].output.gross)
        #expect(guarantor.gross.expectedLoss.difference == 0 && guarantor.gross.expectedLoss.standardError == 0)
        #expect(guarantor.gross.quantiles.allSatisfy { $0.expectedShortfall.difference == 0 })
        #expect(guarantor.net.expectedLoss.difference > 0)
        let real = try #require(outcomes[3].versusBase)
        #expect(real.net.expectedLoss.difference > 0 && real.net.expectedLoss.isSignificant)
        // Paired: the difference's error is below either run's own.
        #expect(real.net.expectedLoss.standardError < outcomes[3].report.net.expectedLossSE)
    }

    /// Every run reports its tail scenario: one entry per level with every factor and sector.
    @Test func summaryHasTailScenario() throws {
        let s = try Self.scenario()
        let base = try #require(try RunPipeline(scenario: s).run(RunRequest(scenario: s, paths: 20_000, threads: 2, method: .plain)).outcomes.first)
        let tail = try #require(SummaryDocument(base, scenario: s).answers.tailScenario)
        #expect(tail.map(\.level) == s.levels)
        #expect(tail.allSatisfy { $0.factors.map(\.id) == ["global", "tech"] })
        #expect(tail.allSatisfy { Set($0.sectors.map(\.id)) == ["tech", "coal"] })
        let worst = try #require(tail.last)
        #expect(worst.factors[0].mean < 0 && worst.factors[0].se > 0)
        let shares = worst.sectors.compactMap(\.share).reduce(0, +)
        #expect(abs(shares - 1) < 1e-3, "sector shares of the tail loss sum to 1: \(shares)")
    }

    @Test func horizonAndLevelsOverrides() throws {
        let s = try Self.scenario()
        let o = try s.overriding(horizon: 3, levels: [0.5, 0.999])
        #expect(o.portfolio.horizon == 3 && o.levels == [0.5, 0.999] && o.portfolio.bonds.count == s.portfolio.bonds.count)
        #expect(throws: PortfolioError.self) { try s.overriding(horizon: -1) }
    }
}
