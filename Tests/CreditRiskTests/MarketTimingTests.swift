@testable import CreditEngine
@testable import CreditMath
@testable import CreditModel
@testable import CreditStatistics
import Foundation
import Testing

/// Event times in market valuation: hazards matching the horizon probabilities of D and of D or E,
/// or, for a rating with a PD curve, the curve's shape scaled to them, so that a note maturing
/// inside the horizon is hit with the timing's probability at its maturity.
@Suite struct MarketTimingTests {
    /// One B issuer (H-year p_D from the matrix) extending with probability 5 % a year, with a
    /// 1-year and a 2-year note of 100; horizon 2; optionally the PD curve (1 y: 2 %, 2 y: 10 %).
    static func portfolio(curve: PDCurve?) throws -> Portfolio {
        let v = SyntheticPortfolio.creditMetrics1997
        let e = Entity(id: "b", pd: v.transition[5][7], loadings: [], pdCurve: curve, rating: 5, extensionPD: 0.05)
        let bonds = [Bond(id: "short", issuer: 0, notional: 100, maturity: 1, lgd: 0.6, extensionLGD: 0.2),
                     Bond(id: "long", issuer: 0, notional: 100, maturity: 2, lgd: 0.6, extensionLGD: 0.2)]
        return try Portfolio(entities: [e], bonds: bonds, dependence: .factors(FactorModel(factorIDs: [])), horizon: 2,
                             valuation: v)
    }

    @Test(arguments: [false, true])
    func shortNotesAreHitWithTheTimingsProbability(curve: Bool) throws {
        let shape = PDCurve(tenors: [1, 2], cumulative: [0.02, 0.1])
        let p = try Self.portfolio(curve: curve ? shape : nil)
        let v = p.valuation!
        let pD = v.transition(years: 2)[5][7], pE = 1 - 0.95 * 0.95
        // P(the event time ≤ 1 | its state) from the timing: the curve's share of its 2-year value,
        // or a constant hazard's 1 − (1 − p)^(1/2).
        func withinOneYear(_ total: Double) -> Double {
            curve ? shape.probability(within: 1) / shape.probability(within: 2) * total : 1 - (1 - total).squareRoot()
        }
        let hitD = withinOneYear(pD)
        // E hits the short note only when the combined event can come by 1 year: P_C(1) > p_D.
        let hitE = max(0, withinOneYear(pD + pE) - pD)
        let paths = 200_000
        let out = Engine(portfolio: p).run(SimulationSettings(paths: paths, seed: 29, threads: 2))
        // Default or extension of the short note: it loses 60 or 20 of its value beyond the long one's share.
        let current = p.bonds.map { v.horizonValue(of: $0, rating: 5, horizon: 2) }
        let longD = current[1] - 40, longE = current[1] - 80
        var d = 0, e = 0, dLong = 0, eLong = 0
        for g in out.gross {
            if abs(g - (longD + current[0] - 40)) < 1e-9 { d += 1 } else if abs(g - longD) < 1e-9 { dLong += 1 }
            if abs(g - (longE + current[0] - 80)) < 1e-9 { e += 1 } else if abs(g - longE) < 1e-9 { eLong += 1 }
        }
        let n = Double(paths)
        #expect(abs(Double(d) / n - hitD) < 4 * probabilitySE(hitD, paths), "D by 1 y: \(Double(d) / n) vs \(hitD)")
        #expect(abs(Double(e) / n - hitE) <= 4 * probabilitySE(hitE, paths), "E by 1 y: \(Double(e) / n) vs \(hitE)")
        #expect(abs(Double(d + dLong) / n - pD) < 4 * probabilitySE(pD, paths))
        #expect(abs(Double(e + eLong) / n - pE) < 4 * probabilitySE(pE, paths))
    }
}
