import CreditMath
import CreditModel
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A portfolio compiled for simulation, once per run: the latent model with its thresholds, the
/// path outcome (credit states: ladder, event times, bond layout, state losses, enhancement
/// waterfall), the copula's mixing, and the importance-sampling tilt's events and costs. Each
/// part owns only what it uses.
struct SimulationPlan: Sendable {
    enum Latent: Sendable {
        case factors(FactorLatent)
        case correlated(CorrelatedLatent)
    }

    /// The outcome, one concrete type per case so that the kernel is specialised for each.
    enum Outcome: Sendable {
        /// Default valuation, constant hazards.
        case constant(CreditStates<DefaultLadder<ConstantHazard>>)
        /// Default valuation, some entities with a PD term structure.
        case piecewise(CreditStates<DefaultLadder<PiecewiseHazard>>)
        /// Market valuation (rating migration), constant hazards inside the horizon.
        case market(CreditStates<RatingLadder<ConstantHazard>>)
        /// Market valuation, some ratings with a PD term structure shaping default times.
        case marketPiecewise(CreditStates<RatingLadder<PiecewiseHazard>>)
    }

    let latent: Latent
    let outcome: Outcome
    let waterfall: EnhancementWaterfall
    let mixing: CopulaMixing
    /// The importance sampler's tilt: the entities with a loss-bearing event worth twisting (a
    /// positive cost, not forced), the event's threshold on the latent scale divided by σ_e
    /// (X_e/σ_e below it: D or E can hit a bond), and its cost c_e.
    let twistEntities: [Int]
    let twistThresholds: [Double]
    let twistCosts: [Double]
    /// Whether losses and payouts are split by credit state (some issuer can extend).
    let splitsStates: Bool

    /// Loss of each plain issuer that defaults (NaN for the others); empty in market mode.
    var plainLoss: [Double] {
        switch outcome {
        case let .constant(o): return o.ladder.plainLoss
        case let .piecewise(o): return o.ladder.plainLoss
        case .market, .marketPiecewise: return []
        }
    }

    var isMarket: Bool {
        switch outcome {
        case .market, .marketPiecewise: return true
        case .constant, .piecewise: return false
        }
    }

    init(portfolio: Portfolio, factor: CorrelationFactor) {
        let layout = BondLayout(portfolio: portfolio)
        let mixing = CopulaMixing(portfolio.copula)
        self.mixing = mixing
        splitsStates = portfolio.hasExtension
        waterfall = EnhancementWaterfall(portfolio: portfolio, order: layout.order, windows: layout.window)
        let n = portfolio.entities.count
        let forced = portfolio.forcedDefaults
        if let market = portfolio.valuation {
            // Market valuation screens by rating bands (`RatingLadder.screen`): the default
            // screen's thresholds are +∞ for issuers, so it would pass them all.
            var c = [Double](repeating: -.infinity, count: n)
            for e in 0..<n where layout.longestWindow[e] > 0 { c[e] = .infinity }
            let (latent, sigma) = Self.latent(portfolio, factor: factor, threshold: c)
            self.latent = latent
            let m = MarketPlan(portfolio: portfolio, valuation: market, layout: layout, mixing: mixing, sigma: sigma,
                               waterfall: waterfall)
            if m.usesCurves {
                let outcome = m.outcome(PiecewiseHazard(curves: m.curves, hazard: m.hazard, forcedDefault: forced),
                                        PiecewiseHazard(curves: m.eventCurves, hazard: m.eventHazard, forcedDefault: forced))
                self.outcome = .marketPiecewise(outcome)
                (twistEntities, twistThresholds, twistCosts) = m.twist(outcome)
            } else {
                let outcome = m.outcome(ConstantHazard(hazard: m.hazard, forcedDefault: forced),
                                        ConstantHazard(hazard: m.eventHazard, forcedDefault: forced))
                self.outcome = .market(outcome)
                (twistEntities, twistThresholds, twistCosts) = m.twist(outcome)
            }
            return
        }
        let events = portfolio.entities.map(\.creditEvent)
        if portfolio.entities.contains(where: { $0.pdCurve != nil }) {
            let timing = PiecewiseHazard(portfolio: portfolio)
            let eventTiming = PiecewiseHazard(curves: events.map(\.pdCurve), hazard: events.map(\.hazard), forcedDefault: forced)
            let (latent, outcome) = Self.defaultOutcome(portfolio, factor: factor, layout: layout, mixing: mixing,
                                                        waterfall: waterfall, timing: timing, eventTiming: eventTiming)
            self.latent = latent
            self.outcome = .piecewise(outcome)
            (twistEntities, twistThresholds, twistCosts) = Self.defaultTwist(portfolio, latent: latent, outcome: outcome)
        } else {
            let timing = ConstantHazard(portfolio: portfolio)
            let eventTiming = ConstantHazard(entities: events, forcedDefault: forced)
            let (latent, outcome) = Self.defaultOutcome(portfolio, factor: factor, layout: layout, mixing: mixing,
                                                        waterfall: waterfall, timing: timing, eventTiming: eventTiming)
            self.latent = latent
            self.outcome = .constant(outcome)
            (twistEntities, twistThresholds, twistCosts) = Self.defaultTwist(portfolio, latent: latent, outcome: outcome)
        }
    }

