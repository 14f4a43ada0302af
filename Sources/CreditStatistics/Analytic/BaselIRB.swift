import CreditMath
import CreditModel
import CreditEngine
import Foundation

/// Basel II IRB capital for corporate exposures, foundation approach (BCBS, *International
/// Convergence of Capital Measurement and Capital Standards*, June 2006, §272):
///
///     R = 0.12·(1 − e^{−50 PD})/(1 − e^{−50}) + 0.24·[1 − (1 − e^{−50 PD})/(1 − e^{−50})]
///     b = (0.11852 − 0.05478·ln PD)²
///     K = [LGD·N((1 − R)^{−½} G(PD) + (R/(1 − R))^{½} G(0.999)) − PD·LGD] · (1 + (M − 2.5) b)/(1 − 1.5 b)
///     RWA = 12.5 · K · EAD
///
/// with PD floored at 0.03 % (§285) and M clipped to [1, 5] years (§320); hedged parts by double
/// default (§284(i)–(iii), `doubleDefaultCapital`) or substitution (§§301–302), whichever is lower. The 1.06 scaling
/// factor of §44 is not applied, as in the Annex 5 illustrative risk weights (the tests
/// reproduce that table).
public enum BaselIRB {
    public static let pdFloor = 0.0003

    /// Asset correlation R(PD) of §272.
    public static func correlation(pd: Double) -> Double {
        let p = max(pd, pdFloor)
        let w = -Foundation.expm1(-50 * p) / -Foundation.expm1(-50)
        return 0.12 * w + 0.24 * (1 - w)
    }

    /// Maturity adjustment slope b(PD).
    public static func maturitySlope(pd: Double) -> Double {
        let t = 0.11852 - 0.05478 * Foundation.log(max(pd, pdFloor))
        return t * t
    }

    /// Capital requirement K per unit of EAD.
    public static func capital(pd: Double, lgd: Double, maturity: Double) -> Double {
        let p = max(pd, pdFloor)
        guard p < 1 else { return 0 }
        let r = correlation(pd: p)
        let b = maturitySlope(pd: p)
        let m = min(max(maturity, 1), 5)
        let x = Normal.quantile(p) / (1 - r).squareRoot() + (r / (1 - r)).squareRoot() * Normal.quantile(0.999)
        let k = lgd * (Normal.cdf(x) - p) * (1 + (m - 2.5) * b) / (1 - 1.5 * b)
        return max(0, k)
    }

    /// Risk weight 12.5·K as a fraction (1.0 = 100 %).
    public static func riskWeight(pd: Double, lgd: Double, maturity: Double) -> Double {
        12.5 * capital(pd: pd, lgd: lgd, maturity: maturity)
    }

    /// Capital K_DD per unit of EAD of an exposure to an obligor hedged by a guarantee or credit
    /// protection, under the double-default treatment (Basel II §284(i)–(iii), from *Application
    /// of Basel II to Trading Activities and the Treatment of Double Default Effects*, BCBS, July
    /// 2005): K_DD = K_o · (0.15 + 160 · PD_g), where K_o is the §272 capital of the unhedged
    /// obligor with two changes, "using different parameters for LGD and the maturity
    /// adjustment": the correlation ρ_os is R(PD_o), the maturity slope b is taken at
    /// min(PD_o, PD_g), M is clipped to [1, 5] (the one-year floor is a condition of the
    /// treatment), and LGD is that of a comparable direct exposure to the guarantor, here the
    /// bond's own. Both PDs are floored at 0.03 % (§285).
    public static func doubleDefaultCapital(obligorPD: Double, providerPD: Double, lgd: Double, maturity: Double) -> Double {
        let po = max(obligorPD, pdFloor), pg = max(providerPD, pdFloor)
        guard po < 1 else { return 0 }
        let r = correlation(pd: po)
        let b = maturitySlope(pd: min(po, pg))
        let m = min(max(maturity, 1), 5)
        let x = Normal.quantile(po) / (1 - r).squareRoot() + (r / (1 - r)).squareRoot() * Normal.quantile(0.999)
        let ko = lgd * (Normal.cdf(x) - po) * (1 + (m - 2.5) * b) / (1 - 1.5 * b)
        return max(0, ko) * (0.15 + 160 * pg)
    }

