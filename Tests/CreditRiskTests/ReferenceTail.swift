import CreditRisk
import Foundation

/// Exact answers for the error-bar, contribution and stress tests, computed independently of the
/// engine (only Φ, Φ⁻¹ and φ are shared). Losses live on the integers 0, 1, 2, …
enum ReferenceTail {
    /// P(L = k) for names in the one-factor Gaussian model X_i = a_i Z + √(1 − a_i²) ε_i with
    /// integer exposures: ∫ conv_i(p_i(z)) φ(z) dz, p_i(z) = Φ((Φ⁻¹(pd_i) − a_i z)/√(1 − a_i²)),
    /// by composite Simpson on [−9, 9] (the integrand is smooth in z; 240 intervals, h = 0.075,
    /// agree with 600 to 1e-14 for the pools used here).
    static func oneFactorConvolution(pds: [Double], exposures: [Int], loadings: [Double],
                                     intervals: Int = 240) -> [Double] {
        let thresholds = pds.map { Normal.quantile($0) }
        let total = exposures.reduce(0, +)
        var mass = [Double](repeating: 0, count: total + 1)
        let a = -9.0, b = 9.0, h = (b - a) / Double(intervals)
        for i in 0...intervals {
            let z = a + Double(i) * h
            let simpson = (i == 0 || i == intervals) ? 1.0 : (i % 2 == 1 ? 4.0 : 2.0)
            let weight = simpson * h / 3 * Normal.pdf(z)
            let p = zip(thresholds, loadings).map { c, l in Normal.cdf((c - l * z) / (1 - l * l).squareRoot()) }
            let conditional = Reference.convolution(probabilities: p, exposures: exposures)
            for (k, m) in conditional.enumerated() { mass[k] += weight * m }
        }
        return mass
    }

    /// P(Binomial(n, p) ≤ k), summing the pmf in logs (exact enough for n of a few thousand).
    static func binomialCDF(_ k: Int, _ n: Int, _ p: Double) -> Double {
        if k < 0 { return 0 }
        if k >= n { return 1 }
        var s = 0.0
        for j in 0...k { s += Reference.binomial(j, n, p) }
        return min(s, 1)
    }

    /// Exact coverage of the distribution-free order-statistic interval [X_(r), X_(s)] for VaR_q
    /// from n i.i.d. draws of the discrete law `mass`, with the textbook ranks (1-based)
    /// r = ⌊nq − 1.96√(nq(1−q))⌋ and s = ⌈nq + 1.96√(nq(1−q))⌉.
    /// The interval misses v = VaR_q exactly when X_(r) > v, i.e. #{X ≤ v} ≤ r − 1, or when
    /// X_(s) < v, i.e. #{X < v} ≥ s; the two events are disjoint (r < s), and the counts are
    /// Binomial(n, F(v)) and Binomial(n, F(v−)).
    static func orderStatisticCoverage(mass: [Double], level q: Double, paths n: Int) -> Double {
        let v = Reference.valueAtRiskAndES(mass, level: q).valueAtRisk
        let below = mass[0..<v].reduce(0, +), atOrBelow = below + mass[v]
        let nd = Double(n), half = 1.959_963_984_540_054 * (nd * q * (1 - q)).squareRoot()
        let r = Int((nd * q - half).rounded(.down)), s = Int((nd * q + half).rounded(.up))
        let missLow = binomialCDF(r - 1, n, atOrBelow)
        let missHigh = 1 - binomialCDF(s - 1, n, below)
        return 1 - missLow - missHigh
    }

    /// Mean, sample standard deviation (n − 1) and root mean square of a list.
    static func moments(_ x: [Double]) -> (mean: Double, sd: Double, rms: Double) {
        let n = Double(x.count)
        let mean = x.reduce(0, +) / n
        let ss = x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        let rms = (x.reduce(0) { $0 + $1 * $1 } / n).squareRoot()
        return (mean, (ss / max(n - 1, 1)).squareRoot(), rms)
    }
}
