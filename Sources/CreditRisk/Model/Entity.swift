import RealModule

/// A name that can default: an issuer, a guarantor or a protection seller.
public struct Entity: Sendable, Hashable {
    public let id: String
    public let name: String?
    public let sector: String?
    /// One-year default probability, 0 < pd < 1.
    public let pd: Double
    /// Loadings on the factors, in the order of the factor model (empty in full-correlation mode).
    public let loadings: [Double]
    /// What the entity can pay as a guarantor over the horizon, in notional units; nil = no limit.
    /// Claims are paid in order of the issuers' default times until it is spent.
    public let capacity: Double?
    /// Standard deviation of the default rate (CreditRisk+ only); nil when not given.
    public let pdSD: Double?
    /// Cumulative PD term structure; nil keeps the constant hazard of `pd`.
    public let pdCurve: PDCurve?
    /// Index of the entity's rating in the scenario's scale (market valuation), when it has one.
    public let rating: Int?

    public init(id: String, name: String? = nil, sector: String? = nil, pd: Double, loadings: [Double],
                capacity: Double? = nil, pdSD: Double? = nil, pdCurve: PDCurve? = nil, rating: Int? = nil) {
        self.pdSD = pdSD
        self.pdCurve = pdCurve
        self.rating = rating
        self.id = id
        self.name = name
        self.sector = sector
        self.pd = pd
        self.loadings = loadings
        self.capacity = capacity
    }

    /// Constant hazard λ = −ln(1 − pd) matching the one-year PD, so P(τ ≤ t) = 1 − (1 − pd)^t.
    @inlinable public var hazard: Double { -Double.log(onePlus: -pd) }

    /// P(τ ≤ t): from the PD curve when there is one, else 1 − (1 − pd)^t.
    @inlinable public func defaultProbability(within t: Double) -> Double {
        if let pdCurve { return pdCurve.probability(within: t) }
        return -Double.expMinusOne(-hazard * t)
    }
}
