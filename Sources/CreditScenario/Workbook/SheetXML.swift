import Foundation

/// Reads a worksheet part (`xl/worksheets/sheetN.xml`): cells (`<c r t s>` with `<v>`, `<f>`,
/// `<is>`), and merged ranges (`<mergeCell ref>`).
enum SheetXML {
    /// The most cells a merged range may fill (A1:XFD1048576 would be 17 billion).
    static let mergeLimit = 4_000_000

    struct Context {
        let sheet: String
        let sharedStrings: [String]
        let styles: WorkbookStyles
        let date1904: Bool
    }

    static func parse(_ xml: Data, _ context: Context) throws(WorkbookError) -> Sheet {
        var sheet = Sheet(name: context.sheet)
        var failure: WorkbookError? = nil
        var row = 0, column = 0
        var ref: CellReference? = nil
        var type = "n", style = 0
        var value: String? = nil, formula = false
        var inline = "", inValue = false, inInlineText = false, phonetic = 0
        func fail(_ e: WorkbookError) { if failure == nil { failure = e } }

        let ok = XMLEvents.parse(xml, start: { name, a in
            guard failure == nil else { return }
            switch name {
            case "row":
                if let r = a["r"] {
                    guard let n = Int(r), n > row, n <= CellReference.maxRow else {
                        return fail(WorkbookError(sheet: context.sheet, value: r, "row number out of order or beyond Excel's 1048576 rows"))
                    }
                    row = n
                } else {
                    row += 1
                }
                column = 0
            case "c":
                if let r = a["r"] {
                    guard let c = CellReference(Substring(r)), c.row == max(row, 1) || row == 0 else {
                        return fail(WorkbookError(sheet: context.sheet, value: r, "not a cell reference of its row"))
                    }
                    ref = c
                } else {
                    ref = CellReference(row: max(row, 1), column: column + 1)
                }
                column = ref?.column ?? column + 1
                type = a["t"] ?? "n"
                style = a["s"].flatMap { Int($0) } ?? 0
                value = nil; formula = false; inline = ""
            case "v": inValue = true; value = value ?? ""
            case "f": formula = true
            case "t": inInlineText = ref != nil && type == "inlineStr" && phonetic == 0
            case "rPh": phonetic += 1
            case "mergeCell":
                let parts = (a["ref"] ?? "").split(separator: ":")
                guard parts.count == 2, let a = CellReference(parts[0]), let b = CellReference(parts[1]),
                      a.row <= b.row, a.column <= b.column else {
                    return fail(WorkbookError(sheet: context.sheet, value: a["ref"], "not a merged range such as A1:D1"))
                }
                sheet.merged.append((a, b))
            default: break
            }
        }, end: { name in
            guard failure == nil else { return }
            switch name {
            case "v": inValue = false
            case "t": inInlineText = false
            case "rPh": phonetic -= 1
            case "c":
                if let r = ref, let cell = cell(r, type: type, style: style, value: value, inline: inline, formula: formula, context) {
                    sheet.cells[r] = cell
                }
                ref = nil
            default: break
            }
        }, text: { s in
            if inValue { value? += s } else if inInlineText { inline += s }
        })
        if let failure { throw failure }
        guard ok else { throw WorkbookError(sheet: context.sheet, "the sheet's XML is not well-formed; save the workbook again") }
        return sheet
    }

    /// The content of one `<c>`; nil for an empty cell.
    static func cell(_ r: CellReference, type: String, style: Int, value: String?, inline: String, formula: Bool,
                     _ context: Context) -> SheetCell? {
        switch type {
        case "inlineStr":
            return .text(inline)
        case "s":
            guard let v = value else { return nil }
            guard let i = Int(v.trimmingCharacters(in: .whitespaces)), context.sharedStrings.indices.contains(i) else {
                return .invalid(value: v, rule: "refers to shared string \(v), which the workbook does not have; save the workbook again")
            }
            return .text(context.sharedStrings[i])
        case "str":
            return value.map { .text($0) }
        case "b":
            switch value?.trimmingCharacters(in: .whitespaces) {
            case nil: return nil
            case "1", "true": return .bool(true)
            case "0", "false": return .bool(false)
            case let v?: return .invalid(value: v, rule: "a boolean cell must hold 0 or 1")
            }
        case "e":
            return .invalid(value: value ?? "", rule: "the cell shows an Excel error (\(value ?? "")); correct the formula or type the value")
        case "d":
            // ISO 8601 date cell (strict SpreadsheetML): the date part, when no time is given.
            guard let v = value?.trimmingCharacters(in: .whitespaces) else { return nil }
            let datePart = v.prefix(10)
            let time = v.dropFirst(10)
            guard case let .day(day) = CellForms.date(String(datePart)),
                  time.isEmpty || time.allSatisfy({ "T0:.Z".contains($0) }) else {
                return .invalid(value: v, rule: "an ISO 8601 date cell must hold a date without a time of day")
            }
            return .date(day)
        case "n":
            guard let raw = value?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else {
                return formula ? .invalid(value: "", rule: "a formula without a saved result; open the workbook in Excel and save it again") : nil
            }
            guard !raw.contains(where: { "xXpP_".contains($0) }), let x = Double(raw), x.isFinite else {
                return .invalid(value: raw, rule: "a number cell that does not hold a number")
            }
            guard context.styles.dateStyles.contains(style) else { return .number(raw) }
            do {
                return .date(try ExcelDate.day(serial: x, date1904: context.date1904))
            } catch {
                switch error {
                case .phantomLeapDay:
                    return .invalid(value: raw, rule: "date serial 60 is 1900-02-29, a day that does not exist (Excel's 1900 leap-year bug); type the date")
                case .outOfRange:
                    return .invalid(value: raw, rule: "a date cell outside the dates Excel knows (1900-01-01 to 9999-12-31)")
                case .timeOfDay:
                    return .invalid(value: raw, rule: "a date with a time of day; give the date alone")
                }
            }
        default:
            return .invalid(value: type, rule: "a cell type this reader does not know (allowed: n, s, str, inlineStr, b, e, d)")
        }
    }
}
