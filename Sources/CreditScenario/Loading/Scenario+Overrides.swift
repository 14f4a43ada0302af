import CreditRisk

extension Scenario {
    /// The scenario with its horizon or levels replaced (command-line overrides). The portfolio is
    /// validated again, so a horizon that breaks a rule is refused like one in the file.
    public func overriding(horizon: Double? = nil, levels: [Double]? = nil) throws(PortfolioError) -> Scenario {
        var p = portfolio
        if let horizon {
            p = try Portfolio(entities: p.entities, bonds: p.bonds, dependence: p.dependence, copula: p.copula,
                              horizon: horizon, rollover: p.rollover, forcedDefaults: p.forcedDefaults,
                              lgdCorrelation: p.lgdCorrelation, loadingsAreSectorWeights: p.loadingsAreSectorWeights,
                              valuation: p.valuation)
        }
        var copy = self
        copy.portfolio = p
        if let levels { copy.levels = levels }
        return copy
    }
}
