/// `quantiles.csv`: VaR and ES of net and gross loss on a fine grid of levels.
public enum QuantilesFile: ResultFileKind {
    public static func files(for r: PortfolioResult) -> [ResultFile] {
        let report = r.outcome.report
        return [.text("quantiles.csv") { CSVExport.quantiles(report) }]
    }
}
