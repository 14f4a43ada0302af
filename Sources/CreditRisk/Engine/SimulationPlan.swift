/// A portfolio compiled for simulation, once per run: the latent model with its thresholds, the
/// path outcome (timing, bond layout, LGDs, enhancement waterfall), the copula's mixing, and the
/// twisting costs importance sampling needs. Each part owns only what it uses.
struct SimulationPlan: Sendable {
    enum Latent: Sendable {
        case factors(FactorLatent)
        case correlated(CorrelatedLatent)
    }

    /// The outcome, one concrete type per case so that the kernel is specialised for each.
    enum Outcome: Sendable {
        /// Default loss, constant hazards (§3).
        case constant(DefaultLoss<ConstantHazard>)
        /// Default loss, some entities with a PD term structure (§7).
        case piecewise(DefaultLoss<PiecewiseHazard>)
        /// Market value under rating migration (§8).
        case market(MarketValue)
    }

    let latent: Latent
    let outcome: Outcome
    let waterfall: EnhancementWaterfall
    let mixing: CopulaMixing
    /// Entities with a positive loss if they default by their longest window (not forced), and
    /// those losses: the costs c_e of the exponential twist.
    let twistEntities: [Int]
    let twistCosts: [Double]

    /// Loss of each plain issuer that defaults (NaN for the others); empty in market mode.
    var plainLoss: [Double] {
        switch outcome {
        case let .constant(o): return o.plainLoss
        case let .piecewise(o): return o.plainLoss
        case .market: return []
        }
    }

    var isMarket: Bool {
        if case .market = outcome { return true }
        return false
    }

    init(portfolio: Portfolio, factor: CorrelationFactor) {
        if portfolio.valuation == nil && portfolio.entities.contains(where: { $0.pdCurve != nil }) {
            self.init(portfolio: portfolio, factor: factor, timing: PiecewiseHazard(portfolio: portfolio)) { .piecewise($0) }
        } else {
            self.init(portfolio: portfolio, factor: factor, timing: ConstantHazard(portfolio: portfolio)) { .constant($0) }
        }
    }

    private init<Timing: DefaultTimeModel>(portfolio: Portfolio, factor: CorrelationFactor, timing: Timing,
                                           wrap: (DefaultLoss<Timing>) -> Outcome) {
        let n = portfolio.entities.count
        let layout = BondLayout(portfolio: portfolio)
        mixing = CopulaMixing(portfolio.copula)
        let market = portfolio.valuation
        // Threshold on the copula's marginal scale: the timing model's P(τ ≤ T) for each issuer's
        // longest window; −∞ without bonds, +∞ for a forced default (it passes every screen and
        // has τ = 0). Market mode screens by rating bands instead (`MarketValue.screen`); its
        // issuers get +∞ here, so the default screen would pass them all.
        var c = [Double](repeating: -.infinity, count: n)
        for e in 0..<n where layout.longestWindow[e] > 0 {
            c[e] = market != nil ? .infinity : mixing.quantile(timing.defaultProbability(e, within: layout.longestWindow[e]))
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
        if let market {
            let value = MarketValue(portfolio: portfolio, valuation: market, layout: layout, mixing: mixing, sigma: sigma)
            outcome = .market(value)
            waterfall = value.waterfall
            twistEntities = []
            twistCosts = []
            return
        }
        let loss = DefaultLoss(portfolio: portfolio, layout: layout, timing: timing, mixing: mixing, sigma: sigma)
        outcome = wrap(loss)
        waterfall = loss.waterfall
        var entities: [Int] = [], costs: [Double] = []
        for e in 0..<n where layout.start[e + 1] > layout.start[e] && !portfolio.forcedDefaults.contains(e) {
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
