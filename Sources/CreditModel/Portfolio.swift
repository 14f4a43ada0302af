import CreditMath
import Foundation

/// A validated portfolio: entities, bonds, the dependence model and the horizon.
///
/// Construction checks every rule of the model and reports all broken ones at once; a value of
/// this type is therefore always safe to simulate.
public struct Portfolio: Sendable {
    public let entities: [Entity]
    public let bonds: [Bond]
    public let dependence: Dependence
    public let copula: Copula
    /// Years, > 0.
    public let horizon: Double
    /// When true every note stays exposed for the whole horizon (maturing notes are refinanced).
    public let rollover: Bool
    /// Entities that default at time 0 on every path (a stress); their guarantees never pay.
    public let forcedDefaults: Set<Int>
    /// Downturn LGD: correlation ρ_L of a stochastic LGD's driver with the issuer's systematic
    /// factor (0 = independent). See `BlockKernel` for the construction.
    public let lgdCorrelation: Double
    /// A square root of the dependence's correlation matrix (Σ of the factors, or R in full
    /// mode), computed once by validation and shared by every engine and stress of the portfolio.
    public let dependenceFactor: CorrelationFactor
    /// True when the factor columns are CreditRisk+ sector weights (`model: creditriskplus`):
    /// each in [0, 1], summing to at most 1, instead of latent loadings with wᵀΣw < 1. Such a
    /// portfolio is never simulated.
    public let loadingsAreSectorWeights: Bool
    /// Market valuation (rating migration, see CreditScenario's RatingsAndMarketValuation); nil for
    /// default-loss mode.
    public let valuation: MarketValuation?
    /// Terms from which an extended bond's loss follows when it gives no `extensionLGD`.
    public let extensionTerms: ExtensionTerms

    public init(entities: [Entity], bonds: [Bond], dependence: Dependence, copula: Copula = .gaussian,
                horizon: Double = 1, rollover: Bool = false, forcedDefaults: Set<Int> = [],
                lgdCorrelation: Double = 0, loadingsAreSectorWeights: Bool = false,
                valuation: MarketValuation? = nil, extensionTerms: ExtensionTerms = ExtensionTerms()) throws(PortfolioError) {
        try self.init(entities: entities, bonds: bonds, dependence: dependence, copula: copula, horizon: horizon,
                      rollover: rollover, forcedDefaults: forcedDefaults, lgdCorrelation: lgdCorrelation,
                      knownFactor: nil, loadingsAreSectorWeights: loadingsAreSectorWeights, valuation: valuation,
                      extensionTerms: extensionTerms)
    }

