/// `capital.csv`: Basel IRB capital per bond, when the scenario asks for it.
public enum CapitalFile: ResultFileKind {
    public static func files(for r: PortfolioResult) -> [ResultFile] {
        guard let lines = r.outcome.capital else { return [] }
        return [.text("capital.csv") { CSVExport.capital(lines) }]
    }
}
