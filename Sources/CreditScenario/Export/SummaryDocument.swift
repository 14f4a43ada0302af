import CreditRisk

/// The `summary.json` document, also printed by `run --json`: one flat JSON object whose keys
/// come from typed sections — what was run (`Header`), how the run went (`RunFacts`), the loss
/// figures (`Losses`) and the analyst's answers (`Answers`). Each section encodes its own keys
/// into the same object, so a key belongs to exactly one section.
public struct SummaryDocument: Codable, Sendable {
    public var header: Header
    public var run: RunFacts
    public var losses: Losses
    public var answers: Answers

    public init(header: Header, run: RunFacts, losses: Losses, answers: Answers = Answers()) {
        self.header = header
        self.run = run
        self.losses = losses
        self.answers = answers
    }

    public func encode(to encoder: any Encoder) throws {
        try header.encode(to: encoder)
        try run.encode(to: encoder)
        try losses.encode(to: encoder)
        try answers.encode(to: encoder)
    }

    public init(from decoder: any Decoder) throws {
        header = try Header(from: decoder)
        run = try RunFacts(from: decoder)
        losses = try Losses(from: decoder)
        answers = try Answers(from: decoder)
    }
}

// MARK: Sections

extension SummaryDocument {
    /// `default` (default losses) or `market` (mark-to-market under migration: losses are signed,
    /// gains negative).
    public enum Valuation: String, Codable, Sendable { case `default`, market }

    /// How the figures were obtained.
    public enum Method: String, Codable, Sendable {
        case plain, importance
        case creditRiskPlus = "creditriskplus"
    }

    /// What was evaluated, and under which model.
    public struct Header: Codable, Sendable {
        public var scenario: String
        /// The stress applied, or nil for the base scenario.
        public var stress: String?
        /// `currency` and `unit` of every amount (nil when the scenario does not say).
        public var currency: String?
        public var unit: String?
        public var valuation: Valuation
        public var model: ModelName
        public var method: Method
        /// "gaussian", "student-t(ν)", or "none" for an analytic model.
        public var copula: String
        public var horizon: Double
        public var rollover: Bool
        public var portfolio: Portfolio
        /// CreditRisk+ only: the loss unit of the lattice, and how enhancements were treated.
        public var lossUnit: Double?
        public var enhancements: String?

        enum CodingKeys: String, CodingKey {
            case scenario, stress, currency, unit, valuation, model, method, copula, horizon, rollover, portfolio, enhancements
            case lossUnit = "loss_unit"
        }
    }

    /// How the run went: paths, seed, threads, timing, the stop that cut it short, precision and
    /// the importance shift.
    public struct RunFacts: Codable, Sendable {
        public var paths: Int
        /// Paths asked for; more than `paths` when the run was interrupted.
        public var requestedPaths: Int
        /// True when the run was stopped early (Ctrl-C) and holds only what finished.
        public var partial: Bool
        /// With `partial`: "simulation", "contributions", "before stress NAME" or "analytic".
        public var interruptedPhase: String?
        public var seed: UInt64
        public var threads: Int
        /// MPI processes the run was split over; absent for a one-process run.
        public var ranks: Int?
        public var elapsedSeconds: Double
        public var pathsPerSecond: Double
        public var namePathsPerSecond: Double
        public var precision: Precision?
        /// How `method auto` decided, when it did.
        public var methodReason: String?
        /// Importance sampling: the target loss of the twist, the shift μ of the normals and the
        /// shift in the factors' own space, Lμ.
        public var importanceTarget: Double?
        /// Importance sampling: whether the issuers' events were twisted as well (else the shift alone).
        public var importanceTwist: Bool?
        public var importanceShift: [Double]?
        public var importanceFactorShift: [Double]?

        enum CodingKeys: String, CodingKey {
            case paths, partial, seed, threads, ranks, precision
            case requestedPaths = "requested_paths"
            case interruptedPhase = "interrupted_phase"
            case elapsedSeconds = "elapsed_seconds"
            case pathsPerSecond = "paths_per_second"
            case namePathsPerSecond = "name_paths_per_second"
            case importanceTarget = "importance_target"
            case importanceTwist = "importance_twist"
            case importanceShift = "importance_shift"
            case importanceFactorShift = "importance_factor_shift"
            case methodReason = "method_reason"
        }

