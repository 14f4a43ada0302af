import CreditRisk
import Foundation
import Testing

/// Paired stress-minus-base differences: their reported standard errors against the spread of
/// the differences over independent seeds, and their 95 % bands against the exact differences of
/// independent names (exact convolution), plain and importance-sampled.
@Suite struct PairedDifferenceTests {
    static let pds = (0..<16).map { 0.02 + 0.005 * Double($0 % 8) }
    static let exposures = (0..<16).map { 1 + ($0 * 7) % 5 }

    static func portfolio(_ pds: [Double]) throws -> Portfolio {
        let entities = pds.enumerated().map { Entity(id: "n\($0.offset)", sector: $0.offset < 8 ? "coal" : "tech", pd: $0.element, loadings: []) }
        let bonds = exposures.enumerated().map { Bond(id: "b\($0.offset)", issuer: $0.offset, notional: Double($0.element), maturity: 1, lgd: 1) }
        return try Portfolio(entities: entities, bonds: bonds, dependence: .factors(FactorModel(factorIDs: [])))
    }

    /// The level in [0.93, 0.98] farthest from every step of both distributions; at least two CDF
    /// standard errors away, so that VaR rarely moves between seeds (ES near a step is the
    /// minimum of two noisy branches, biased and not normal).
    static func smoothLevel(_ a: [Double], _ b: [Double], paths n: Int) -> Double {
        func steps(_ m: [Double]) -> [Double] { var c = 0.0; return m.map { c += $0; return c } }
        let all = steps(a) + steps(b)
        var best = 0.95, bestDistance = 0.0
        for i in 0...100 {
            let q = 0.93 + 0.0005 * Double(i)
            let d = all.map { abs($0 - q) }.min() ?? 0
            if d > bestDistance { best = q; bestDistance = d }
        }
        #expect(bestDistance > 2 * (best * (1 - best) / Double(n)).squareRoot(), "no smooth level: \(bestDistance)")
        return best
    }

    @Test(arguments: [false, true])
    func pairedErrorsMatchTheSpreadOverSeeds(importance: Bool) throws {
        var stressed = Self.pds
        for i in 0..<8 { stressed[i] *= 1.5 }
        let base = try Self.portfolio(Self.pds), stress = try Self.portfolio(stressed)
        let exactBase = Reference.convolution(probabilities: Self.pds, exposures: Self.exposures)
        let exactStress = Reference.convolution(probabilities: stressed, exposures: Self.exposures)
        let n = 4000
        let level = Self.smoothLevel(exactBase, exactStress, paths: n)
        let exactEL = zip(stressed, Self.exposures).reduce(0) { $0 + $1.0 * Double($1.1) }
            - zip(Self.pds, Self.exposures).reduce(0) { $0 + $1.0 * Double($1.1) }
        let exactES = Reference.valueAtRiskAndES(exactStress, level: level).es - Reference.valueAtRiskAndES(exactBase, level: level).es
        let shiftBase = importance ? ImportanceShift(mu: [], target: 14) : nil
        let shiftStress = importance ? ImportanceShift(mu: [], target: 16) : nil
        var el: [(Double, Double)] = [], es: [(Double, Double)] = [], unpaired: [Double] = []
        for seed in 1...200 {
            let settings = SimulationSettings(paths: n, seed: UInt64(seed), threads: 2)
            let a = Engine(portfolio: base).run(settings, importance: shiftBase)
            let b = Engine(portfolio: stress).run(settings, importance: shiftStress)
            let ra = RiskReport(output: a, portfolio: base, levels: [level]), rb = RiskReport(output: b, portfolio: stress, levels: [level])
            let c = try #require(PairedComparison(base: a, baseReport: ra, other: b, otherReport: rb))
            el.append((c.net.expectedLoss.difference, c.net.expectedLoss.standardError))
            es.append((c.net.quantiles[0].expectedShortfall.difference, c.net.quantiles[0].expectedShortfall.standardError))
            unpaired.append((pow(ra.net.expectedLossSE, 2) + pow(rb.net.expectedLossSE, 2)).squareRoot())
        }
        for (name, series, exact) in [("EL", el, exactEL), ("ES", es, exactES)] {
            let estimates = series.map(\.0), errors = series.map(\.1)
            let mean = estimates.reduce(0, +) / Double(series.count)
            let sd = (estimates.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(series.count - 1)).squareRoot()
            let rms = (errors.reduce(0) { $0 + $1 * $1 } / Double(series.count)).squareRoot()
            // R = 200: the SD estimate's relative error is ≈ 1/√400 = 5 %; the band is 3 of those.
            #expect(sd / rms > 0.85 && sd / rms < 1.15, "\(name): spread \(sd) vs reported \(rms)")
            let covered = series.filter { abs($0.0 - exact) <= RiskMeasures.z95 * $0.1 }.count
            let coverage = Double(covered) / Double(series.count)
            // ±3 binomial SEs around 95 %: √(0.95·0.05/200) ≈ 0.015.
            #expect(abs(coverage - 0.95) <= 0.046, "\(name): coverage \(coverage)")
            #expect(abs(mean - exact) <= 4 * sd / Double(series.count).squareRoot(), "\(name): bias \(mean) vs \(exact)")
        }
        // Pairing pays: the paired error of EL is well below the unpaired one.
        let pairedRMS = (el.map { $0.1 * $0.1 }.reduce(0, +) / 200).squareRoot()
        let unpairedRMS = (unpaired.map { $0 * $0 }.reduce(0, +) / 200).squareRoot()
        #expect(pairedRMS < 0.8 * unpairedRMS, "paired \(pairedRMS) vs unpaired \(unpairedRMS)")
    }

