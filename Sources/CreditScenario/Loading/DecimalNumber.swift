/// The one rule for numbers that users write, in scenario files and on the command line alike.
///
/// A number is decimal notation: an optional sign, digits with at most one decimal point, and an
/// optional exponent (`0.25`, `-3`, `+1.`, `.5`, `1e-4`, `2.5E+3`). Swift's `Double(_:)` also
/// reads hexadecimal (`0x10`, `0x1p-2`), and other readers take digit separators (`1_000`),
/// spaces or locale commas: none of them is a number here. Whole numbers (paths, seeds, threads)
/// are an optional sign and digits only.
public enum DecimalNumber {
    /// The value of `text` when it is decimal notation, else nil. NaN and infinity are spelled
    /// out (`nan`, `inf`, `infinity`, any case, signed) and returned as such for the caller to
    /// refuse by name; a decimal too large for a Double is infinite too.
    public static func parse(_ text: String) -> Double? {
        if isDecimal(text.utf8) { return Double(text) }
        var word = Substring(text.lowercased())
        if word.first == "+" || word.first == "-" { word = word.dropFirst() }
        if ["nan", "inf", "infinity"].contains(word) { return Double(text) }
        return nil
    }

    /// A finite decimal number, else nil.
    public static func finite(_ text: String) -> Double? {
        parse(text).flatMap { $0.isFinite ? $0 : nil }
    }

    /// A fraction written as a decimal (`0.999`) or a percent (`99.9%`), else nil. A percent is
    /// read exactly: its decimal point moves two places in the text (`0.35%` is `0.35e-2`, the
    /// same decimal as `0.0035`), so the result is the Double nearest the written value, never
    /// a rounded quotient by 100.
    public static func fraction(_ text: String) -> Double? {
        guard text.hasSuffix("%") else { return finite(text) }
        let body = String(text.dropLast())
        guard isDecimal(body.utf8) else { return nil }
        let parts = body.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "e" || $0 == "E" })
        let exponent = parts.count == 2 ? Int(parts[1]) : 0
        guard let exponent, exponent > Int.min + 2 else { return nil }
        return finite("\(parts[0])e\(exponent - 2)")
    }

    /// A whole number of type `T` (an optional sign and decimal digits), else nil.
    public static func whole<T: FixedWidthInteger>(_ text: String, as type: T.Type = T.self) -> T? {
        var digits = Substring(text)
        if digits.first == "+" || digits.first == "-" { digits = digits.dropFirst() }
        guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        return T(text)
    }

    /// `[+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?`
    static func isDecimal(_ bytes: String.UTF8View) -> Bool {
        var i = bytes.startIndex
        func digits() -> Int {
            var count = 0
            while i < bytes.endIndex, bytes[i] >= 48, bytes[i] <= 57 { i = bytes.index(after: i); count += 1 }
            return count
        }
        func skip(_ allowed: String) -> Bool {
            guard i < bytes.endIndex, allowed.utf8.contains(bytes[i]) else { return false }
            i = bytes.index(after: i)
            return true
        }
        _ = skip("+-")
        var mantissa = digits()
        if skip(".") { mantissa += digits() }
        guard mantissa > 0 else { return false }
        if skip("eE") {
            _ = skip("+-")
            guard digits() > 0 else { return false }
        }
        return i == bytes.endIndex
    }
}
