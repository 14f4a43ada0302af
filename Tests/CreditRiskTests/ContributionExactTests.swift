import CreditRisk
import Foundation
import Testing

/// Per-bond EL and ES contributions against exact values for independent names with integer
/// exposures (L = Σ c_i D_i, no enhancements):
///   EL_i = c_i p_i,
///   ES_i = E[c_i D_i · w(L)], w(L) = (1{L > v} + β·1{L = v})/(1 − q), β = (P(L ≤ v) − q)/P(L = v),
///        = c_i p_i [P(L₋ᵢ > v − c_i) + β·P(L₋ᵢ = v − c_i)]/(1 − q),
/// where L₋ᵢ is the loss of the other names (given D_i = 1, L = c_i + L₋ᵢ).
///
/// Each bond is checked against its OWN standard error, estimated by batches: the run is split
/// into B = 20 independent seeds and the SE of the mean contribution is SD(batch values)/√B.
/// Tolerance 4 SE: with a SE estimated from 19 degrees of freedom, P(|t₁₉| > 4) ≈ 8e-4 per
/// comparison, ≈ 3 % over the 36 comparisons below (seeds are fixed, so the outcome is too).
/// PDs and exposures differ from bond to bond so that booking a contribution to another bond
/// moves it by many of these SEs.
@Suite struct ContributionExactTests {
    static let pds = [0.03, 0.08, 0.05, 0.11, 0.02, 0.07, 0.04, 0.10, 0.06, 0.09, 0.035, 0.12]
    static let exposures = [3, 1, 5, 2, 6, 4, 2, 3, 1, 5, 4, 6]
    /// Both levels sit between CDF steps, more than 5 standard errors √(q(1−q)/n) of the
    /// empirical CDF of one batch (n = 20 000) away from each: F(7) = 0.9047, F(8) = 0.9300
    /// around 0.92 (VaR 8) and F(10) = 0.9667, F(11) = 0.9821 around 0.975 (VaR 11). Every batch
    /// then finds the exact VaR (asserted), so the per-batch contributions estimate the same
    /// quantity; the tail weight β of the atom at VaR is 0.39 and 0.46, so the atom split is
    /// exercised.
    static let levels = [0.92, 0.975]
    static let batches = 20
    static let pathsPerBatch = 20_000

    static func portfolio() throws -> Portfolio {
        let entities = pds.enumerated().map { Entity(id: "n\($0.offset)", pd: $0.element, loadings: []) }
        // Notional 2c with LGD 0.5: loss c on default.
        let bonds = exposures.enumerated().map {
            Bond(id: "b\($0.offset)", issuer: $0.offset, notional: 2 * Double($0.element), maturity: 1, lgd: 0.5)
        }
        return try Portfolio(entities: entities, bonds: bonds, dependence: .factors(FactorModel(factorIDs: [])))
    }

    /// Exact VaR and per-bond ES contributions at level q.
    static func exactContributions(level q: Double) -> (valueAtRisk: Int, es: Double, perBond: [Double]) {
        let mass = Reference.convolution(probabilities: pds, exposures: exposures)
        let (v, es) = Reference.valueAtRiskAndES(mass, level: q)
        let beta = (mass[0...v].reduce(0, +) - q) / mass[v]
        let perBond = pds.indices.map { i -> Double in
            var others = pds, sizes = exposures
            others.remove(at: i)
            sizes.remove(at: i)
            let rest = Reference.convolution(probabilities: others, exposures: sizes)
            let k = v - exposures[i]   // L = v ⇔ L₋ᵢ = v − c_i when D_i = 1
            let above = k < 0 ? 1 : rest.indices.filter { $0 > k }.reduce(0) { $0 + rest[$1] }
            let at = k >= 0 && k < rest.count ? rest[k] : 0
            return Double(exposures[i]) * pds[i] * (above + beta * at) / (1 - q)
        }
        return (v, es, perBond)
    }

    @Test func perBondContributionsMatchExactValues() throws {
        let p = try Self.portfolio()
        let engine = Engine(portfolio: p)
        let n = p.bonds.count
        // el[b][bond], es[level][b][bond]
        var el: [[Double]] = [], es = [[[Double]]](repeating: [], count: Self.levels.count)
        var batchVaR: [[Double]] = []
        for batch in 1...Self.batches {
            let settings = SimulationSettings(paths: Self.pathsPerBatch, seed: UInt64(1000 + batch), threads: 2)
            let first = engine.run(settings)
            let report = RiskReport(output: first, portfolio: p, levels: Self.levels)
            batchVaR.append(report.net.quantiles.map(\.valueAtRisk))
            let request = ContributionRequest(net: report.netDistribution, levels: Self.levels)
            let sums = try #require(engine.run(settings, contributions: request).contributionSums)
            let rows = Contributions(sums: sums, request: request, portfolio: p).rows.filter { $0.kind == "bond" }
            try #require(rows.map(\.id) == p.bonds.map(\.id))
            el.append(rows.map(\.expectedLoss))
            for k in Self.levels.indices { es[k].append(rows.map { $0.expectedShortfall[k] }) }
        }

        func meanAndSE(_ values: [[Double]], bond: Int) -> (Double, Double) {
            let m = ReferenceTail.moments(values.map { $0[bond] })
            return (m.mean, m.sd / Double(values.count).squareRoot())
        }
        for b in 0..<n {
            let exact = Double(Self.exposures[b]) * Self.pds[b]
            let (mean, se) = meanAndSE(el, bond: b)
            #expect(se > 0 && abs(mean - exact) < 4 * se, "EL contribution of b\(b): \(mean) ± \(se) vs exact \(exact)")
        }
        for (k, q) in Self.levels.enumerated() {
            let exact = Self.exactContributions(level: q)
            #expect(batchVaR.allSatisfy { $0[k] == Double(exact.valueAtRisk) }, "VaR \(q) not stable across batches: \(batchVaR.map { $0[k] })")
            // The reference's contributions add up to the exact ES (a check of the formula itself).
            #expect(abs(exact.perBond.reduce(0, +) - exact.es) < 1e-10 * exact.es)
            for b in 0..<n {
                let (mean, se) = meanAndSE(es[k], bond: b)
                #expect(se > 0 && abs(mean - exact.perBond[b]) < 4 * se,
                        "ES\(q) contribution of b\(b): \(mean) ± \(se) vs exact \(exact.perBond[b])")
            }
        }
    }
}
