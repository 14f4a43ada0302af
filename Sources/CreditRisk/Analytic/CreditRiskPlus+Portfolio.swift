/// CreditRisk+ of a scenario portfolio: entities are the obligors, the factors the sectors.
extension CreditRiskPlus {
    /// Which loss of the portfolio to model.
    public enum LossView: Sendable {
        /// Every bond's loss stays with its issuer (no enhancements).
        case gross
        /// Guarantees and protection by substitution: the covered loss moves to the provider.
        case net
    }

    /// The obligors of `portfolio` for CreditRisk+ (one per entity with a positive exposure).
    ///
    /// - A bond's exposure is notional · lgd. It is one-period over the horizon H: an entity's
    ///   expected default count is μ = P(τ ≤ H) = 1 − (1 − pd)^H (the pd itself for H = 1), and
    ///   a bond exposed only over T_b < H (it matures first, without rollover) counts with the
    ///   factor P(τ ≤ T_b)/P(τ ≤ H), so that every bond keeps the expected loss of the simulation.
    /// - σ = pd_sd · μ/pd (0 without pd_sd); the sector weights are the entity's factor columns.
    /// - Net view, **substitution**: a guarantee moves coverage · notional · lgd of the bond's
    ///   exposure to the guarantor, protection then moves min(Np · lgd, what is left) to the
    ///   seller; each provider's part counts with the provider's window factor. The provider
    ///   then carries that loss when *it* defaults, whether or not the issuer does: the
    ///   regulatory substitution approach, not the simulation's joint-default rule (CreditRisk+
    ///   has no default times to compare). Capacity and stochastic LGD (lgd_sd, its mean is
    ///   used) are not modelled here.
    public static func obligors(of portfolio: Portfolio, view: LossView) -> [Obligor] {
        var exposure = [Double](repeating: 0, count: portfolio.entities.count)
        let horizonPD = portfolio.entities.map { $0.defaultProbability(within: portfolio.horizon) }
        func add(_ entity: Int, _ loss: Double, window: Double) {
            guard horizonPD[entity] > 0 else { return }
            exposure[entity] += loss * portfolio.entities[entity].defaultProbability(within: window) / horizonPD[entity]
        }
        for b in portfolio.bonds {
            let window = portfolio.window(of: b)
            var remaining = b.notional * b.lgd
            if view == .net {
                if let g = b.guarantee {
                    let covered = g.coverage * remaining
                    add(g.guarantor, covered, window: window)
                    remaining -= covered
                }
                if let p = b.protection {
                    let covered = min(p.notional * b.lgd, remaining)
                    add(p.seller, covered, window: window)
                    remaining -= covered
                }
            }
            add(b.issuer, remaining, window: window)
        }
        var out: [Obligor] = []
        for (i, e) in portfolio.entities.enumerated() where exposure[i] > 1e-12 * max(1, portfolio.totalNotional) {
            let mu = horizonPD[i]
            let weights: [Double] = portfolio.loadingsAreSectorWeights || isFactorModel(portfolio) ? e.loadings : []
            out.append(Obligor(id: e.id, exposure: exposure[i], expectedDefaults: mu,
                               defaultRateSD: (e.pdSD ?? 0) * mu / e.pd, sectorWeights: weights))
        }
        return out
    }

    static func isFactorModel(_ p: Portfolio) -> Bool {
        if case .factors = p.dependence { return true }
        return false
    }

    /// CreditRisk+ of the portfolio's gross or net loss; `lossUnit` nil for ⌈largest exposure/100⌉
    /// (of the gross view, so that net and gross share one lattice).
    public init(portfolio: Portfolio, view: LossView, lossUnit: Double? = nil) throws(PortfolioError) {
        let sectors: Int
        if case let .factors(model) = portfolio.dependence { sectors = model.factorIDs.count } else { sectors = 0 }
        let unit = lossUnit ?? Self.defaultLossUnit(maxExposure: Self.obligors(of: portfolio, view: .gross).map(\.exposure).max() ?? 1)
        try self.init(obligors: Self.obligors(of: portfolio, view: view), sectorCount: sectors, lossUnit: unit)
    }
}