        /// Whole or where a stop came, as written.
        public init(paths: Int, requestedPaths: Int, status: RunStatus, seed: UInt64, threads: Int, elapsedSeconds: Double,
                    entities: Int) {
            self.paths = paths
            self.requestedPaths = requestedPaths
            partial = status.isPartial
            interruptedPhase = status.interruptedPhase?.description
            self.seed = seed
            self.threads = threads
            self.elapsedSeconds = elapsedSeconds
            pathsPerSecond = elapsedSeconds > 0 ? Double(paths) / elapsedSeconds : 0
            namePathsPerSecond = pathsPerSecond * Double(entities)
        }
    }

    /// The holder's net and gross loss, the providers' payouts and the premium.
    public struct Losses: Codable, Sendable {
        public var net: Loss
        public var gross: Loss
        public var guarantors: [Provider]
        public var protectionSellers: [Provider]
        public var expectedPremium: Double
        /// Standard error of the expected premium (it depends on when protected issuers default).
        public var expectedPremiumSE: Double?

        enum CodingKeys: String, CodingKey {
            case net, gross, guarantors
            case protectionSellers = "protection_sellers"
            case expectedPremium = "expected_premium"
            case expectedPremiumSE = "expected_premium_se"
        }
    }

    /// What an analyst acts on: differences from the base, the tail's factors, capital.
    public struct Answers: Codable, Sendable {
        /// A stress's summary: the stress minus the base on the same paths.
        public var versusBase: VersusBase?
        /// What the tail looks like at each level: factor and sector means over the paths beyond VaR.
        public var tailScenario: [TailScenarioDocument]?
        public var capital: Capital?
        /// Some issuer can extend: P(at least one extension hits a bond on a path).
        public var extensionProbability: Expectation?

        public init(versusBase: VersusBase? = nil, tailScenario: [TailScenarioDocument]? = nil, capital: Capital? = nil,
                    extensionProbability: Expectation? = nil) {
            self.versusBase = versusBase
            self.tailScenario = tailScenario
            self.capital = capital
            self.extensionProbability = extensionProbability
        }

        enum CodingKeys: String, CodingKey {
            case capital
            case extensionProbability = "extension_probability"
            case versusBase = "versus_base"
            case tailScenario = "tail_scenario"
        }
    }
}

// MARK: Parts

extension SummaryDocument {
    public struct Portfolio: Codable, Sendable {
        public var entities: Int
        public var bonds: Int
        public var totalNotional: Double
        enum CodingKeys: String, CodingKey {
            case entities, bonds
            case totalNotional = "total_notional"
        }

        init(_ p: CreditRisk.Portfolio) {
            entities = p.entities.count
            bonds = p.bonds.count
            totalNotional = p.totalNotional
        }
    }

    /// VaR and ES at one level. The errors are null for an exact distribution (CreditRisk+).
    public struct Quantile: Codable, Sendable {
        public var level: Double
        public var valueAtRisk: Double
        public var expectedShortfall: Double
        /// 95 % confidence interval of VaR (order statistics); nil when exact.
        @ExplicitNull public var valueAtRiskCILow: Double?
        @ExplicitNull public var valueAtRiskCIHigh: Double?
        @ExplicitNull public var expectedShortfallSE: Double?
        enum CodingKeys: String, CodingKey {
            case level
            case valueAtRisk = "var"
            case expectedShortfall = "es"
            case valueAtRiskCILow = "var_ci_low"
            case valueAtRiskCIHigh = "var_ci_high"
            case expectedShortfallSE = "es_se"
        }

        init(_ q: LossFigures.Quantile) {
            level = q.level
            valueAtRisk = q.valueAtRisk
            expectedShortfall = q.expectedShortfall
            valueAtRiskCILow = q.valueAtRiskLower
            valueAtRiskCIHigh = q.valueAtRiskUpper
            expectedShortfallSE = q.expectedShortfallSE
        }

        /// A simulated measure (every error present).
        init(_ q: QuantileMeasure) {
            self.init(LossFigures.Quantile(simulated: q))
        }
    }

    /// An expected figure and its standard error.
    public struct Expectation: Codable, Sendable {
        public var value: Double
        public var se: Double
        init(_ e: Estimate) {
            value = e.value
            se = e.standardError
        }
    }

    /// An expected figure split by credit state: hard defaults (`default`), extensions, and in
    /// market valuation migration (the rest).
    public struct ByState: Codable, Sendable {
        public var hardDefault: Expectation
        public var extended: Expectation
        public var migration: Expectation?
        enum CodingKeys: String, CodingKey {
            case hardDefault = "default"
            case extended = "extension"
            case migration
        }
        init(_ s: RiskReport.StateSplit) {
            hardDefault = Expectation(s.hardDefault)
            extended = Expectation(s.extended)
            migration = s.migration.map(Expectation.init)
        }
    }

