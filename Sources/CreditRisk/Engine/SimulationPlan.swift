/// A portfolio compiled for simulation, once per run: the latent model with its thresholds, the
/// default-loss outcome (timing, bond layout, LGDs, enhancement waterfall), the copula's mixing,
/// and the twisting costs importance sampling needs. Each part owns only what it uses.
struct SimulationPlan: Sendable {
    enum Latent: Sendable {
        case factors(FactorLatent)
        case correlated(CorrelatedLatent)
    }

    let latent: Latent
    let outcome: DefaultLoss<ConstantHazard>
    let mixing: CopulaMixing
    /// Entities with a positive loss if they default by their longest window (not forced), and
    /// those losses: the costs c_e of the exponential twist.
    let twistEntities: [Int]
    let twistCosts: [Double]

    var waterfall: EnhancementWaterfall { outcome.waterfall }

    init(portfolio: Portfolio, factor: CorrelationFactor) {
        let n = portfolio.entities.count
        let timing = ConstantHazard(portfolio: portfolio)
        let layout = BondLayout(portfolio: portfolio)
        mixing = CopulaMixing(portfolio.copula)
        // Threshold on the copula's marginal scale: P(τ ≤ T) for each issuer's longest window;
        // −∞ without bonds, +∞ for a forced default (it passes every screen and has τ = 0).
        var c = [Double](repeating: -.infinity, count: n)
        for e in 0..<n where layout.longestWindow[e] > 0 {
            c[e] = mixing.quantile(portfolio.entities[e].defaultProbability(within: layout.longestWindow[e]))
        }
        for e in portfolio.forcedDefaults { c[e] = .infinity }
        let sigma: [Double]
        switch portfolio.dependence {
        case let .factors(model):
            let f = FactorLatent(entities: portfolio.entities, model: model, factor: factor.values, threshold: c,
                                 table: DefaultScreen())
            latent = .factors(f)
            sigma = f.sigma
        case .fullCorrelation:
            latent = .correlated(CorrelatedLatent(factor: factor, threshold: c))
            sigma = [Double](repeating: 1, count: n)
        }
        outcome = DefaultLoss(portfolio: portfolio, layout: layout, timing: timing, mixing: mixing, sigma: sigma)
        var entities: [Int] = [], costs: [Double] = []
        for e in 0..<n where layout.start[e + 1] > layout.start[e] && !timing.forcedDefault[e] {
            var loss = 0.0
            for j in layout.start[e]..<layout.start[e + 1] { loss += portfolio.bonds[layout.order[j]].lossGivenDefault }
            if loss > 0 {
                entities.append(e)
                costs.append(loss)
            }
        }
        twistEntities = entities
        twistCosts = costs
    }
}
