import Foundation

/// Basel II IRB capital for corporate exposures, foundation approach (BCBS, *International
/// Convergence of Capital Measurement and Capital Standards*, June 2006, §272):
///
///     R = 0.12·(1 − e^{−50 PD})/(1 − e^{−50}) + 0.24·[1 − (1 − e^{−50 PD})/(1 − e^{−50})]
///     b = (0.11852 − 0.05478·ln PD)²
///     K = [LGD·N((1 − R)^{−½} G(PD) + (R/(1 − R))^{½} G(0.999)) − PD·LGD] · (1 + (M − 2.5) b)/(1 − 1.5 b)
///     RWA = 12.5 · K · EAD
///
/// with PD floored at 0.03 % (§285) and M clipped to [1, 5] years (§320). The 1.06 scaling
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

    /// One row of the capital table: a bond, or the part of a bond covered by a guarantee or
    /// protection (substitution), with its inputs and capital.
    public struct Line: Sendable, Hashable {
        /// The bond id, or `bond/guarantee:ENTITY` and `bond/protection:ENTITY` for substituted parts.
        public let id: String
        public let obligor: String
        public let exposure: Double
        /// PD after the floor.
        public let pd: Double
        public let lgd: Double
        /// M after clipping to [1, 5].
        public let maturity: Double
        public let correlation: Double
        public let capitalRate: Double
        public var riskWeight: Double { 12.5 * capitalRate }
        /// K · EAD.
        public var capital: Double { capitalRate * exposure }
    }

    /// Capital of a portfolio, bond by bond (EAD = notional, the bond's LGD, M = its remaining
    /// maturity clipped to [1, 5], the issuer's PD).
    ///
    /// Guarantees and protection by **substitution** (§§301–302): the covered part of a bond —
    /// coverage·notional for a guarantee, then up to the protection notional of what remains —
    /// takes the PD (and so the correlation) of its provider, with the bond's LGD and maturity.
    /// As §302 lets a bank do, the cover is recognised only where it lowers the capital; a
    /// provider riskier than the issuer leaves the part at the issuer's K. The covered part is
    /// reported as a line of its own.
    public static func lines(for portfolio: Portfolio) -> [Line] {
        var out: [Line] = []
        for b in portfolio.bonds {
            let issuer = portfolio.entities[b.issuer]
            let m = min(max(b.maturity, 1), 5)
            func line(_ id: String, _ entity: Entity, _ ead: Double) -> Line {
                let pd = max(entity.pd, pdFloor)
                return Line(id: id, obligor: entity.id, exposure: ead, pd: pd, lgd: b.lgd, maturity: m,
                            correlation: correlation(pd: pd), capitalRate: capital(pd: pd, lgd: b.lgd, maturity: m))
            }
            var remaining = b.notional
            var covered: [Line] = []
            if let g = b.guarantee {
                let provider = line("\(b.id)/guarantee:\(portfolio.entities[g.guarantor].id)", portfolio.entities[g.guarantor], g.coverage * b.notional)
                if provider.capitalRate < line(b.id, issuer, 1).capitalRate {
                    covered.append(provider)
                    remaining -= provider.exposure
                }
            }
            if let p = b.protection, remaining > 0 {
                let seller = portfolio.entities[p.seller]
                let provider = line("\(b.id)/protection:\(seller.id)", seller, min(p.notional, remaining))
                if provider.capitalRate < line(b.id, issuer, 1).capitalRate {
                    covered.append(provider)
                    remaining -= provider.exposure
                }
            }
            out.append(line(b.id, issuer, max(0, remaining)))
            out += covered
        }
        return out
    }
}