    /// P(L > x) and its standard error √(p(1 − p)/n) (null when exact).
    public struct Tail: Codable, Sendable {
        public var threshold: Double
        public var probability: Double
        @ExplicitNull public var se: Double?

        init(_ e: LossFigures.Exceedance) {
            threshold = e.threshold
            probability = e.probability
            se = e.standardError
        }
    }

    /// One loss (net or gross) of any `LossDistribution`: its errors are null when it is exact.
    public struct Loss: Codable, Sendable {
        public var expectedLoss: Double
        @ExplicitNull public var expectedLossSE: Double?
        public var stdDev: Double
        public var quantiles: [Quantile]
        public var tail: [Tail]?
        /// Some issuer can extend: EL by credit state.
        public var expectedLossByState: ByState?
        enum CodingKeys: String, CodingKey {
            case expectedLoss = "expected_loss"
            case expectedLossSE = "expected_loss_se"
            case stdDev = "std_dev"
            case quantiles, tail
            case expectedLossByState = "expected_loss_by_state"
        }

        /// `figures` of `distribution` (given when already computed), with P(L > x) at `thresholds`.
        init(_ distribution: some LossDistribution, figures: LossFigures, thresholds: [Double]) {
            expectedLoss = figures.expectedLoss
            expectedLossSE = figures.expectedLossSE
            stdDev = figures.standardDeviation
            quantiles = figures.quantiles.map(Quantile.init)
            tail = thresholds.isEmpty ? nil : distribution.exceedanceFigures(at: thresholds).map(Tail.init)
        }
    }

    public struct Provider: Codable, Sendable {
        public var id: String
        public var expectedPayout: Double
        public var expectedPayoutSE: Double
        public var payingProbability: Double
        public var quantiles: [Quantile]
        /// Guarantors with a capacity only.
        public var capacity: Double?
        public var capacityExhaustedProbability: Double?
        public var capacityExhaustedSE: Double?
        /// Some issuer can extend: the expected payout on hard defaults and on extensions.
        public var expectedPayoutByState: ByState?
        enum CodingKeys: String, CodingKey {
            case id, capacity
            case expectedPayoutByState = "expected_payout_by_state"
            case capacityExhaustedProbability = "capacity_exhausted_probability"
            case capacityExhaustedSE = "capacity_exhausted_se"
            case expectedPayout = "expected_payout"
            case expectedPayoutSE = "expected_payout_se"
            case payingProbability = "paying_probability"
            case quantiles
        }

        init(_ p: RiskReport.ProviderSummary) {
            id = p.id
            expectedPayout = p.expectedPayout
            expectedPayoutSE = p.expectedPayoutSE
            payingProbability = p.payingProbability
            quantiles = p.quantiles.map(Quantile.init)
            capacity = p.capacity
            capacityExhaustedProbability = p.capacityExhaustedProbability
            capacityExhaustedSE = p.capacityExhaustedSE
            expectedPayoutByState = p.payoutByState.map(ByState.init)
        }
    }

    /// `run --precision`: the relative SE of the net ES at the highest level asked for and
    /// reached (absent while the ES is zero), the paths it took, and whether the target was met.
    public struct Precision: Codable, Sendable {
        public var target: Double
        public var achieved: Double?
        public var paths: Int
        public var met: Bool

        init(_ p: PrecisionOutcome) {
            target = p.target
            achieved = p.achieved
            paths = p.paths
            met = p.met
        }
    }

    /// Basel IRB capital (`output.capital: [irb]`) beside the economic capital of the run's net
    /// loss: VaR_q − EL and ES_q − EL at each level.
    public struct Capital: Codable, Sendable {
        public struct IRB: Codable, Sendable {
            public var capital: Double
            public var riskWeightedAssets: Double
            enum CodingKeys: String, CodingKey {
                case capital
                case riskWeightedAssets = "risk_weighted_assets"
            }

            public init(lines: [BaselIRB.Line]) {
                capital = lines.reduce(0) { $0 + $1.capital }
                riskWeightedAssets = 12.5 * capital
            }
        }
        public struct Economic: Codable, Sendable {
            public var level: Double
            public var varMinusEL: Double
            public var esMinusEL: Double
            enum CodingKeys: String, CodingKey {
                case level
                case varMinusEL = "var_minus_el"
                case esMinusEL = "es_minus_el"
            }
        }
        public var irb: IRB
        public var economic: [Economic]

