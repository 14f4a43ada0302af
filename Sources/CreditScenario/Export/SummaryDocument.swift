import CreditRisk

/// The `summary.json` document (CONTRACT.md §5), also printed by `run --json`.
public struct SummaryDocument: Codable, Sendable {
    public struct Portfolio: Codable, Sendable {
        public var entities: Int
        public var bonds: Int
        public var totalNotional: Double
        enum CodingKeys: String, CodingKey {
            case entities, bonds
            case totalNotional = "total_notional"
        }
    }

    public struct Quantile: Codable, Sendable {
        public var level: Double
        public var valueAtRisk: Double
        public var expectedShortfall: Double
        /// 95 % confidence interval of VaR (order statistics).
        public var valueAtRiskCILow: Double
        public var valueAtRiskCIHigh: Double
        public var expectedShortfallSE: Double
        enum CodingKeys: String, CodingKey {
            case level
            case valueAtRisk = "var"
            case expectedShortfall = "es"
            case valueAtRiskCILow = "var_ci_low"
            case valueAtRiskCIHigh = "var_ci_high"
            case expectedShortfallSE = "es_se"
        }

        init(_ q: QuantileMeasure) {
            level = q.level
            valueAtRisk = q.valueAtRisk
            expectedShortfall = q.expectedShortfall
            valueAtRiskCILow = q.valueAtRiskLower
            valueAtRiskCIHigh = q.valueAtRiskUpper
            expectedShortfallSE = q.expectedShortfallSE
        }
    }

    /// P(L > x) and its standard error √(p(1 − p)/n).
    public struct Tail: Codable, Sendable {
        public var threshold: Double
        public var probability: Double
        public var se: Double
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

    public struct Loss: Codable, Sendable {
        public var expectedLoss: Double
        public var expectedLossSE: Double
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

        init(_ s: LossSummary, lattice: LatticeLoss, thresholds: [Double]) {
            expectedLoss = s.expectedLoss
            expectedLossSE = 0
            stdDev = s.stdDev
            quantiles = s.quantiles.map(Quantile.init)
            tail = thresholds.isEmpty ? nil : thresholds.map { Tail(threshold: $0, probability: lattice.exceedance($0), se: 0) }
        }

        init(_ s: LossSummary, distribution: EmpiricalLoss, thresholds: [Double]) {
            expectedLoss = s.expectedLoss
            expectedLossSE = s.expectedLossSE
            stdDev = s.stdDev
            quantiles = s.quantiles.map(Quantile.init)
            tail = thresholds.isEmpty ? nil : thresholds.map { x in
                let (p, se) = distribution.exceedance(x)
                return Tail(threshold: x, probability: p, se: se)
            }
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
            let k = lines.reduce(0) { $0 + $1.capital }
            irb = IRB(capital: k, riskWeightedAssets: 12.5 * k)
            economic = net.quantiles.map {
                Economic(level: $0.level, varMinusEL: $0.valueAtRisk - net.expectedLoss, esMinusEL: $0.expectedShortfall - net.expectedLoss)
            }
        }
    }

    public var scenario: String
    /// `currency` and `unit` of every amount (nil when the scenario does not say).
    public var currency: String?
    public var unit: String?
    /// `default` (default losses, §4) or `market` (mark-to-market under migration, §8: losses
    /// are signed, gains negative).
    public var valuation: String = "default"
    /// `copula` (simulation) or `creditriskplus` (analytic).
    public var model: String = "copula"
    /// CreditRisk+ only: the loss unit of the lattice, and how enhancements were treated.
    public var lossUnit: Double?
    public var enhancements: String?
    public var capital: Capital?
    /// The stress applied, or nil for the base scenario.
    public var stress: String?
    /// plain or importance.
    public var method: String = "plain"
    /// Importance sampling: the target loss of the twist and the factor shift μ.
    public var importanceTarget: Double?
    public var importanceShift: [Double]?
    public var paths: Int
    /// Paths asked for; more than `paths` when the run was interrupted.
    public var requestedPaths: Int
    /// True when the run was stopped early (Ctrl-C) and holds only its finished blocks.
    public var partial: Bool
    /// With `partial`: where the stop came: "simulation" (fewer paths than requested),
    /// "contributions" (figures whole, contributions missing) or "before stress NAME".
    public var interruptedPhase: String?
    public var seed: UInt64
    public var threads: Int
    /// MPI processes the run was split over (`mpirun -np N`); absent for a one-process run.
    public var ranks: Int?
    public var horizon: Double
    public var rollover: Bool
    public var copula: String
    public var elapsedSeconds: Double
    public var pathsPerSecond: Double
    public var namePathsPerSecond: Double
    public var portfolio: Portfolio
    public var expectedPremium: Double
    /// Standard error of the expected premium (it depends on when protected issuers default).
    public var expectedPremiumSE: Double?
    public var net: Loss
    public var gross: Loss
    public var guarantors: [Provider]
    public var protectionSellers: [Provider]
    /// A stress's summary: the stress minus the base on the same paths.
    public var versusBase: VersusBase?
    /// `run --precision`: the relative SE of the net ES at the highest level asked for and
    /// reached, and the paths it took.
    public struct Precision: Codable, Sendable {
        public var target: Double
        public var achieved: Double
        public var paths: Int
    }
    public var precision: Precision?
    /// What the tail looks like at each level: factor and sector means over the paths beyond VaR.
    public var tailScenario: [TailScenarioDocument]?
    /// Importance sampling: the factor shift in the factors' own space, Z-shift = Lμ.
    public var importanceFactorShift: [Double]?
    /// Some issuer can extend: P(at least one extension hits a bond on a path).
    public var extensionProbability: Expectation?

