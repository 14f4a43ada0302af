@testable import CreditScenario
import CreditRisk
import Foundation
import Testing

/// The `ratings:` and `valuation:` blocks, spreads and dates (see ScenarioFormat and RatingsAndMarketValuation): what loads, and
/// every rule refused with file, line, value and rule.
@Suite struct RatingsLoadingTests {
    static let transition = """
        from,AA,A,BBB,D
        AA,0.9,0.08,0.019,0.001
        A,0.02,0.9,0.075,0.005
        BBB,0.01,0.05,0.92,0.02

        """
    static let curves = """
        rating,1,3
        AA,0.02,0.025
        A,0.025,0.03
        BBB,0.03,0.04

        """
    static func scenario(_ ratings: String, entities: String, bonds: String = "b1,x,10,2027-03-02,0.5\n",
                         extra: String = "") -> [String: String] {
        ["s.yaml": """
            version: 1
            name: ratings
            as_of: 2026-03-02
            currency: CNY
            unit: bn
            factors: [f]
            entities: entities.csv
            bonds: bonds.csv
            \(ratings)
            \(extra)
            """,
         "entities.csv": "id,f,pd,rating,spread_bps\n" + entities,
         "bonds.csv": "id,issuer,notional,maturity,lgd\n" + bonds,
         "transition.csv": transition, "curves.csv": curves,
         "cum.csv": "rating,1,3,5\nAA,0.001,0.004,0.009\nA,0.005,0.02,0.04\n"]
    }

    static let block = """
        ratings:
          scale: [AA, A, BBB]
          transition: transition.csv
          cumulative_pd: cum.csv
        """

    func problems(_ files: [String: String]) throws -> [ScenarioProblem] {
        let f = try Fixture(files)
        do {
            _ = try ScenarioLoader.load(path: f.path("s.yaml"))
            return []
        } catch {
            #expect(error.kind == .invalidData)
            return error.problems
        }
    }

    @Test func ratingsSpreadsAndDatesLoad() throws {
        let f = try Fixture(Self.scenario(Self.block, entities: "x,0.3,,A,\ny,0.2,,BBB,\nz,0.1,,,120\nw,0.1,0.01,AA,\n"))
        let s = try ScenarioLoader.load(path: f.path("s.yaml"))
        let e = s.portfolio.entities
        #expect(e[0].pd == 0.005 && e[0].rating == 1 && e[0].pdCurve?.cumulative == [0.005, 0.02, 0.04])
        #expect(e[1].pd == 0.02 && e[1].pdCurve == nil)           // no curve row: constant hazard
        #expect(abs(e[2].pd - (1 - exp(-120 / (10_000 * 0.6)))) < 1e-15)  // credit triangle
        #expect(e[3].pd == 0.01 && e[3].pdCurve == nil)           // pd given: used for default
        #expect(abs(s.portfolio.bonds[0].maturity - 365 / 365.25) < 1e-12)
        #expect(s.amountLabel == "CNY bn")
        let text = PortfolioDescription.render(s)
        #expect(text.contains("Ratings") && text.contains("curve") && text.contains("credit triangle"))
    }

