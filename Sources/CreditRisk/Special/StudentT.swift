#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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

    /// T_ν⁻¹(p) by bisection-safeguarded Newton on `cdf`.
    public func quantile(_ p: Double) -> Double {
        if p <= 0 { return -.infinity }
        if p >= 1 { return .infinity }
        if p == 0.5 { return 0 }
        if p > 0.5 { return -quantile(1 - p) }
        // p < ½: root is negative. Bracket it.
        var hi = 0.0
        var lo = -1.0
        while cdf(lo) > p { hi = lo; lo *= 2 }
        var x = 0.5 * (lo + hi)
        let logC = logGamma(0.5 * (nu + 1)) - logGamma(0.5 * nu) - 0.5 * log(nu * Double.pi)
        for _ in 0..<300 {
            let f = cdf(x) - p
            if f > 0 { hi = x } else { lo = x }
            if abs(f) <= 1e-15 * p || hi - lo <= 1e-15 * abs(lo) { break }
            let density = exp(logC - 0.5 * (nu + 1) * log1p(x * x / nu))
            var next = x - f / density
            if !(next > lo && next < hi) || !next.isFinite { next = 0.5 * (lo + hi) }
            x = next
        }
        return x
    }
}
