import Foundation

/// Which cell styles of `xl/styles.xml` show numbers as dates: a date cell is a number whose
/// style's number format is a date format (SpreadsheetML has no date type in practice).
struct WorkbookStyles {
    /// Indexes into `<cellXfs>` (a cell's `s` attribute) whose format is a date.
    let dateStyles: Set<Int>

    /// Built-in date formats (ECMA-376 Part 1, §18.8.30): 14–22 and 45–47 everywhere, and
    /// 27–36 and 50–58, the East Asian date formats (`yyyy"年"m"月"d"日"` and kin) that a
    /// Chinese-language Excel writes.
    static let builtInDates: Set<Int> = Set(14...22).union(45...47).union(27...36).union(50...58)

    init(dateStyles: Set<Int> = []) { self.dateStyles = dateStyles }

    init(xml: Data) throws(WorkbookError) {
        var custom: [Int: String] = [:]
        var styleFormats: [Int] = []
        var inCellXfs = false
        let ok = XMLEvents.parse(xml, start: { name, a in
            switch name {
            case "numFmt":
                if let id = a["numFmtId"].flatMap({ Int($0) }), let code = a["formatCode"] { custom[id] = code }
            case "cellXfs": inCellXfs = true
            case "xf" where inCellXfs: styleFormats.append(a["numFmtId"].flatMap { Int($0) } ?? 0)
            default: break
            }
        }, end: { name in if name == "cellXfs" { inCellXfs = false } })
        guard ok else { throw WorkbookError("xl/styles.xml is not well-formed XML; save the workbook again") }
        var dates: Set<Int> = []
        for (i, id) in styleFormats.enumerated() {
            if let code = custom[id] {
                if Self.isDateFormat(code) { dates.insert(i) }
            } else if Self.builtInDates.contains(id) {
                dates.insert(i)
            }
        }
        dateStyles = dates
    }

    /// A custom format shows a date when, outside quoted text, `[…]` sections and escaped
    /// characters, it holds a day, month or year code (d, m, y).
    /// `m` beside `h` or `s` (minutes) alone does not count, nor does a time without a date.
    static func isDateFormat(_ code: String) -> Bool {
        var letters: [Character] = []
        var i = code.startIndex
        while i < code.endIndex {
            let c = code[i]
            switch c {
            case "\"":
                i = code[code.index(after: i)...].firstIndex(of: "\"") ?? code.index(before: code.endIndex)
            case "[":
                i = code[i...].firstIndex(of: "]") ?? code.index(before: code.endIndex)
            case "\\", "_", "*":
                i = code.index(after: i) < code.endIndex ? code.index(after: i) : i
            case ";":
                // Only the first section (positive numbers) decides.
                return Self.hasDate(letters)
            default:
                letters.append(Character(c.lowercased()))
            }
            i = code.index(after: i)
        }
        return Self.hasDate(letters)
    }

    private static func hasDate(_ letters: [Character]) -> Bool {
        if letters.contains(where: { $0 == "d" || $0 == "y" }) { return true }
        guard letters.contains("m") else { return false }
        return !(letters.contains("h") || letters.contains("s"))
    }
}
