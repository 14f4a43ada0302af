import CreditMath
import CreditModel
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// When an entity defaults, given the survival value 1 − U_e of its copula uniform.
///
/// The default time is τ_e = S_e⁻¹(1 − U_e) for the entity's survival curve S_e, so
/// P(τ_e ≤ T) = 1 − S_e(T) and the copula's threshold for a window T is its quantile at that
/// probability. Conformers: `ConstantHazard` and `PiecewiseHazard` (from PD curves).
protocol DefaultTimeModel: Sendable {
    /// P(τ_e ≤ t).
    func defaultProbability(_ e: Int, within t: Double) -> Double
    /// τ_e from the survival value 1 − U_e ∈ (0, 1]; 0 for an entity forced to default.
    func defaultTime(_ e: Int, survival: Double) -> Double
}

/// S_e(t) = e^{−λ_e t} with λ_e = −ln(1 − pd_e): the one-year PD is exact and τ_e = −ln(1 − U_e)/λ_e.
/// Entities of a stress's forced defaults default at time 0 on every path.
struct ConstantHazard: DefaultTimeModel {
    let hazard: [Double]
    let forcedDefault: [Bool]

    init(portfolio: Portfolio) {
        self.init(entities: portfolio.entities, forcedDefault: portfolio.forcedDefaults)
    }

    /// The hazards of `entities` (their one-year PDs).
    init(entities: [Entity], forcedDefault forced: Set<Int>) {
        self.init(hazard: entities.map(\.hazard), forcedDefault: forced)
    }

    /// Given hazards (λ = 0: never defaults) and forced defaults.
    init(hazard: [Double], forcedDefault forced: Set<Int>) {
        self.hazard = hazard
        forcedDefault = hazard.indices.map { forced.contains($0) }
    }

    func defaultProbability(_ e: Int, within t: Double) -> Double {
        forcedDefault[e] ? 1 : -expm1(-hazard[e] * t)
    }

    @inline(__always)
    func defaultTime(_ e: Int, survival: Double) -> Double {
        if forcedDefault[e] { return 0 }
        let lambda = hazard[e]
        return lambda > 0 ? -log(survival) / lambda : .infinity
    }
}
