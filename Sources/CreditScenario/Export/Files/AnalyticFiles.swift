/// A CreditRisk+ evaluation as its files see it.
public struct AnalyticResult: Sendable {
    public let outcome: AnalyticOutcome
    public let document: SummaryDocument
    public let scenario: Scenario
    public var language: Language = .en

    public init(_ outcome: AnalyticOutcome, scenario: Scenario) {
        self.outcome = outcome
        document = SummaryDocument(analytic: outcome, scenario: scenario)
        self.scenario = scenario
    }

    public var folder: ResultFolder { ResultFolder(self, registry: AnalyticFiles.registry) }
}

/// The files of a CreditRisk+ folder, in the order they are listed.
public enum AnalyticFiles {
    public static let registry: [any ResultFileKind<AnalyticResult>.Type] = [
        AnalyticSummaryFile.self,
        AnalyticDistributionFiles.self,
        RiskContributionsFile.self,
        AnalyticReportFile.self,
        AnalyticCapitalFile.self,
    ]
}

/// `summary.json` of CreditRisk+ (the simulation's keys, no standard errors).
public enum AnalyticSummaryFile: ResultFileKind {
    public static func files(for r: AnalyticResult) -> [ResultFile] { [.json("summary.json", r.document)] }
}

/// `loss-distribution.csv` and `quantiles.csv` of the lattice distributions.
public enum AnalyticDistributionFiles: ResultFileKind {
    public static func files(for r: AnalyticResult) -> [ResultFile] {
        let o = r.outcome
        return [.text("loss-distribution.csv") { CSVExport.lossDistribution(o.net) },
                .text("quantiles.csv") { CSVExport.quantiles(net: o.net, gross: o.gross) }]
    }
}

/// `risk-contributions.csv`: CSFB's contributions to the net loss's standard deviation.
public enum RiskContributionsFile: ResultFileKind {
    public static func files(for r: AnalyticResult) -> [ResultFile] {
        let model = r.outcome.netModel
        return [.text("risk-contributions.csv") { CSVExport.riskContributions(model) }]
    }
}

/// `report.html` of CreditRisk+.
public enum AnalyticReportFile: ResultFileKind {
    public static func files(for r: AnalyticResult) -> [ResultFile] { [.text("report.html") { HTMLReport.render(analytic: r, language: r.language) }] }
}

/// `capital.csv` beside CreditRisk+, when the scenario asks for IRB capital.
public enum AnalyticCapitalFile: ResultFileKind {
    public static func files(for r: AnalyticResult) -> [ResultFile] {
        guard let lines = r.outcome.capital else { return [] }
        return [.text("capital.csv") { CSVExport.capital(lines) }]
    }
}
