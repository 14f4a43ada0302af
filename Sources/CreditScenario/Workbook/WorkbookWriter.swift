import Foundation
import ZIPFoundation

/// Writes a minimal Excel workbook (.xlsx, SpreadsheetML): one sheet per `WorkbookWriter.Sheet`,
/// inline strings, numbers in their shortest round-trip text (they read back to the same
/// Double), booleans, dates, a bold frozen header row and column widths fitted to the text
/// (CJK characters counted twice). The bytes depend only on the content (fixed ZIP timestamps).
public enum WorkbookWriter {
    public enum Cell: Sendable, Equatable {
        case text(String)
        case number(Double)
        /// A number shown as a percent (`0.35%` for 0.0035); the cell holds the fraction.
        case percent(Double)
        case bool(Bool)
        /// Days since 1970-01-01, shown as `yyyy-mm-dd`.
        case date(Int)
        case empty
    }

    public struct Sheet: Sendable {
        public var name: String
        public var rows: [[Cell]]
        /// Rows at the top shown bold and kept in view when scrolling.
        public var headerRows: Int
        /// Merged ranges such as `A1:E1` (the content is the top-left cell's).
        public var merged: [String]

        public init(name: String, rows: [[Cell]], headerRows: Int = 1, merged: [String] = []) {
            self.name = name
            self.rows = rows
            self.headerRows = headerRows
            self.merged = merged
        }
    }

    /// Style indexes of `styles.xml`'s `<cellXfs>`.
    enum Style: Int { case plain = 0, bold = 1, date = 2, percent = 3 }

