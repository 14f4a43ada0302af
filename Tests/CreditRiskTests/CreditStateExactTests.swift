@testable import CreditEngine
@testable import CreditMath
@testable import CreditModel
@testable import CreditStatistics
import Foundation
import Testing

/// The three-state model (hard default, extension, performing) against an exact answer: one
/// Gaussian factor, so that given the factor Z = z every name is in D, E or neither
/// independently (a trinomial draw per name); convolving the names exactly and integrating over z
/// gives the loss distribution, its EL, VaR and ES, and P(at least one extension).
@Suite struct CreditStateExactTests {
    /// A group of identical names: their count, one-year pd and extension_pd, maturity, and the
    /// loss of one name in units of `unit` when a hard default or an extension hits it.
    struct Group {
        var names: Int
        var pd: Double
        var extensionPD: Double
        var maturity: Double
        var defaultUnits: Int
        var extensionUnits: Int
    }

    static let unit = 0.1
    static let rho = 0.2

    /// Notional 1 per name, lgd and extension_lgd set so that a D costs `defaultUnits` units and an
    /// E `extensionUnits`; loadings √ρ on one factor; horizon 1.
    static func portfolio(_ groups: [Group]) throws -> Portfolio {
        var entities: [Entity] = [], bonds: [Bond] = []
        for g in groups {
            for _ in 0..<g.names {
                let e = entities.count
                entities.append(Entity(id: "e\(e)", pd: g.pd, loadings: [rho.squareRoot()], extensionPD: g.extensionPD))
                bonds.append(Bond(id: "b\(e)", issuer: e, notional: 1, maturity: g.maturity,
                                  lgd: Double(g.defaultUnits) * unit, extensionLGD: Double(g.extensionUnits) * unit))
            }
        }
        return try Portfolio(entities: entities, bonds: bonds,
                             dependence: .factors(FactorModel(factorIDs: ["z"])))
    }

    /// Conditional on z, each name of a group is hit by D with P(U ≤ P_D(T)) and by E with
    /// P(P_D(1) < U ≤ P_C(T)) (<doc:CreditStates>), U = Φ(√ρ z + √(1 − ρ) ε).
    static func exact(_ groups: [Group]) -> (mass: [Double], noExtension: Double) {
        let top = groups.reduce(0) { $0 + $1.names * max($1.defaultUnits, $1.extensionUnits) }
        var mass = [Double](repeating: 0, count: top + 1)
        let steps = 3000, lo = -9.0, hi = 9.0, h = (hi - lo) / Double(steps)
        var noExtension = 0.0
        for i in 0...steps {
            let z = lo + Double(i) * h
            let weight = (i == 0 || i == steps ? 1 : (i % 2 == 1 ? 4 : 2)) * h / 3 * Normal.pdf(z)
            func p(_ probability: Double) -> Double {
                probability <= 0 ? 0 : Normal.cdf((Normal.quantile(probability) - rho.squareRoot() * z) / (1 - rho).squareRoot())
            }
            var dist = [1.0]
            var none = 1.0
            for g in groups {
                let t = g.maturity
                let pD = p(1 - pow(1 - g.pd, t))
                let pDH = p(g.pd)
                let pE = max(0, p(1 - pow(1 - g.pd - g.extensionPD, t)) - pDH)
                none *= pow(1 - pE, Double(g.names))
                for _ in 0..<g.names {
                    var next = [Double](repeating: 0, count: dist.count + max(g.defaultUnits, g.extensionUnits))
                    for (k, v) in dist.enumerated() where v != 0 {
                        next[k] += v * (1 - pD - pE)
                        next[k + g.defaultUnits] += v * pD
                        next[k + g.extensionUnits] += v * pE
                    }
                    dist = next
                }
            }
            for k in dist.indices { mass[k] += weight * dist[k] }
            noExtension += weight * none
        }
        return (mass, noExtension)
    }

    /// The quantile of the exact distribution at level q, in loss units.
    static func quantile(_ mass: [Double], _ q: Double) -> Double {
        var running = 0.0
        for (k, m) in mass.enumerated() {
            running += m
            if running >= q { return Double(k) * unit }
        }
        return Double(mass.count - 1) * unit
    }

