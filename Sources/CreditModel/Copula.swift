/// The copula joining the latent variables: U_e = Φ(X_e), or with Student-t, one W ~ χ²_ν per
/// path and U_e = T_ν(X_e / √(W/ν)) (Li 2000; Demarta & McNeil 2005).
import CreditMath

public enum Copula: Sendable, Hashable {
    case gaussian
    case studentT(degreesOfFreedom: Double)
}

/// Bounds on inputs that pass validation, so that every accepted scenario runs correctly and in
/// reasonable time and memory (CreditScenario's ScenarioFormat, "What is refused").
public enum ModelLimits {
    /// Student-t degrees of freedom. Below 0.1 the probability beyond the largest double,
    /// P(T_ν < −1.8·10³⁰⁸), exceeds 10⁻³¹ and grows to the resolution of the uniforms (2⁻⁵³ at
    /// ν ≈ 0.05), so default thresholds of small PDs overflow. Above 1000 the χ²_ν inversion costs
    /// grow like √ν per path while the copula is the Gaussian one to within the Monte Carlo error
    /// of any practical run: use `copula: gaussian`.
    public static let degreesOfFreedom: ClosedRange<Double> = 0.1...1000
    /// Total notional: sums of losses and of their squares (variances) must stay finite, and so
    /// must the sector losses recorded per path in single precision (at most 3.4·10³⁸).
    public static let totalNotional = 1e30
    /// Factors of a factor model (a K×K correlation matrix and an n×K loading matrix are held).
    public static let factors = 2000
    /// Years of a market-valuation horizon: the one-year transition matrix is raised to that power.
    public static let marketHorizonYears = 100.0
}
