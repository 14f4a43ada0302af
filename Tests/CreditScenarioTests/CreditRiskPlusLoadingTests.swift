import CreditRisk
import CreditScenario
import Foundation
import Testing

/// `model: creditriskplus`, `creditriskplus.loss_unit`, `output.capital` and `pd_sd`: loading,
/// located errors, and the analytic pipeline.
@Suite struct CreditRiskPlusLoadingTests {
    static let entities = """
        id,pd,pd_sd,s1,s2
        a,0.02,0.01,1,
        b,0.05,0.04,0.5,0.3
        g,0.002,,,

        """
    static let bonds = """
        id,issuer,notional,maturity,lgd,guarantor,coverage
        b1,a,100,0.5,0.6,g,1.0
        b2,b,50,2,0.4,,
        b3,a,70,1,0.5,,

        """

    static func scenario(_ extra: String = "") -> String {
        """
        version: 1
        name: CR+ test
        model: creditriskplus
        factors: [s1, s2]
        entities: entities.csv
        bonds: bonds.csv
        \(extra)
        """
    }

    func problems(_ files: [String: String]) throws -> [String] {
        let f = try Fixture(files)
        do {
            _ = try ScenarioLoader.load(path: f.path("s.yaml"))
            Issue.record("expected the scenario to be rejected")
            return []
        } catch {
            #expect(error.kind == .invalidData)
            return error.problems.map { $0.description.replacingOccurrences(of: f.directory.path + "/", with: "") }
        }
    }

    @Test func loadsAndEvaluates() throws {
        let f = try Fixture(["s.yaml": Self.scenario("creditriskplus: {loss_unit: 0.5}\noutput: {quantiles: [0.99, 0.999], capital: [irb]}"),
                             "entities.csv": Self.entities, "bonds.csv": Self.bonds])
        let s = try ScenarioLoader.load(path: f.path("s.yaml"))
        #expect(s.model == .creditRiskPlus)
        #expect(s.lossUnit == 0.5)
        #expect(s.irbCapital)
        // A weight of 1 is fine as a sector weight (it would break the copula's wᵀΣw < 1).
        #expect(s.portfolio.entities[0].loadings == [1, 0])
        #expect(s.portfolio.entities[1].pdSD == 0.04)
        let o = try RunPipeline(scenario: s).creditRiskPlus()
        let d = SummaryDocument(analytic: o, scenario: s)
        #expect(d.header.method == .creditRiskPlus)
        #expect(d.losses.net.expectedLossSE == 0)
        // Gross EL is the simulation's: Σ notional·lgd·P(τ ≤ T_b); net moves b1's loss to g.
        let p = s.portfolio
        let gross = p.bonds.reduce(0) { $0 + $1.notional * $1.lgd * p.entities[$1.issuer].defaultProbability(within: p.window(of: $1)) }
        #expect(abs(d.losses.gross.expectedLoss - gross) < 1e-12 * gross)
        let net = gross - 60 * p.entities[0].defaultProbability(within: 0.5) + 60 * p.entities[2].defaultProbability(within: 0.5)
        #expect(abs(d.losses.net.expectedLoss - net) < 1e-12 * net)
        #expect(d.answers.capital != nil)
        #expect(d.header.lossUnit == 0.5)
    }

    @Test func locatedErrors() throws {
        let entities = """
            id,pd,pd_sd,s1,s2
            a,0.02,-1,0.7,0.6
            b,0.05,,0.5,

            """
        let found = try problems(["s.yaml": Self.scenario("creditriskplus: {loss_unit: 0, extra: 1}\noutput: {capital: [standardised]}"),
                                  "entities.csv": entities, "bonds.csv": Self.bonds])
        #expect(found.contains("s.yaml:7: key \"creditriskplus.extra\": unknown key; allowed here: loss_unit"), "\(found)")
        #expect(found.contains("s.yaml:7: key \"creditriskplus.loss_unit\": value \"0\": must be an amount > 0"))
        #expect(found.contains("s.yaml:8: key \"output.capital[1]\": value \"standardised\": allowed: irb"))
    }

    @Test func sectorWeightRules() throws {
        let entities = """
            id,pd,pd_sd,s1,s2
            a,0.02,-1,0.7,0.6
            b,0.05,,0.5,
            g,0.002,,,

            """
        let found = try problems(["s.yaml": Self.scenario(), "entities.csv": entities, "bonds.csv": Self.bonds])
        #expect(found == [
            "entities.csv:2: column \"pd_sd\": value \"-1\": must be a finite number ≥ 0",
            "entities.csv:2: column \"loadings\": value \"sum 1.3\": CreditRisk+ sector weights must sum to at most 1 (the rest is specific risk)",
            "entities.csv:3: column \"pd_sd\": value \"(empty)\": missing: CreditRisk+ needs the default-rate standard deviation pd_sd of an entity with sector weights",
        ])
    }

    @Test func unknownModel() throws {
        let text = Self.scenario().replacingOccurrences(of: "model: creditriskplus", with: "model: monte")
        let found = try problems(["s.yaml": text, "entities.csv": Self.entities, "bonds.csv": Self.bonds])
        #expect(found.contains("s.yaml:3: key \"model\": value \"monte\": allowed: copula, creditriskplus"), "\(found)")
    }

    @Test func correlationMatrixIsRefused() throws {
        let found = try problems(["s.yaml": Self.scenario("factor_correlation: [[1, 0.2], [0.2, 1]]"),
                                  "entities.csv": Self.entities, "bonds.csv": Self.bonds])
        #expect(found == ["s.yaml:7: key \"factor_correlation\": CreditRisk+ sectors are independent; remove factor_correlation for model creditriskplus"])
    }
}
