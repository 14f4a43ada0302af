import COpenBLAS

/// The BLAS calls of the path-block kernel, and the dot product of the CreditRisk+ recursion.
public enum MatrixProduct {
    /// Σ_i x[i]·y[i] over `count` contiguous values (OpenBLAS `ddot`, vectorised).
    @inlinable
    public static func dot(_ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>, count: Int) -> Double {
        cblas_ddot(Int32(count), x, 1, y, 1)
    }

    /// C (m × n) = A (m × k) · Bᵀ where B is n × k; all row-major.
    @inlinable
    public static func multiplyTransposed(
        _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, into c: UnsafeMutablePointer<Double>,
        m: Int, n: Int, k: Int
    ) {
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(m), Int32(n), Int32(k),
                    1.0, a, Int32(k), b, Int32(k), 0.0, c, Int32(n))
    }

    /// C (m × n) = A (m × n) · Lᵀ for a lower-triangular L (n × n), all row-major: the
    /// triangular product does half the flops of `multiplyTransposed` with the full matrix.
    @inlinable
    public static func multiplyLowerTransposed(
        _ a: UnsafePointer<Double>, _ l: UnsafePointer<Double>, into c: UnsafeMutablePointer<Double>, m: Int, n: Int
    ) {
        c.update(from: a, count: m * n)
        cblas_dtrmm(CblasRowMajor, CblasRight, CblasLower, CblasTrans, CblasNonUnit, Int32(m), Int32(n),
                    1.0, l, Int32(n), c, Int32(n))
    }
}