    /// A PD out of range that came from the transition matrix (or a spread) is blamed where it was
    /// written, not on a `pd` cell of entities.csv that is empty.
    @Test func derivedPDErrorsNameTheirSource() throws {
        var files = Self.scenario("ratings: {scale: [AA, A, BBB], transition: transition.csv}", entities: "x,0.3,,AA,\n")
        files["transition.csv"] = "from,AA,A,BBB,D\nAA,0.9,0.08,0.02,0\nA,0.02,0.9,0.075,0.005\nBBB,0.01,0.05,0.92,0.02\n"
        var p = try problems(files)
        #expect(p.map(\.description) == [
            "transition.csv:2: column \"D\": value \"0.0\": rating AA's one-year PD (its D column) is the PD of entity x (entities.csv:2), "
                + "which must be a number with 0 < pd < 1 in default valuation; give that entity a pd, or the rating a PD in ratings.pd",
        ], "\(p.map(\.description))")
        files = Self.scenario("", entities: "x,0.3,,,1e9\n")
        p = try problems(files)
        #expect(p.map(\.description) == [
            "entities.csv:2: column \"spread_bps\": value \"1e9\": implies a one-year PD of 1.0, which must be a number with 0 < pd < 1",
        ], "\(p.map(\.description))")
    }

    @Test func everyRuleIsLocated() throws {
        var files = Self.scenario(Self.block, entities: "x,0.3,,B,\n")
        var p = try problems(files)
        #expect(p.contains { $0.file == "entities.csv" && $0.line == 2 && $0.value == "B" && $0.rule.contains("unknown rating") })
        files = Self.scenario(Self.block, entities: "x,0.3,,A,\n")
        files["transition.csv"] = "from,AA,A,BBB,D\nAA,0.9,0.08,0.019,0.001\nA,0.02,0.9,0.075,0.006\nBBB,0.01,0.05,0.92,0.02\n"
        p = try problems(files)
        #expect(p.contains { $0.file == "transition.csv" && $0.line == 3 && $0.rule.contains("sum to 1") })
        files = Self.scenario(Self.block, entities: "x,0.3,,A,\n")
        files["cum.csv"] = "rating,1,3,5\nA,0.005,0.004,0.04\n"
        p = try problems(files)
        #expect(p.contains { $0.file == "cum.csv" && $0.line == 2 && $0.value == "0.004" && $0.rule.contains("must not decrease") })
        files["cum.csv"] = "rating,1,5,3\nA,0.005,0.01,0.04\n"
        p = try problems(files)
        #expect(p.contains { $0.file == "cum.csv" && $0.line == 1 && $0.value == "3" && $0.rule.contains("strictly increasing") })
        files = Self.scenario(Self.block, entities: "x,0.3,,A,\n", bonds: "b1,x,10,2025-01-01,0.5\n")
        p = try problems(files)
        #expect(p.contains { $0.file == "bonds.csv" && $0.value == "2025-01-01" && $0.rule.contains("as_of") })
        files = Self.scenario(Self.block + "\nvaluation: {mode: market, curves: curves.csv}", entities: "x,0.3,0.01,A,\n")
        p = try problems(files)
        #expect(p.contains { $0.file == "entities.csv" && $0.value == "0.01" && $0.rule.contains("D column") || $0.rule.contains("transition matrix") })
        files = Self.scenario("ratings: {scale: [AA, A, BBB]}\nvaluation: {mode: market, curves: curves.csv}", entities: "x,0.3,,A,\n")
        p = try problems(files)
        #expect(p.contains { $0.key == "valuation.mode" && $0.rule.contains("transition") })
    }

    @Test func marketHorizonIsBounded() throws {
        let market = Self.block + "\nvaluation: {mode: market, curves: curves.csv}"
        for horizon in ["150", "1e300", "2.5"] {
            let p = try problems(Self.scenario(market, entities: "x,0.3,,A,\n", extra: "horizon: \(horizon)"))
            #expect(p.contains { $0.key == "horizon" && $0.rule.contains("whole number of years from 1 to 100") }, "\(horizon): \(p)")
        }
    }

    @Test func marketModeLoadsAndRuns() throws {
        let f = try Fixture(Self.scenario(Self.block + "\nvaluation: {mode: market, curves: curves.csv, compounding: continuous}",
                                          entities: "x,0.3,,A,\ny,0.2,,BBB,\n", bonds: "b1,x,10,2029-03-02,0.5\nb2,y,5,3,0.4\n",
                                          extra: "horizon: 1"))
        let s = try ScenarioLoader.load(path: f.path("s.yaml"))
        #expect(s.isMarket)
        let out = Engine(portfolio: s.portfolio).run(SimulationSettings(paths: 4000, seed: 1, threads: 1))
        #expect(out.net.contains { $0 < 0 } && out.net.contains { $0 > 0 })
        // Importance sampling tilts each issuer's default-or-extension event in market mode too.
        #expect(Engine(portfolio: s.portfolio).supportsImportanceSampling)
    }
}
