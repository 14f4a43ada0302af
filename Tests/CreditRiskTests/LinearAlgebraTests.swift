import CreditRisk
import Testing

@Suite struct LinearAlgebraTests {
    @Test func choleskyOfPositiveDefiniteMatrix() throws {
        let a = SymmetricMatrix(rows: [[4, 2, 0.4], [2, 5, 1], [0.4, 1, 3]])
        let c = try CorrelationFactor(a)
        #expect(c.isCholesky)
        // Lower triangular with the textbook first column: L11 = 2, L21 = 1, L31 = 0.2.
        #expect(abs(c.values[0] - 2) < 1e-15 && abs(c.values[3] - 1) < 1e-15 && abs(c.values[6] - 0.2) < 1e-15)
        #expect(c.values[1] == 0 && c.values[2] == 0 && c.values[5] == 0)
        #expect(c.reconstructionError(of: a) < 1e-14)
    }

    @Test func semiDefiniteMatrixUsesEigenFactor() throws {
        // Rank one: two perfectly correlated names and an independent one.
        let a = SymmetricMatrix(rows: [[1, 1, 0], [1, 1, 0], [0, 0, 1]])
        let c = try CorrelationFactor(a)
        #expect(!c.isCholesky)
        #expect(c.reconstructionError(of: a) < 1e-12)
    }

    @Test func notPositiveSemiDefiniteSaysHowFar() {
        // Eigenvalues of [[1,a,a],[a,1,-a],[a,-a,1]], a = 0.9: −0.8, 1.9, 1.9 (by hand: x = 1 − 2a
        // for the vector (1,−1,−1)·…, and 1 + a twice).
        let a = SymmetricMatrix(rows: [[1, 0.9, 0.9], [0.9, 1, -0.9], [0.9, -0.9, 1]])
        #expect(throws: LinearAlgebraError.self) { try CorrelationFactor(a) }
        do {
            _ = try CorrelationFactor(a)
        } catch {
            guard case let .notPositiveSemiDefinite(lambda, distance) = error else {
                Issue.record("wrong error \(error)")
                return
            }
            #expect(abs(lambda - -0.8) < 1e-12)
            #expect(abs(distance - 0.8) < 1e-12)
            #expect(error.description.contains("-0.8"))
        }
    }

    @Test func eigenvaluesAscending() throws {
        let e = try SymmetricEigen(SymmetricMatrix(rows: [[2, 1], [1, 2]]))
        #expect(abs(e.values[0] - 1) < 1e-14 && abs(e.values[1] - 3) < 1e-14)
    }
}
