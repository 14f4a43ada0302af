import CreditRisk
import CreditScenario
import Foundation
import Testing

@Suite struct ScenarioLoaderTests {
    func load(_ files: [String: String]) throws -> Scenario {
        let f = try Fixture(files)
        return try ScenarioLoader.load(path: f.path("s.yaml"))
    }

    /// The problems of a scenario that must fail, as printed.
    func problems(_ files: [String: String]) throws -> (ScenarioError.Kind, [String]) {
        let f = try Fixture(files)
        do {
            _ = try ScenarioLoader.load(path: f.path("s.yaml"))
            Issue.record("expected the scenario to be rejected")
            return (.invalidData, [])
        } catch {
            // Messages name the scenario file as given; drop the temporary folder for comparison.
            return (error.kind, error.problems.map { $0.description.replacingOccurrences(of: f.directory.path + "/", with: "") })
        }
    }

    @Test func loadsCSVScenario() throws {
        let s = try load(["s.yaml": Samples.scenario("output: {quantiles: [0.99, 0.95]}"),
                          "entities.csv": Samples.entities, "bonds.csv": Samples.bonds])
        #expect(s.name == "Test scenario")
        #expect(s.paths == 5000 && s.seed == 3)
        #expect(s.levels == [0.95, 0.99])
        #expect(s.portfolio.entities.count == 4)
        #expect(s.portfolio.entities[1].loadings == [0.4, 0])
        let b2 = s.portfolio.bonds[1]
        #expect(b2.protection == Protection(seller: 3, notional: 50, spreadBps: 80))
        #expect(s.portfolio.bonds[0].guarantee == Guarantee(guarantor: 2, coverage: 1))
        #expect(s.portfolio.bonds[2].guarantee == nil && s.portfolio.bonds[2].protection == nil)
    }

    @Test func loadsInlineScenarioWithStudentT() throws {
        let yaml = """
            version: 1
            name: Inline
            copula: {type: student-t, degrees_of_freedom: 5}
            rollover: true
            factors: [global]
            entities:
              - {id: a, pd: 0.01, loadings: {global: 0.3}}
              - {id: g, pd: 0.001, name: State fund}
            bonds:
              - {id: b1, issuer: a, notional: 10, maturity: 0.2, lgd: 0.5, guarantor: g, coverage: 0.5}
            """
        let s = try load(["s.yaml": yaml])
        #expect(s.portfolio.copula == .studentT(degreesOfFreedom: 5))
        #expect(s.portfolio.rollover)
        #expect(s.portfolio.entities[0].loadings == [0.3] && s.portfolio.entities[1].loadings == [0])
        #expect(s.portfolio.window(of: s.portfolio.bonds[0]) == 1)
        #expect(s.levels == Scenario.defaultLevels && s.paths == Scenario.defaultPaths)
    }

    @Test func reportsEveryProblemWithFileLineKeyValueAndRule() throws {
        let entities = """
            id,pd,global,tech,rank
            a,1.5,0.3,0.4,AA
            a,0.01,0.9,0.6,A
            c,nan,0.1,0.1,B

            """
        let bonds = """
            id,issuer,notional,maturity,lgd,guarantor,coverage
            b1,zz,100,1,0.5,,
            b2,a,-5,1,0.5,a,1
            b3,c,5,1,1.2,,

            """
        let (kind, p) = try problems(["s.yaml": Samples.scenario(), "entities.csv": entities, "bonds.csv": bonds])
        #expect(kind == .invalidData)
        let expected = [
            #"entities.csv:1: column "rank": unknown column"#,
            #"entities.csv:4: column "pd": value "nan": NaN or infinite numbers are not allowed"#,
            #"bonds.csv:2: column "issuer": value "zz": unknown entity id"#,
            #"entities.csv:2: column "pd": value "1.5": must be a number with 0 < pd < 1"#,
            #"entities.csv:3: column "id": value "a": duplicate id (first used by entity #1)"#,
            #"entities.csv:3: column "loadings": value "systematic variance 1.386": wᵀΣw must be < 1"#,
            #"bonds.csv:3: column "notional": value "-5": must be a finite number > 0"#,
            #"bonds.csv:3: column "guarantor": value "a": an entity cannot guarantee its own bonds"#,
            #"bonds.csv:4: column "lgd": value "1.2": must be a number with 0 ≤ lgd ≤ 1"#,
        ]
        for e in expected {
            #expect(p.contains { $0.hasPrefix(e) }, "missing: \(e)\nin:\n\(p.joined(separator: "\n"))")
        }
        #expect(p.count == expected.count, "\(p.joined(separator: "\n"))")
    }

