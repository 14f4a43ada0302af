import CreditMath
import CreditModel
import Foundation

/// Importance sampling after Glasserman & Li (2005, Management Science 51(11)): the factors are
/// drawn with mean μ instead of 0, and given the factors each issuer's loss-bearing event (a
/// credit event, default or extension, that can hit its bonds; see <doc:CreditStates>) is drawn
/// with the exponentially twisted probability
/// q_e = p_e e^{θ c_e} / (1 + p_e (e^{θ c_e} − 1)), where c_e is its loss there and θ ≥ 0 solves
/// Σ c_e q_e(θ) = x for the target loss x (θ = 0 when the conditional mean already reaches x).
/// The importance density q has likelihood ratio
/// p/q = exp(−μᵀξ + ½|μ|²) · exp(−θ Σ D_e c_e + ψ(θ)), ψ(θ) = Σ log(1 + p_e (e^{θ c_e} − 1)).
/// Paths are drawn from the defensive mixture α p + (1 − α) q (Hesterberg 1995), each carrying
/// the weight 1/(α + (1 − α) q/p), so every estimate stays unbiased; only its variance changes.
///
/// Given the twisted indicator, the latent ε_e keeps its original conditional law (uniform
/// u ↦ u p/q below q, and p + (u − q)(1 − p)/(1 − q) above), so event times, states, guarantees
/// and protection are computed exactly as without importance sampling, in default and market
/// valuation alike.
///
/// The twist is optional (`twists`): without it only the factors are shifted, the path costs
/// about what a plain path costs (the twist needs Φ, θ and ψ over every issuer on every path), and
/// the likelihood ratio is the shift's alone. `Engine.importanceShift` drops it when it cannot
/// pay for itself (see `Engine.twistPays`).
public struct ImportanceShift: Sendable, Hashable, Codable {
    /// Share α of paths drawn from the original density (a defensive mixture): it bounds every
    /// weight by 1/α, so EL and the body of the distribution keep honest errors while the
    /// remaining 1 − α of the paths explore the tail.
    public static let defensiveShare = 0.1

    /// Mean of the independent factor normals ξ (Z = L ξ).
    public let mu: [Double]
    /// Target gross loss x of the twist (the pilot's VaR at the highest level).
    public let target: Double
    /// Whether the issuers' events are exponentially twisted given the factors (else the shift
    /// of the factors is the whole change of measure).
    public let twists: Bool

    /// The twisted issuers, once chosen (`Engine.choosingTwist`): those whose loss c_e in the
    /// event is at least `twistFloor`, aiming at `twistTarget` (x less the others' mean loss at
    /// the shift). Every portfolio of a run, the base and its stresses, twists by the base's
    /// choice, so their paths stay paired. Nil: each engine chooses at the shift itself.
    public let twistFloor: Double?
    public let twistTarget: Double?

    public init(mu: [Double], target: Double, twists: Bool = true, twistFloor: Double? = nil, twistTarget: Double? = nil) {
        self.mu = mu
        self.target = target
        self.twists = twists
        self.twistFloor = twistFloor
        self.twistTarget = twistTarget
    }

    private enum CodingKeys: String, CodingKey {
        case mu, target, twists
        case twistFloor = "twist_floor", twistTarget = "twist_target"
    }

    /// Reads `twists` as true when absent (documents written before the twist was optional), and
    /// the twisted issuers as not chosen when absent (before the choice existed).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        mu = try c.decode([Double].self, forKey: .mu)
        target = try c.decode(Double.self, forKey: .target)
        twists = try c.decodeIfPresent(Bool.self, forKey: .twists) ?? true
        twistFloor = try c.decodeIfPresent(Double.self, forKey: .twistFloor)
        twistTarget = try c.decodeIfPresent(Double.self, forKey: .twistTarget)
    }

    /// Writes an unchosen floor and target as null, never as missing keys.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(mu, forKey: .mu)
        try c.encode(target, forKey: .target)
        try c.encode(twists, forKey: .twists)
        try c.encode(twistFloor, forKey: .twistFloor)
        try c.encode(twistTarget, forKey: .twistTarget)
    }
}
