import CreditRisk
import Foundation
import Testing

/// CreditRisk+ against independent methods.
///
/// The published Appendix B results (mean, SD, percentiles of examples 1A, 1B, 2, 3 of CSFB's
/// *CreditRisk+: A Credit Risk Management Framework*, 1997) could not be found in the stored
/// sources, so the check is against an independent exact method instead: the CSFB example
/// portfolio of 25 obligors — exposures, rating default rates and their standard deviations, and
/// the three sectors, as distributed with the R package crp.CSFP (Jakob & Fischer, data files
/// `portfolio.csv` and `rating_pd.csv`, "the example portfolio from the Credit Suisse First Boston
/// for CreditRisk+") — evaluated by direct numerical integration over each sector's gamma factor
/// of the conditional compound-Poisson distributions, then convolved across sectors.
@Suite struct CreditRiskPlusTests {
    /// (exposure, rating, sector 1…3) of the 25 obligors.
    static let csfb: [(Double, Int, Int)] = [
        (358_475, 8, 1), (1_089_819, 8, 2), (1_799_710, 6, 2), (1_933_116, 7, 1), (2_317_327, 7, 3),
        (2_410_929, 7, 3), (2_652_184, 8, 1), (2_957_685, 7, 2), (3_137_989, 4, 3), (3_204_044, 4, 3),
        (4_727_724, 1, 1), (4_830_517, 4, 3), (4_912_097, 4, 3), (4_928_989, 8, 2), (5_042_312, 6, 3),
        (5_320_364, 5, 3), (5_435_457, 4, 1), (5_517_586, 3, 1), (5_764_596, 5, 1), (5_847_845, 3, 1),
        (6_466_533, 8, 1), (6_480_322, 8, 3), (7_727_651, 2, 2), (15_410_906, 6, 3), (20_238_895, 5, 1),
    ]
    /// Rating → (mean default rate, its standard deviation).
    static let ratings: [Int: (Double, Double)] = [
        1: (0.015, 0.0075), 2: (0.016, 0.008), 3: (0.03, 0.015), 4: (0.05, 0.025),
        5: (0.075, 0.0375), 6: (0.1, 0.05), 7: (0.15, 0.075), 8: (0.3, 0.15),
    ]

    enum Layout: String, CaseIterable { case oneSector, threeSectors, poisson, halfSpecific }

    static func obligors(_ layout: Layout) -> ([CreditRiskPlus.Obligor], Int) {
        let k = layout == .threeSectors || layout == .halfSpecific ? 3 : 1
        let list = csfb.enumerated().map { i, row -> CreditRiskPlus.Obligor in
            let (pd, sd) = ratings[row.1]!
            var w = [Double](repeating: 0, count: k)
            switch layout {
            case .oneSector: w[0] = 1
            case .threeSectors: w[row.2 - 1] = 1
            case .poisson: break
            case .halfSpecific: w[row.2 - 1] = 0.5
            }
            return CreditRiskPlus.Obligor(id: "o\(i + 1)", exposure: row.0, expectedDefaults: pd,
                                          defaultRateSD: layout == .poisson ? 0 : sd, sectorWeights: w)
        }
        return (list, k)
    }

    /// Compound Poisson pmf on 0…n with intensity `rate[ν]` at band ν (Panjer, all terms ≥ 0).
    static func compoundPoisson(_ rate: [Int: Double], count n: Int) -> [Double] {
        var p = [Double](repeating: 0, count: n + 1)
        p[0] = Foundation.exp(-rate.values.reduce(0, +))
        guard n > 0 else { return p }
        for m in 1...n {
            var s = 0.0
            for (nu, l) in rate where nu <= m { s += Double(nu) * l * p[m - nu] }
            p[m] = s / Double(m)
        }
        return p
    }

    static func convolve(_ a: [Double], _ b: [Double], count n: Int) -> [Double] {
        var c = [Double](repeating: 0, count: n + 1)
        for i in 0...n where i < a.count {
            for j in 0...(n - i) where j < b.count { c[i + j] += a[i] * b[j] }
        }
        return c
    }

