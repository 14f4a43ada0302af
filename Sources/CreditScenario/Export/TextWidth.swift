/// Display width of text in a terminal: East Asian wide and fullwidth characters take two
/// columns, combining marks and zero-width characters none, everything else one (after Unicode
/// UAX #11; the ranges below are the wide blocks CJK text and its punctuation use).
enum TextWidth {
    static func of(_ s: String) -> Int {
        s.unicodeScalars.reduce(0) { $0 + width($1) }
    }

    static func width(_ u: Unicode.Scalar) -> Int {
        let v = u.value
        if u.properties.generalCategory == .nonspacingMark || u.properties.generalCategory == .enclosingMark
            || v == 0x200B || v == 0x200C || v == 0x200D || v == 0xFEFF { return 0 }
        switch v {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
             0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6,
             0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x2FFFD, 0x30000...0x3FFFD:
            return 2
        default:
            return 1
        }
    }
}