    enum CodingKeys: String, CodingKey {
        case scenario, stress, method, paths, partial, seed, model, enhancements, capital, currency, unit, valuation
        case lossUnit = "loss_unit"
        case importanceTarget = "importance_target"
        case importanceShift = "importance_shift", threads, ranks, horizon, rollover, copula
        case requestedPaths = "requested_paths"
        case interruptedPhase = "interrupted_phase"
        case elapsedSeconds = "elapsed_seconds"
        case pathsPerSecond = "paths_per_second"
        case namePathsPerSecond = "name_paths_per_second"
        case portfolio
        case expectedPremium = "expected_premium"
        case expectedPremiumSE = "expected_premium_se"
        case net, gross, guarantors
        case protectionSellers = "protection_sellers"
        case versusBase = "versus_base"
        case tailScenario = "tail_scenario"
        case precision
        case importanceFactorShift = "importance_factor_shift"
        case extensionProbability = "extension_probability"
    }

    /// `portfolio` is the portfolio simulated (a stress's, when one applies); the scenario's by default.
    public init(scenario: Scenario, report: RiskReport, output: SimulationOutput, requestedPaths: Int,
                portfolio simulated: CreditRisk.Portfolio? = nil) {
        let p = simulated ?? scenario.portfolio
        self.scenario = scenario.name
        currency = scenario.currency
        unit = scenario.unit
        valuation = p.valuation == nil ? "default" : "market"
        paths = report.paths
        self.requestedPaths = requestedPaths
        partial = report.paths < requestedPaths
        seed = output.settings.seed
        threads = output.settings.threads
        horizon = p.horizon
        rollover = p.rollover
        switch p.copula {
        case .gaussian: copula = "gaussian"
        case let .studentT(nu): copula = "student-t(\(nu))"
        }
        elapsedSeconds = output.elapsedSeconds
        pathsPerSecond = output.elapsedSeconds > 0 ? Double(report.paths) / output.elapsedSeconds : 0
        namePathsPerSecond = pathsPerSecond * Double(p.entities.count)
        portfolio = Portfolio(entities: p.entities.count, bonds: p.bonds.count, totalNotional: p.totalNotional)
        expectedPremium = report.expectedPremium
        expectedPremiumSE = report.expectedPremiumSE
        net = Loss(report.net, distribution: report.netDistribution, thresholds: scenario.tailThresholds)
        gross = Loss(report.gross, distribution: report.grossDistribution, thresholds: scenario.tailThresholds)
        guarantors = report.guarantors.map(Provider.init)
        protectionSellers = report.protectionSellers.map(Provider.init)
        net.expectedLossByState = report.netByState.map(ByState.init)
        gross.expectedLossByState = report.grossByState.map(ByState.init)
        extensionProbability = report.extensionProbability.map(Expectation.init)
    }

    /// The summary of a CreditRisk+ evaluation: the same keys, with `method` and `model`
    /// `creditriskplus`, `paths` 0, and every standard error 0 (VaR intervals collapse to VaR).
    public init(scenario: Scenario, net: LatticeLoss, gross: LatticeLoss, lossUnit: Double, seed: UInt64,
                elapsedSeconds: Double, capital lines: [BaselIRB.Line]?) {
        let p = scenario.portfolio
        self.scenario = scenario.name
        currency = scenario.currency
        unit = scenario.unit
        model = LossModel.creditRiskPlus.rawValue
        method = LossModel.creditRiskPlus.rawValue
        self.lossUnit = lossUnit
        enhancements = "substitution"
        paths = 0
        requestedPaths = 0
        partial = false
        self.seed = seed
        threads = 1
        horizon = p.horizon
        rollover = p.rollover
        copula = "none"
        self.elapsedSeconds = elapsedSeconds
        pathsPerSecond = 0
        namePathsPerSecond = 0
        portfolio = Portfolio(entities: p.entities.count, bonds: p.bonds.count, totalNotional: p.totalNotional)
        expectedPremium = 0
        expectedPremiumSE = nil
        self.net = Loss(net.summary(levels: scenario.levels), lattice: net, thresholds: scenario.tailThresholds)
        self.gross = Loss(gross.summary(levels: scenario.levels), lattice: gross, thresholds: scenario.tailThresholds)
        guarantors = []
        protectionSellers = []
        capital = lines.map { Capital(lines: $0, net: self.net) }
    }
}