    /// The workbook's bytes. Sheet names are made valid and unique (`sheetName(_:taken:)`).
    public static func data(_ sheets: [Sheet]) throws -> Data {
        let archive = try Archive(accessMode: .create)
        var names: [String] = []
        for s in sheets { names.append(sheetName(s.name, taken: names)) }
        let count = max(sheets.count, 1)
        var parts: [(String, String)] = [
            ("[Content_Types].xml", contentTypes(count)),
            ("_rels/.rels", rootRelationships),
            ("xl/workbook.xml", workbook(names.isEmpty ? ["Sheet1"] : names)),
            ("xl/_rels/workbook.xml.rels", workbookRelationships(count)),
            ("xl/styles.xml", styles),
        ]
        for (i, s) in sheets.enumerated() { parts.append(("xl/worksheets/sheet\(i + 1).xml", worksheet(s))) }
        if sheets.isEmpty { parts.append(("xl/worksheets/sheet1.xml", worksheet(Sheet(name: "Sheet1", rows: [])))) }
        // 1980-01-01, the earliest ZIP date: the same bytes for the same content.
        let stamp = Date(timeIntervalSince1970: 315_532_800 + 86_400)
        for (path, text) in parts {
            let bytes = Data(text.utf8)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(bytes.count), modificationDate: stamp,
                                 compressionMethod: .deflate) { position, size in
                bytes.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        guard let data = archive.data else { throw CocoaError(.fileWriteUnknown) }
        return data
    }

    /// A valid sheet name: at most 31 characters, none of `[]:*?/\`, not starting or ending with
    /// an apostrophe, and unique (case-insensitively) among `taken` by a ` (2)`, ` (3)` … suffix.
    static func sheetName(_ wanted: String, taken: [String]) -> String {
        var base = String(wanted.map { "[]:*?/\\".contains($0) || $0.isNewline ? "_" : $0 })
        while base.hasPrefix("'") { base.removeFirst() }
        while base.hasSuffix("'") { base.removeLast() }
        if base.isEmpty { base = "Sheet" }
        base = String(base.prefix(31))
        let lower = Set(taken.map { $0.lowercased() })
        var name = base, n = 2
        while lower.contains(name.lowercased()) {
            let suffix = " (\(n))"
            name = String(base.prefix(31 - suffix.count)) + suffix
            n += 1
        }
        return name
    }

    // MARK: Parts

    static func worksheet(_ sheet: Sheet) -> String {
        var x = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
        x += #"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#
        if sheet.headerRows > 0 && sheet.rows.count > sheet.headerRows {
            let top = "A\(sheet.headerRows + 1)"
            x += #"<sheetViews><sheetView workbookViewId="0"><pane ySplit="\#(sheet.headerRows)" topLeftCell="\#(top)" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>"#
        }
        let widths = columnWidths(sheet.rows)
        if !widths.isEmpty {
            x += "<cols>"
            for (i, w) in widths.enumerated() { x += #"<col min="\#(i + 1)" max="\#(i + 1)" width="\#(w)" customWidth="1"/>"# }
            x += "</cols>"
        }
        x += "<sheetData>"
        for (r, row) in sheet.rows.enumerated() {
            x += #"<row r="\#(r + 1)">"#
            let bold = r < sheet.headerRows
            for (c, cell) in row.enumerated() {
                let ref = CellReference.letters(c + 1) + String(r + 1)
                x += cellXML(cell, ref: ref, bold: bold)
            }
            x += "</row>"
        }
        x += "</sheetData>"
        if !sheet.merged.isEmpty {
            x += #"<mergeCells count="\#(sheet.merged.count)">"#
            for m in sheet.merged { x += #"<mergeCell ref="\#(escaped(m))"/>"# }
            x += "</mergeCells>"
        }
        x += "</worksheet>"
        return x
    }

    static func cellXML(_ cell: Cell, ref: String, bold: Bool) -> String {
        let s = bold ? #" s="\#(Style.bold.rawValue)""# : ""
        switch cell {
        case .empty:
            return ""
        case let .text(t):
            return #"<c r="\#(ref)" t="inlineStr"\#(s)><is><t xml:space="preserve">\#(escaped(t))</t></is></c>"#
        case let .number(v), let .percent(v):
            // NaN and infinities have no cell form: shown as text.
            guard v.isFinite else { return cellXML(.text("\(v)"), ref: ref, bold: bold) }
            let text = numberText(v)
            if case .percent = cell, !bold { return #"<c r="\#(ref)" s="\#(Style.percent.rawValue)"><v>\#(text)</v></c>"# }
            return #"<c r="\#(ref)"\#(s)><v>\#(text)</v></c>"#
        case let .bool(b):
            return #"<c r="\#(ref)" t="b"\#(s)><v>\#(b ? 1 : 0)</v></c>"#
        case let .date(day):
            return #"<c r="\#(ref)" s="\#(Style.date.rawValue)"><v>\#(ExcelDate.serial1900(day: day))</v></c>"#
        }
    }

    /// The shortest text that reads back as `v`: whole numbers below 2⁵³ without a fraction
    /// (`600519`, not `600519.0`), others as Swift's shortest round-trip form.
    static func numberText(_ v: Double) -> String {
        if v == v.rounded(), abs(v) < 9_007_199_254_740_992 { return String(Int64(v)) }
        return "\(v)"
    }

    /// Widths in characters: the widest cell's display width plus two, within 6…60.
    static func columnWidths(_ rows: [[Cell]]) -> [Int] {
        var widths: [Int] = []
        for row in rows {
            for (i, cell) in row.enumerated() {
                let text: String
                switch cell {
                case let .text(t): text = t
                case let .number(v): text = numberText(v)
                case let .percent(v): text = "\(v * 100)%"
                case .bool: text = "FALSE"
                case .date: text = "2000-01-01"
                case .empty: text = ""
                }
                if i >= widths.count { widths += [Int](repeating: 0, count: i - widths.count + 1) }
                widths[i] = max(widths[i], TextWidth.of(text))
            }
        }
        return widths.map { min(60, max(6, $0 + 2)) }
    }

    /// XML text: markup characters escaped; characters XML 1.0 cannot hold (C0 controls but
    /// tab, line feed and carriage return; U+FFFE, U+FFFF) shown as visible escapes.
    static func escaped(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for u in text.unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default:
                if (u.value < 0x20 && u != "\t" && u != "\n" && u != "\r") || u.value == 0xFFFE || u.value == 0xFFFF {
                    out += "\\u{\(String(u.value, radix: 16, uppercase: true))}"
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out
    }

    static func contentTypes(_ sheets: Int) -> String {
        var x = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
        x += #"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#
        x += #"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"#
        x += #"<Default Extension="xml" ContentType="application/xml"/>"#
        x += #"<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>"#
        x += #"<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>"#
        for i in 1...sheets {
            x += #"<Override PartName="/xl/worksheets/sheet\#(i).xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#
        }
        return x + "</Types>"
    }

    static let rootRelationships = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
        + #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#
        + #"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>"#
        + "</Relationships>"

    static func workbook(_ names: [String]) -> String {
        var x = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
        x += #"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">"#
        x += "<sheets>"
        for (i, n) in names.enumerated() { x += #"<sheet name="\#(escaped(n))" sheetId="\#(i + 1)" r:id="rId\#(i + 1)"/>"# }
        return x + "</sheets></workbook>"
    }

    static func workbookRelationships(_ sheets: Int) -> String {
        var x = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
        x += #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#
        for i in 1...sheets {
            x += #"<Relationship Id="rId\#(i)" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet\#(i).xml"/>"#
        }
        x += #"<Relationship Id="rId\#(sheets + 1)" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>"#
        return x + "</Relationships>"
    }

    /// Fonts: regular, bold. Cell formats: plain, bold, date (built-in 14 shown as a custom
    /// yyyy-mm-dd), percent (built-in 10, 0.00%).
    static let styles = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
        + #"<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#
        + #"<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy\-mm\-dd"/></numFmts>"#
        + #"<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>"#
        + #"<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>"#
        + #"<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>"#
        + #"<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>"#
        + #"<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>"#
        + #"<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>"#
        + #"<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>"#
        + #"<xf numFmtId="10" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>"#
        + #"<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>"#
        + "</styleSheet>"
}
