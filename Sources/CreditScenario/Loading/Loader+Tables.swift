import Foundation

/// Entities and bonds tables from files: a CSV file, or a sheet of an Excel workbook
/// (`book.xlsx#Sheet`), both made into text cells and checked alike. Headers may be canonical
/// column names or their aliases (`ColumnAliases`).
extension Loader {

    mutating func csvRecords(_ name: String, allowed: Set<String>, factors: [String],
                             isEntity: Bool) throws(ScenarioError) -> [Record] {
        let known = allowed.union(factors)
        if let book = WorkbookName(name) {
            guard let (table, shownAs, letters) = try workbookTable(book, known: known, isEntity: isEntity) else { return [] }
            return tableRecords(table, name: shownAs, letters: letters, allowed: allowed, factors: factors, isEntity: isEntity)
        }
        let text = try csvText(name)
        let table: CSVTable
        do {
            table = try CSVTable(text: text)
        } catch {
            switch error {
            case .empty: d.add(name, 1, nil, nil, "empty file: a header row is required")
            case let .unterminatedQuote(l): d.add(name, l, nil, nil, "unterminated quoted field")
            }
            return []
        }
        return tableRecords(table, name: name, letters: nil, allowed: allowed, factors: factors, isEntity: isEntity)
    }

    /// The text of the CSV file `name` (in the scenario's folder unless absolute), recorded as read.
    mutating func csvText(_ name: String) throws(ScenarioError) -> String {
        let path = name.hasPrefix("/") ? name : directory.appendingPathComponent(name).path
        let text = try ScenarioLoader.readText(path, shownAs: name, warnings: &d.warnings)
        d.filesRead.append(path)
        return text
    }

    /// The CSV file `name` as a table; nil after reporting `unreadable` when it does not parse.
    mutating func csvTable(_ name: String, unreadable: String) throws(ScenarioError) -> CSVTable? {
        let text = try csvText(name)
        guard let table = try? CSVTable(text: text) else {
            d.add(name, 1, nil, nil, unreadable)
            return nil
        }
        return table
    }

    /// A workbook's sheet as a table, its name as shown in messages (`book.xlsx#债券`), and its
    /// column letters; nil after reporting when it cannot be read.
    mutating func workbookTable(_ book: WorkbookName, known: Set<String>,
                                isEntity: Bool) throws(ScenarioError) -> (CSVTable, String, [String])? {
        let path = book.file.hasPrefix("/") ? book.file : directory.appendingPathComponent(book.file).path
        try ScenarioLoader.checkReadable(path, shownAs: book.file)
        d.filesRead.append(path)
        var shown = book.file + (book.sheet.map { "#" + $0 } ?? "")
        do {
            let workbook = try Workbook(url: URL(fileURLWithPath: path))
            let sheet = try workbook.sheet(named: book.sheet)
            shown = book.file + "#" + sheet.name
            let result = try SheetTable(sheet) { ColumnAliases.isKnown($0, isEntity: isEntity, known: known) }
            for p in result.problems { report(p, file: shown) }
            return (result.table, shown, result.columns)
        } catch {
            report(error, file: shown)
            return nil
        }
    }

    mutating func report(_ e: WorkbookError, file: String) {
        d.problems.append(ScenarioProblem(file: file, line: e.cell?.row, key: nil, value: e.value, rule: e.rule,
                                          cell: e.cell.map { CellReference.letters($0.column) + String($0.row) }))
    }

    /// Records from a table: header names (or aliases) checked, each row's non-empty cells kept
    /// under their canonical column names.
    mutating func tableRecords(_ table: CSVTable, name: String, letters: [String]?, allowed: Set<String>,
                               factors: [String], isEntity: Bool) -> [Record] {
        let columns = allowed.union(factors)
        var canonical: [String] = []
        var seen: [String: String] = [:]
        var sources: [String: Diagnostics.ColumnSource] = [:]
        for (i, h) in table.header.enumerated() {
            let c = ColumnAliases.canonical(h, isEntity: isEntity, known: columns)
            canonical.append(c)
            let source = Diagnostics.ColumnSource(written: h, letter: letters?[safe: i])
            if sources[c] == nil { sources[c] = source }
            if sources[h] == nil { sources[h] = Diagnostics.ColumnSource(written: h, letter: source.letter) }
        }
        d.columns[name] = sources
        /// The header cell itself (in a workbook), whatever column another header took.
        func atHeader(_ i: Int) {
            guard let letter = letters?[safe: i], !d.problems.isEmpty else { return }
            d.problems[d.problems.count - 1].cell = letter + String(table.headerLine)
        }
        for (i, (h, c)) in zip(table.header, canonical).enumerated() {
            if !columns.contains(c) {
                let extra = isEntity ? (factors.isEmpty ? " (no factors are declared)" : "; factor columns: \(factors.joined(separator: ", "))") : ""
                let chinese = h.unicodeScalars.contains { $0.value > 0x2E7F }
                    ? "; Chinese headers: " + (isEntity ? ColumnAliases.entities : ColumnAliases.bonds)
                        .filter { allowed.contains($0.key) }.sorted { $0.key < $1.key }
                        .flatMap { $0.value }.joined(separator: ", ")
                    : ""
                d.add(name, table.headerLine, h, nil, "unknown column; allowed: \(allowed.sorted().joined(separator: ", "))\(extra)\(chinese)")
                atHeader(i)
            }
            if let first = seen[c] {
                d.add(name, table.headerLine, h, nil, first == h ? "duplicate column" : "duplicate column: \(first) and \(h) both name column \(c)")
                atHeader(i)
            } else {
                seen[c] = h
            }
        }
        for required in ["id"] + (isEntity ? [] : ["issuer", "notional", "maturity", "lgd"]) where seen[required] == nil {
            d.add(name, table.headerLine, required, nil, "missing column")
        }
        if isEntity && Set(seen.keys).isDisjoint(with: ["pd", "rating", "spread_bps"]) {
            d.add(name, table.headerLine, "pd", nil, "missing column: an entity needs pd, rating or spread_bps")
        }
        var out: [Record] = []
        for row in table.rows {
            guard row.fields.count == table.header.count else {
                d.add(name, row.line, nil, nil, "has \(row.fields.count) cells but the header has \(table.header.count)")
                continue
            }
            var r = Record(file: name, line: row.line)
            for (h, v) in zip(canonical, row.fields) where !v.isEmpty {
                if factors.contains(h) && !allowed.contains(h) { r.loadings[h] = (v, row.line) } else { r.cells[h] = (v, row.line) }
            }
            out.append(r)
        }
        return out
    }
}

/// `book.xlsx#Sheet` (or `book.xlsx`, the first sheet): a table named in a workbook.
struct WorkbookName: Equatable {
    let file: String
    let sheet: String?

    /// Nil when `text` names no workbook (`.xlsx` or `.xlsm`, case-insensitive).
    init?(_ text: String) {
        for ext in [".xlsx", ".xlsm"] {
            if text.lowercased().hasSuffix(ext) {
                file = text
                sheet = nil
                return
            }
            if let r = text.range(of: ext + "#", options: [.backwards, .caseInsensitive]) {
                file = String(text[..<text.index(before: r.upperBound)])
                let s = String(text[r.upperBound...])
                sheet = s.isEmpty ? nil : s
                return
            }
        }
        return nil
    }
}
