import RealModule

/// Regularised incomplete gamma and beta functions, by the series and Lentz continued fractions
/// of Press et al., *Numerical Recipes* (3rd ed., 2007), §6.2 and §6.4.
public enum Incomplete {
    /// P(a, x) = γ(a, x)/Γ(a), the CDF of a Gamma(a, 1) variable at x.
    public static func gammaP(_ a: Double, _ x: Double) -> Double {
        precondition(a > 0)
        if x <= 0 { return 0 }
        if x.isInfinite { return 1 }
        let logPrefix = a * Double.log(x) - x - Double.logGamma(a)
        if x < a + 1 {
            // Series: γ(a,x) e^x x^-a = Σ x^n / (a (a+1) … (a+n)).
            var term = 1 / a
            var sum = term
            var ap = a
            for _ in 0..<10_000 {
                ap += 1
                term *= x / ap
                sum += term
                if abs(term) < abs(sum) * 1e-17 { break }
            }
            return min(1, sum * Double.exp(logPrefix))
        }
        // Continued fraction for Q(a, x) (modified Lentz).
        let tiny = 1e-300
        var b = x + 1 - a
        var c = 1 / tiny
        var d = 1 / b
        var h = d
        for i in 1..<10_000 {
            let an = -Double(i) * (Double(i) - a)
            b += 2
            d = an * d + b
            if abs(d) < tiny { d = tiny }
            c = b + an / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-16 { break }
        }
        return max(0, 1 - Double.exp(logPrefix) * h)
    }

    /// x with P(a, x) = p, by ``RootFinder`` (Newton safeguarded by bisection) on a bracket found by
    /// doubling, from the Wilson–Hilferty start x ≈ a (1 − 1/(9a) + z/(3√a))³, z = Φ⁻¹(p)
    /// (Wilson & Hilferty 1931, PNAS 17, 684–688). The derivative is the Gamma(a, 1) density
    /// x^{a−1} e^{−x}/Γ(a). Stops when |P(a, x) − p| ≤ 1e-15·p or the bracket is 1e-15 wide relative
    /// to x. The solve converges for every valid a and p (the bracket is finite); NaN arguments
    /// give NaN.
    public static func gammaPInverse(_ a: Double, _ p: Double) -> Double {
        precondition(a > 0 && p > 0 && p < 1)
        // Bracket [lo, hi] with P(a, lo) ≤ p ≤ P(a, hi).
        var lo = 0.0
        var hi = max(1.0, a)
        while gammaP(a, hi) < p { lo = hi; hi *= 2 }
        let z = Normal.quantile(p)
        let t = 1 - 1 / (9 * a) + z / (3 * a.squareRoot())
        let logGammaA = Double.logGamma(a)
        let result = RootFinder.newton(lower: lo, upper: hi, start: a * t * t * t,
                                       tolerance: 1e-15 * p, relativeWidth: 1e-15) { x in
            (gammaP(a, x) - p, Double.exp((a - 1) * Double.log(x) - x - logGammaA))
        }
        return result.root
    }

    /// I_x(a, b), the regularised incomplete beta function.
    public static func betaI(_ a: Double, _ b: Double, _ x: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let logFront = Double.logGamma(a + b) - Double.logGamma(a) - Double.logGamma(b)
            + a * Double.log(x) + b * Double.log(onePlus: -x)
        if x < (a + 1) / (a + b + 2) {
            return Double.exp(logFront) * betaContinuedFraction(a, b, x) / a
        }
        return 1 - Double.exp(logFront) * betaContinuedFraction(b, a, 1 - x) / b
    }

    /// x with I_x(a, b) = p, by ``RootFinder`` (Newton safeguarded by bisection) on [0, 1] from the
    /// mean a/(a + b), with the Beta(a, b) density x^{a−1}(1 − x)^{b−1}/B(a, b) as derivative. Runs
    /// to an exact hit or neighbouring doubles (returning the end nearer p), which the solve always
    /// reaches on [0, 1]; NaN arguments give NaN. Called once per stochastic-LGD draw.
    public static func betaInverse(_ a: Double, _ b: Double, _ p: Double) -> Double {
        if p <= 0 { return 0 }
        if p >= 1 { return 1 }
        let logB = Double.logGamma(a) + Double.logGamma(b) - Double.logGamma(a + b)
        let result = RootFinder.newton(lower: 0, upper: 1, start: a / (a + b)) { x in
            (betaI(a, b, x) - p, Double.exp((a - 1) * Double.log(x) + (b - 1) * Double.log(onePlus: -x) - logB))
        }
        return result.root
    }

    static func betaContinuedFraction(_ a: Double, _ b: Double, _ x: Double) -> Double {
        let tiny = 1e-300
        let qab = a + b, qap = a + 1, qam = a - 1
        var c = 1.0
        var d = 1 - qab * x / qap
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var h = d
        for m in 1..<10_000 {
            let m = Double(m), m2 = 2 * m
            var aa = m * (b - m) * x / ((qam + m2) * (a + m2))
            d = 1 + aa * d
            if abs(d) < tiny { d = tiny }
            c = 1 + aa / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            h *= d * c
            aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
            d = 1 + aa * d
            if abs(d) < tiny { d = tiny }
            c = 1 + aa / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-16 { break }
        }
        return h
    }
}
