@testable import CreditScenario
import CreditRisk
import Foundation
import Testing

/// The credit-state keys: `extension_pd` (entities), `extension_lgd`, `extension_lgd_sd`,
/// `guarantee_triggers`, `protection_triggers` (bonds), the `extension:` block and a stress's
/// `extension_pd_multiplier`; what loads, and every bad value refused with file, line, key,
/// value and rule.
@Suite struct CreditStateLoadingTests {
    static let entities = """
        id,sector,pd,extension_pd,global,tech
        a,tech,0.02,0.05,0.3,0.4
        b,coal,0.05,,0.4,
        g,state,0.002,,0.3,
        s,bank,0.005,0.01,0.4,0.1

        """
    static let bonds = """
        id,issuer,notional,maturity,lgd,extension_lgd,extension_lgd_sd,guarantor,coverage,guarantee_triggers,protection_seller,protection_notional,protection_triggers
        b1,a,100,0.5,0.6,0.2,,g,1.0,default,s,50,default+extension
        b2,b,50,2,0.4,,0.1,g,0.5,default+extension,,,
        b3,a,70,1,0.5,,,,,,,,

        """

    func files(_ extra: String = "", entities: String = entities, bonds: String = bonds) -> [String: String] {
        ["s.yaml": Samples.scenario(extra), "entities.csv": entities, "bonds.csv": bonds]
    }

    func load(_ files: [String: String]) throws -> Scenario {
        let f = try Fixture(files)
        return try ScenarioLoader.load(path: f.path("s.yaml"))
    }

    /// The problems, as printed (file names relative to the fixture).
    func problems(_ files: [String: String]) throws -> [String] { try Fixture.problems(files) }

