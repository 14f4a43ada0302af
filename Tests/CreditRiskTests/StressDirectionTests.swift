import CreditRisk
import Foundation
import Testing

/// Direction and size of every stress key, each against an exact value: the stressed inputs
/// exactly, and the simulated result against the exact answer for the stressed portfolio within
/// 4 standard errors, where the unstressed (or wrongly stressed) answer is many SEs away, so
/// that a stress applied the wrong way round, or not at all, fails.
@Suite struct StressDirectionTests {
    /// Independent names in two sectors, with bonds of different maturities.
    static let pds = [0.02, 0.05, 0.03, 0.08, 0.04, 0.06]
    static let sectors = ["tech", "coal", "tech", "coal", "tech", "state"]
    static let notionals = [10.0, 20, 15, 5, 25, 30]
    static let lgds = [0.4, 0.5, 0.6, 0.45, 0.3, 0.5]
    static let maturities = [1.0, 0.5, 2, 0.25, 1, 0.5]

    static func independent(rollover: Bool = false) throws -> Portfolio {
        let entities = pds.indices.map { Entity(id: "e\($0)", sector: sectors[$0], pd: pds[$0], loadings: []) }
        let bonds = pds.indices.map {
            Bond(id: "b\($0)", issuer: $0, notional: notionals[$0], maturity: maturities[$0], lgd: lgds[$0])
        }
        return try Portfolio(entities: entities, bonds: bonds, dependence: .factors(FactorModel(factorIDs: [])),
                             horizon: 1, rollover: rollover)
    }

    /// Exact EL of independent names: Σ N·lgd·(1 − (1 − pd)^T), T = window (1 under rollover);
    /// forced defaults lose N·lgd for sure.
    static func exactEL(_ p: Portfolio) -> Double {
        p.bonds.reduce(0) { sum, b in
            let e = p.entities[b.issuer]
            let prob = p.forcedDefaults.contains(b.issuer) ? 1 : -expm1(p.window(of: b) * log1p(-e.pd))
            return sum + b.notional * b.lgd * prob
        }
    }

