/// Full correlation: X = Cε with CCᵀ = R, the entities' latent correlation matrix. One product
/// per chunk gives every X_e; no idiosyncratic uniforms are drawn. With a Cholesky factor the
/// product is the triangular `dtrmm` (half the flops of `dgemm`).
import CreditMath
import CreditModel

struct CorrelatedLatent: LatentModel {
    let entityCount: Int
    var inputDimension: Int { entityCount }
    var drawsIdiosyncraticUniforms: Bool { false }
    /// C, n × n row-major; lower-triangular when `isLowerTriangular`.
    let factor: [Double]
    let isLowerTriangular: Bool
    /// c_e on the copula's scale; −∞ without bonds, +∞ for a forced default.
    let threshold: [Double]

    init(factor: CorrelationFactor, threshold: [Double]) {
        entityCount = factor.n
        self.factor = factor.values
        isLowerTriangular = factor.isCholesky
        self.threshold = threshold
    }

    func systematic(input: UnsafeMutablePointer<Double>, rows: Int, into sys: UnsafeMutablePointer<Double>) {
        let n = entityCount
        factor.withUnsafeBufferPointer { c in
            // Safe: n ≥ 1 (a portfolio has entities), so C is non-empty.
            if isLowerTriangular {
                MatrixProduct.multiplyLowerTransposed(input, c.baseAddress!, into: sys, m: rows, n: n)
            } else {
                MatrixProduct.multiplyTransposed(input, c.baseAddress!, into: sys, m: rows, n: n, k: n)
            }
        }
    }

    /// X_e ≤ c_e·s with a rounding margin; `defaultsByLongestWindow` or the default time decides.
    @inline(__always)
    func screen(sys: UnsafePointer<Double>, uniforms: UnsafePointer<Double>, scale s: Double,
                into out: UnsafeMutablePointer<Int>) -> Int {
        var found = 0
        threshold.withUnsafeBufferPointer { c in
            for e in 0..<entityCount {
                let bound = c[e] * s
                if sys[e] <= bound + abs(bound) * 1e-12 {
                    out[found] = e
                    found += 1
                }
            }
        }
        return found
    }

    /// Exact: X_e against the band's edges, the same comparisons `migrationState` makes.
    @inline(__always)
    func screenMovers(lower: UnsafePointer<Double>, upper: UnsafePointer<Double>, sys: UnsafePointer<Double>,
                      uniforms: UnsafePointer<Double>, scale s: Double, into out: UnsafeMutablePointer<Int>) -> Int {
        var found = 0
        for e in 0..<entityCount {
            let x = sys[e]
            if !(x > lower[e] * s && x <= upper[e] * s) {
                out[found] = e
                found += 1
            }
        }
        return found
    }

    @inline(__always)
    func defaultsByLongestWindow(_ e: Int, sys: UnsafePointer<Double>, uniforms: UnsafePointer<Double>,
                                 scale s: Double) -> Bool {
        sys[e] <= threshold[e] * s
    }

    @inline(__always)
    func latentValue(_ e: Int, sys: UnsafePointer<Double>, uniforms: UnsafePointer<Double>) -> Double {
        sys[e]
    }

    /// Given every X_e the event is decided: the indicator of X_e ≤ c·s (σ_e = 1 here).
    @inline(__always)
    func twistProbability(_ e: Int, below cut: Double, sys: UnsafePointer<Double>, scale s: Double) -> Double {
        sys[e] <= cut * s ? 1 : 0
    }

    @inline(__always)
    func migrationState(_ e: Int, cuts: UnsafePointer<Double>, count: Int, stay: Int,
                        sys: UnsafePointer<Double>, uniforms: UnsafePointer<Double>, scale s: Double) -> Int {
        let x = sys[e]
        var k = 0
        while k < count && x > cuts[k] * s { k += 1 }
        return k
    }
}
