import CreditRisk
import Foundation

/// `run --model all` as its files and table see it: a summary per model side by side, each
/// model's own folder, and IRB capital.
public struct ComparisonResult: Sendable {
    public struct Column: Sendable {
        /// gaussian, student-t(ν), creditriskplus.
        public let name: String
        public let document: SummaryDocument
    }

    public let comparison: ModelComparison
    public let simulations: [PortfolioResult]
    public let analytic: AnalyticResult
    public let columns: [Column]
    public let irb: SummaryDocument.Capital.IRB

    public init(_ comparison: ModelComparison, scenario: Scenario) {
        self.comparison = comparison
        simulations = comparison.simulations.map { PortfolioResult($0, scenario: scenario, options: ExportOptions()) }
        analytic = AnalyticResult(comparison.analytic, scenario: scenario)
        let nu = SummaryTable.fmt(comparison.degreesOfFreedom)
        columns = simulations.map { Column(name: $0.outcome.model == .studentT ? "student-t(\(nu))" : $0.outcome.model.rawValue,
                                           document: $0.document) }
            + [Column(name: ModelName.creditRiskPlus.rawValue, document: analytic.document)]
        irb = SummaryDocument.Capital.IRB(lines: comparison.capital)
    }

    /// `comparison.json`: one summary per model and the IRB figures.
    public struct Document: Codable, Sendable {
        public var scenario: String
        public var models: [String: SummaryDocument]
        public var irb: SummaryDocument.Capital.IRB
    }

    public var document: Document {
        Document(scenario: analytic.scenario.name,
                 models: Dictionary(uniqueKeysWithValues: columns.map { ($0.name, $0.document) }), irb: irb)
    }

    public var folder: ResultFolder {
        var folder = ResultFolder(self, registry: ComparisonFiles.registry)
        for s in simulations {
            folder.subfolders.append((s.outcome.model.rawValue, ResultFolder(s, registry: SimulationFiles.registry)))
        }
        folder.subfolders.append((ModelName.creditRiskPlus.rawValue, analytic.folder))
        return folder
    }
}

/// The files at the top of a model comparison's folder.
public enum ComparisonFiles {
    public static let registry: [any ResultFileKind<ComparisonResult>.Type] = [ComparisonSummaryFiles.self]
}

/// `comparison.json`, `report.html` (the table and every model's exceedance curve) and `capital.csv`.
public enum ComparisonSummaryFiles: ResultFileKind {
    public static func files(for r: ComparisonResult) -> [ResultFile] {
        let lines = r.comparison.capital
        return [.json("comparison.json", r.document), .text("report.html") { ComparisonPage.render(r) },
                .text("capital.csv") { CSVExport.capital(lines) }]
    }
}
