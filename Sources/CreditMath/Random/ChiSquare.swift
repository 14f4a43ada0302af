/// χ²_ν variates by inversion only, so every path consumes the same number of uniforms.
public enum ChiSquare {
    /// Integer ν up to this many use ν squared normals; others invert the gamma CDF.
    static let maxSumOfSquares = 64

    /// Uniforms consumed per variate.
    public static func drawsPerVariate(_ nu: Double) -> Int {
        usesSumOfSquares(nu) ? Int(nu) : 1
    }

    static func usesSumOfSquares(_ nu: Double) -> Bool {
        nu >= 1 && nu == nu.rounded() && nu <= Double(maxSumOfSquares)
    }

    /// A χ²_ν variate from `drawsPerVariate(nu)` uniforms: Σ Φ⁻¹(u_j)² for integer ν, else
    /// 2 P⁻¹(ν/2, u) (χ²_ν is Gamma(ν/2, scale 2)).
    public static func variate(_ nu: Double, uniforms: UnsafeBufferPointer<Double>) -> Double {
        precondition(uniforms.count == drawsPerVariate(nu))
        if !usesSumOfSquares(nu) {
            return 2 * Incomplete.gammaPInverse(0.5 * nu, uniforms[0])
        }
        var s = 0.0
        for u in uniforms {
            let z = Normal.quantile(u)
            s += z * z
        }
        return s
    }
}