    @Test func yamlKeysAndMatricesAreChecked() throws {
        let yaml = """
            version: 2
            name: Bad
            horizon: -1
            simulation: {paths: 0, seed: 1, workers: 3}
            copula: {type: clayton}
            factors: [global, tech]
            factor_correlation:
              - [1.0, 0.99]
              - [0.5, 1.0]
            entities: entities.csv
            bonds: bonds.csv
            output: {quantiles: [0.99, 1.5]}
            colour: blue
            """
        let (_, p) = try problems(["s.yaml": yaml, "entities.csv": Samples.entities, "bonds.csv": Samples.bonds])
        let expected = [
            #"s.yaml:1: key "version": value "2": unsupported scenario format version; allowed: 1"#,
            #"s.yaml:3: key "horizon": value "-1": must be > 0"#,
            #"s.yaml:4: key "simulation.paths": value "0": must be a whole number ≥ 1"#,
            #"s.yaml:4: key "simulation.workers": unknown key"#,
            #"s.yaml:5: key "copula.type": value "clayton": allowed: gaussian, student-t"#,
            #"s.yaml:8: key "factor_correlation[1][2]": value "0.99": not symmetric: entry [2][1] is 0.5"#,
            #"s.yaml:12: key "output.quantiles[2]": value "1.5": a level must lie strictly between 0 and 1"#,
            #"s.yaml:13: key "colour": unknown key"#,
        ]
        for e in expected {
            #expect(p.contains { $0.hasPrefix(e) }, "missing: \(e)\nin:\n\(p.joined(separator: "\n"))")
        }
    }

    @Test func nonPositiveSemiDefiniteFactorCorrelationSaysHowFar() throws {
        let yaml = """
            version: 1
            name: Not PSD
            factors: [a, b, c]
            factor_correlation:
              - [1.0, 0.9, 0.9]
              - [0.9, 1.0, -0.9]
              - [0.9, -0.9, 1.0]
            entities:
              - {id: x, pd: 0.01}
            bonds:
              - {id: y, issuer: x, notional: 1, maturity: 1, lgd: 1}
            """
        let (_, p) = try problems(["s.yaml": yaml])
        #expect(p.count == 1)
        #expect(p.first?.contains("not positive semi-definite: smallest eigenvalue -0.8") == true, "\(p)")
        #expect(p.first?.hasPrefix("s.yaml:4: key \"factor_correlation\"") == true, "\(p)")
    }

    @Test func missingFilesAreNamed() throws {
        let (kind, p) = try problems(["s.yaml": Samples.scenario(entities: "nowhere.csv"), "bonds.csv": Samples.bonds])
        #expect(kind == .unreadableFile)
        #expect(p == ["nowhere.csv: file not found"])
        let f = try Fixture([:])
        #expect(throws: ScenarioError.self) { try ScenarioLoader.load(path: f.path("absent.yaml")) }
    }

    @Test func invalidYAMLGivesTheLine() throws {
        let (kind, p) = try problems(["s.yaml": "version: 1\nname: [unclosed\nbonds: x\n"])
        #expect(kind == .invalidData)
        #expect(p.first?.hasPrefix("s.yaml:") == true && p.first?.contains("not valid YAML") == true, "\(p)")
    }

