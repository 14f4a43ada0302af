/// A note held by the investor, with its optional credit enhancements.
///
/// Fields can be read by anyone and changed only inside the module (a ``Stress`` copies a bond and
/// changes the fields it names); ``Portfolio`` validates every bond it holds.
import CreditMath

public struct Bond: Sendable, Hashable {
    public internal(set) var id: String
    /// Index of the issuer in the portfolio's entities.
    public internal(set) var issuer: Int
    public internal(set) var notional: Double
    /// Years to maturity.
    public internal(set) var maturity: Double
    /// Loss given default, a fraction of notional.
    public internal(set) var lgd: Double
    public internal(set) var guarantee: Guarantee?
    public internal(set) var protection: Protection?
    /// Standard deviation of a Beta-distributed LGD with mean `lgd`; nil for a fixed LGD.
    public internal(set) var lgdSD: Double?
    /// Annual coupon rate as a fraction (market valuation only).
    public internal(set) var coupon: Double
    /// Coupons a year: 1, 2 or 4.
    public internal(set) var couponFrequency: Int
    /// Loss of an extended bond as a fraction of notional, measured at the horizon; nil: from the
    /// portfolio's ``ExtensionTerms`` (see ``Portfolio/extensionLGD(of:)``).
    public internal(set) var extensionLGD: Double?
    /// Standard deviation of a Beta-distributed extension loss; nil for a fixed one.
    public internal(set) var extensionLGDSD: Double?

    public init(id: String, issuer: Int, notional: Double, maturity: Double, lgd: Double,
                guarantee: Guarantee? = nil, protection: Protection? = nil, lgdSD: Double? = nil,
                coupon: Double = 0, couponFrequency: Int = 1, extensionLGD: Double? = nil,
                extensionLGDSD: Double? = nil) {
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
        self.extensionLGD = extensionLGD
        self.extensionLGDSD = extensionLGDSD
    }

    /// Beta(α, β) with mean lgd and deviation lgdSD: α = m k, β = (1 − m) k, k = m(1 − m)/sd² − 1.
    public var lgdBeta: (alpha: Double, beta: Double)? {
        lgdSD.map { Self.beta(mean: lgd, sd: $0) }
    }

    /// Beta(α, β) with mean m and standard deviation sd (method of moments).
    public static func beta(mean m: Double, sd: Double) -> (alpha: Double, beta: Double) {
        let k = m * (1 - m) / (sd * sd) - 1
        return (m * k, (1 - m) * k)
    }

    /// G_b = notional · lgd, the gross loss if the issuer defaults inside the window.
    @inlinable public var lossGivenDefault: Double { notional * lgd }
}

/// The credit events on which an enhancement pays: a hard default always, an extension when
/// named (`default+extension`). An enhancement pays nothing in any other state.
public struct CreditTriggers: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public static let hardDefault = CreditTriggers(rawValue: 1)
    public static let extensionEvent = CreditTriggers(rawValue: 2)
    /// `default`: failure to pay only (the usual guarantee).
    public static let defaultOnly: CreditTriggers = [.hardDefault]
    /// `default+extension`: a restructuring (extension) triggers too (the 2025 tech-bond CRMW).
    public static let defaultOrExtension: CreditTriggers = [.hardDefault, .extensionEvent]

    /// Whether an event in `state` triggers payment.
    @inlinable public func pays(in state: CreditState) -> Bool {
        state == .hardDefault ? contains(.hardDefault) : contains(.extensionEvent)
    }

    /// The scenario-file spelling: `default` or `default+extension`.
    public var name: String { contains(.extensionEvent) ? "default+extension" : "default" }

    /// From the scenario-file spelling; nil for anything else.
    public init?(name: String) {
        switch name {
        case "default": self = .defaultOnly
        case "default+extension": self = .defaultOrExtension
        default: return nil
        }
    }
}

/// The loss-bearing credit states of an issuer (besides performing, and in market valuation the
/// ratings): a hard default or an extension.
public enum CreditState: Int, Sendable, Hashable, CaseIterable {
    case hardDefault = 0
    case extended = 1

    /// The report's name: `default` or `extension`.
    public var name: String { self == .hardDefault ? "default" : "extension" }
}

/// A credit guarantee: pays `coverage` of the loss of every triggering credit event if the
/// guarantor is alive when it happens.
public struct Guarantee: Sendable, Hashable {
    public internal(set) var guarantor: Int
    public internal(set) var coverage: Double
    public internal(set) var triggers: CreditTriggers
    public init(guarantor: Int, coverage: Double, triggers: CreditTriggers = .defaultOnly) {
        self.guarantor = guarantor
        self.coverage = coverage
        self.triggers = triggers
    }
}

/// CDS-like protection (a CRMW): pays min(Np · loss rate, what the guarantee left) if the seller is
/// alive at a triggering credit event; premium accrues at `spreadBps` on Np until such an event or
/// the window's end.
public struct Protection: Sendable, Hashable {
    public internal(set) var seller: Int
    public internal(set) var notional: Double
    public internal(set) var spreadBps: Double
    public internal(set) var triggers: CreditTriggers
    public init(seller: Int, notional: Double, spreadBps: Double, triggers: CreditTriggers = .defaultOnly) {
        self.seller = seller
        self.notional = notional
        self.spreadBps = spreadBps
        self.triggers = triggers
    }
}

/// Terms of an extension (展期), from which an extended bond's loss follows when the bond does
/// not give `extension_lgd`: payment is deferred by `years` at an unchanged coupon, after which
/// the bond defaults with probability `laterDefault` (losing its lgd) or is repaid; the holder
/// discounts the deferred payment at `discountRate`:
/// extension LGD = 1 − (1 − laterDefault · lgd) / (1 + discountRate)^years.
public struct ExtensionTerms: Sendable, Hashable {
    public var years: Double
    public var laterDefault: Double
    public var discountRate: Double

    /// 12 months (the Vanke extensions of Dec 2025), 30 % later default (more than 20 % of extended
    /// bonds ultimately defaulted by Nov 2025, Dagong), 5 % a year.
    public init(years: Double = 1, laterDefault: Double = 0.3, discountRate: Double = 0.05) {
        self.years = years
        self.laterDefault = laterDefault
        self.discountRate = discountRate
    }

    /// The loss of an extended bond whose hard-default LGD is `lgd`.
    public func extensionLGD(lgd: Double) -> Double {
        1 - (1 - laterDefault * lgd) / pow(1 + discountRate, years)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