    /// How a line's capital was computed.
    public enum Treatment: String, Sendable, Hashable {
        /// The issuer's own K (§272): an unhedged bond, or the unhedged part of one.
        case issuer
        /// A hedged part with the provider's PD in place of the issuer's (§§301–302).
        case substitution
        /// A hedged part under double default (§284(i)–(iii)).
        case doubleDefault = "double-default"
        /// A hedged part neither treatment would lower the capital of: it keeps the issuer's K.
        case notRecognised = "not recognised"
    }

    /// One row of the capital table: a bond, or the part of a bond covered by a guarantee or
    /// protection, with its inputs and capital.
    public struct Line: Sendable, Hashable {
        /// The bond id, or `bond/guarantee:ENTITY` and `bond/protection:ENTITY` for covered parts.
        public let id: String
        /// The issuer, or for a covered part its provider.
        public let obligor: String
        public let exposure: Double
        /// The PD the capital uses, after the floor: the issuer's, or the provider's under substitution.
        public let pd: Double
        /// For a covered part: the provider's PD after the floor.
        public let providerPD: Double?
        public let lgd: Double
        /// M after clipping to [1, 5].
        public let maturity: Double
        /// R(PD) of `pd` (ρ_os of double default).
        public let correlation: Double
        public let capitalRate: Double
        public let treatment: Treatment
        public var riskWeight: Double { 12.5 * capitalRate }
        /// K · EAD.
        public var capital: Double { capitalRate * exposure }
    }

    /// Capital of a portfolio, bond by bond (EAD = notional, the bond's LGD, M = its remaining
    /// maturity clipped to [1, 5], the issuer's PD).
    ///
    /// Guarantees and protection: the covered part of a bond — coverage·notional for a guarantee,
    /// then up to the protection notional of what remains — is a line of its own, with the lower
    /// of the two capitals Basel II lets a bank choose between, each only where it applies:
    /// - **substitution** (§§301–302): the provider's PD and correlation, only for a provider
    ///   less risky than the issuer (PD_g < PD_o after the floors);
    /// - **double default** (§284(i)–(iii), `doubleDefaultCapital`): K_DD, which grows with the
    ///   provider's PD (0.15 + 160·PD_g exceeds 1 from PD_g ≈ 0.53 %).
    /// The hedged part's capital is never above the unhedged one's: where neither is below the
    /// issuer's K, the part keeps it (`Treatment.notRecognised`). A PD-0.99 guarantor, whose
    /// own K is small only because its loss is all expected, thus lowers nothing. The
    /// eligibility of the provider (§307(ii)) is not checked.
    public static func lines(for portfolio: Portfolio) -> [Line] {
        var out: [Line] = []
        for b in portfolio.bonds {
            let issuer = portfolio.entities[b.issuer]
            let m = min(max(b.maturity, 1), 5)
            let pd = max(issuer.pd, pdFloor)
            let r = correlation(pd: pd)
            let k = capital(pd: pd, lgd: b.lgd, maturity: m)
            func covered(_ id: String, _ provider: Entity, _ ead: Double) -> Line {
                let pg = max(provider.pd, pdFloor)
                var best = (rate: k, treatment: Treatment.notRecognised, correlation: r)
                let kdd = doubleDefaultCapital(obligorPD: pd, providerPD: pg, lgd: b.lgd, maturity: m)
                if kdd < best.rate { best = (kdd, .doubleDefault, r) }
                if pg < pd {
                    let ks = capital(pd: pg, lgd: b.lgd, maturity: m)
                    if ks < best.rate { best = (ks, .substitution, correlation(pd: pg)) }
                }
                return Line(id: id, obligor: provider.id, exposure: ead, pd: best.treatment == .substitution ? pg : pd, providerPD: pg,
                            lgd: b.lgd, maturity: m, correlation: best.correlation, capitalRate: best.rate, treatment: best.treatment)
            }
            var remaining = b.notional
            var parts: [Line] = []
            if let g = b.guarantee {
                let guarantor = portfolio.entities[g.guarantor]
                parts.append(covered("\(b.id)/guarantee:\(guarantor.id)", guarantor, g.coverage * b.notional))
                remaining -= parts[parts.count - 1].exposure
            }
            if let p = b.protection, remaining > 0 {
                let seller = portfolio.entities[p.seller]
                parts.append(covered("\(b.id)/protection:\(seller.id)", seller, min(p.notional, remaining)))
                remaining -= parts[parts.count - 1].exposure
            }
            out.append(Line(id: b.id, obligor: issuer.id, exposure: max(0, remaining), pd: pd, providerPD: nil, lgd: b.lgd,
                            maturity: m, correlation: r, capitalRate: k, treatment: .issuer))
            out += parts
        }
        return out
    }
}
