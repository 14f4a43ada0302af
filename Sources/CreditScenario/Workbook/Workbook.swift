import Foundation

/// An Excel workbook (.xlsx, Office Open XML SpreadsheetML) opened for reading: its sheets by
/// name, each read on demand into cells. Written for the entities and bonds tables of a desk's
/// book; charts, formulas' text and formatting other than date formats are ignored.
struct Workbook {
    struct SheetEntry: Sendable {
        let name: String
        /// Part path inside the package, e.g. `xl/worksheets/sheet1.xml`.
        let part: String
    }

    let sheets: [SheetEntry]
    let date1904: Bool
    private let archive: WorkbookArchive
    private let workbookFolder: String

    init(data: Data) throws(WorkbookError) {
        try self.init(archive: WorkbookArchive(data: data))
    }

    init(url: URL) throws(WorkbookError) {
        try self.init(archive: WorkbookArchive(url: url))
    }

    private init(archive: WorkbookArchive) throws(WorkbookError) {
        self.archive = archive
        // The main part is named by the package relationships; xl/workbook.xml by convention.
        var main = "xl/workbook.xml"
        if let rels = try archive.part("_rels/.rels") {
            let targets = try Self.relationships(rels, part: "_rels/.rels")
            if let t = targets.first(where: { $0.type.hasSuffix("/officeDocument") }) { main = Self.resolve(t.target, from: "") }
        }
        guard let workbookXML = try archive.part(main) else {
            throw WorkbookError("the package has no workbook part (\(main)); save it as an Excel Workbook (.xlsx)")
        }
        let folder = main.split(separator: "/").dropLast().joined(separator: "/")
        workbookFolder = folder
        let relsPath = (folder.isEmpty ? "" : folder + "/") + "_rels/" + (main.split(separator: "/").last.map(String.init) ?? "workbook.xml") + ".rels"
        var targets: [String: String] = [:]
        if let rels = try archive.part(relsPath) {
            for r in try Self.relationships(rels, part: relsPath) { targets[r.id] = r.target }
        }
        var entries: [SheetEntry] = []
        var is1904 = false
        var broken: WorkbookError? = nil
        let ok = XMLEvents.parse(workbookXML, start: { name, a in
            switch name {
            case "workbookPr":
                is1904 = ["1", "true"].contains(a["date1904"]?.lowercased() ?? "")
            case "sheet":
                guard let sheetName = a["name"], let id = a["id"], let target = targets[id] else {
                    if broken == nil { broken = WorkbookError(sheet: a["name"], "the workbook lists a sheet without a part; save the workbook again") }
                    return
                }
                entries.append(SheetEntry(name: sheetName, part: Self.resolve(target, from: folder)))
            default: break
            }
        })
        if let broken { throw broken }
        guard ok else { throw WorkbookError("\(main) is not well-formed XML; save the workbook again") }
        sheets = entries
        date1904 = is1904
    }

    /// The sheet named `name` (nil: the first sheet), read into cells.
    func sheet(named name: String?) throws(WorkbookError) -> Sheet {
        guard let entry = name.map({ n in sheets.first { $0.name == n } }) ?? sheets.first else {
            if let name {
                throw WorkbookError(value: name, "no sheet of that name; the sheets are \(sheets.map(\.name).joined(separator: ", "))")
            }
            throw WorkbookError("the workbook has no sheets")
        }
        guard let xml = try archive.part(entry.part) else {
            throw WorkbookError(sheet: entry.name, "the sheet's part \(entry.part) is missing from the package; save the workbook again")
        }
        let prefix = workbookFolder.isEmpty ? "" : workbookFolder + "/"
        let strings = try archive.part(prefix + "sharedStrings.xml").map { xml throws(WorkbookError) in try SharedStrings.parse(xml) } ?? []
        let styles = try archive.part(prefix + "styles.xml").map { xml throws(WorkbookError) in try WorkbookStyles(xml: xml) } ?? WorkbookStyles()
        return try SheetXML.parse(xml, .init(sheet: entry.name, sharedStrings: strings, styles: styles, date1904: date1904))
    }

    struct Relationship {
        let id: String
        let type: String
        let target: String
    }

    static func relationships(_ xml: Data, part: String) throws(WorkbookError) -> [Relationship] {
        var out: [Relationship] = []
        let ok = XMLEvents.parse(xml, start: { name, a in
            if name == "Relationship", let id = a["Id"], let target = a["Target"] {
                out.append(Relationship(id: id, type: a["Type"] ?? "", target: target))
            }
        })
        guard ok else { throw WorkbookError("\(part) is not well-formed XML; save the workbook again") }
        return out
    }

    /// A relationship target as a part path: absolute (`/xl/…`) or relative to `folder`, with
    /// `..` resolved.
    static func resolve(_ target: String, from folder: String) -> String {
        var parts: [Substring] = target.hasPrefix("/") ? [] : folder.split(separator: "/")
        for p in target.split(separator: "/") {
            if p == ".." { _ = parts.popLast() } else if p != "." { parts.append(p) }
        }
        return parts.joined(separator: "/")
    }
}
