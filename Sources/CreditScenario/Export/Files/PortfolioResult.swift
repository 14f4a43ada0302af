import CreditRisk

/// What the user asked of the files beside the figures.
public struct ExportOptions: Sendable {
    /// `--export-paths`: the per-path arrays in `paths/`.
    public var exportPaths = false
    /// The language of the report and the terminal table.
    public var language: Language = .en

    public init(exportPaths: Bool = false, language: Language = .en) {
        self.exportPaths = exportPaths
        self.language = language
    }
}

/// One simulated portfolio (the base, a stress, a comparison's copula) as its files see it.
public struct PortfolioResult: Sendable {
    public let outcome: RunOutcome
    public internal(set) var document: SummaryDocument
    public let scenario: Scenario
    public let options: ExportOptions
    /// The base's view of the run's stresses (empty for a stress, or a run without stresses).
    public var stresses: [StressPage] = []

    public init(_ outcome: RunOutcome, scenario: Scenario, options: ExportOptions) {
        self.outcome = outcome
        document = SummaryDocument(outcome, scenario: scenario)
        self.scenario = scenario
        self.options = options
    }

    /// The folder a stress's files go to ("stress-NAME"), nil for the base.
    public var stressFolder: String? { outcome.stress.map { "stress-\($0.name)" } }
}

/// The files of one simulated portfolio's folder, in the order they are listed. A new file is a
/// `ResultFileKind` of `PortfolioResult` and one line here.
public enum SimulationFiles {
    public static let registry: [any ResultFileKind<PortfolioResult>.Type] = [
        SummaryFile.self,
        LossDistributionFile.self,
        QuantilesFile.self,
        ReportFile.self,
        ContributionsFile.self,
        CapitalFile.self,
        PathArrays.self,
    ]
}

/// A stress as the base's page links it.
public struct StressPage: Sendable {
    public let name: String
    public let description: String?
    /// "stress-NAME", the folder of its files.
    public let folder: String
    public let document: SummaryDocument
}