    /// The independent reference: per sector, ∫ CP(γ·λ) f_Γ(γ) dγ by composite Simpson on
    /// [0, 40·v + 12] (gamma of mean 1 and variance v), convolved with the specific part.
    static func reference(_ model: CreditRiskPlus, count n: Int) -> [Double] {
        var specific: [Int: Double] = [:]
        for i in model.obligors.indices {
            let w0 = model.obligors[i].specificWeight
            if w0 > 0 { specific[model.bands[i], default: 0] += w0 * model.bandedDefaults[i] }
        }
        var total = compoundPoisson(specific, count: n)
        for (k, sector) in model.sectors.enumerated() where sector.meanDefaults > 0 {
            var rate: [Int: Double] = [:]
            for i in model.obligors.indices where model.obligors[i].sectorWeights[k] > 0 {
                rate[model.bands[i], default: 0] += model.obligors[i].sectorWeights[k] * model.bandedDefaults[i]
            }
            let v = sector.relativeVariance
            let alpha = 1 / v
            let steps = 4000
            let top = 40 * v + 12
            let h = top / Double(steps)
            var mixed = [Double](repeating: 0, count: n + 1)
            for s in 1...steps {
                let g = Double(s) * h
                let weight = (s == steps ? 1.0 : (s % 2 == 1 ? 4.0 : 2.0)) * h / 3
                // Gamma(shape α, scale v) density, in logs.
                let logDensity = (alpha - 1) * Foundation.log(g) - g / v - alpha * Foundation.log(v) - Foundation.lgamma(alpha)
                let density = Foundation.exp(logDensity)
                guard density > 1e-300 else { continue }
                let p = compoundPoisson(rate.mapValues { $0 * g }, count: n)
                for m in 0...n { mixed[m] += weight * density * p[m] }
            }
            total = convolve(total, mixed, count: n)
        }
        return total
    }

    @Test(arguments: Layout.allCases)
    func csfbExamplePortfolioMatchesIntegration(layout: Layout) throws {
        let (obligors, k) = Self.obligors(layout)
        let model = try CreditRiskPlus(obligors: obligors, sectorCount: k)
        #expect(model.lossUnit == 202_389)  // ⌈20 238 895 / 100⌉
        let loss = try model.distribution()
        // Banding keeps every obligor's expected loss.
        let el = obligors.reduce(0) { $0 + $1.expectedDefaults * $1.exposure }
        #expect(abs(model.expectedLoss - el) < 1e-9 * el)
        // Tolerance 10⁻⁷ relative: the accuracy of the reference's Simpson quadrature, not of the recursion.
        let n = 140
        let exact = Self.reference(model, count: n)
        for m in 0...n {
            let p = m < loss.probabilities.count ? loss.probabilities[m] : 0
            #expect(abs(p - exact[m]) <= 1e-7 * max(exact[m], 1e-8), "\(layout) P(L = \(m) u): \(p) vs \(exact[m])")
        }
        // Lattice moments against the closed forms, and quantiles to the unit.
        let lattice = loss.probabilities.enumerated().reduce((0.0, 0.0)) { acc, e in
            let x = Double(e.offset) * model.lossUnit
            return (acc.0 + x * e.element, acc.1 + x * x * e.element)
        }
        #expect(abs(lattice.0 - model.expectedLoss) < 1e-8 * model.expectedLoss)
        #expect(abs((lattice.1 - lattice.0 * lattice.0).squareRoot() - model.standardDeviation) < 1e-7 * model.standardDeviation)
        var cdf = 0.0
        var exactQuantiles: [Double: Int] = [:]
        for (m, p) in exact.enumerated() {
            cdf += p
            for q in [0.5, 0.9, 0.95, 0.99, 0.995, 0.999] where exactQuantiles[q] == nil && cdf >= q { exactQuantiles[q] = m }
        }
        for (q, m) in exactQuantiles {
            #expect(loss.valueAtRisk(q) == Double(m) * model.lossUnit, "\(layout) VaR \(q)")
        }
        // CSFB's SD contributions add up to σ.
        let rc = model.contributions.reduce(0) { $0 + $1.standardDeviation }
        #expect(abs(rc - model.standardDeviation) < 1e-9 * model.standardDeviation)
    }

