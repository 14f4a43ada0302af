/// A named stress: changes applied to a portfolio before simulating it.
///
/// In order: PD multipliers (pd' = pd · m, by sector then by entity, both applying when both
/// match), loading shifts (w' = w + Δ, by sector then entity), LGD floors (lgd' = max(lgd, f) on
/// the issuer's bonds), forced defaults (τ = 0 on every path: the entity's bonds lose, and its
/// guarantees and protection never pay), and optionally rollover. The stressed portfolio is
/// validated like any other, so a multiplier that pushes a PD to 1 or a shift that makes
/// wᵀΣw ≥ 1 is an error, never silently capped.
public struct Stress: Sendable, Hashable {
    public var name: String
    public var description: String?
    public var pdMultiplierBySector: [String: Double] = [:]
    public var pdMultiplierByEntity: [Int: Double] = [:]
    /// Added to loadings: sector or entity → factor index → Δ.
    public var loadingShiftBySector: [String: [Int: Double]] = [:]
    public var loadingShiftByEntity: [Int: [Int: Double]] = [:]
    public var lgdFloor: Double?
    public var lgdFloorBySector: [String: Double] = [:]
    public var forcedDefaults: Set<Int> = []
    /// Overrides the scenario's rollover (e.g. a refinancing freeze keeps short notes exposed).
    public var rollover: Bool?
    /// Every entity's PD times this (a sensitivity sweep's PD axis), before the multipliers.
    public var pdScale = 1.0
    /// Every entity's loadings times this (a sweep's correlation axis), before the shifts.
    public var loadingScale = 1.0

    public init(name: String) { self.name = name }

    public func apply(to p: Portfolio) throws(PortfolioError) -> Portfolio {
        let entities = p.entities.enumerated().map { i, e -> Entity in
            var pd = e.pd * pdScale
            if let s = e.sector, let m = pdMultiplierBySector[s] { pd *= m }
            if let m = pdMultiplierByEntity[i] { pd *= m }
            var w = loadingScale == 1 ? e.loadings : e.loadings.map { $0 * loadingScale }
            for shift in [e.sector.flatMap { loadingShiftBySector[$0] }, loadingShiftByEntity[i]] {
                for (k, delta) in shift ?? [:] where k < w.count { w[k] += delta }
            }
            // A PD multiplier multiplies every cumulative PD of the entity's curve as it multiplies pd.
            let factor = pd / e.pd
            let curve = factor == 1 ? e.pdCurve : e.pdCurve?.scaled(by: factor)
            return Entity(id: e.id, name: e.name, sector: e.sector, pd: pd, loadings: w, capacity: e.capacity, pdSD: e.pdSD,
                          pdCurve: curve, rating: e.rating)
        }
        let bonds = p.bonds.map { b -> Bond in
            var floor = lgdFloor ?? 0
            if let s = p.entities[b.issuer].sector, let f = lgdFloorBySector[s] { floor = max(floor, f) }
            guard floor > b.lgd else { return b }
            // A floored LGD is fixed: the floor replaces the distribution.
            return Bond(id: b.id, issuer: b.issuer, notional: b.notional, maturity: b.maturity, lgd: floor,
                        guarantee: b.guarantee, protection: b.protection, coupon: b.coupon, couponFrequency: b.couponFrequency)
        }
        return try Portfolio(entities: entities, bonds: bonds, dependence: p.dependence, copula: p.copula,
                             horizon: p.horizon, rollover: rollover ?? p.rollover,
                             forcedDefaults: p.forcedDefaults.union(forcedDefaults), lgdCorrelation: p.lgdCorrelation,
                             knownFactor: p.dependenceFactor, loadingsAreSectorWeights: p.loadingsAreSectorWeights,
                             valuation: p.valuation)
    }
}