    @Test func fullCorrelationFile() throws {
        let yaml = """
            version: 1
            name: Full
            correlation: corr.csv
            entities:
              - {id: a, pd: 0.01}
              - {id: b, pd: 0.02}
              - {id: c, pd: 0.03}
            bonds:
              - {id: y, issuer: a, notional: 1, maturity: 1, lgd: 1}
            """
        let good = "id,a,b,c\na,1,0.3,0.2\nb,0.3,1,0.1\nc,0.2,0.1,1\n"
        let s = try load(["s.yaml": yaml, "corr.csv": good])
        guard case let .fullCorrelation(m) = s.portfolio.dependence else {
            Issue.record("expected full correlation")
            return
        }
        #expect(m[0, 1] == 0.3 && m[2, 1] == 0.1)
        let bad = "id,a,b,c\na,1,0.9,0.9\nb,0.9,1,-0.9\nc,0.9,-0.9,1\n"
        let (_, p) = try problems(["s.yaml": yaml, "corr.csv": bad])
        #expect(p == ["corr.csv: the correlation matrix is not positive semi-definite: smallest eigenvalue -0.8, Frobenius distance to the nearest PSD matrix 0.8"])
        let wrongHeader = "id,a,c,b\na,1,0,0\nc,0,1,0\nb,0,0,1\n"
        let (_, q) = try problems(["s.yaml": yaml, "corr.csv": wrongHeader])
        #expect(q.first?.hasPrefix("corr.csv:1: value \"id,a,c,b\": the header must be id followed by the 3 entity ids") == true, "\(q)")
    }

    @Test func stressesAreReadAndChecked() throws {
        let good = Samples.scenario("""
            stress:
              - name: tech_down
                description: tech PDs x2
                pd_multiplier: {sector: {tech: 2}, entity: {b: 1.5}}
                loading_shift: {entity: {a: {tech: 0.1}}}
                lgd_floor: 0.5
                default: [g]
                rollover: true
            """)
        let s = try load(["s.yaml": good, "entities.csv": Samples.entities, "bonds.csv": Samples.bonds])
        let stress = try #require(s.stresses.first)
        #expect(stress.name == "tech_down" && stress.description == "tech PDs x2")
        #expect(stress.pdMultiplierBySector == ["tech": 2] && stress.pdMultiplierByEntity == [1: 1.5])
        #expect(stress.loadingShiftByEntity == [0: [1: 0.1]])
        #expect(stress.lgdFloor == 0.5 && stress.forcedDefaults == [2] && stress.rollover == true)

        let bad = Samples.scenario("""
            stress:
              - name: broken
                pd_multiplier: {sector: {space: 2}, entity: {b: 40}}
                loading_shift: {sector: {tech: {weather: 0.1}}}
                default: [nobody]
                colour: red
            """)
        let (_, p) = try problems(["s.yaml": bad, "entities.csv": Samples.entities, "bonds.csv": Samples.bonds])
        let expected = [
            #"key "stress[1].colour": unknown key"#,
            #"key "stress[1].pd_multiplier.sector.space": value "space": unknown sector"#,
            #"key "stress[1].loading_shift.sector.tech.weather": value "weather": unknown factor"#,
            #"key "stress[1].default[1]": value "nobody": unknown entity id"#,
        ]
        for e in expected {
            #expect(p.contains { $0.contains(e) }, "missing: \(e)\nin:\n\(p.joined(separator: "\n"))")
        }
        let badName = Samples.scenario("""
            stress:
              - name: ../escape
                pd_multiplier: {entity: {b: 2}}
            """)
        let (_, r) = try problems(["s.yaml": badName, "entities.csv": Samples.entities, "bonds.csv": Samples.bonds])
        #expect(r.first?.contains(#"key "stress[1].name": value "../escape": a stress name may use letters"#) == true, "\(r)")
        // A multiplier that pushes a PD past 1 is reported against the stress, not capped.
        let tooMuch = Samples.scenario("""
            stress:
              - name: boom
                pd_multiplier: {entity: {b: 40}}
            """)
        let (_, q) = try problems(["s.yaml": tooMuch, "entities.csv": Samples.entities, "bonds.csv": Samples.bonds])
        #expect(q.count == 1 && q[0].contains(#"key "stress[1] (boom)": value "b pd becomes 2.0": must be a number with 0 < pd < 1"#), "\(q)")
    }

    @Test func csvQuotingAndCRLF() throws {
        let entities = "id,name,pd,global,tech\r\n\"a\",\"Alpha, Inc. \"\"A\"\"\",0.02,0.3,\r\n"
        let bonds = "id,issuer,notional,maturity,lgd\r\nb1,a,1,1,1\r\n"
        let s = try load(["s.yaml": Samples.scenario(), "entities.csv": entities, "bonds.csv": bonds])
        #expect(s.portfolio.entities[0].name == "Alpha, Inc. \"A\"")
    }
}