    /// Far tail and large portfolios: 10⁴ obligors in 3 sectors with specific risk, against a
    /// Monte Carlo of the Poisson–gamma model itself (gamma sector factors by Marsaglia–Tsang,
    /// Poisson default counts per exposure band by inversion; fixed seed), 4·10⁵ paths.
    /// P(L > VaR_q) at q = 99.9 % and 99.99 % must agree within 4 standard errors.
    @Test func tenThousandObligorsAgainstMonteCarlo() throws {
        let obligors = tenThousandCreditRiskPlusObligors()
        let model = try CreditRiskPlus(obligors: obligors, sectorCount: 3, lossUnit: 1)
        let loss = try model.distribution()
        // Intensities by band: specific part, and per sector.
        let maxBand = model.bands.max()!
        var specific = [Double](repeating: 0, count: maxBand + 1)
        var bySector = [[Double]](repeating: [Double](repeating: 0, count: maxBand + 1), count: 3)
        for i in obligors.indices {
            specific[model.bands[i]] += obligors[i].specificWeight * model.bandedDefaults[i]
            for k in 0..<3 { bySector[k][model.bands[i]] += obligors[i].sectorWeights[k] * model.bandedDefaults[i] }
        }
        var rng = Xoshiro256Plus(seed: 20_241_130, block: 0)
        func uniform() -> Double { rng.nextUniform() }
        func gamma(_ a: Double) -> Double {  // Marsaglia & Tsang (2000), a ≥ 1
            let d = a - 1.0 / 3, c = 1 / (9 * d).squareRoot()
            while true {
                let x = Normal.quantile(uniform())
                let v0 = 1 + c * x
                guard v0 > 0 else { continue }
                let v = v0 * v0 * v0
                if Foundation.log(uniform()) < 0.5 * x * x + d - d * v + d * Foundation.log(v) { return d * v }
            }
        }
        func poisson(_ l: Double) -> Int {
            var k = 0, p = Foundation.exp(-l), s = p
            let u = uniform()
            while u > s && k < 10_000 { k += 1; p *= l / Double(k); s += p }
            return k
        }
        let alphas = model.sectors.map { 1 / $0.relativeVariance }
        let paths = 400_000
        let x999 = loss.valueAtRisk(0.999), x9999 = loss.valueAtRisk(0.9999)
        var above999 = 0, above9999 = 0, sum = 0.0
        var rate = [Double](repeating: 0, count: maxBand + 1)
        for _ in 0..<paths {
            let g = alphas.map { gamma($0) / $0 }
            for nu in 1...maxBand { rate[nu] = specific[nu] + g[0] * bySector[0][nu] + g[1] * bySector[1][nu] + g[2] * bySector[2][nu] }
            var l = 0.0
            for nu in 1...maxBand where rate[nu] > 0 { l += Double(nu * poisson(rate[nu])) }
            sum += l
            if l > x999 { above999 += 1 }
            if l > x9999 { above9999 += 1 }
        }
        let n = Double(paths)
        for (x, count) in [(x999, above999), (x9999, above9999)] {
            let p = loss.exceedance(x)
            let se = (p * (1 - p) / n).squareRoot()
            #expect(abs(Double(count) / n - p) < 4 * se, "P(L > \(x)): MC \(Double(count) / n) vs CreditRisk+ \(p) ± \(se)")
        }
        #expect(abs(sum / n - model.expectedLoss) < 4 * model.standardDeviation / n.squareRoot())
        #expect(loss.tailMass < 1e-9)
    }

    /// The recursion stays finite and normalised when P(L = 0) underflows (≈ 2 000 expected
    /// defaults: e^{−2000} is below the smallest double).
    @Test func underflowingZeroProbability() throws {
        let obligors = (0..<20_000).map {
            CreditRiskPlus.Obligor(id: "o\($0)", exposure: Double(1 + $0 % 5), expectedDefaults: 0.1, defaultRateSD: 0.02, sectorWeights: [0.6])
        }
        let model = try CreditRiskPlus(obligors: obligors, sectorCount: 1, lossUnit: 1)
        let loss = try model.distribution()
        let total = loss.probabilities.reduce(0, +)
        #expect(abs(total - 1) < 1e-9)
        #expect(loss.probabilities.allSatisfy { $0.isFinite && $0 >= 0 })
        let mean = loss.probabilities.enumerated().reduce(0) { $0 + Double($1.offset) * $1.element }
        #expect(abs(mean - model.expectedLoss) < 1e-8 * model.expectedLoss)
    }

    @Test func rejectsBadSectorWeights() {
        #expect(throws: PortfolioError.self) {
            try CreditRiskPlus(obligors: [.init(id: "a", exposure: 1, expectedDefaults: 0.01, defaultRateSD: 0.01, sectorWeights: [0.7, 0.6])], sectorCount: 2)
        }
    }
}
