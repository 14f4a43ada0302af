import Foundation
import COpenBLAS

/// Eigenvalues (ascending) and eigenvectors of a symmetric matrix by LAPACK `dsyevd`.
public struct SymmetricEigen: Sendable {
    public let values: [Double]
    /// Row k holds the unit eigenvector of `values[k]` (row-major n × n).
    public let vectors: [Double]

    public init(_ matrix: SymmetricMatrix) throws(LinearAlgebraError) {
        let n = matrix.n
        guard n > 0 else {
            values = []
            vectors = []
            return
        }
        // Row-major symmetric = column-major symmetric; LAPACK returns eigenvector k in
        // column k (column-major), i.e. contiguous, which is row k of our row-major view.
        var a = matrix.values
        var w = [Double](repeating: 0, count: n)
        var jobz = Int8(UInt8(ascii: "V")), uplo = Int8(UInt8(ascii: "L"))
        var nn = Int32(n), lda = Int32(n), info: Int32 = 0
        // Workspace query first, then the real call. The trailing 1, 1 are Fortran's hidden lengths
        // of the CHARACTER arguments jobz and uplo (see shim.h).
        var lwork: Int32 = -1, liwork: Int32 = -1
        var workSize = 0.0
        var iworkSize: Int32 = 0
        dsyevd_(&jobz, &uplo, &nn, &a, &lda, &w, &workSize, &lwork, &iworkSize, &liwork, &info, 1, 1)
        guard info == 0 else { throw .lapack(routine: "dsyevd", info: Int(info)) }
        lwork = Int32(workSize.rounded(.up))
        liwork = max(iworkSize, 1)
        var work = [Double](repeating: 0, count: Int(lwork))
        var iwork = [Int32](repeating: 0, count: Int(liwork))
        dsyevd_(&jobz, &uplo, &nn, &a, &lda, &w, &work, &lwork, &iwork, &liwork, &info, 1, 1)
        guard info == 0 else { throw .lapack(routine: "dsyevd", info: Int(info)) }
        values = w
        vectors = a
    }
}

public enum LinearAlgebraError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The matrix is not positive semi-definite: its smallest eigenvalue is negative, and the
    /// nearest PSD matrix (clipping negative eigenvalues) is `distance` away in Frobenius norm.
    case notPositiveSemiDefinite(smallestEigenvalue: Double, distance: Double)
    case lapack(routine: String, info: Int)

    public var description: String {
        switch self {
        case let .notPositiveSemiDefinite(lambda, distance):
            return "not positive semi-definite: smallest eigenvalue \(shortNumber(lambda)), "
                + "Frobenius distance to the nearest PSD matrix \(shortNumber(distance))"
        case let .lapack(routine, info):
            return "LAPACK \(routine) failed with info = \(info)"
        }
    }
}

/// Six significant digits, for messages.
package func shortNumber(_ x: Double) -> String { String(format: "%.6g", x) }
