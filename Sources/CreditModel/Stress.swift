/// A named stress: changes applied to a portfolio before simulating it.
///
/// In order: PD multipliers (pd' = pd · m, by sector then by entity, both applying when both
/// match), extension-probability multipliers (extension_pd' = extension_pd · m, likewise), loading
/// shifts (w' = w + Δ, by sector then entity), LGD floors (lgd' = max(lgd, f) on the issuer's
/// bonds, the highest of the global, sector and entity floors), forced defaults (τ = 0 on every path: the entity's bonds lose, and its guarantees and
/// protection never pay), and optionally rollover. Every other field of an entity or bond is kept
/// as it is. The stressed portfolio is validated like any other, so a multiplier that pushes a PD
/// to 1 or a shift that makes wᵀΣw ≥ 1 is an error, never silently capped.
import CreditMath

public struct Stress: Sendable, Hashable {
    public var name: String
    public var description: String?
    public var pdMultiplierBySector: [String: Double] = [:]
    public var pdMultiplierByEntity: [Int: Double] = [:]
    /// Multipliers of `extension_pd`, by sector and by entity.
    public var extensionPDMultiplierBySector: [String: Double] = [:]
    public var extensionPDMultiplierByEntity: [Int: Double] = [:]
    /// Added to loadings: sector or entity → factor index → Δ.
    public var loadingShiftBySector: [String: [Int: Double]] = [:]
    public var loadingShiftByEntity: [Int: [Int: Double]] = [:]
    public var lgdFloor: Double?
    public var lgdFloorBySector: [String: Double] = [:]
    /// LGD floors of one issuer's bonds, by entity index (both a sector's and an entity's apply: the higher wins).
    public var lgdFloorByEntity: [Int: Double] = [:]
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
            var stressed = e
            var pd = e.pd * pdScale, m = pdScale
            if let s = e.sector, let x = pdMultiplierBySector[s] { pd *= x; m *= x }
            if let x = pdMultiplierByEntity[i] { pd *= x; m *= x }
            stressed.pd = pd
            stressed.pdMultiplier = e.pdMultiplier * m
            // A sweep's PD scale scales the whole credit event, the extension's share too.
            if pdScale != 1 { stressed.extensionPD *= pdScale }
            if loadingScale != 1 { stressed.loadings = e.loadings.map { $0 * loadingScale } }
            // A PD multiplier multiplies every cumulative PD of the entity's curve as it multiplies pd.
            if e.pd > 0, pd / e.pd != 1 { stressed.pdCurve = e.pdCurve?.scaled(by: pd / e.pd) }
            if let s = e.sector, let x = extensionPDMultiplierBySector[s] { stressed.extensionPD *= x }
            if let x = extensionPDMultiplierByEntity[i] { stressed.extensionPD *= x }
            for shift in [e.sector.flatMap { loadingShiftBySector[$0] }, loadingShiftByEntity[i]] {
                for (k, delta) in shift ?? [:] where k < stressed.loadings.count { stressed.loadings[k] += delta }
            }
            return stressed
        }
        let bonds = p.bonds.map { b -> Bond in
            var floor = lgdFloor ?? 0
            if let s = p.entities[b.issuer].sector, let f = lgdFloorBySector[s] { floor = max(floor, f) }
            if let f = lgdFloorByEntity[b.issuer] { floor = max(floor, f) }
            guard floor > b.lgd else { return b }
            // A floored LGD is fixed: the floor replaces the distribution.
            var floored = b
            floored.lgd = floor
            floored.lgdSD = nil
            return floored
        }
        return try Portfolio(entities: entities, bonds: bonds, dependence: p.dependence, copula: p.copula,
                             horizon: p.horizon, rollover: rollover ?? p.rollover,
                             forcedDefaults: p.forcedDefaults.union(forcedDefaults), lgdCorrelation: p.lgdCorrelation,
                             knownFactor: p.dependenceFactor, loadingsAreSectorWeights: p.loadingsAreSectorWeights,
                             valuation: p.valuation, extensionTerms: p.extensionTerms)
    }
}
