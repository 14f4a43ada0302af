/// The copula's mixing variable per path and its marginal law.
///
/// Gaussian: s = 1 and U_e = Φ(X_e). Student-t (Li 2000; Demarta & McNeil 2005): one
/// W ~ χ²_ν per path, s = √(W/ν), and U_e = T_ν(X_e/s). Every path consumes the same number of
/// uniforms (`ChiSquare` inverts), so draws stay aligned across paths and threads.
import CreditMath
import CreditModel

struct CopulaMixing: Sendable {
    let copula: Copula
    /// Uniforms per path for W (0 for Gaussian).
    let drawsPerPath: Int
    private let studentT: StudentT?

    init(_ copula: Copula) {
        self.copula = copula
        switch copula {
        case .gaussian:
            drawsPerPath = 0
            studentT = nil
        case let .studentT(nu):
            drawsPerPath = ChiSquare.drawsPerVariate(nu)
            studentT = StudentT(degreesOfFreedom: nu)
        }
    }

    /// The marginal quantile: threshold c with P(X ≤ c) = p on the copula's scale.
    func quantile(_ p: Double) -> Double {
        studentT.map { $0.quantile(p) } ?? Normal.quantile(p)
    }

    /// s per path into `scale[0..<rows]`, drawing from `rng` with `scratch` (≥ drawsPerPath).
    func drawScales(rows: Int, rng: inout UniformStream, scale: UnsafeMutablePointer<Double>,
                    scratch: UnsafeMutablePointer<Double>) {
        guard case let .studentT(nu) = copula else {
            for r in 0..<rows { scale[r] = 1 }
            return
        }
        let draws = UnsafeBufferPointer(start: scratch, count: drawsPerPath)
        for r in 0..<rows {
            rng.fill(scratch, count: drawsPerPath)
            scale[r] = (ChiSquare.variate(nu, uniforms: draws) / nu).squareRoot()
        }
    }

    /// 1 − U_e = Φ(−x) or T_ν(−x/s), computed directly so that it keeps full precision when U_e
    /// is close to 1.
    @inline(__always)
    func survival(latent x: Double, scale s: Double) -> Double {
        if let studentT { return studentT.cdf(-x / s) }
        return Normal.cdf(-x)
    }
}
