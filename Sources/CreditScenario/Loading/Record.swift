/// One entity or bond as written: a CSV row or an inline YAML mapping, reduced to text cells so
/// that both forms go through the same checks.
struct Record {
    let file: String
    /// Line of the row (CSV) or of the mapping (inline).
    let line: Int
    /// Present, non-empty cells: key → (text, line).
    var cells: [String: (text: String, line: Int)] = [:]
    /// Factor loadings (entities only): factor id → (text, line).
    var loadings: [String: (text: String, line: Int)] = [:]

    func text(_ key: String) -> String? { cells[key]?.text }
}

/// Collects problems; the loader keeps going after each one so that `validate` can list them all.
struct Diagnostics {
    var problems: [ScenarioProblem] = []
    /// Things that load but look wrong; the scenario carries them and the CLI prints them.
    var warnings: [ScenarioProblem] = []
    /// Every file read, scenario first, for the run's manifest.
    var filesRead: [String] = []
    /// Per table file (`bonds.csv`, `book.xlsx#债券`): column key → its header as written and,
    /// in a workbook, its column letter, so that problems name `book.xlsx#债券!D17`.
    var columns: [String: [String: ColumnSource]] = [:]

    struct ColumnSource {
        let written: String
        let letter: String?
    }

    mutating func add(_ file: String, _ line: Int?, _ key: String?, _ value: String?, _ rule: String) {
        problems.append(located(ScenarioProblem(file: file, line: line, key: key, value: value, rule: rule)))
    }

    mutating func warn(_ file: String, _ line: Int?, _ key: String?, _ value: String?, _ rule: String) {
        warnings.append(located(ScenarioProblem(file: file, line: line, key: key, value: value, rule: rule)))
    }

    /// The problem with its workbook cell and the column's header as written, when known.
    func located(_ p: ScenarioProblem) -> ScenarioProblem {
        guard let key = p.key, let source = columns[p.file]?[key] else { return p }
        var out = p
        if source.written != key { out.header = source.written }
        if let letter = source.letter, let line = p.line { out.cell = letter + String(line) }
        return out
    }

    /// A required finite number from a record; nil (after reporting) when missing or malformed.
    mutating func number(_ record: Record, _ key: String, required: Bool) -> Double? {
        guard let cell = record.cells[key] else {
            if required { add(record.file, record.line, key, nil, "missing: a value is required") }
            return nil
        }
        return number(cell.text, file: record.file, line: cell.line, key: key, cellForms: true)
    }

    /// A finite number; `cellForms` (cells of entities and bonds) also reads percents and
    /// thousands separators (`CellForms`).
    mutating func number(_ text: String, file: String, line: Int?, key: String, cellForms: Bool = false) -> Double? {
        // Decimal only (`DecimalNumber`, the rule the command line shares): no "0x10", "0x1p4", "1_000".
        let decimal = cellForms ? CellForms.decimalText(text) : text
        guard let decimal, let v = DecimalNumber.parse(decimal) else {
            let unsupportedForm = cellForms && (text.contains { ",%/年".contains($0) } || CellForms.date(text) != .notADate)
            add(file, line, key, text, unsupportedForm ? "not a number; \(CellForms.numberForms)" : "not a number")
            return nil
        }
        guard v.isFinite else {
            add(file, line, key, text, "NaN or infinite numbers are not allowed")
            return nil
        }
        return v
    }
}
