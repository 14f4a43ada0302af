/// `report.html`: the self-contained page of the portfolio.
public enum ReportFile: ResultFileKind {
    public static func files(for r: PortfolioResult) -> [ResultFile] {
        [.text("report.html") { HTMLReport.render(r) }]
    }
}
