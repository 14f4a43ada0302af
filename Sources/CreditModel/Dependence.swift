/// How the latent variables X_e are correlated.
import CreditMath

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
