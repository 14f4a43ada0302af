@testable import CreditEngine
@testable import CreditMath
@testable import CreditModel
@testable import CreditStatistics
import Foundation
import Testing

/// Default times from a cumulative PD curve (see RatingsAndMarketValuation, PD term structures): P(τ ≤ t) equals the table at every
/// tenor, follows 1 − e^{−H(t)} with H piecewise linear between tenors and continues with the
/// last hazard after the last tenor. Tolerances: 4 standard errors.
@Suite struct PiecewiseHazardTests {
    static let curve = PDCurve(tenors: [1, 3, 5], cumulative: [0.01, 0.04, 0.08])

    /// Reference: H at the knots from the table, linear in between.
    static func reference(_ t: Double) -> Double {
        let h = [0] + curve.cumulative.map { -log(1 - $0) }, knots = [0.0] + curve.tenors
        for i in 1..<knots.count where t <= knots[i] {
            return 1 - exp(-(h[i - 1] + (h[i] - h[i - 1]) * (t - knots[i - 1]) / (knots[i] - knots[i - 1])))
        }
        let last = (h[3] - h[2]) / (knots[3] - knots[2])
        return 1 - exp(-(h[3] + last * (t - 5)))
    }

    @Test func probabilitiesAtAndBetweenTenors() throws {
        let p = try Portfolio(entities: [Entity(id: "c", pd: 0.01, loadings: [], pdCurve: Self.curve), Entity(id: "k", pd: 0.02, loadings: [])],
                              bonds: [Bond(id: "b", issuer: 0, notional: 1, maturity: 3, lgd: 1)],
                              dependence: .factors(FactorModel(factorIDs: [])), horizon: 7)
        let timing = PiecewiseHazard(portfolio: p)
        for (t, q) in zip(Self.curve.tenors, Self.curve.cumulative) {
            #expect(timing.defaultProbability(0, within: t) == q)  // exactly the table
        }
        for t in [0.25, 0.5, 2, 4, 6, 7] {
            #expect(abs(timing.defaultProbability(0, within: t) - Self.reference(t)) < 1e-14)
        }
        // Without a curve: the constant hazard of the one-year PD.
        #expect(abs(timing.defaultProbability(1, within: 2) - (1 - 0.98 * 0.98)) < 1e-15)
        // τ inverts the cumulative hazard: P(τ ≤ t) = p ⇔ τ(1 − p) = t.
        for t in [0.5, 1, 2, 3, 4.5, 6] {
            let q = Self.reference(t)
            #expect(abs(timing.defaultTime(0, survival: 1 - q) - t) < 1e-12)
        }
        // The latent threshold of a window at a tenor is exactly the table's quantile.
        let plan = SimulationPlan(portfolio: p, factor: p.dependenceFactor)
        guard case let .factors(latent) = plan.latent else { Issue.record("factor latent expected"); return }
        #expect(latent.threshold[0] == Normal.quantile(0.04))
        guard case .piecewise = plan.outcome else { Issue.record("piecewise outcome expected"); return }
    }

    /// One issuer with notes maturing at 0.5 … 7 years (notionals 2^b decode which windows
    /// contained τ): the simulated P(τ ≤ T) against the curve.
    @Test func simulatedDefaultTimesFollowTheCurve() throws {
        let windows = [0.5, 1, 2, 3, 4, 5, 7]
        let bonds = windows.enumerated().map { Bond(id: "b\($0.offset)", issuer: 0, notional: pow(2, Double($0.offset)), maturity: $0.element, lgd: 1) }
        let p = try Portfolio(entities: [Entity(id: "c", pd: 0.01, loadings: [0.3], pdCurve: Self.curve)], bonds: bonds,
                              dependence: .factors(FactorModel(factorIDs: ["f"])), horizon: 7)
        let n = 100_000
        let out = Engine(portfolio: p).run(SimulationSettings(paths: n, seed: 17, threads: 2))
        for (b, t) in windows.enumerated() {
            let hits = out.gross.filter { (Int($0) >> b) & 1 == 1 }.count
            let q = Self.reference(t), mc = Double(hits) / Double(n)
            #expect(abs(mc - q) < 4 * (q * (1 - q) / Double(n)).squareRoot(), "P(τ ≤ \(t)): \(mc) vs \(q)")
        }
    }
}