    /// `knownFactor`: the factor of `dependence` from an already validated portfolio (a stress
    /// keeps the dependence), so it is not factorised again.
    init(entities: [Entity], bonds: [Bond], dependence: Dependence, copula: Copula, horizon: Double,
         rollover: Bool, forcedDefaults: Set<Int>, lgdCorrelation: Double,
         knownFactor: CorrelationFactor?, loadingsAreSectorWeights: Bool = false,
         valuation: MarketValuation? = nil, extensionTerms: ExtensionTerms = ExtensionTerms()) throws(PortfolioError) {
        var issues: [ModelIssue] = []
        let factor = Self.check(entities: entities, dependence: dependence, knownFactor: knownFactor,
                                sectorWeights: loadingsAreSectorWeights, ratedMayHaveZeroPD: valuation != nil, into: &issues)
        Self.check(bonds: bonds, entityCount: entities.count, into: &issues)
        Self.check(extension: extensionTerms, entities: entities, bonds: bonds, market: valuation != nil, into: &issues)
        if !(horizon.isFinite && horizon > 0) {
            issues.append(ModelIssue(.scenario(key: "horizon"), value: "\(horizon)",
                                     rule: "must be a finite number of years > 0"))
        }
        if case let .studentT(nu) = copula, !ModelLimits.degreesOfFreedom.contains(nu) {
            issues.append(ModelIssue(.scenario(key: "copula.degrees_of_freedom"), value: "\(nu)",
                                     rule: "must be a number with 0.1 ≤ ν ≤ 1000 (below 0.1 the t quantiles of small PDs overflow; above 1000 use copula: gaussian, the limit ν → ∞)"))
        }
        for e in forcedDefaults.sorted() where !(0..<entities.count).contains(e) {
            issues.append(ModelIssue(.scenario(key: "stress.default"), value: "#\(e)", rule: "unknown entity"))
        }
        if !(lgdCorrelation >= 0 && lgdCorrelation < 1) {
            issues.append(ModelIssue(.scenario(key: "lgd_correlation"), value: "\(lgdCorrelation)", rule: "must be a number with 0 ≤ ρ < 1"))
        } else if lgdCorrelation > 0, case .fullCorrelation = dependence {
            issues.append(ModelIssue(.scenario(key: "lgd_correlation"), value: "\(lgdCorrelation)",
                                     rule: "a downturn LGD needs a factor model (factors:), not a full correlation matrix"))
        }
        for (i, e) in entities.enumerated() {
            if let problem = e.pdCurve?.problem {
                issues.append(ModelIssue(.entity(index: i, key: "pd_curve"), value: e.id, rule: problem))
            }
        }
        for (i, b) in bonds.enumerated() {
            // Above 100 % a year a coupon is a typo (or a percent typed as a number), and values of
            // 1e40 overflowed the sums of squared losses.
            if !(b.coupon.isFinite && b.coupon >= 0 && b.coupon <= 1) {
                issues.append(ModelIssue(.bond(index: i, key: "coupon"), value: "\(b.coupon)",
                                         rule: "must be a rate in [0, 1] a year (a fraction: 0.06 or 6% for 6 %)"))
            }
            if ![1, 2, 4].contains(b.couponFrequency) {
                issues.append(ModelIssue(.bond(index: i, key: "coupon_frequency"), value: "\(b.couponFrequency)", rule: "allowed: 1, 2, 4"))
            }
        }
        if let valuation {
            Self.check(valuation: valuation, entities: entities, bonds: bonds, horizon: horizon, into: &issues)
        }
        guard issues.isEmpty, let factor else { throw PortfolioError(issues: issues) }
        self.extensionTerms = extensionTerms
        self.valuation = valuation
        self.loadingsAreSectorWeights = loadingsAreSectorWeights
        dependenceFactor = factor
        self.lgdCorrelation = lgdCorrelation
        self.forcedDefaults = forcedDefaults
        self.entities = entities
        self.bonds = bonds
        self.dependence = dependence
        self.copula = copula
        self.horizon = horizon
        self.rollover = rollover
    }

    /// The rules of market valuation (see CreditScenario's RatingsAndMarketValuation).
    static func check(valuation v: MarketValuation, entities: [Entity], bonds: [Bond], horizon: Double,
                      into issues: inout [ModelIssue]) {
        let n = v.scale.count
        // The matrix is raised to the h-th power by h products: a bound keeps that (and Int(h)) sane.
        let wholeYears = horizon >= 1 && horizon <= ModelLimits.marketHorizonYears && horizon == horizon.rounded()
        let years = wholeYears ? Int(horizon) : 1
        if !wholeYears {
            issues.append(ModelIssue(.scenario(key: "horizon"), value: "\(horizon)",
                                     rule: "market valuation needs a whole number of years from 1 to \(Int(ModelLimits.marketHorizonYears)) (an h-year horizon uses the h-th power of the one-year matrix)"))
        }
        if v.transition.count != n || v.transition.contains(where: { $0.count != n + 1 }) {
            issues.append(ModelIssue(.scenario(key: "ratings.transition"), value: "\(v.transition.count) rows",
                                     rule: "needs one row per rating (\(n)) with \(n + 1) columns (the scale, then D)"))
            return
        }
        if v.curves.count != n {
            issues.append(ModelIssue(.scenario(key: "valuation.curves"), value: "\(v.curves.count) curves", rule: "needs one curve per rating (\(n))"))
        }
        var issuer = Set<Int>()
        for b in bonds { issuer.insert(b.issuer) }
        for e in issuer.sorted() where entities.indices.contains(e) && entities[e].rating == nil {
            issues.append(ModelIssue(.entity(index: e, key: "rating"), value: entities[e].id,
                                     rule: "market valuation needs a rating for every issuer"))
        }
        let matrix = v.transition(years: years)
        for (e, entity) in entities.enumerated() {
            guard let r = entity.rating else { continue }
            guard (0..<n).contains(r) else {
                issues.append(ModelIssue(.entity(index: e, key: "rating"), value: "#\(r)", rule: "unknown rating"))
                continue
            }
            let states = RatingRow(matrix[r], pdMultiplier: entity.pdMultiplier, extensionPD: entity.extensionPD, years: years)
            if let problem = states.problem {
                issues.append(ModelIssue(.entity(index: e, key: entity.extends ? "extension_pd" : "pd"), value: entity.id, rule: problem))
            }
        }
    }