    func expectProblem(_ files: [String: String], _ expected: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let p = try problems(files)
        #expect(p.contains { $0.contains(expected) }, "missing: \(expected)\nin:\n\(p.joined(separator: "\n"))",
                sourceLocation: sourceLocation)
    }

    @Test func everyKeyLoads() throws {
        let s = try load(files("""
            extension: {years: 2, later_default: 0.4, discount_rate: 0.03}
            stress:
              - name: extension_wave
                extension_pd_multiplier: {sector: {tech: 3}, entity: {s: 2}}
            """))
        let p = s.portfolio
        #expect(p.entities.map(\.extensionPD) == [0.05, 0, 0, 0.01])
        #expect(p.extensionTerms == ExtensionTerms(years: 2, laterDefault: 0.4, discountRate: 0.03))
        let b = p.bonds
        #expect(b[0].extensionLGD == 0.2 && b[0].extensionLGDSD == nil)
        #expect(b[0].guarantee?.triggers == .defaultOnly && b[0].protection?.triggers == .defaultOrExtension)
        #expect(b[1].extensionLGD == nil && b[1].extensionLGDSD == 0.1 && b[1].guarantee?.triggers == .defaultOrExtension)
        // Without its own extension_lgd a bond's comes from the terms: 1 − (1 − 0.4·0.4)/1.03².
        #expect(abs(p.extensionLGD(of: b[1]) - (1 - (1 - 0.4 * 0.4) / (1.03 * 1.03))) < 1e-15)
        #expect(p.extensionLGD(of: b[0]) == 0.2)
        let stress = try #require(s.stresses.first)
        #expect(stress.extensionPDMultiplierBySector == ["tech": 3] && stress.extensionPDMultiplierByEntity == [3: 2])
        let stressed = try stress.apply(to: p)
        #expect(abs(stressed.entities[0].extensionPD - 0.15) < 1e-15 && abs(stressed.entities[3].extensionPD - 0.02) < 1e-15)
        #expect(stressed.entities[1].extensionPD == 0)
    }

    @Test func defaultsWithoutTheKeys() throws {
        let s = try load(["s.yaml": Samples.scenario(), "entities.csv": Samples.entities, "bonds.csv": Samples.bonds])
        #expect(s.portfolio.entities.allSatisfy { $0.extensionPD == 0 } && !s.portfolio.hasExtension)
        #expect(s.portfolio.extensionTerms == ExtensionTerms(years: 1, laterDefault: 0.3, discountRate: 0.05))
        #expect(s.portfolio.bonds.compactMap(\.guarantee).allSatisfy { $0.triggers == .defaultOnly })
        // 1 − (1 − 0.3·0.6)/1.05 for b1's lgd 0.6.
        #expect(abs(s.portfolio.extensionLGD(of: s.portfolio.bonds[0]) - (1 - 0.82 / 1.05)) < 1e-15)
    }

    @Test func inlineEntitiesAndBondsTakeTheKeys() throws {
        let yaml = """
            version: 1
            name: inline
            factors: [global]
            entities:
              - {id: a, pd: 0.02, extension_pd: 0.04, loadings: {global: 0.3}}
              - {id: g, pd: 0.001}
            bonds:
              - {id: b1, issuer: a, notional: 1, maturity: 1, lgd: 0.6, extension_lgd: 0.1, extension_lgd_sd: 0.05,
                 guarantor: g, coverage: 1, guarantee_triggers: default+extension}
            """
        let s = try load(["s.yaml": yaml])
        #expect(s.portfolio.entities[0].extensionPD == 0.04)
        let b = s.portfolio.bonds[0]
        #expect(b.extensionLGD == 0.1 && b.extensionLGDSD == 0.05 && b.guarantee?.triggers == .defaultOrExtension)
    }

    @Test func badEntityValuesAreLocated() throws {
        func withExtension(_ a: String) -> String { Self.entities.replacingOccurrences(of: "a,tech,0.02,0.05,", with: "a,tech,0.02,\(a),") }
        try expectProblem(files(entities: withExtension("lots")), #"entities.csv:2: column "extension_pd": value "lots": not a number"#)
        try expectProblem(files(entities: withExtension("-0.1")),
                          #"entities.csv:2: column "extension_pd": value "-0.1": must be a number with 0 ≤ extension_pd < 1"#)
        try expectProblem(files(entities: withExtension("0.99")),
                          #"entities.csv:2: column "extension_pd": value "0.99": pd + extension_pd must be < 1 (pd is 0.02)"#)
    }

    @Test func badBondValuesAreLocated() throws {
        let b = Self.bonds
        try expectProblem(files(bonds: b.replacingOccurrences(of: "0.6,0.2,,g", with: "0.6,1.5,,g")),
                          #"bonds.csv:2: column "extension_lgd": value "1.5": must be a number with 0 ≤ extension_lgd ≤ 1"#)
        try expectProblem(files(bonds: b.replacingOccurrences(of: "0.4,,0.1,g", with: "0.4,,0.9,g")),
                          #"bonds.csv:3: column "extension_lgd_sd": value "0.9": a Beta extension loss with mean"#)
        try expectProblem(files(bonds: b.replacingOccurrences(of: "1.0,default,s", with: "1.0,extension,s")),
                          #"bonds.csv:2: column "guarantee_triggers": value "extension": allowed: default, default+extension"#)
        try expectProblem(files(bonds: b.replacingOccurrences(of: "50,default+extension", with: "50,Default")),
                          #"bonds.csv:2: column "protection_triggers": value "Default": allowed: default, default+extension"#)
        try expectProblem(files(bonds: b.replacingOccurrences(of: "b3,a,70,1,0.5,,,,,,,,", with: "b3,a,70,1,0.5,,,,,default,,,default")),
                          #"bonds.csv:4: column "guarantee_triggers": value "default": given without a guarantor"#)
        try expectProblem(files(bonds: b.replacingOccurrences(of: "b3,a,70,1,0.5,,,,,,,,", with: "b3,a,70,1,0.5,,,,,,,,default")),
                          #"bonds.csv:4: column "protection_triggers": value "default": given without a protection_seller"#)
    }

    @Test func badExtensionBlockIsLocated() throws {
        try expectProblem(files("extension: 1"), #"key "extension": must be a mapping"#)
        try expectProblem(files("extension: {yearz: 1}"), #"key "extension.yearz": unknown key"#)
        try expectProblem(files("extension: {years: -1}"), #"key "extension.years": value "-1.0": must be a finite number of years ≥ 0"#)
        try expectProblem(files("extension: {later_default: 1.2}"),
                          #"key "extension.later_default": value "1.2": must be a probability in [0, 1]"#)
        try expectProblem(files("extension: {discount_rate: -0.01}"),
                          #"key "extension.discount_rate": value "-0.01": must be a finite rate ≥ 0"#)
        try expectProblem(files("extension: {years: soon}"), #"key "extension.years": value "soon": not a number"#)
    }

    @Test func badStressValuesAreLocated() throws {
        try expectProblem(files("""
            stress:
              - name: wave
                extension_pd_multiplier: {sector: {tech: -3}}
            """), #"value "-3": a multiplier must be > 0"#)
        try expectProblem(files("""
            stress:
              - name: wave
                extension_pd_multiplier: {sector: {space: 3}}
            """), #"key "stress[1].extension_pd_multiplier.sector.space": value "space": unknown sector"#)
        // A multiplier that pushes pd + extension_pd to 1 is reported against the stress.
        try expectProblem(files("""
            stress:
              - name: flood
                extension_pd_multiplier: {entity: {a: 30}}
            """), #"key "stress[1] (flood)": value "a extension_pd becomes 1.5": must be a number with 0 ≤ extension_pd < 1"#)
    }
}
