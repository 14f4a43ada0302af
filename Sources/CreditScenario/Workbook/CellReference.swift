/// A cell's address in a sheet: `D17` ↔ (row 17, column 4), both 1-based, as SpreadsheetML
/// writes them in `<c r="D17">`.
struct CellReference: Hashable, Sendable, CustomStringConvertible {
    /// Excel's limits: 1 048 576 rows, 16 384 columns (XFD).
    static let maxRow = 1_048_576
    static let maxColumn = 16_384

    let row: Int
    let column: Int

    init(row: Int, column: Int) {
        self.row = row
        self.column = column
    }

    /// Parses `D17` (letters then digits, within Excel's limits); nil for anything else.
    init?(_ text: Substring) {
        var column = 0, row = 0
        var i = text.startIndex
        while i < text.endIndex, let v = text[i].asciiValue, (65...90).contains(v) || (97...122).contains(v) {
            column = column * 26 + Int((v & 0xDF) - 64)
            guard column <= Self.maxColumn else { return nil }
            i = text.index(after: i)
        }
        guard column > 0, i < text.endIndex else { return nil }
        while i < text.endIndex, let v = text[i].asciiValue, (48...57).contains(v) {
            row = row * 10 + Int(v - 48)
            guard row <= Self.maxRow else { return nil }
            i = text.index(after: i)
        }
        guard i == text.endIndex, row > 0 else { return nil }
        self.init(row: row, column: column)
    }

    /// `A`, `Z`, `AA`, … for a 1-based column number.
    static func letters(_ column: Int) -> String {
        var n = column, out: [Character] = []
        while n > 0 {
            let r = (n - 1) % 26
            out.append(Character(Unicode.Scalar(UInt8(65 + r))))
            n = (n - 1) / 26
        }
        return String(out.reversed())
    }

    var description: String { Self.letters(column) + String(row) }
}
