/// `report.html`: the self-contained page of the portfolio.
public enum ReportFile: ResultFileKind {
    public static func files(for r: PortfolioResult) -> [ResultFile] {
        let document = r.document, report = r.outcome.report, contributions = r.outcome.contributions
        return [.text("report.html") { HTMLReport.render(document, report: report, contributions: contributions) }]
    }
}
