/// `summary.json`: every figure of the portfolio (`SummaryDocument`).
public enum SummaryFile: ResultFileKind {
    public static func files(for r: PortfolioResult) -> [ResultFile] {
        [.json("summary.json", r.document)]
    }
}
