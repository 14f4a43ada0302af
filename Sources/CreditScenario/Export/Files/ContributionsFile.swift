/// `contributions.csv`: Euler contributions to EL and ES, when the run computed them.
public enum ContributionsFile: ResultFileKind {
    public static func files(for r: PortfolioResult) -> [ResultFile] {
        guard let c = r.outcome.contributions else { return [] }
        return [.text("contributions.csv") { CSVExport.contributions(c) }]
    }
}