    /// The rules of credit states: extension probabilities, extension losses and their terms.
    static func check(extension terms: ExtensionTerms, entities: [Entity], bonds: [Bond], market: Bool,
                      into issues: inout [ModelIssue]) {
        if !(terms.years.isFinite && terms.years >= 0) {
            issues.append(ModelIssue(.scenario(key: "extension.years"), value: "\(terms.years)", rule: "must be a finite number of years ≥ 0"))
        }
        if !(terms.laterDefault >= 0 && terms.laterDefault <= 1) {
            issues.append(ModelIssue(.scenario(key: "extension.later_default"), value: "\(terms.laterDefault)",
                                     rule: "must be a probability in [0, 1]"))
        }
        if !(terms.discountRate.isFinite && terms.discountRate >= 0) {
            issues.append(ModelIssue(.scenario(key: "extension.discount_rate"), value: "\(terms.discountRate)",
                                     rule: "must be a finite rate ≥ 0 (a fraction: 0.05 for 5 %)"))
        }
        for (i, e) in entities.enumerated() {
            let x = e.extensionPD
            if !(x.isFinite && x >= 0 && x < 1) {
                issues.append(ModelIssue(.entity(index: i, key: "extension_pd"), value: "\(x)", rule: "must be a number with 0 ≤ extension_pd < 1"))
                continue
            }
            // A rated entity in market valuation is checked on its rating's row.
            guard x > 0, !(market && e.rating != nil), e.pd.isFinite else { continue }
            if !(e.pd + x < 1) {
                issues.append(ModelIssue(.entity(index: i, key: "extension_pd"), value: "\(x)",
                                         rule: "pd + extension_pd must be < 1 (pd is \(e.pd))"))
            } else if let problem = e.creditEvent.pdCurve?.problem {
                issues.append(ModelIssue(.entity(index: i, key: "extension_pd"), value: "\(x)",
                                         rule: "the PD curve scaled by (pd + extension_pd)/pd is unusable: \(problem)"))
            }
        }
        for (i, b) in bonds.enumerated() {
            if let x = b.extensionLGD, !(x >= 0 && x <= 1) {
                issues.append(ModelIssue(.bond(index: i, key: "extension_lgd"), value: "\(x)", rule: "must be a number with 0 ≤ extension_lgd ≤ 1"))
                continue
            }
            guard let sd = b.extensionLGDSD else { continue }
            let m = b.extensionLGD ?? terms.extensionLGD(lgd: b.lgd)
            let most = (m * (1 - m)).squareRoot()
            if m.isFinite && !(sd.isFinite && sd > 0 && sd < most) {
                issues.append(ModelIssue(.bond(index: i, key: "extension_lgd_sd"), value: "\(sd)",
                                         rule: "a Beta extension loss with mean \(shortNumber(m)) needs 0 < extension_lgd_sd < √(m(1 − m)) = \(shortNumber(most))"))
            }
        }
    }

    /// The loss of bond `b` in an extension, a fraction of notional: its own `extensionLGD`, else
    /// the one the extension terms give for its lgd.
    public func extensionLGD(of b: Bond) -> Double {
        b.extensionLGD ?? extensionTerms.extensionLGD(lgd: b.lgd)
    }

    /// Whether some issuer can extend.
    public var hasExtension: Bool { entities.contains(where: \.extends) }

    /// T_b = min(maturity, horizon), or the horizon under rollover.
    @inlinable public func window(of bond: Bond) -> Double {
        rollover ? horizon : min(bond.maturity, horizon)
    }

    public var totalNotional: Double { bonds.reduce(0) { $0 + $1.notional } }

