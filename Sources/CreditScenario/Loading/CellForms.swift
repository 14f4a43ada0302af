/// The forms a cell of an entities or bonds table may take, in CSV, workbook and inline lists
/// alike (README, "CSV files"; DocC "DeskFiles"):
/// - numbers: decimal (`0.5`, `-1`, `2e-3`), a percent (`0.35%`, read as exactly `0.0035`: the
///   decimal point moves two places in the text, so no division rounds), and thousands
///   separators in groups of three (`1,036.00`);
/// - dates: `2029-03-13`, `2029/3/13` (Excel on a Chinese-language Windows) and `2029年3月13日`.
/// Hexadecimal and `_` digit separators stay refused.
enum CellForms {
    /// What the rule text of a malformed number says.
    static let numberForms = "numbers are written 0.5, -1, 2e-3, 0.35% (a percent, read as 0.0035) or 1,036.00 (commas between groups of three digits)"
    static let dateForms = "dates are written 2029-03-13, 2029/3/13 or 2029年3月13日"

    /// The plain decimal text of a cell (`0.35%` → `0.0035`, `1,036.00` → `1036.00`), which
    /// `Double(_:)` then reads; nil when the text is in none of the forms.
    static func decimalText(_ raw: String) -> String? {
        var text = Substring(raw)
        var percent = false
        if text.hasSuffix("%") {
            percent = true
            text = text.dropLast()
            while text.last == " " { text = text.dropLast() }
        }
        guard !text.isEmpty, !text.contains(where: { "xXpP_%".contains($0) }) else { return nil }
        var plain = String(text)
        if text.contains(",") {
            guard let ungrouped = withoutGrouping(text) else { return nil }
            plain = ungrouped
        }
        guard Double(plain) != nil else { return nil }
        return percent ? shiftedTwoPlaces(plain) : plain
    }

    /// `1,036.5` → `1036.5`, when the commas separate groups of exactly three digits in the
    /// integer part (after an optional sign), the first group holding one to three digits.
    static func withoutGrouping(_ text: Substring) -> String? {
        var sign = ""
        var body = text
        if let f = body.first, f == "-" || f == "+" { sign = String(f); body = body.dropFirst() }
        let integerEnd = body.firstIndex { $0 == "." || $0 == "e" || $0 == "E" } ?? body.endIndex
        let integer = body[..<integerEnd], rest = body[integerEnd...]
        guard !rest.contains(",") else { return nil }
        let groups = integer.split(separator: ",", omittingEmptySubsequences: false)
        guard groups.count >= 2, let first = groups.first, (1...3).contains(first.count),
              groups.dropFirst().allSatisfy({ $0.count == 3 }),
              groups.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }) else { return nil }
        return sign + groups.joined() + rest
    }

    /// The decimal text divided by 100 by moving its point: `0.35` → `0.0035`, `12` → `0.12`,
    /// `1.5e-2` → `1.5e-4`. `text` is a valid decimal (checked by the caller).
    static func shiftedTwoPlaces(_ text: String) -> String {
        // With an exponent, lower the exponent: exact, and the mantissa keeps its digits.
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }), let exponent = Int(text[text.index(after: e)...]) {
            return String(text[..<e]) + "e" + String(exponent - 2)
        }
        var sign = ""
        var body = Substring(text)
        if let f = body.first, f == "-" || f == "+" { sign = f == "-" ? "-" : ""; body = body.dropFirst() }
        let point = body.firstIndex(of: ".") ?? body.endIndex
        var integer = String(body[..<point])
        let fraction = point < body.endIndex ? String(body[body.index(after: point)...]) : ""
        while integer.count < 3 { integer = "0" + integer }
        let cut = integer.index(integer.endIndex, offsetBy: -2)
        var head = String(integer[..<cut])
        while head.count > 1 && head.first == "0" { head.removeFirst() }
        return sign + head + "." + integer[cut...] + fraction
    }

    enum DateReading: Equatable {
        /// Not written as a date (a number of years, say).
        case notADate
        /// Days since 1970-01-01.
        case day(Int)
        /// Looks like a date but is not a valid one in a known form.
        case invalid
    }

    /// Reads `YYYY-MM-DD`, `YYYY/M/D` or `YYYY年M月D日`; text starting with four digits and one
    /// of `-`, `/`, `年` is taken for a date.
    static func date(_ text: String) -> DateReading {
        let scalars = Array(text.unicodeScalars)
        guard scalars.count >= 5, scalars.prefix(4).allSatisfy({ ("0"..."9").contains($0) }),
              ["-", "/", "年"].contains(scalars[4]) else { return .notADate }
        let parts: [Substring]
        switch scalars[4] {
        case "-":
            parts = text.split(separator: "-", omittingEmptySubsequences: false)
            guard parts.count == 3, parts[1].count == 2, parts[2].count == 2 else { return .invalid }
        case "/":
            parts = text.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == 3, (1...2).contains(parts[1].count), (1...2).contains(parts[2].count) else { return .invalid }
        default:
            guard text.hasSuffix("日") else { return .invalid }
            parts = text.dropLast().split(omittingEmptySubsequences: false) { $0 == "年" || $0 == "月" }
            guard parts.count == 3, text.firstIndex(of: "年").map({ text[$0...].contains("月") }) == true,
                  (1...2).contains(parts[1].count), (1...2).contains(parts[2].count) else { return .invalid }
        }
        guard parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
              let day = CivilDate.day(year: y, month: m, day: d) else { return .invalid }
        return .day(day)
    }
}
