/// `results.xlsx` (`run --excel`, `output.excel: true`): the run's figures in one workbook.
public enum ResultsWorkbookFile: ResultFileKind {
    public static func files(for r: RunResults) -> [ResultFile] {
        guard r.options.excel || r.scenario.excel else { return [] }
        return [ResultFile("results.xlsx") { try ResultsWorkbook.data(r) }]
    }
}