    /// Checks the entities and the dependence; returns the dependence's factor when it is valid.
    /// `ratedMayHaveZeroPD`: market valuation, where a rated entity's defaults come from its
    /// rating's row (CreditMetrics' AAA row has none).
    static func check(entities: [Entity], dependence: Dependence, knownFactor: CorrelationFactor?,
                      sectorWeights: Bool = false, ratedMayHaveZeroPD: Bool = false,
                      into issues: inout [ModelIssue]) -> CorrelationFactor? {
        var seen: [String: Int] = [:]
        let factorModel: FactorModel?
        var factor = knownFactor
        switch dependence {
        case let .factors(model):
            factorModel = model
            if factor == nil {
                factor = checkCorrelation(model.correlation, location: ModelIssue.Location.factorCorrelation, into: &issues)
            }
        case let .fullCorrelation(matrix):
            factorModel = nil
            if matrix.n != entities.count {
                issues.append(ModelIssue(.scenario(key: "correlation"), value: "\(matrix.n)×\(matrix.n)",
                                         rule: "must be \(entities.count)×\(entities.count), one row and column per entity"))
                factor = nil
            } else if factor == nil {
                factor = checkCorrelation(matrix, location: ModelIssue.Location.correlation, into: &issues)
            }
        }
        let correlationOK = issues.isEmpty
        for (i, e) in entities.enumerated() {
            checkUnique(e.id, of: "entity", i, at: .entity(index: i, key: "id"), seen: &seen, into: &issues)
            if let c = e.capacity, !(c.isFinite && c > 0) {
                issues.append(ModelIssue(.entity(index: i, key: "capacity"), value: "\(c)",
                                         rule: "must be a finite amount > 0 (leave it empty for no limit)"))
            }
            if !(e.pd.isFinite && (e.pd > 0 || (e.pd == 0 && ratedMayHaveZeroPD && e.rating != nil)) && e.pd < 1) {
                issues.append(ModelIssue(.entity(index: i, key: "pd"), value: "\(e.pd)",
                                         rule: "must be a number with 0 < pd < 1"))
            }
            guard let model = factorModel else { continue }
            if e.loadings.count != model.factorIDs.count {
                issues.append(ModelIssue(.entity(index: i, key: "loadings"), value: "\(e.loadings.count) values",
                                         rule: "must have one loading per factor (\(model.factorIDs.count))"))
                continue
            }
            var finite = true
            for (k, w) in e.loadings.enumerated() where !w.isFinite {
                finite = false
                issues.append(ModelIssue(.entity(index: i, key: model.factorIDs[k]), value: "\(w)",
                                         rule: "a loading must be a finite number"))
            }
            if let sd = e.pdSD, !(sd.isFinite && sd >= 0) {
                issues.append(ModelIssue(.entity(index: i, key: "pd_sd"), value: "\(sd)", rule: "must be a finite number ≥ 0"))
            }
            if finite && sectorWeights {
                for (k, w) in e.loadings.enumerated() where !(w >= 0 && w <= 1) {
                    issues.append(ModelIssue(.entity(index: i, key: model.factorIDs[k]), value: "\(w)",
                                             rule: "a CreditRisk+ sector weight must lie in [0, 1]"))
                }
                let total = e.loadings.reduce(0, +)
                if total > 1 + 1e-9 {
                    issues.append(ModelIssue(.entity(index: i, key: "loadings"), value: "sum \(shortNumber(total))",
                                             rule: "CreditRisk+ sector weights must sum to at most 1 (the rest is specific risk)"))
                }
                if total > 0 && e.pdSD == nil {
                    issues.append(ModelIssue(.entity(index: i, key: "pd_sd"), value: "(empty)",
                                             rule: "missing: CreditRisk+ needs the default-rate standard deviation pd_sd of an entity with sector weights"))
                }
            } else if finite && correlationOK {
                let s = model.systematicVariance(e.loadings)
                if !(s < 1) {
                    issues.append(ModelIssue(.entity(index: i, key: "loadings"), value: "systematic variance \(shortNumber(s))",
                                             rule: "wᵀΣw must be < 1 so that the idiosyncratic part √(1 − wᵀΣw) is real and non-zero"))
                }
            }
        }
        return factor
    }

    /// Checks a correlation matrix entry by entry, then factorises it (once per portfolio, with
    /// OpenBLAS's threads for a large matrix); nil when it is invalid.
    static func checkCorrelation(_ m: SymmetricMatrix, location: (Int, Int) -> ModelIssue.Location,
                                 into issues: inout [ModelIssue]) -> CorrelationFactor? {
        let before = issues.count
        for i in 0..<m.n {
            for j in 0..<m.n {
                let v = m[i, j]
                if !v.isFinite {
                    issues.append(ModelIssue(location(i, j), value: "\(v)", rule: "must be a finite number"))
                } else if i == j && v != 1 {
                    issues.append(ModelIssue(location(i, j), value: "\(v)", rule: "the diagonal must be exactly 1"))
                } else if j > i && abs(v - m[j, i]) > 1e-12 {
                    issues.append(ModelIssue(location(i, j), value: "\(v)",
                                             rule: "not symmetric: entry [\(j + 1)][\(i + 1)] is \(m[j, i])"))
                } else if abs(v) > 1 {
                    issues.append(ModelIssue(location(i, j), value: "\(v)", rule: "a correlation must lie in [-1, 1]"))
                }
            }
        }
        guard issues.count == before else { return nil }
        do {
            return try BLASThreadPolicy.factorisation(dimension: m.n, cores: ProcessInfo.processInfo.activeProcessorCount) {
                () throws(LinearAlgebraError) -> CorrelationFactor in try CorrelationFactor(m)
            }
        } catch {
            issues.append(ModelIssue(location(0, 0), value: "matrix", rule: error.description))
            return nil
        }
    }

