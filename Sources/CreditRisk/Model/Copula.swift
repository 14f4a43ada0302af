/// The copula joining the latent variables: U_e = Φ(X_e), or with Student-t, one W ~ χ²_ν per
/// path and U_e = T_ν(X_e / √(W/ν)) (Li 2000; Demarta & McNeil 2005).
public enum Copula: Sendable, Hashable {
    case gaussian
    case studentT(degreesOfFreedom: Double)
}
