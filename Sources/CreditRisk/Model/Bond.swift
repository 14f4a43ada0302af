/// A note held by the investor, with its optional credit enhancements.
public struct Bond: Sendable, Hashable {
    public let id: String
    /// Index of the issuer in the portfolio's entities.
    public let issuer: Int
    public let notional: Double
    /// Years to maturity.
    public let maturity: Double
    /// Loss given default, a fraction of notional.
    public let lgd: Double
    public let guarantee: Guarantee?
    public let protection: Protection?
    /// Standard deviation of a Beta-distributed LGD with mean `lgd`; nil for a fixed LGD.
    public let lgdSD: Double?
    /// Annual coupon rate as a fraction (market valuation only).
    public let coupon: Double
    /// Coupons a year: 1, 2 or 4.
    public let couponFrequency: Int

    public init(id: String, issuer: Int, notional: Double, maturity: Double, lgd: Double,
                guarantee: Guarantee? = nil, protection: Protection? = nil, lgdSD: Double? = nil,
                coupon: Double = 0, couponFrequency: Int = 1) {
        self.coupon = coupon
        self.couponFrequency = couponFrequency
        self.id = id
        self.issuer = issuer
        self.notional = notional
        self.maturity = maturity
        self.lgd = lgd
        self.guarantee = guarantee
        self.protection = protection
        self.lgdSD = lgdSD
    }

    /// Beta(α, β) with mean lgd and deviation lgdSD: α = m k, β = (1 − m) k, k = m(1 − m)/sd² − 1.
    public var lgdBeta: (alpha: Double, beta: Double)? {
        guard let sd = lgdSD else { return nil }
        let k = lgd * (1 - lgd) / (sd * sd) - 1
        return (lgd * k, (1 - lgd) * k)
    }

    /// G_b = notional · lgd, the gross loss if the issuer defaults inside the window.
    @inlinable public var lossGivenDefault: Double { notional * lgd }
}

/// A credit guarantee: pays `coverage` of the gross loss if the guarantor is alive when the
/// issuer defaults.
public struct Guarantee: Sendable, Hashable {
    public let guarantor: Int
    public let coverage: Double
    public init(guarantor: Int, coverage: Double) {
        self.guarantor = guarantor
        self.coverage = coverage
    }
}

/// CDS-like protection (a CRMW): pays min(Np · lgd, what the guarantee left) if the seller is
/// alive when the issuer defaults; premium accrues at `spreadBps` on Np until default or window end.
public struct Protection: Sendable, Hashable {
    public let seller: Int
    public let notional: Double
    public let spreadBps: Double
    public init(seller: Int, notional: Double, spreadBps: Double) {
        self.seller = seller
        self.notional = notional
        self.spreadBps = spreadBps
    }
}