    /// Records that `kind` #`index + 1` uses `id` (in `seen`); an issue when an earlier one did.
    static func checkUnique(_ id: String, of kind: String, _ index: Int, at location: ModelIssue.Location,
                            seen: inout [String: Int], into issues: inout [ModelIssue]) {
        if let first = seen[id] {
            issues.append(ModelIssue(location, value: id, rule: "duplicate id (first used by \(kind) #\(first + 1)); ids must be unique"))
        } else {
            seen[id] = index
        }
    }

    static func check(bonds: [Bond], entityCount: Int, into issues: inout [ModelIssue]) {
        var seen: [String: Int] = [:]
        // Sums of losses and their squares must stay finite: a cap on the total notional.
        var total = 0.0
        var largest = 0
        for (i, b) in bonds.enumerated() where b.notional.isFinite && b.notional > 0 {
            total += b.notional
            if b.notional > bonds[largest].notional || !(bonds[largest].notional.isFinite) { largest = i }
        }
        if !(total <= ModelLimits.totalNotional) {
            issues.append(ModelIssue(.bond(index: largest, key: "notional"), value: "\(bonds[largest].notional)",
                                     rule: "the notionals sum to \(total); the total must be at most 1e30 so that sums of losses, of their squares and the single-precision sector losses stay finite (use a larger unit)"))
        }
        func positive(_ x: Double) -> Bool { x.isFinite && x > 0 }
        for (i, b) in bonds.enumerated() {
            checkUnique(b.id, of: "bond", i, at: .bond(index: i, key: "id"), seen: &seen, into: &issues)
            if !(0..<entityCount).contains(b.issuer) {
                issues.append(ModelIssue(.bond(index: i, key: "issuer"), value: "#\(b.issuer)", rule: "unknown entity"))
            }
            if !positive(b.notional) {
                issues.append(ModelIssue(.bond(index: i, key: "notional"), value: "\(b.notional)", rule: "must be a finite number > 0"))
            }
            if !positive(b.maturity) {
                issues.append(ModelIssue(.bond(index: i, key: "maturity"), value: "\(b.maturity)", rule: "must be a finite number of years > 0"))
            }
            if !(b.lgd.isFinite && b.lgd >= 0 && b.lgd <= 1) {
                issues.append(ModelIssue(.bond(index: i, key: "lgd"), value: "\(b.lgd)", rule: "must be a number with 0 ≤ lgd ≤ 1"))
            } else if let sd = b.lgdSD {
                let most = (b.lgd * (1 - b.lgd)).squareRoot()
                if !(sd.isFinite && sd > 0 && sd < most) {
                    issues.append(ModelIssue(.bond(index: i, key: "lgd_sd"), value: "\(sd)",
                                             rule: "a Beta LGD with mean \(b.lgd) needs 0 < lgd_sd < √(lgd(1 − lgd)) = \(shortNumber(most))"))
                }
            }
            // A guarantor or seller must exist and must not be the issuer itself.
            func checkProvider(_ e: Int, key: String, own: String) {
                if !(0..<entityCount).contains(e) {
                    issues.append(ModelIssue(.bond(index: i, key: key), value: "#\(e)", rule: "unknown entity"))
                } else if e == b.issuer {
                    issues.append(ModelIssue(.bond(index: i, key: key), value: "#\(e)", rule: own))
                }
            }
            if let g = b.guarantee {
                checkProvider(g.guarantor, key: "guarantor", own: "an entity cannot guarantee its own bonds")
                if !(g.coverage.isFinite && g.coverage > 0 && g.coverage <= 1) {
                    issues.append(ModelIssue(.bond(index: i, key: "coverage"), value: "\(g.coverage)", rule: "must be a number with 0 < coverage ≤ 1"))
                }
            }
            if let p = b.protection {
                checkProvider(p.seller, key: "protection_seller", own: "an entity cannot sell protection on its own bonds")
                if !(positive(p.notional) && p.notional <= b.notional) {
                    issues.append(ModelIssue(.bond(index: i, key: "protection_notional"), value: "\(p.notional)",
                                             rule: "must be a number with 0 < protection_notional ≤ notional (\(b.notional))"))
                }
                if !(p.spreadBps.isFinite && p.spreadBps >= 0 && p.spreadBps <= 10_000) {
                    issues.append(ModelIssue(.bond(index: i, key: "protection_spread_bps"), value: "\(p.spreadBps)",
                                             rule: "must be a number of basis points in [0, 10000] (100 % a year)"))
                }
            }
        }
    }
}
