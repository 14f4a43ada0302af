import CreditMath
import CreditModel
import Foundation

/// The exponential twist of independent default indicators (Glasserman & Li 2005, §3): for
/// conditional default probabilities p_e and losses c_e, q_e(θ) = p_e e^{θc_e}/(1 + p_e(e^{θc_e} − 1))
/// and ψ(θ) = Σ log(1 + p_e(e^{θc_e} − 1)), with θ ≥ 0 solving Σ c_e q_e(θ) = x.
enum ExponentialTwist {
    /// θ with Σ c q(θ) = x (Newton on a bracket), and ψ(θ); θ = 0 when Σ c p ≥ x or x is unreachable.
    static func solve(p: UnsafeBufferPointer<Double>, c: UnsafeBufferPointer<Double>, target x: Double) -> (theta: Double, psi: Double) {
        let count = p.count
        var mean = 0.0, maxCost = 0.0
        for i in 0..<count {
            mean += c[i] * p[i]
            maxCost = max(maxCost, c[i])
        }
        guard mean < x, maxCost > 0 else { return (0, 0) }
        var total = 0.0
        for i in 0..<count { total += c[i] }
        if total <= x { return (0, 0) }  // x unreachable: no useful twist
        func g(_ theta: Double) -> (value: Double, derivative: Double) {
            var v = -x, d = 0.0
            for i in 0..<count where c[i] > 0 {
                let e = exp(min(theta * c[i], 700))
                let q = p[i] * e / (1 + p[i] * (e - 1))
                v += c[i] * q
                d += c[i] * c[i] * q * (1 - q)
            }
            return (v, d)
        }
        // Bracket: g(0) < 0 (mean < x); g grows to Σc − x > 0, so doubling finds hi.
        var lo = 0.0, hi = 1.0
        while g(hi).value < 0 && hi < 1e6 { lo = hi; hi *= 2 }
        let solved = RootFinder.newton(lower: lo, upper: hi, tolerance: 1e-10 * x, relativeWidth: 1e-14) { g($0) }
        // The bracket is valid by construction unless even θ = 10⁶ cannot reach x (costs tiny
        // against x): then no useful twist exists, and the path is drawn untwisted.
        guard solved.converged else { return (0, 0) }
        let theta = solved.root
        var psi = 0.0
        for i in 0..<count where c[i] > 0 { psi += log1p(p[i] * expm1(min(theta * c[i], 700))) }
        return (theta, psi)
    }
}
