import Foundation

/// The standard bivariate normal distribution function Φ₂(h, k; ρ) = P(X ≤ h, Y ≤ k) for standard
/// normal X, Y with correlation ρ: the joint default probability of two names of a Gaussian
/// copula, Φ₂(Φ⁻¹(p₁), Φ⁻¹(p₂); ρ).
///
/// **Method.** Plackett's identity ∂Φ₂/∂ρ = φ₂ (the bivariate density), with ρ = sin θ as in
/// Sheppard's formula and Drezner & Wesolowsky (1990, J. Statist. Comput. Simul. 35, 101–107),
/// gives, for the angle θ of any known anchor,
///
///     Φ₂(h, k; sin θ₁) = Φ₂(h, k; sin θ₀) + (1/2π) ∫_{θ₀}^{θ₁} exp(−(h² − 2hk sin θ + k²) / (2 cos² θ)) dθ.
///
/// The anchor is θ₀ = 0 (Φ₂ = Φ(h)Φ(k)) for ρ > 0 and θ₀ = −π/2 (ρ = −1: Φ₂ = max(0, Φ(h) − Φ(−k)))
/// for ρ < 0, so that both terms are non-negative and nothing cancels: the result keeps its
/// relative accuracy far into the tails (joint PDs of 10⁻²⁰ and below), where the Owen's T
/// decomposition loses it. Genz (2004, Statistics and Computing 14, 251–260) evaluates the
/// same θ-integral with fixed 6-, 12- and 20-point Gauss–Legendre rules and switches to an
/// asymptotic expansion for |ρ| > 0.925; here one adaptive Gauss–Legendre rule covers every ρ,
/// including ρ → ±1, where the integrand stays smooth but steepens. The exponent is evaluated in the forms
/// (h − k)²/cos²θ + 2hk/(1 + sin θ) (θ ≥ 0) and (h + k)²/cos²θ − 2hk/(1 − sin θ) (θ < 0), which
/// stay accurate as cos θ → 0.
public enum BivariateNormal {
    /// Φ₂(h, k; ρ). NaN for a NaN argument or |ρ| > 1; h or k may be ±∞.
    public static func cdf(_ x: Double, _ y: Double, correlation rho: Double) -> Double {
        guard !x.isNaN, !y.isNaN, !rho.isNaN, abs(rho) <= 1 else { return .nan }
        // Ordered, so that Φ₂(h, k; ρ) and Φ₂(k, h; ρ) are the same bits.
        let h = min(x, y), k = max(x, y)
        if h == -.infinity || k == -.infinity { return 0 }
        if h == .infinity { return Normal.cdf(k) }
        if k == .infinity { return Normal.cdf(h) }
        if rho == 0 { return Normal.cdf(h) * Normal.cdf(k) }
        if rho == 1 { return Normal.cdf(min(h, k)) }
        if rho == -1 { return max(0, Normal.cdf(h) - Normal.cdf(-k)) }
        let theta1 = Foundation.asin(rho)
        let (anchor, theta0) = rho > 0
            ? (Normal.cdf(h) * Normal.cdf(k), 0.0)
            : (max(0, Normal.cdf(h) - Normal.cdf(-k)), -Double.pi / 2)
        let hk = h * k, sum = h + k, difference = h - k
        let integrand = { (theta: Double) -> Double in
            let s = Foundation.sin(theta), c = Foundation.cos(theta)
            let c2 = c * c
            guard c2 > 0 else { return 0 }
            let q = theta >= 0 ? difference * difference / c2 + 2 * hk / (1 + s)
                               : sum * sum / c2 - 2 * hk / (1 - s)
            return Foundation.exp(-q / 2)
        }
        let integral = AdaptiveGaussLegendre.integrate(integrand, from: theta0, to: theta1)
        return min(1, anchor + integral / (2 * Double.pi))
    }
}

/// ∫_a^b f by a 10-point Gauss–Legendre rule, each panel bisected until it and its two halves
/// agree to 10⁻¹² relative, or to 10⁻¹⁶ of the whole integral (a first estimate on 8 panels), or
/// 24 levels deep. For smooth non-negative integrands. Gauss–Legendre converges so fast that the
/// halves accepted this way are far more accurate than their 10⁻¹² agreement; a tighter relative
/// test would chase the rounding of exp(−q/2) (relative error about q·ε) in panels whose
/// integrand is 10⁻²⁹⁰ and irrelevant.
enum AdaptiveGaussLegendre {
    static let order = 10
    /// Nodes and weights on [−1, 1]: the roots of the Legendre polynomial P_n by Newton's method
    /// from the Tricomi starting points cos(π(i − ¼)/(n + ½)), w_i = 2/((1 − x²) P_n′(x)²).
    static let rule: (nodes: [Double], weights: [Double]) = {
        let n = order
        var nodes: [Double] = [], weights: [Double] = []
        for i in 1...n {
            var x = Foundation.cos(Double.pi * (Double(i) - 0.25) / (Double(n) + 0.5))
            var derivative = 0.0
            for _ in 0..<100 {
                // P_n(x) and P_n′(x) by the three-term recurrence.
                var p0 = 1.0, p1 = x
                for j in 2...n {
                    let p2 = ((2 * Double(j) - 1) * x * p1 - (Double(j) - 1) * p0) / Double(j)
                    p0 = p1
                    p1 = p2
                }
                derivative = Double(n) * (x * p1 - p0) / (x * x - 1)
                let step = p1 / derivative
                x -= step
                if abs(step) < 1e-16 { break }
            }
            nodes.append(x)
            weights.append(2 / ((1 - x * x) * derivative * derivative))
        }
        return (nodes, weights)
    }()

    static func integrate(_ f: (Double) -> Double, from a: Double, to b: Double) -> Double {
        if a == b { return 0 }
        if a > b { return -integrate(f, from: b, to: a) }
        var scale = 0.0
        for i in 0..<8 { scale += panel(f, a + (b - a) * Double(i) / 8, a + (b - a) * Double(i + 1) / 8) }
        return refine(f, a, b, whole: panel(f, a, b), floor: 1e-16 * abs(scale), depth: 0)
    }

    static func panel(_ f: (Double) -> Double, _ a: Double, _ b: Double) -> Double {
        let mid = (a + b) / 2, half = (b - a) / 2
        var s = 0.0
        for (x, w) in zip(rule.nodes, rule.weights) { s += w * f(mid + half * x) }
        return s * half
    }

    static func refine(_ f: (Double) -> Double, _ a: Double, _ b: Double, whole: Double, floor: Double, depth: Int) -> Double {
        let m = (a + b) / 2
        let left = panel(f, a, m), right = panel(f, m, b)
        let both = left + right
        let difference = abs(both - whole)
        if depth >= 24 || difference <= 1e-12 * abs(both) || difference <= floor { return both }
        return refine(f, a, m, whole: left, floor: floor, depth: depth + 1)
            + refine(f, m, b, whole: right, floor: floor, depth: depth + 1)
    }
}
