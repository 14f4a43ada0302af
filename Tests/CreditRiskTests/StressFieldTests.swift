@testable import CreditEngine
@testable import CreditMath
@testable import CreditModel
@testable import CreditStatistics
import Foundation
import Testing

/// A stress copies entities and bonds and changes only the fields it names: every field, found
/// by reflection (so a field added later is covered without editing this test), survives a stress
/// that changes nothing, and a stress that changes one field keeps all the others.
@Suite struct StressFieldTests {
    /// An entity and bonds with every field set to a non-default value.
    static func portfolio() throws -> Portfolio {
        let curve = PDCurve(tenors: [1, 3], cumulative: [0.02, 0.05])
        let entities = [
            Entity(id: "a", name: "Alpha", sector: "tech", pd: 0.02, loadings: [0.3], capacity: 7, pdSD: 0.01,
                   pdCurve: curve, rating: 2, extensionPD: 0.03),
            Entity(id: "g", name: "Guarantor", sector: "state", pd: 0.001, loadings: [0.2], capacity: 5, pdSD: 0.001,
                   pdCurve: curve, rating: 0, extensionPD: 0.001),
        ]
        let bonds = [
            Bond(id: "b", issuer: 0, notional: 10, maturity: 2, lgd: 0.4,
                 guarantee: Guarantee(guarantor: 1, coverage: 0.8, triggers: .defaultOrExtension),
                 protection: Protection(seller: 1, notional: 5, spreadBps: 40, triggers: .defaultOrExtension),
                 lgdSD: 0.1, coupon: 0.03, couponFrequency: 2, extensionLGD: 0.15, extensionLGDSD: 0.05),
        ]
        return try Portfolio(entities: entities, bonds: bonds, dependence: .factors(FactorModel(factorIDs: ["f"])))
    }

    /// Every stored field as text, by name; an optional field must be set (so that the test sees it).
    static func fields<T>(_ value: T, allSet: Bool = true) -> [String: String] {
        var out: [String: String] = [:]
        for child in Mirror(reflecting: value).children {
            guard let label = child.label else { continue }
            let inner = Mirror(reflecting: child.value)
            if allSet {
                #expect(!(inner.displayStyle == .optional && inner.children.isEmpty), "\(T.self).\(label) is nil in the test portfolio")
            }
            out[label] = String(describing: child.value)
        }
        return out
    }

    @Test func everyFieldSurvivesAStressThatChangesNothing() throws {
        let p = try Self.portfolio()
        let stressed = try Stress(name: "nothing").apply(to: p)
        for (a, b) in zip(p.entities, stressed.entities) {
            #expect(Self.fields(a) == Self.fields(b))
            #expect(Self.fields(a).count >= 11)
        }
        for (a, b) in zip(p.bonds, stressed.bonds) {
            #expect(Self.fields(a) == Self.fields(b))
            #expect(Self.fields(a).count >= 12)
        }
        #expect(stressed.extensionTerms == p.extensionTerms)
    }

    @Test func aStressChangesOnlyTheFieldsItNames() throws {
        let p = try Self.portfolio()
        var stress = Stress(name: "some")
        stress.pdMultiplierByEntity = [0: 2]
        stress.extensionPDMultiplierBySector = ["tech": 3]
        stress.loadingShiftByEntity = [0: [0: 0.1]]
        stress.lgdFloor = 0.5
        let stressed = try stress.apply(to: p)
        var before = Self.fields(p.entities[0]), after = Self.fields(stressed.entities[0])
        for key in ["pd", "pdCurve", "pdMultiplier", "extensionPD", "loadings"] {
            #expect(before[key] != after[key], "\(key) unchanged")
            before[key] = nil
            after[key] = nil
        }
        #expect(before == after)
        #expect(abs(stressed.entities[0].extensionPD - 0.09) < 1e-15 && stressed.entities[0].pdMultiplier == 2)
        // The floor replaces the LGD and its distribution; everything else of the bond stays.
        var bondBefore = Self.fields(p.bonds[0]), bondAfter = Self.fields(stressed.bonds[0], allSet: false)
        #expect(stressed.bonds[0].lgd == 0.5 && stressed.bonds[0].lgdSD == nil)
        for key in ["lgd", "lgdSD"] {
            bondBefore[key] = nil
            bondAfter[key] = nil
        }
        #expect(bondBefore == bondAfter)
        #expect(Self.fields(stressed.entities[1]) == Self.fields(p.entities[1]))
    }
}
