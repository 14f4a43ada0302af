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

    public init(id: String, name: String? = nil, sector: String? = nil, pd: Double, loadings: [Double],
                capacity: Double? = nil, pdSD: Double? = nil) {
        self.pdSD = pdSD
        self.id = id
        self.name = name
        self.sector = sector
        self.pd = pd
        self.loadings = loadings
        self.capacity = capacity
    }

    /// Constant hazard λ = −ln(1 − pd) matching the one-year PD, so P(τ ≤ t) = 1 − (1 − pd)^t.
    @inlinable public var hazard: Double { -Double.log(onePlus: -pd) }

    /// P(τ ≤ t).
    @inlinable public func defaultProbability(within t: Double) -> Double {
        -Double.expMinusOne(-hazard * t)
    }
}