    /// The latent model with thresholds `c` on the copula's scale, and σ_e per entity.
    private static func latent(_ portfolio: Portfolio, factor: CorrelationFactor, threshold c: [Double]) -> (Latent, [Double]) {
        switch portfolio.dependence {
        case let .factors(model):
            let f = FactorLatent(entities: portfolio.entities, model: model, factor: factor.values, threshold: c,
                                 table: DefaultScreen())
            return (.factors(f), f.sigma)
        case .fullCorrelation:
            return (.correlated(CorrelatedLatent(factor: factor, threshold: c)),
                    [Double](repeating: 1, count: portfolio.entities.count))
        }
    }

    /// Default valuation. The screen's threshold of each issuer is the copula quantile of the
    /// probability that a credit event hits its longest window: P(τ ≤ T) of its hard default, or
    /// of the combined event for an issuer that extends; −∞ without bonds, +∞ for a forced
    /// default (it passes every screen and has τ = 0).
    private static func defaultOutcome<Timing: DefaultTimeModel>(
        _ portfolio: Portfolio, factor: CorrelationFactor, layout: BondLayout, mixing: CopulaMixing,
        waterfall: EnhancementWaterfall, timing: Timing, eventTiming: Timing
    ) -> (Latent, CreditStates<DefaultLadder<Timing>>) {
        let n = portfolio.entities.count
        var c = [Double](repeating: -.infinity, count: n)
        for e in 0..<n where layout.longestWindow[e] > 0 {
            let events = portfolio.entities[e].extends ? eventTiming : timing
            c[e] = mixing.quantile(events.defaultProbability(e, within: layout.longestWindow[e]))
        }
        for e in portfolio.forcedDefaults { c[e] = .infinity }
        let (latent, sigma) = Self.latent(portfolio, factor: factor, threshold: c)
        let ordered = layout.order.map { portfolio.bonds[$0] }
        let extensionRate = ordered.map { portfolio.extensionLGD(of: $0) }
        let lgd = StochasticLGD(ordered: ordered, extensionMean: extensionRate, sigma: sigma,
                                correlation: portfolio.lgdCorrelation)
        let losses = StateLossTable(ordered: ordered, extensionRate: extensionRate, creditStates: 2, lgd: lgd)
        let outcome = CreditStates(ladder: DefaultLadder<Timing>(portfolio: portfolio, layout: layout),
                                   clock: CreditEventClock(hardDefault: timing, creditEvent: eventTiming, mixing: mixing),
                                   waterfall: waterfall, losses: losses, bondStart: layout.start, bondOrder: layout.order,
                                   bondWindow: layout.window, longestWindow: layout.longestWindow, horizon: portfolio.horizon)
        return (latent, outcome)
    }

