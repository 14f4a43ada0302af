/// How the latent variables X_e are correlated.
public enum Dependence: Sendable, Hashable {
    /// X_e = w_eᵀ Z + √(1 − s_e) ε_e with Z ~ N(0, Σ) and s_e = w_eᵀ Σ w_e.
    case factors(FactorModel)
    /// X = C ε with C Cᵀ = R, the entities' latent correlation matrix.
    case fullCorrelation(SymmetricMatrix)
}

/// Named factors and their correlation matrix Σ (K × K).
public struct FactorModel: Sendable, Hashable {
    public let factorIDs: [String]
    public let correlation: SymmetricMatrix

    public init(factorIDs: [String], correlation: SymmetricMatrix? = nil) {
        self.factorIDs = factorIDs
        self.correlation = correlation ?? .identity(factorIDs.count)
    }

    /// s = wᵀ Σ w.
    public func systematicVariance(_ w: [Double]) -> Double {
        let k = factorIDs.count
        var s = 0.0
        for i in 0..<k where w[i] != 0 {
            for j in 0..<k { s += w[i] * correlation[i, j] * w[j] }
        }
        return s
    }
}

/// A dense square matrix stored row-major, symmetric by construction of its users.
public struct SymmetricMatrix: Sendable, Hashable {
    public let n: Int
    public var values: [Double]

    public init(n: Int, values: [Double]) {
        precondition(values.count == n * n)
        self.n = n
        self.values = values
    }

    public init(rows: [[Double]]) {
        self.init(n: rows.count, values: rows.flatMap { $0 })
    }

    public static func identity(_ n: Int) -> SymmetricMatrix {
        var v = [Double](repeating: 0, count: n * n)
        for i in 0..<n { v[i * n + i] = 1 }
        return SymmetricMatrix(n: n, values: v)
    }

    @inlinable public subscript(i: Int, j: Int) -> Double {
        get { values[i * n + j] }
        set { values[i * n + j] = newValue }
    }
}
