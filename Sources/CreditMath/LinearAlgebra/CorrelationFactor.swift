import COpenBLAS

/// A square root C of a correlation (or covariance) matrix A, with C Cᵀ = A.
///
/// Cholesky (`dpotrf`) when A is positive definite; otherwise, when A is only semi-definite
/// (smallest eigenvalue ≥ −tolerance), C = V diag(√max(λ, 0)) from the eigen-decomposition, which
/// reproduces A to rounding. A matrix further from PSD than the tolerance is an error that says
/// how far it is.
public struct CorrelationFactor: Sendable {
    public let n: Int
    /// Row-major n × n; lower-triangular when `isCholesky`.
    public let values: [Double]
    public let isCholesky: Bool

    /// Eigenvalues above −tolerance·n count as rounding noise of a semi-definite matrix.
    public static let tolerance = 1e-10

    public init(_ matrix: SymmetricMatrix) throws(LinearAlgebraError) {
        n = matrix.n
        if n == 0 {
            values = []
            isCholesky = true
            return
        }
        if let l = Self.cholesky(matrix) {
            values = l
            isCholesky = true
            return
        }
        let eigen = try SymmetricEigen(matrix)
        let smallest = eigen.values.first ?? 0
        if smallest < -Self.tolerance * Double(n) {
            let distance = eigen.values.reduce(0.0) { $0 + ($1 < 0 ? $1 * $1 : 0) }.squareRoot()
            throw .notPositiveSemiDefinite(smallestEigenvalue: smallest, distance: distance)
        }
        var c = [Double](repeating: 0, count: n * n)
        for k in 0..<n {
            let root = max(eigen.values[k], 0).squareRoot()
            if root == 0 { continue }
            for i in 0..<n { c[i * n + k] = eigen.vectors[k * n + i] * root }
        }
        values = c
        isCholesky = false
    }

    /// Lower Cholesky factor (row-major), or nil when `dpotrf` finds A not positive definite.
    public static func cholesky(_ matrix: SymmetricMatrix) -> [Double]? {
        let n = matrix.n
        var a = matrix.values
        // Column-major 'U' factor Uᵀ U = A is, read row-major, the lower factor L = Uᵀ.
        var uplo = Int8(UInt8(ascii: "U"))
        var nn = Int32(n), lda = Int32(n), info: Int32 = 0
        // The trailing 1 is Fortran's hidden length of the CHARACTER argument uplo (see shim.h).
        dpotrf_(&uplo, &nn, &a, &lda, &info, 1)
        guard info == 0 else { return nil }
        for i in 0..<n {
            for j in (i + 1)..<max(n, i + 1) { a[i * n + j] = 0 }
        }
        return a
    }

    /// Largest |(C Cᵀ − A)_ij|, for checks.
    public func reconstructionError(of matrix: SymmetricMatrix) -> Double {
        var worst = 0.0
        for i in 0..<n {
            for j in 0..<n {
                var s = 0.0
                for k in 0..<n { s += values[i * n + k] * values[j * n + k] }
                worst = max(worst, abs(s - matrix[i, j]))
            }
        }
        return worst
    }
}
