/// `loss-distribution.csv`: one row per histogram bin of the net loss (upper edge).
public enum LossDistributionFile: ResultFileKind {
    public static func files(for r: PortfolioResult) -> [ResultFile] {
        let report = r.outcome.report
        return [.text("loss-distribution.csv") { CSVExport.lossDistribution(report) }]
    }
}
