import RealModule

/// Student's t distribution with ν > 0 degrees of freedom.
public struct StudentT: Sendable {
    public let nu: Double

    public init(degreesOfFreedom nu: Double) {
        precondition(nu > 0)
        self.nu = nu
    }

    /// T_ν(x) = 1 − ½ I_{ν/(ν+x²)}(ν/2, ½) for x ≥ 0, by symmetry below zero.
    public func cdf(_ x: Double) -> Double {
        if x.isNaN { return .nan }
        if x.isInfinite { return x > 0 ? 1 : 0 }
        let tail = 0.5 * Incomplete.betaI(0.5 * nu, 0.5, nu / (nu + x * x))
        return x < 0 ? tail : 1 - tail
    }

    /// T_ν⁻¹(p) by ``RootFinder`` (Newton safeguarded by bisection) on `cdf`, with the density
    /// t_ν(x) = Γ((ν+1)/2) / (Γ(ν/2) √(νπ)) · (1 + x²/ν)^{−(ν+1)/2} as derivative, on a bracket
    /// [lo, hi] ⊂ (−∞, 0] found by doubling. Stops when |T_ν(x) − p| ≤ 1e-15·p or the bracket is
    /// 1e-15 wide relative to x. The solve converges for every p (the bracket is finite); NaN
    /// gives NaN.
    public func quantile(_ p: Double) -> Double {
        if p <= 0 { return -.infinity }
        if p >= 1 { return .infinity }
        if p == 0.5 { return 0 }
        if p > 0.5 { return -quantile(1 - p) }
        // p < ½: the root is negative. Bracket it.
        var hi = 0.0
        var lo = -1.0
        while cdf(lo) > p { hi = lo; lo *= 2 }
        let nu = self.nu
        let logC = Double.logGamma(0.5 * (nu + 1)) - Double.logGamma(0.5 * nu) - 0.5 * Double.log(nu * Double.pi)
        let result = RootFinder.newton(lower: lo, upper: hi, tolerance: 1e-15 * p, relativeWidth: 1e-15) { x in
            (cdf(x) - p, Double.exp(logC - 0.5 * (nu + 1) * Double.log(onePlus: x * x / nu)))
        }
        return result.root
    }
}
