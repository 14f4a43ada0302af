import CreditRisk

/// A loaded, fully validated scenario: the portfolio plus how to simulate and report it.
public struct Scenario: Sendable {
    /// Path of the scenario file.
    public internal(set) var path: String
    public internal(set) var name: String
    public internal(set) var description: String?
    public internal(set) var portfolio: Portfolio
    /// Factor ids (empty in full-correlation mode).
    public internal(set) var factorIDs: [String]
    public internal(set) var paths: Int
    public internal(set) var seed: UInt64
    /// VaR/ES levels of the summary.
    public internal(set) var levels: [Double]
    /// Losses x for which the summary reports P(L > x) with its standard error.
    public internal(set) var tailThresholds: [Double]
    /// Where the entities and bonds came from (file names or "inline"), for descriptions.
    public internal(set) var entitySource: String
    public internal(set) var bondSource: String
    public internal(set) var correlationSource: String?
    /// Named stresses of the `stress:` key, checked against the portfolio.
    public internal(set) var stresses: [Stress]
    /// `simulation.method`: plain, importance (Glasserman & Li 2005 shift and twist) or auto.
    public internal(set) var method: SamplingMethod
    /// `model:` copula (simulation, the default) or creditriskplus (analytic).
    public var model: LossModel = .copula
    /// `creditriskplus.loss_unit`; nil for ⌈largest exposure / 100⌉.
    public var lossUnit: Double? = nil
    /// `output.capital: [irb]`: Basel IRB capital beside the results.
    public var irbCapital = false
    /// What loaded but looks wrong (PDs typed as percents, a GB18030 file), for the user to check.
    public var warnings: [ScenarioProblem] = []
    /// Paths of every file the scenario was read from (the YAML first, then its CSVs).
    public var inputFiles: [String] = []
    /// The `ratings:` block as read (scale, PDs, matrix, curves), for descriptions.
    var ratings: RatingTables? = nil
    /// `currency` and `unit`: labels of every amount (CNY, bn).
    public var currency: String? = nil
    public var unit: String? = nil
    /// `as_of`, as written.
    public var asOf: String? = nil
    /// `valuation.curves`, when market valuation is on.
    public var curvesSource: String? = nil
    /// `output.language`: the report's and the terminal table's language.
    public internal(set) var language: Language = .en
    /// `output.history`: the SQLite history database runs append to (absolute).
    public internal(set) var historyPath: String?
    /// Entities whose PD comes from a credit spread (credit triangle), by entity index.
    public var spreads: [Int: SpreadInput] = [:]

    /// "CNY bn", "CNY", "bn" or "" for labelling amounts.
    public var amountLabel: String { [currency, unit].compactMap { $0 }.joined(separator: " ") }
    /// Whether the scenario values at market (rating migration, signed losses).
    public var isMarket: Bool { portfolio.valuation != nil }
    /// The rating scale (empty without `ratings:`).
    public var ratingScale: [String] { ratings?.scale ?? [] }

    public static let defaultLevels = [0.9, 0.95, 0.99, 0.995, 0.999]
    public static let defaultPaths = 100_000
    public static let defaultSeed: UInt64 = 1
}

/// How a scenario's loss distribution is computed.
public enum LossModel: String, Sendable, CaseIterable {
    /// Monte Carlo simulation with the scenario's copula (CONTRACT §3–§5).
    case copula
    /// CreditRisk+ (CSFB 1997), analytic (CONTRACT §10).
    case creditRiskPlus = "creditriskplus"
}

/// A credit spread given for an entity instead of a PD: hazard λ = spread_bps/(10⁴·lgd).
public struct SpreadInput: Sendable, Hashable {
    public internal(set) var bps: Double
    public internal(set) var lgd: Double
    public var hazard: Double { bps / (10_000 * lgd) }
}
