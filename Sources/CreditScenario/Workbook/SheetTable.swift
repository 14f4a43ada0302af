/// A sheet as a table of text cells, the form a CSV file takes (`CSVTable`), with the column
/// letter of each header cell so that problems can be named by cell (`债券!D17`).
///
/// - The header row is the first row holding a known column name or alias (`isHeader`), so a
///   title row above it (often merged across the table) is skipped; without such a row, the
///   first non-empty row. The table spans the header's first to last non-empty cell.
/// - A merged range gives its top-left cell's content to every cell it covers: a header merged
///   over two columns names both (then reported as a duplicate column), and an issuer merged
///   down over its bonds' rows applies to each of those bonds.
/// - Cells become text as a CSV would hold them: numbers as stored (the shortest text that reads
///   back to the same Double, as Excel and other writers store them), booleans `true`/`false`,
///   date cells `YYYY-MM-DD`, text trimmed of surrounding spaces. Rows with no content are skipped.
struct SheetTable {
    let table: CSVTable
    /// Column letters of the header cells, in header order.
    let columns: [String]
    /// Cells that cannot be used (`.invalid`), or content outside the header's columns.
    let problems: [WorkbookError]

    /// A whole number stored with a fraction or exponent (`600519.0`, `6.00519E5`) as an
    /// integer (`600519`), so that a numeric id reads as in a CSV; other numbers as stored.
    static func plainNumber(_ text: String) -> String {
        guard text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }), let v = Double(text),
              v == v.rounded(), abs(v) < 9_007_199_254_740_992 else { return text }
        return String(Int64(v))
    }

    init(_ source: Sheet, isHeader: (String) -> Bool) throws(WorkbookError) {
        var cells = source.cells
        var filled = 0
        // Bounds of the cells with content: merges are filled only within them.
        let maxRow = cells.keys.map(\.row).max() ?? 0, maxColumn = cells.keys.map(\.column).max() ?? 0
        for (a, b) in source.merged {
            guard let value = source.cells[a] else { continue }
            let lastRow = min(b.row, maxRow), lastColumn = min(b.column, maxColumn)
            guard a.row <= lastRow, a.column <= lastColumn else { continue }
            filled += (lastRow - a.row + 1) * (lastColumn - a.column + 1)
            guard filled <= SheetXML.mergeLimit else {
                throw WorkbookError(sheet: source.name, cell: a, "merged ranges cover more than \(SheetXML.mergeLimit) cells")
            }
            for r in a.row...lastRow { for c in a.column...lastColumn where cells[CellReference(row: r, column: c)] == nil {
                cells[CellReference(row: r, column: c)] = value
            } }
        }
        var byRow: [Int: [(Int, SheetCell)]] = [:]
        for (ref, cell) in cells { byRow[ref.row, default: []].append((ref.column, cell)) }
        let rowNumbers = byRow.keys.sorted()
        func text(_ cell: SheetCell) -> String {
            switch cell {
            case let .number(v): return Self.plainNumber(v)
            case let .text(t): return t.trimmingCharacters(in: .whitespacesAndNewlines)
            case let .bool(b): return b ? "true" : "false"
            case let .date(d): return CivilDate.iso(d)
            case .invalid: return ""
            }
        }
        func isBlank(_ row: [(Int, SheetCell)]) -> Bool {
            row.allSatisfy { if case .invalid = $0.1 { return false }; return text($0.1).isEmpty }
        }
        let contentRows = rowNumbers.filter { !isBlank(byRow[$0] ?? []) }
        let headerRow = contentRows.first { (byRow[$0] ?? []).contains { isHeader(text($0.1)) } } ?? contentRows.first
        guard let headerRow, let headerCells = byRow[headerRow] else {
            throw WorkbookError(sheet: source.name, "the sheet is empty: a header row is required")
        }
        let named = headerCells.filter { !text($0.1).isEmpty }.map(\.0)
        let first = named.min() ?? 1, last = named.max() ?? 1
        let width = last - first + 1
        var problems: [WorkbookError] = []
        func row(_ number: Int) -> [String] {
            var fields = [String](repeating: "", count: width)
            for (c, cell) in byRow[number] ?? [] {
                let ref = CellReference(row: number, column: c)
                if case let .invalid(value, rule) = cell {
                    problems.append(WorkbookError(sheet: source.name, cell: ref, value: value, rule))
                    continue
                }
                let t = text(cell)
                if (first...last).contains(c) {
                    fields[c - first] = t
                } else if !t.isEmpty && number > headerRow {
                    problems.append(WorkbookError(sheet: source.name, cell: ref, value: t,
                                                  "a cell outside the table's columns \(CellReference.letters(first))–\(CellReference.letters(last)) (the header row is \(headerRow)); give it a header or clear it"))
                }
            }
            return fields
        }
        let header = row(headerRow)
        let rows = contentRows.filter { $0 > headerRow }.map { CSVTable.Row(line: $0, fields: row($0)) }
        table = CSVTable(header: header, headerLine: headerRow, rows: rows)
        columns = (first...last).map(CellReference.letters)
        self.problems = problems
    }
}
