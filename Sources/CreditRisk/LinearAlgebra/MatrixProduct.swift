import COpenBLAS

/// The one BLAS call of the path-block kernel.
public enum MatrixProduct {
    /// C (m × n) = A (m × k) · Bᵀ where B is n × k; all row-major.
    @inlinable
    public static func multiplyTransposed(
        _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, into c: UnsafeMutablePointer<Double>,
        m: Int, n: Int, k: Int
    ) {
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(m), Int32(n), Int32(k),
                    1.0, a, Int32(k), b, Int32(k), 0.0, c, Int32(n))
    }
}
