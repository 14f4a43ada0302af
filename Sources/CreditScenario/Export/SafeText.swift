/// Text from scenarios (ids, names, values) made harmless where it lands: on a terminal, in an
/// error message, in a CSV cell a spreadsheet opens (README, "Text from scenarios").
public enum SafeText {
    /// Control characters as visible escapes (`\u{1B}`): C0 (tab and carriage return included;
    /// line feed too unless `keepNewlines`), DEL, C1, and the bidirectional overrides and
    /// isolates that reorder what a terminal shows.
    public static func terminal(_ s: String, keepNewlines: Bool = false) -> String {
        guard s.unicodeScalars.contains(where: { isControl($0, keepNewlines: keepNewlines) }) else { return s }
        var out = String.UnicodeScalarView()
        for scalar in s.unicodeScalars {
            if isControl(scalar, keepNewlines: keepNewlines) {
                out.append(contentsOf: "\\u{\(String(scalar.value, radix: 16, uppercase: true))}".unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    static func isControl(_ c: Unicode.Scalar, keepNewlines: Bool) -> Bool {
        let v = c.value
        if v == 0x0A { return !keepNewlines }
        return v < 0x20 || (0x7F...0x9F).contains(v) || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)
    }

    /// Text from a scenario inside a line of the tool's output: every control character escaped,
    /// line breaks included, so that a name can never forge a line of its own.
    public static func inline(_ s: String) -> String { terminal(s, keepNewlines: false) }

    /// At most `limit` characters, then "… (N characters)" naming the full length.
    public static func truncated(_ s: String, limit: Int = 80) -> String {
        guard s.count > limit else { return s }
        return String(s.prefix(limit)) + "… (\(s.count) characters)"
    }

    /// For messages: truncated, then escaped.
    public static func message(_ s: String) -> String { terminal(truncated(s)) }

    /// A CSV cell of a report: a cell that a spreadsheet would run as a formula (starting with
    /// `=`, `+`, `-`, `@`, tab or carriage return) gets a leading apostrophe; then RFC 4180
    /// quoting when it holds a comma, quote or line break.
    public static func csvCell(_ text: String) -> String {
        var t = text
        if let first = t.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) { t = "'" + t }
        return CSVExport.quoted(t)
    }
}