    /// Simulates `stressed` and checks its EL against the exact one within 4 SE, after making
    /// sure that the exact EL of `base` is at least 12 of those SEs away (so the unstressed
    /// answer, or one stressed the other way, would fail).
    static func checkEL(_ stressed: Portfolio, base: Portfolio, _ what: String, paths: Int = 100_000,
                        sourceLocation: SourceLocation = #_sourceLocation) throws {
        let (_, report) = try simulate(stressed, paths: paths, seed: 2024, levels: [0.99])
        let exact = exactEL(stressed), unstressed = exactEL(base), se = report.gross.expectedLossSE
        #expect(abs(exact - unstressed) > 12 * se, "\(what): stress too small to test (\(exact) vs \(unstressed), SE \(se))",
                sourceLocation: sourceLocation)
        #expect(abs(report.gross.expectedLoss - exact) < 4 * se,
                "\(what): EL \(report.gross.expectedLoss) ± \(se) vs exact \(exact) (unstressed \(unstressed))",
                sourceLocation: sourceLocation)
    }

    // MARK: PD multipliers

    /// pd' = pd · m_sector · m_entity (both apply). EL and P(L = 0) = Π(1 − p'_b) exactly.
    @Test func pdMultipliersBySectorAndEntity() throws {
        let base = try Self.independent()
        var stress = Stress(name: "pd")
        stress.pdMultiplierBySector = ["tech": 2.5, "coal": 0.5]
        stress.pdMultiplierByEntity = [0: 1.5, 5: 3]
        let stressed = try stress.apply(to: base)
        let expected = [0.02 * 2.5 * 1.5, 0.05 * 0.5, 0.03 * 2.5, 0.08 * 0.5, 0.04 * 2.5, 0.06 * 3]
        #expect(stressed.entities.map(\.pd) == expected)
        try Self.checkEL(stressed, base: base, "PD multipliers")
        // P(L = 0) = Π (1 − window PD), within 4 binomial SEs.
        let n = 100_000
        let (_, report) = try simulate(stressed, paths: n, seed: 7, levels: [0.99])
        let zero = stressed.bonds.reduce(1.0) { $0 * (1 + expm1(stressed.window(of: $1) * log1p(-stressed.entities[$1.issuer].pd))) }
        let mc = report.grossDistribution.cdf(0)
        #expect(abs(mc - zero) < 4 * probabilitySE(zero, n), "P(L = 0) \(mc) vs exact \(zero)")
    }

    // MARK: Loading shifts

    /// w' = w + Δ_sector + Δ_entity exactly, per factor, on a two-factor model; other sectors
    /// and factors untouched; a factor index beyond the model is ignored.
    @Test func loadingShiftsAreExact() throws {
        let entities = [Entity(id: "a", sector: "s", pd: 0.02, loadings: [0.3, 0.2]),
                        Entity(id: "b", sector: "s", pd: 0.02, loadings: [0.1, 0.4]),
                        Entity(id: "c", sector: "t", pd: 0.02, loadings: [0.25, 0.25])]
        let bonds = entities.indices.map { Bond(id: "x\($0)", issuer: $0, notional: 1, maturity: 1, lgd: 1) }
        let p = try Portfolio(entities: entities, bonds: bonds, dependence: .factors(FactorModel(factorIDs: ["f", "g"])))
        var stress = Stress(name: "shift")
        stress.loadingShiftBySector = ["s": [0: 0.15, 7: 0.5]]
        stress.loadingShiftByEntity = [1: [1: -0.1], 2: [0: 0.05]]
        let w = try stress.apply(to: p).entities.map(\.loadings)
        #expect(w[0] == [0.3 + 0.15, 0.2])
        #expect(w[1] == [0.1 + 0.15, 0.4 + -0.1])
        #expect(w[2] == [0.25 + 0.05, 0.25])
    }

    /// A homogeneous one-factor pool (20 names, PD 2 %, loading 0.3) whose sector shift +0.1 and
    /// entity shifts +0.1 raise the loading to 0.5 (ρ = 0.25). The simulated VaR and ES at 99.9 %
    /// must match the exact one-factor distribution with ρ = 0.25: VaR 7, ES 8.32. With either
    /// shift reversed (ρ = 0.09: VaR 4, ES 5.07) or both (ρ = 0.01: VaR 3, ES 3.86) the answers
    /// are many SEs away (the SE of ES is ≈ 0.07 here).
    ///
    /// Plain Monte Carlo with n = 200 000: the exact P(L > 6) = 0.00147 and P(L > 7) = 0.00070
    /// are 6.6 and 4.2 standard errors √(q(1−q)/n) = 7.1e-5 of the empirical CDF away from
    /// 1 − q = 0.001, so the estimated VaR is the exact one and ES is the smooth functional
    /// whose delta-method SE applies (tolerance 4 SE).
    @Test func loadingShiftRaisesTheTailToTheExactOneFactorValue() throws {
        let names = 20
        let entities = (0..<names).map { Entity(id: "e\($0)", sector: "pool", pd: 0.02, loadings: [0.3]) }
        let bonds = (0..<names).map { Bond(id: "b\($0)", issuer: $0, notional: 1, maturity: 1, lgd: 1) }
        let base = try Portfolio(entities: entities, bonds: bonds, dependence: .factors(FactorModel(factorIDs: ["m"])))
        var stress = Stress(name: "correlation up")
        stress.loadingShiftBySector = ["pool": [0: 0.1]]
        stress.loadingShiftByEntity = Dictionary(uniqueKeysWithValues: (0..<names).map { ($0, [0: 0.1]) })
        let stressed = try stress.apply(to: base)
        let loading = (0.3 + 0.1) + 0.1
        #expect(stressed.entities.allSatisfy { $0.loadings == [loading] }, "loadings \(stressed.entities.map(\.loadings))")

        let q = 0.999, n = 200_000
        let exact = Reference.oneFactor(names: names, pd: 0.02, rho: 0.25)
        let (exactVaR, exactES) = Reference.valueAtRiskAndES(exact, level: q)
        let unstressedES = Reference.valueAtRiskAndES(Reference.oneFactor(names: names, pd: 0.02, rho: 0.09), level: q).es
        let (_, report) = try simulate(stressed, paths: n, seed: 99, levels: [q])
        let m = report.gross.quantiles[0]
        #expect(m.valueAtRisk == Double(exactVaR), "VaR99.9 \(m.valueAtRisk) vs exact \(exactVaR)")
        #expect(abs(m.expectedShortfall - exactES) < 4 * m.expectedShortfallSE,
                "ES99.9 \(m.expectedShortfall) ± \(m.expectedShortfallSE) vs exact \(exactES) (ρ = 0.09: \(unstressedES))")
        #expect(abs(exactES - unstressedES) > 12 * m.expectedShortfallSE)
        #expect(abs(report.gross.expectedLoss - 0.4) < 4 * report.gross.expectedLossSE)
    }

    // MARK: LGD floors

    /// lgd' = max(lgd, floor): the global floor and the sector floor, the larger applying.
    @Test func lgdFloorsGlobalAndBySector() throws {
        let base = try Self.independent()
        var stress = Stress(name: "floor")
        stress.lgdFloor = 0.45
        stress.lgdFloorBySector = ["coal": 0.7, "state": 0.2]
        let stressed = try stress.apply(to: base)
        // tech: max(lgd, 0.45); coal: max(lgd, 0.7); state: max(0.5, 0.45, 0.2).
        #expect(stressed.bonds.map(\.lgd) == [0.45, 0.7, 0.6, 0.7, 0.45, 0.5])
        try Self.checkEL(stressed, base: base, "LGD floors")
    }

    /// A floor below every LGD changes nothing: the same bonds, and the same losses path by path.
    @Test func lgdFloorBelowTheLGDChangesNothing() throws {
        let base = try Self.independent()
        var stress = Stress(name: "low floor")
        stress.lgdFloor = 0.1
        stress.lgdFloorBySector = ["tech": 0.25]
        let stressed = try stress.apply(to: base)
        #expect(stressed.bonds == base.bonds)
        let (a, _) = try simulate(base, paths: 5000)
        let (b, _) = try simulate(stressed, paths: 5000)
        #expect(a.gross == b.gross)
    }

    // MARK: Forced defaults

    /// A forced issuer loses N·lgd on every path; a bond guaranteed by a forced guarantor is
    /// unprotected: its EL is the full N·lgd·P(issuer defaults in its window).
    @Test func forcedDefaultsLoseExactly() throws {
        let base = try Self.independent()
        var stress = Stress(name: "defaults")
        stress.forcedDefaults = [1, 4]
        let stressed = try stress.apply(to: base)
        #expect(stressed.forcedDefaults == [1, 4])
        let certain = 20 * 0.5 + 25 * 0.3
        let (out, _) = try simulate(stressed, paths: 20_000)
        #expect(out.gross.allSatisfy { $0 >= certain - 1e-12 })
        try Self.checkEL(stressed, base: base, "forced defaults")

        // Guarantor 2 guarantees bond 0 fully; forcing it down restores the bond's full loss.
        let guaranteed = try Portfolio(
            entities: base.entities,
            bonds: [Bond(id: "g", issuer: 0, notional: 10, maturity: 1, lgd: 0.4,
                         guarantee: Guarantee(guarantor: 2, coverage: 1))],
            dependence: base.dependence)
        var guarantorDown = Stress(name: "guarantor down")
        guarantorDown.forcedDefaults = [2]
        let n = 200_000
        let (_, report) = try simulate(try guarantorDown.apply(to: guaranteed), paths: n, seed: 5, levels: [0.99])
        let exact = 10 * 0.4 * 0.02
        #expect(abs(report.net.expectedLoss - exact) < 4 * report.net.expectedLossSE,
                "net EL \(report.net.expectedLoss) ± \(report.net.expectedLossSE) vs exact \(exact)")
    }

    // MARK: Rollover

    /// Overriding rollover: with it, short notes (0.25 and 0.5 years) are exposed for the whole
    /// horizon, EL = Σ N·lgd·pd; without it, for their own window, EL = Σ N·lgd·(1 − (1 − pd)^T).
    @Test(arguments: [true, false])
    func rolloverOverride(to rollover: Bool) throws {
        let base = try Self.independent(rollover: !rollover)
        var stress = Stress(name: "rollover")
        stress.rollover = rollover
        let stressed = try stress.apply(to: base)
        #expect(stressed.rollover == rollover)
        let expected = Self.pds.indices.reduce(0.0) { sum, i in
            let t = rollover ? 1 : min(Self.maturities[i], 1)
            return sum + Self.notionals[i] * Self.lgds[i] * -expm1(t * log1p(-Self.pds[i]))
        }
        #expect(abs(Self.exactEL(stressed) - expected) < 1e-12)
        try Self.checkEL(stressed, base: base, "rollover \(rollover)", paths: 200_000)
    }
}
