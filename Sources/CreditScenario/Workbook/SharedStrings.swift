import Foundation

/// `xl/sharedStrings.xml`: the table that `t="s"` cells index. A string item is plain (`<t>`) or
/// rich text (runs `<r><t>`); phonetic guides (`<rPh>`, furigana/pinyin) are not part of it.
enum SharedStrings {
    static func parse(_ xml: Data) throws(WorkbookError) -> [String] {
        var strings: [String] = []
        var current = ""
        var inItem = false, inText = false, phonetic = 0
        let ok = XMLEvents.parse(xml, start: { name, _ in
            switch name {
            case "si": inItem = true; current = ""
            case "t": inText = inItem && phonetic == 0
            case "rPh": phonetic += 1
            default: break
            }
        }, end: { name in
            switch name {
            case "si": strings.append(current); inItem = false
            case "t": inText = false
            case "rPh": phonetic -= 1
            default: break
            }
        }, text: { s in if inText { current += s } })
        guard ok else { throw WorkbookError("xl/sharedStrings.xml is not well-formed XML; save the workbook again") }
        return strings
    }
}