        public init(lines: [BaselIRB.Line], net: Loss) {
            irb = IRB(lines: lines)
            economic = net.quantiles.map {
                Economic(level: $0.level, varMinusEL: $0.valueAtRisk - net.expectedLoss, esMinusEL: $0.expectedShortfall - net.expectedLoss)
            }
        }
    }
}

// MARK: Building

extension SummaryDocument {
    /// The summary of one simulated portfolio of a run (the base, a stress, a model comparison's
    /// copula, or merged shards).
    public init(_ o: RunOutcome, scenario: Scenario) {
        let p = o.portfolio, report = o.report
        header = Header(scenario: scenario.name, stress: o.stress?.name, currency: scenario.currency, unit: scenario.unit,
                        valuation: p.valuation == nil ? .default : .market, model: o.model,
                        method: o.method == .importance ? .importance : .plain, copula: Self.copulaLabel(p.copula),
                        horizon: p.horizon, rollover: p.rollover, portfolio: Portfolio(p))
        var facts = RunFacts(paths: report.paths, requestedPaths: o.requestedPaths, status: o.status, seed: o.output.settings.seed,
                             threads: o.output.settings.threads, elapsedSeconds: o.output.elapsedSeconds, entities: p.entities.count)
        facts.ranks = o.ranks
        facts.precision = o.precision.map(Precision.init)
        facts.importanceTarget = o.shift?.target
        facts.importanceTwist = o.shift?.twists
        facts.importanceShift = o.shift?.mu
        facts.importanceFactorShift = o.shift.map { Self.factorShift($0.mu, portfolio: p) }
        run = facts
        var net = Loss(report.netDistribution, figures: LossFigures(simulated: report.net), thresholds: scenario.tailThresholds)
        net.expectedLossByState = report.netByState.map(ByState.init)
        var gross = Loss(report.grossDistribution, figures: LossFigures(simulated: report.gross), thresholds: scenario.tailThresholds)
        gross.expectedLossByState = report.grossByState.map(ByState.init)
        losses = Losses(net: net, gross: gross,
                        guarantors: report.guarantors.map(Provider.init), protectionSellers: report.protectionSellers.map(Provider.init),
                        expectedPremium: report.expectedPremium, expectedPremiumSE: report.expectedPremiumSE)
        answers = Answers(versusBase: o.versusBase.map(VersusBase.init), tailScenario: o.tailScenario.map(TailScenarioDocument.init),
                          capital: o.capital.map { Capital(lines: $0, net: net) },
                          extensionProbability: report.extensionProbability.map(Expectation.init))
    }

    /// The summary of a CreditRisk+ evaluation: the same keys, with `method` and `model`
    /// `creditriskplus`, `paths` 0, and every standard error and VaR interval null (an exact distribution has none).
    public init(analytic o: AnalyticOutcome, scenario: Scenario) {
        let p = scenario.portfolio
        header = Header(scenario: scenario.name, stress: nil, currency: scenario.currency, unit: scenario.unit,
                        valuation: .default, model: .creditRiskPlus, method: .creditRiskPlus, copula: "none",
                        horizon: p.horizon, rollover: p.rollover, portfolio: Portfolio(p), lossUnit: o.lossUnit,
                        enhancements: o.enhancements)
        run = RunFacts(paths: 0, requestedPaths: 0, status: .complete, seed: o.seed, threads: 1,
                       elapsedSeconds: o.elapsedSeconds, entities: 0)
        let net = Loss(o.net, figures: o.net.figures(levels: scenario.levels), thresholds: scenario.tailThresholds)
        losses = Losses(net: net, gross: Loss(o.gross, figures: o.gross.figures(levels: scenario.levels), thresholds: scenario.tailThresholds),
                        guarantors: [], protectionSellers: [], expectedPremium: 0)
        answers = Answers(capital: o.capital.map { Capital(lines: $0, net: net) })
    }

    static func copulaLabel(_ c: Copula) -> String {
        switch c {
        case .gaussian: return "gaussian"
        case let .studentT(nu): return "student-t(\(nu))"
        }
    }

    /// Lμ: the importance shift μ of the independent normals ξ, in the factors' own space Z = Lξ.
    static func factorShift(_ mu: [Double], portfolio: CreditRisk.Portfolio) -> [Double] {
        let l = portfolio.dependenceFactor.values, k = mu.count
        guard l.count == k * k else { return mu }
        return (0..<k).map { i in (0..<k).reduce(0) { $0 + l[i * k + $1] * mu[$1] } }
    }
}