    static let homogeneous = [Group(names: 40, pd: 0.02, extensionPD: 0.04, maturity: 1, defaultUnits: 6, extensionUnits: 2)]
    /// Three groups; the half-year notes of the last one are hit by an extension only when
    /// P_C(0.5) > P_D(1), which holds for pd 0.02 and extension_pd 0.08.
    static let heterogeneous = [
        Group(names: 12, pd: 0.01, extensionPD: 0.03, maturity: 1, defaultUnits: 7, extensionUnits: 3),
        Group(names: 10, pd: 0.03, extensionPD: 0, maturity: 1, defaultUnits: 5, extensionUnits: 1),
        Group(names: 10, pd: 0.02, extensionPD: 0.08, maturity: 0.5, defaultUnits: 6, extensionUnits: 2),
    ]

    @Test(arguments: [false, true], [false, true])
    func threeStatesMatchTheTrinomialRecursion(heterogeneousPool: Bool, importance: Bool) throws {
        let groups = heterogeneousPool ? Self.heterogeneous : Self.homogeneous
        let p = try Self.portfolio(groups)
        let (mass, noExtension) = Self.exact(groups)
        #expect(abs(mass.reduce(0, +) - 1) < 1e-9)
        let engine = Engine(portfolio: p)
        let paths = 200_000
        let settings = SimulationSettings(paths: paths, seed: heterogeneousPool ? 41 : 42, threads: 2)
        let shift = importance ? engine.importanceShift(level: 0.999, pilotPaths: 20_000, seed: 9, threads: 2) : nil
        let out = engine.run(settings, importance: shift)
        let levels = [0.95, 0.99, 0.999]
        let report = RiskReport(output: out, portfolio: p, levels: levels)

        let el = mass.enumerated().reduce(0) { $0 + Double($1.offset) * Self.unit * $1.element }
        #expect(abs(report.net.expectedLoss - el) <= 4 * report.net.expectedLossSE, "EL \(report.net.expectedLoss) vs \(el)")
        for (q, measured) in zip(levels, report.net.quantiles) {
            let exact = Reference.valueAtRiskAndES(mass, level: q)
            let es = exact.es * Self.unit
            #expect(abs(measured.expectedShortfall - es) <= 4 * measured.expectedShortfallSE + 1e-12,
                    "ES \(q): \(measured.expectedShortfall) vs \(es) (se \(measured.expectedShortfallSE))")
            // VaR lies between the exact quantiles at q ∓ 4 standard errors of the exceedance
            // probability there (binomial, or the weighted one when larger).
            let delta = 4 * max(probabilitySE(q, paths), report.netDistribution.exceedance(measured.valueAtRisk).se)
            let low = Self.quantile(mass, q - delta), high = Self.quantile(mass, min(q + delta, 1 - 1e-12))
            #expect(measured.valueAtRisk >= low - 1e-9 && measured.valueAtRisk <= high + 1e-9,
                    "VaR \(q): \(measured.valueAtRisk) outside [\(low), \(high)]")
        }
        let extended = try #require(report.extensionProbability)
        #expect(abs(extended.value - (1 - noExtension)) <= 4 * extended.standardError,
                "P(extension) \(extended.value) vs \(1 - noExtension)")
        // The split by state adds up to the whole and matches each state's exact EL.
        let split = try #require(report.netByState)
        #expect(split.migration == nil)
        #expect(abs(split.hardDefault.value + split.extended.value - report.net.expectedLoss) <= 1e-9 * max(1, el))
        var exactD = 0.0, exactE = 0.0
        for g in groups {
            let pDH = g.pd, pCT = 1 - pow(1 - g.pd - g.extensionPD, g.maturity)
            exactD += Double(g.names) * (1 - pow(1 - g.pd, g.maturity)) * Double(g.defaultUnits) * Self.unit
            exactE += Double(g.names) * max(0, pCT - pDH) * Double(g.extensionUnits) * Self.unit
        }
        #expect(abs(split.hardDefault.value - exactD) <= 4 * split.hardDefault.standardError)
        #expect(abs(split.extended.value - exactE) <= 4 * split.extended.standardError)
    }

    /// `extension_pd_multiplier` scales the extension probability: EL by extensions triples.
    @Test func stressScalesTheExtensionProbability() throws {
        let p = try Self.portfolio(Self.homogeneous)
        var stress = Stress(name: "extension_wave")
        stress.extensionPDMultiplierByEntity = Dictionary(uniqueKeysWithValues: p.entities.indices.map { ($0, 3.0) })
        let stressed = try stress.apply(to: p)
        #expect(stressed.entities.allSatisfy { abs($0.extensionPD - 0.12) < 1e-15 })
        let (_, report) = try simulate(stressed, paths: 100_000)
        let split = try #require(report.netByState)
        let exactE = 40 * 0.12 * 2 * Self.unit
        #expect(abs(split.extended.value - exactE) <= 4 * split.extended.standardError)
    }
}
