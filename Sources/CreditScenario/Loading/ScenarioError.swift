/// One problem in a scenario, located precisely enough for a user to fix it.
public struct ScenarioProblem: Sendable, Hashable, CustomStringConvertible {
    /// File name as the user wrote it (scenario file or CSV relative to it).
    public let file: String
    /// 1-based line, when known.
    public let line: Int?
    /// Key (`simulation.paths`) or CSV column (`pd`), when the problem has one.
    public let key: String?
    /// The offending value as written, when there is one.
    public let value: String?
    /// What is allowed.
    public let rule: String
    /// The cell of a workbook sheet (`D17`), when the problem is in one; `line` is then its row.
    public var cell: String?
    /// The column's header as written, when it is an alias of `key` (`到期日` for `maturity`).
    public var header: String?

    public init(file: String, line: Int?, key: String?, value: String?, rule: String, cell: String? = nil, header: String? = nil) {
        self.file = file
        self.line = line
        self.key = key
        self.value = value
        self.rule = rule
        self.cell = cell
        self.header = header
    }

    /// `file:line: key "k": value "v": rule`, on one line: keys and values longer than 80
    /// characters are cut ("… (N characters)"), and control characters (line breaks included)
    /// are shown as escapes such as `\u{1B}`. In a workbook the place is the cell,
    /// `book.xlsx#债券!D17:`, and a column named by an alias shows both: `column "到期日" (maturity)`.
    public var description: String {
        var s = file
        if let cell { s += "!\(cell)" } else if let line { s += ":\(line)" }
        s += ":"
        let lower = file.lowercased()
        let table = lower.hasSuffix(".csv") || lower.contains(".xlsx") || lower.contains(".xlsm")
        if let key, let header, header != key {
            s += " column \"\(SafeText.truncated(header))\" (\(SafeText.truncated(key))):"
        } else if let key {
            s += " \(table ? "column" : "key") \"\(SafeText.truncated(key))\":"
        }
        if let value { s += " value \"\(SafeText.truncated(value))\":" }
        return SafeText.terminal(s + " " + rule)
    }
}

/// Why a scenario could not be used.
public struct ScenarioError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable {
        /// A named file is missing or unreadable (exit 66).
        case unreadableFile
        /// The data break a rule (exit 65).
        case invalidData
    }

    public let kind: Kind
    public let problems: [ScenarioProblem]

    public init(kind: Kind, problems: [ScenarioProblem]) {
        self.kind = kind
        self.problems = problems
    }

    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
