import CreditRisk

/// A loaded, fully validated scenario: the portfolio plus how to simulate and report it.
public struct Scenario: Sendable {
    /// Path of the scenario file.
    public let path: String
    public let name: String
    public let description: String?
    public let portfolio: Portfolio
    /// Factor ids (empty in full-correlation mode).
    public let factorIDs: [String]
    public let paths: Int
    public let seed: UInt64
    /// VaR/ES levels of the summary.
    public let levels: [Double]
    /// Losses x for which the summary reports P(L > x) with its standard error.
    public let tailThresholds: [Double]
    /// Where the entities and bonds came from (file names or "inline"), for descriptions.
    public let entitySource: String
    public let bondSource: String
    public let correlationSource: String?
    /// Named stresses of the `stress:` key, checked against the portfolio.
    public let stresses: [Stress]
    /// `simulation.method: importance` (Glasserman & Li 2005 shift and twist).
    public let importanceSampling: Bool
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