    /// Default valuation's tilt: the event "a credit event hits e's longest window" (X_e below
    /// the screen's threshold) with cost Σ notional·lgd, or for an issuer that extends the mean
    /// of its D and E losses weighted by their probabilities over that window.
    private static func defaultTwist<Timing: DefaultTimeModel>(
        _ portfolio: Portfolio, latent: Latent, outcome: CreditStates<DefaultLadder<Timing>>
    ) -> ([Int], [Double], [Double]) {
        guard case let .factors(f) = latent else { return ([], [], []) }
        let timing = outcome.clock.hardDefault, eventTiming = outcome.clock.creditEvent, table = outcome.losses
        var entities: [Int] = [], thresholds: [Double] = [], costs: [Double] = []
        for (e, entity) in portfolio.entities.enumerated()
        where outcome.bondStart[e + 1] > outcome.bondStart[e] && !portfolio.forcedDefaults.contains(e) {
            var loss = 0.0, extensionLoss = 0.0
            for j in outcome.bondStart[e]..<outcome.bondStart[e + 1] {
                loss += table.credit[2 * j]
                extensionLoss += table.credit[2 * j + 1]
            }
            if entity.extends {
                let t = outcome.longestWindow[e]
                let d = timing.defaultProbability(e, within: t)
                let x = max(0, eventTiming.defaultProbability(e, within: t) - timing.defaultProbability(e, within: portfolio.horizon))
                if d + x > 0 { loss = (d * loss + x * extensionLoss) / (d + x) }
            }
            if loss > 0 {
                entities.append(e)
                thresholds.append(f.threshold[e])
                costs.append(loss)
            }
        }
        return (entities, thresholds, costs)
    }
}

/// What market valuation compiles once: each rated entity's horizon state probabilities, the
/// bonds' horizon values per rating, and the hazards of the two credit events.
private struct MarketPlan {
    let portfolio: Portfolio
    let valuation: MarketValuation
    let layout: BondLayout
    let mixing: CopulaMixing
    let sigma: [Double]
    let waterfall: EnhancementWaterfall
    let rows: [RatingRow?]
    /// Per entity, a constant hazard matching its horizon probability of D, and of D or E.
    let hazard: [Double]
    let eventHazard: [Double]
    /// Per entity, its rating's PD curve scaled to the horizon probability of D (of D or E).
    let curves: [PDCurve?]
    let eventCurves: [PDCurve?]
    let creditStates: Int
    /// The grouped bonds, their horizon values per rating (best first) and current values.
    let ordered: [Bond]
    let values: [[Double]]
    let current: [Double]

    var usesCurves: Bool { curves.contains { $0 != nil } }

    init(portfolio: Portfolio, valuation v: MarketValuation, layout: BondLayout, mixing: CopulaMixing,
         sigma: [Double], waterfall: EnhancementWaterfall) {
        self.portfolio = portfolio
        valuation = v
        self.layout = layout
        self.mixing = mixing
        self.sigma = sigma
        self.waterfall = waterfall
        let h = portfolio.horizon, years = Int(h.rounded())
        let matrix = v.transition(years: years)
        creditStates = portfolio.hasExtension ? 2 : 1
        var rows: [RatingRow?] = [], hazard: [Double] = [], eventHazard: [Double] = []
        var curves: [PDCurve?] = [], eventCurves: [PDCurve?] = []
        for entity in portfolio.entities {
            let d: Double, x: Double
            var row: RatingRow? = nil
            if let r = entity.rating, r < v.scale.count {
                let states = RatingRow(matrix[r], pdMultiplier: entity.pdMultiplier, extensionPD: entity.extensionPD,
                                       years: years)
                row = states
                d = states.hardDefault
                x = states.extended
            } else {
                d = entity.defaultProbability(within: h)
                x = entity.extends ? entity.creditEvent.defaultProbability(within: h) - d : 0
            }
            rows.append(row)
            hazard.append(d > 0 ? -log1p(-d) / h : 0)
            eventHazard.append(d + x > 0 ? -log1p(-(d + x)) / h : 0)
            // A rated entity's PD curve shapes its event times inside the horizon, scaled so that
            // P(τ ≤ H) is the row's probability.
            if row != nil, let curve = entity.pdCurve, curve.probability(within: h) > 0 {
                let atH = curve.probability(within: h)
                curves.append(curve.scaled(by: d / atH))
                eventCurves.append(curve.scaled(by: (d + x) / atH))
            } else {
                curves.append(nil)
                eventCurves.append(nil)
            }
        }
        self.rows = rows
        self.hazard = hazard
        self.eventHazard = eventHazard
        self.curves = curves
        self.eventCurves = eventCurves
        let ordered = layout.order.map { portfolio.bonds[$0] }
        self.ordered = ordered
        let values = ordered.map { b in (0..<v.scale.count).map { v.horizonValue(of: b, rating: $0, horizon: h) } }
        self.values = values
        current = Self.currentValues(portfolio: portfolio, layout: layout, values: values)
    }