    @Test func differentSeedsAreNotPaired() throws {
        let p = try Self.portfolio(Self.pds)
        let a = Engine(portfolio: p).run(SimulationSettings(paths: 2048, seed: 1, threads: 1))
        let b = Engine(portfolio: p).run(SimulationSettings(paths: 2048, seed: 2, threads: 1))
        let r = RiskReport(output: a, portfolio: p, levels: [0.9])
        #expect(PairedComparison(base: a, baseReport: r, other: b, otherReport: RiskReport(output: b, portfolio: p, levels: [0.9])) == nil)
    }

    /// Issue 22: two VaRs on atoms (every path beyond 95 % loses 4 in A and 5 in B) have
    /// zero-width intervals, so the interval-derived paired error was 0 and the difference of 1
    /// was called significant. The error is undetermined there: nil, and no significance claim.
    /// A VaR off an atom keeps its error and its verdict.
    @Test func varOnAtomsHasNoErrorAndNoClaim() throws {
        let n = 2000
        let a = (0..<n).map { $0 % 10 == 0 ? 4.0 : 0 }, b = a.map { $0 == 4 ? 5.0 : 0 }
        let sa = RiskMeasures.summary(EmpiricalLoss(values: a), levels: [0.95])
        let sb = RiskMeasures.summary(EmpiricalLoss(values: b), levels: [0.95])
        #expect(sa.quantiles[0].valueAtRiskLower == 4 && sa.quantiles[0].valueAtRiskUpper == 4, "the case must sit on an atom")
        let atom = PairedComparison.loss(a, nil, sa, b, nil, sb).quantiles[0].valueAtRisk
        #expect(atom.difference == 1 && atom.standardError == nil && atom.isSignificant == nil)
        // Off the atoms: losses spread over many values, shifted by 3 on a tenth of the paths.
        let c = (0..<n).map { Double(($0 * 7919) % 1000) / 10 }, d = c.enumerated().map { $0.element + ($0.offset % 10 == 0 ? 3 : 0) }
        let sc = RiskMeasures.summary(EmpiricalLoss(values: c), levels: [0.95])
        let sd = RiskMeasures.summary(EmpiricalLoss(values: d), levels: [0.95])
        let smooth = PairedComparison.loss(c, nil, sc, d, nil, sd).quantiles[0].valueAtRisk
        let se = try #require(smooth.standardError)
        #expect(se > 0 && smooth.isSignificant != nil)
    }

    /// A run against itself (a stress that changes nothing): every paired difference and every
    /// paired error is exactly zero, at every level, weighted or not.
    @Test func aRunMinusItselfIsExactlyZero() {
        let n = 5000
        var a = [Double](repeating: 0, count: n), w = [Double](repeating: 1, count: n)
        for i in 0..<n {
            if i % 7 == 0 { a[i] = Double((i * 7919) % 1013) / 7 + 0.1 }
            w[i] = 0.5 + Double((i * 31) % 17) / 16
        }
        for weights in [nil, w] as [[Double]?] {
            let loss = weights.map { EmpiricalLoss(values: a, weights: $0) } ?? EmpiricalLoss(values: a)
            let s = RiskMeasures.summary(loss, levels: [0.9, 0.95, 0.99, 0.999])
            let d = PairedComparison.loss(a, weights, s, a, weights, s)
            #expect(d.expectedLoss.difference == 0 && d.expectedLoss.standardError == 0)
            for q in d.quantiles {
                let es = q.expectedShortfall, v = q.valueAtRisk
                #expect(es.difference == 0 && es.standardError == 0)
                #expect(v.difference == 0 && (v.standardError ?? 0) == 0)
            }
        }
    }
}
