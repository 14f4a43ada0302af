import CreditRisk
import Foundation

/// Independent exact methods the Monte Carlo results are checked against. Nothing here shares
/// code with the engine's kernel beyond Φ and Φ⁻¹, which have their own tests.
enum Reference {
    /// ∫_a^b f by composite Simpson with `n` (even) intervals.
    static func integrate(_ a: Double, _ b: Double, intervals n: Int = 4000, _ f: (Double) -> Double) -> Double {
        let h = (b - a) / Double(n)
        var s = f(a) + f(b)
        for i in 1..<n { s += f(a + Double(i) * h) * (i % 2 == 1 ? 4 : 2) }
        return s * h / 3
    }

    /// Exact distribution of Σ exposure_i · 1{default_i} for independent names with integer
    /// exposures, by convolution (Andersen, Sidenius & Basu 2003 style recursion).
    static func convolution(probabilities p: [Double], exposures: [Int]) -> [Double] {
        var dist = [1.0]
        for (pi, e) in zip(p, exposures) {
            var next = [Double](repeating: 0, count: dist.count + e)
            for (k, v) in dist.enumerated() {
                next[k] += v * (1 - pi)
                next[k + e] += v * pi
            }
            dist = next
        }
        return dist
    }

    /// Binomial pmf, computed in logs.
    static func binomial(_ k: Int, _ n: Int, _ p: Double) -> Double {
        if p <= 0 { return k == 0 ? 1 : 0 }
        if p >= 1 { return k == n ? 1 : 0 }
        let lc = lgamma(Double(n + 1)) - lgamma(Double(k + 1)) - lgamma(Double(n - k + 1))
        return exp(lc + Double(k) * log(p) + Double(n - k) * log1p(-p))
    }

    /// P(L = k), k = 0…n, for n homogeneous names in the one-factor Gaussian model with
    /// correlation ρ: ∫ Binomial(k; n, p(z)) φ(z) dz with p(z) = Φ((Φ⁻¹(p) − √ρ z)/√(1 − ρ)).
    static func oneFactor(names n: Int, pd: Double, rho: Double) -> [Double] {
        let c = Normal.quantile(pd)
        return (0...n).map { k in
            integrate(-9, 9, intervals: 6000) { z in
                let pz = Normal.cdf((c - rho.squareRoot() * z) / (1 - rho).squareRoot())
                return binomial(k, n, pz) * Normal.pdf(z)
            }
        }
    }

    /// Vasicek (2002) large-pool quantile of the loss fraction: Φ((Φ⁻¹(p) + √ρ Φ⁻¹(q)) / √(1 − ρ)).
    static func vasicekQuantile(pd: Double, rho: Double, level q: Double) -> Double {
        Normal.cdf((Normal.quantile(pd) + rho.squareRoot() * Normal.quantile(q)) / (1 - rho).squareRoot())
    }

    /// P(τ_i ≤ T, τ_g ≤ τ_i) for two names with Gaussian copula correlation ρ and constant hazards:
    /// τ_g ≤ τ_i ⇔ U_g ≤ 1 − (1 − U_i)^{λ_g/λ_i}, integrated over X_i ≤ Φ⁻¹(P(τ_i ≤ T)).
    static func guarantorDiesFirst(pdIssuer pi: Double, pdGuarantor pg: Double, rho: Double, window t: Double) -> Double {
        let li = -log1p(-pi), lg = -log1p(-pg)
        let upper = Normal.quantile(-expm1(-li * t))
        return integrate(-12, upper, intervals: 20000) { x in
            let survivalI = Normal.cdf(-x)           // 1 − U_i
            let ug = -expm1((lg / li) * log(survivalI))
            let h = Normal.quantile(ug)
            return Normal.pdf(x) * Normal.cdf((h - rho * x) / (1 - rho * rho).squareRoot())
        }
    }

    /// VaR and Acerbi–Tasche ES at level q of an exact distribution on the losses 0, 1, 2, …
    /// (`mass[k]` = P(L = k)).
    static func valueAtRiskAndES(_ mass: [Double], level q: Double) -> (valueAtRisk: Int, es: Double) {
        var running = 0.0
        let v = mass.firstIndex { running += $0; return running >= q } ?? 0
        var above = 0.0, atOrBelow = 0.0
        for (k, m) in mass.enumerated() { if k > v { above += Double(k) * m } else { atOrBelow += m } }
        return (v, (above + Double(v) * (atOrBelow - q)) / (1 - q))
    }

    /// χ²_ν density.
    static func chiSquareDensity(_ w: Double, _ nu: Double) -> Double {
        guard w > 0 else { return 0 }
        return exp((nu / 2 - 1) * log(w) - w / 2 - (nu / 2) * log(2) - lgamma(nu / 2))
    }
}