    /// Each grouped bond's value at H if nothing moves: V(issuer's rating), or for a bond whose
    /// guarantor has a rating c·V(better of the two ratings) + (1 − c)·V(issuer's rating).
    static func currentValues(portfolio: Portfolio, layout: BondLayout, values: [[Double]]) -> [Double] {
        layout.order.enumerated().map { j, file in
            let b = portfolio.bonds[file]
            let ri = portfolio.entities[b.issuer].rating ?? 0
            guard let g = b.guarantee, let rg = portfolio.entities[g.guarantor].rating else { return values[j][ri] }
            return g.coverage * values[j][min(ri, rg)] + (1 - g.coverage) * values[j][ri]
        }
    }

    func outcome<Timing: DefaultTimeModel>(_ timing: Timing, _ eventTiming: Timing) -> CreditStates<RatingLadder<Timing>> {
        let v = valuation, h = portfolio.horizon, n = v.scale.count
        let providers = Set(waterfall.guarantorEntities + waterfall.sellerEntities)
        let ladder = RatingLadder<Timing>(portfolio: portfolio, valuation: v, layout: layout, mixing: mixing, sigma: sigma,
                                          rowOf: rows, values: values, currentValue: current, providers: providers,
                                          creditStates: creditStates)
        let extensionRate = ordered.map { portfolio.extensionLGD(of: $0) }
        let lgd = StochasticLGD(ordered: ordered, extensionMean: extensionRate, sigma: sigma,
                                correlation: portfolio.lgdCorrelation)
        // Rating columns worst first: state creditStates + k is the rating n − 1 − k.
        let ratingValues = values.map { row in (0..<n).map { row[n - 1 - $0] } }
        let losses = StateLossTable(ordered: ordered, extensionRate: extensionRate, creditStates: creditStates, lgd: lgd,
                                    valuation: (current, ratingValues))
        return CreditStates(ladder: ladder,
                            clock: CreditEventClock(hardDefault: timing, creditEvent: eventTiming, mixing: mixing),
                            waterfall: waterfall, losses: losses, bondStart: layout.start, bondOrder: layout.order,
                            bondWindow: layout.window, longestWindow: layout.longestWindow, horizon: h)
    }

    /// Market valuation's tilt: the event "in D or E at H" (X_e/σ_e below the last credit state's
    /// cut) with cost the issuer's market loss in D, or the mean of its D and E losses weighted
    /// by their probabilities.
    func twist<Timing>(_ outcome: CreditStates<RatingLadder<Timing>>) -> ([Int], [Double], [Double]) {
        guard case .factors = portfolio.dependence else { return ([], [], []) }
        let table = outcome.losses, width = table.width
        var entities: [Int] = [], thresholds: [Double] = [], costs: [Double] = []
        for e in portfolio.entities.indices
        where layout.start[e + 1] > layout.start[e] && !portfolio.forcedDefaults.contains(e) {
            guard let row = rows[e] else { continue }
            var loss = 0.0, extensionLoss = 0.0
            for j in layout.start[e]..<layout.start[e + 1] {
                loss += table.loss[j * width]
                if creditStates > 1 { extensionLoss += table.loss[j * width + 1] }
            }
            let d = row.hardDefault, x = row.extended
            if x > 0 { loss = (d * loss + x * extensionLoss) / (d + x) }
            if loss > 0 && d + x > 0 {
                entities.append(e)
                thresholds.append(outcome.ladder.creditEventCut(e))
                costs.append(loss)
            }
        }
        return (entities, thresholds, costs)
    }
}
