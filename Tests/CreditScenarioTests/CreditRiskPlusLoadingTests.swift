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

    func problems(_ files: [String: String]) throws -> [String] { try Fixture.problems(files) }

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
        #expect(d.losses.net.expectedLossSE == nil && d.losses.net.quantiles.allSatisfy { $0.expectedShortfallSE == nil && $0.valueAtRiskCILow == nil })
        // Gross EL is the simulation's: Σ notional·lgd·P(τ ≤ T_b). Net: b1's loss (60, fully
        // guaranteed by g) is lost only when g defaults too; g has no sector weights, so CSFB's
        // joint default rate p_a·p_g·(1 + Σ_k w_ak w_gk v_k) is p_a·p_g, and given a's default g is
        // in default with probability p_g.
        let p = s.portfolio
        let gross = p.bonds.reduce(0) { $0 + $1.notional * $1.lgd * p.entities[$1.issuer].defaultProbability(within: p.window(of: $1)) }
        #expect(abs(d.losses.gross.expectedLoss - gross) < 1e-12 * gross)
        let net = gross - 60 * p.entities[0].defaultProbability(within: 0.5) * (1 - p.entities[2].defaultProbability(within: 1))
        #expect(abs(d.losses.net.expectedLoss - net) < 1e-12 * net)
        #expect(d.header.enhancements == "double-default")
        #expect(o.notes.isEmpty)
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

    /// The guaranteed book of the report (the bundled technology bonds as `model: creditriskplus`,
    /// pd_sd = pd, sectors from the factor columns): by substitution its net VaR 99.9 % was 48.44
    /// against a gross 44.27. By double default the net loss is below the gross one at every
    /// lattice point, hence at every level of quantiles.csv.
    @Test func guaranteedTechBookNetNeverAboveGross() throws {
        let root = BundledScenarioTests.root.appendingPathComponent("tech-bonds-2026")
        let lines = try String(contentsOf: root.appendingPathComponent("entities.csv"), encoding: .utf8).split(separator: "\n")
        let header = lines[0].split(separator: ",", omittingEmptySubsequences: false)
        let pdColumn = try #require(header.firstIndex(of: "pd"))
        var entities = lines[0] + ",pd_sd\n"
        for line in lines.dropFirst() where !line.isEmpty {
            entities += line + "," + line.split(separator: ",", omittingEmptySubsequences: false)[pdColumn] + "\n"
        }
        let f = try Fixture([
            "s.yaml": """
                version: 1
                name: guaranteed tech book
                model: creditriskplus
                factors: [global, banks, coal_steel, utilities, private_equity, consumer, tech, biotech]
                entities: entities.csv
                bonds: bonds.csv
                """,
            "entities.csv": String(entities),
            "bonds.csv": try String(contentsOf: root.appendingPathComponent("bonds.csv"), encoding: .utf8),
        ])
        let s = try ScenarioLoader.load(path: f.path("s.yaml"))
        #expect(s.portfolio.bonds.filter { $0.guarantee != nil || $0.protection != nil }.count == 100)
        let o = try RunPipeline(scenario: s).creditRiskPlus()
        // Up to the end of the shorter lattice (beyond its end a lattice reads as cdf 1, its
        // truncated tail mass, below 10⁻¹⁰, aside).
        for n in 0..<min(o.net.probabilities.count, o.gross.probabilities.count) {
            let x = Double(n) * o.net.unit
            #expect(o.net.cdf(x) >= o.gross.cdf(x) - 1e-12, "P(L ≤ \(x))")
        }
        for q in RiskReport.fineLevels(paths: Int.max / 2) {
            #expect(o.net.valueAtRisk(q) <= o.gross.valueAtRisk(q) && o.net.expectedShortfall(q) <= o.gross.expectedShortfall(q) * (1 + 1e-12), "level \(q)")
        }
        // The enhancements are worth something in the tail, not merely nothing.
        #expect(o.net.valueAtRisk(0.999) < o.gross.valueAtRisk(0.999) && o.net.expectedShortfall(0.999) < o.gross.expectedShortfall(0.999))
    }

    /// pd_sd = 1e100 trapped converting the lattice size to Int; now it is refused where it is
    /// written. A default rate with mean pd has a standard deviation of at most √(pd·(1 − pd)).
    @Test func defaultRateSDAboveItsBound() throws {
        let entities = """
            id,pd,pd_sd,s1,s2
            a,0.01,1e100,0.7,
            b,0.05,0.2179449471770337,0.5,
            g,0.002,,,

            """
        let found = try problems(["s.yaml": Self.scenario(), "entities.csv": entities, "bonds.csv": Self.bonds])
        #expect(found == [
            "entities.csv:2: column \"pd_sd\": value \"1e100\": must be at most √(pd·(1 − pd)) = 0.099498743710662, the largest standard deviation of a default rate with mean pd 0.01",
        ], "\(found)")
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
