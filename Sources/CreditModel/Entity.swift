import CreditMath
import RealModule

/// A name that can default: an issuer, a guarantor or a protection seller.
///
/// Fields can be read by anyone and changed only inside the module (a ``Stress`` copies an entity
/// and changes the fields it names); ``Portfolio`` validates every entity it holds.
public struct Entity: Sendable, Hashable {
    public internal(set) var id: String
    public internal(set) var name: String?
    public internal(set) var sector: String?
    /// One-year default probability, 0 < pd < 1 (a rated issuer in market valuation may have 0:
    /// its defaults come from its rating's row of the transition matrix).
    public internal(set) var pd: Double
    /// Loadings on the factors, in the order of the factor model (empty in full-correlation mode).
    public internal(set) var loadings: [Double]
    /// What the entity can pay as a guarantor over the horizon, in notional units; nil = no limit.
    /// Claims are paid in order of the issuers' event times until it is spent.
    public internal(set) var capacity: Double?
    /// Standard deviation of the default rate (CreditRisk+ only); nil when not given.
    public internal(set) var pdSD: Double?
    /// Cumulative PD term structure; nil keeps the constant hazard of `pd`.
    public internal(set) var pdCurve: PDCurve?
    /// Index of the entity's rating in the scenario's scale (market valuation), when it has one.
    public internal(set) var rating: Int?
    /// One-year probability of an extension (展期) instead of a hard default; 0 = never extends.
    /// pd + extensionPD < 1. See <doc:CreditStates>.
    public internal(set) var extensionPD: Double
    /// The product of the PD multipliers stresses applied to this entity. Default mode has it in
    /// `pd` and `pdCurve` already; market valuation multiplies its rating's default probability by it.
    public internal(set) var pdMultiplier: Double

    public init(id: String, name: String? = nil, sector: String? = nil, pd: Double, loadings: [Double],
                capacity: Double? = nil, pdSD: Double? = nil, pdCurve: PDCurve? = nil, rating: Int? = nil,
                extensionPD: Double = 0) {
        self.pdSD = pdSD
        self.pdCurve = pdCurve
        self.rating = rating
        self.id = id
        self.name = name
        self.sector = sector
        self.pd = pd
        self.loadings = loadings
        self.capacity = capacity
        self.extensionPD = extensionPD
        pdMultiplier = 1
    }

    /// Constant hazard λ = −ln(1 − pd) matching the one-year PD, so P(τ ≤ t) = 1 − (1 − pd)^t.
    @inlinable public var hazard: Double { -Double.log(onePlus: -pd) }

    /// P(τ ≤ t): from the PD curve when there is one, else 1 − (1 − pd)^t.
    @inlinable public func defaultProbability(within t: Double) -> Double {
        if let pdCurve { return pdCurve.probability(within: t) }
        return -Double.expMinusOne(-hazard * t)
    }

    /// Whether the entity can extend instead of defaulting.
    @inlinable public var extends: Bool { extensionPD > 0 }

    /// The entity whose default time is the credit-event time of this one (hard default or
    /// extension): one-year PD pd + extensionPD, its PD curve scaled by (pd + extensionPD)/pd.
    public var creditEvent: Entity {
        guard extends else { return self }
        var combined = self
        combined.pd = pd + extensionPD
        if pd > 0 { combined.pdCurve = pdCurve?.scaled(by: (pd + extensionPD) / pd) }
        return combined
    }
}
