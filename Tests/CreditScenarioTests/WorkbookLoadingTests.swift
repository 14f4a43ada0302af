import CreditRisk
@testable import CreditScenario
import Foundation
import Testing

/// Entities and bonds from Excel workbooks (`book.xlsx#Sheet`), header aliases and cell forms:
/// a workbook book gives the same bits as the same book in canonical CSV files.
@Suite struct WorkbookLoadingTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// Everything the simulation uses of a portfolio, numbers as bit patterns.
    static func fingerprint(_ s: Scenario) -> [String] {
        let p = s.portfolio
        return p.entities.map { e in
            "E \(e.id)|\(e.name ?? "")|\(e.sector ?? "")|\(e.pd.bitPattern)|\(e.loadings.map(\.bitPattern))|\(e.rating.map(String.init) ?? "")|\(e.capacity?.bitPattern ?? 0)"
        } + p.bonds.map { b in
            "B \(b.id)|\(b.issuer)|\(b.notional.bitPattern)|\(b.maturity.bitPattern)|\(b.lgd.bitPattern)|"
                + "\(b.guarantee.map { "\($0.guarantor):\($0.coverage.bitPattern)" } ?? "")|"
                + "\(b.protection.map { "\($0.seller):\($0.notional.bitPattern):\($0.spreadBps.bitPattern)" } ?? "")"
        }
    }

    static func scenario(entities: String, bonds: String, extra: String = "as_of: 2026-03-02") -> String {
        """
        version: 1
        name: Desk book
        simulation: {paths: 1000, seed: 1}
        factors: [global]
        entities: \(entities)
        bonds: \(bonds)
        \(extra)
        """
    }

    static func load(_ files: [String: String], workbooks: [String: [WorkbookWriter.Sheet]] = [:]) throws -> Scenario {
        let f = try Fixture(files)
        for (name, sheets) in workbooks { try WorkbookWriter.data(sheets).write(to: URL(fileURLWithPath: f.path(name))) }
        return try ScenarioLoader.load(path: f.path("s.yaml"))
    }

    static func problems(at path: String) -> [String] {
        do {
            _ = try ScenarioLoader.load(path: path)
            return []
        } catch {
            return error.problems.map(\.description)
        }
    }

    static func problems(_ files: [String: String], workbooks: [String: [WorkbookWriter.Sheet]] = [:]) -> [String] {
        do {
            _ = try load(files, workbooks: workbooks)
            return []
        } catch let e as ScenarioError {
            return e.problems.map(\.description)
        } catch {
            return ["\(error)"]
        }
    }

    static let csvBook: [String: String] = [
        "s.yaml": scenario(entities: "entities.csv", bonds: "bonds.csv"),
        "entities.csv": (try? String(contentsOf: fixtures.appendingPathComponent("desk-entities.csv"), encoding: .utf8)) ?? "",
        "bonds.csv": (try? String(contentsOf: fixtures.appendingPathComponent("desk-bonds.csv"), encoding: .utf8)) ?? "",
    ]

    /// The fixture book written by this project's own writer: Chinese headers, a merged title
    /// row, percent cells, date cells, an issuer merged down over two bonds, a text notional.
    static let ownBook: [WorkbookWriter.Sheet] = {
        typealias C = WorkbookWriter.Cell
        let entities = WorkbookWriter.Sheet(name: "主体", rows: [
            [.text("主体清单（2026年3月）")],
            [.text("主体代码"), .text("主体名称"), .text("行业"), .text("违约概率"), .text("global")],
            [.number(600519), .text("贵州茅台"), .text("消费"), .percent(0.0006), .number(0.3)],
            [.text("yili"), .text("伊利股份"), .text("消费"), .percent(0.0035), .number(0.35)],
            [.text("cdb"), .text("国家开发银行"), .text("政策性银行"), .percent(0.0002), .number(0.4)],
            [.text("hwd"), .text("恒大地产"), .text("地产"), .percent(0.052), .number(0.5)],
        ], headerRows: 2, merged: ["A1:E1"])
        func day(_ y: Int, _ m: Int, _ d: Int) -> C { .date(CivilDate.day(year: y, month: m, day: d) ?? 0) }
        let bonds = WorkbookWriter.Sheet(name: "债券", rows: [
            [.text("债券代码"), .text("发行人"), .text("余额"), .text("到期日"), .text("违约损失率"), .text("担保人"), .text("担保比例")],
            [.text("188001.SH"), .text("yili"), .number(500), day(2029, 3, 13), .number(0.6)],
            [.text("188002.SH"), .empty, .text("1,000.0"), day(2027, 11, 30), .number(0.55), .text("cdb"), .number(1)],
            [.text("112233.SZ"), .text("hwd"), .number(250.5), day(2026, 12, 31), .number(0.7)],
            [.text("600519-1"), .number(600519), .number(80), day(2028, 6, 1), .number(0.4)],
        ], merged: ["B2:B3"])
        return [entities, bonds]
    }()

    @Test func ownWorkbookEqualsTheCSVBookBitForBit() throws {
        let csv = try Self.load(Self.csvBook)
        let book = try Self.load(["s.yaml": Self.scenario(entities: "book.xlsx#主体", bonds: "book.xlsx#债券")],
                                 workbooks: ["book.xlsx": Self.ownBook])
        #expect(Self.fingerprint(book) == Self.fingerprint(csv))
        #expect(book.entitySource == "book.xlsx#主体" && book.bondSource == "book.xlsx#债券")
        #expect(book.warnings.isEmpty)
        // Without "#", the first sheet.
        let first = try Self.load(["s.yaml": Self.scenario(entities: "book.xlsx", bonds: "book.xlsx#债券")],
                                  workbooks: ["book.xlsx": Self.ownBook])
        #expect(Self.fingerprint(first) == Self.fingerprint(csv))
    }

    @Test(arguments: ["desk-book.xlsx", "desk-book-libreoffice.xlsx"])
    func workbookMadeByAnotherToolEqualsTheCSVBook(_ fixture: String) throws {
        let url = Self.fixtures.appendingPathComponent(fixture)
        try #require(FileManager.default.fileExists(atPath: url.path), "missing fixture \(fixture)")
        let csv = try Self.load(Self.csvBook)
        let f = try Fixture(["s.yaml": Self.scenario(entities: "book.xlsx#主体", bonds: "book.xlsx#债券")])
        try FileManager.default.copyItem(at: url, to: URL(fileURLWithPath: f.path("book.xlsx")))
        let book = try ScenarioLoader.load(path: f.path("s.yaml"))
        #expect(Self.fingerprint(book) == Self.fingerprint(csv))
    }

    /// One cell of each kind, as the other tools wrote them (sheet "cells" of the fixtures).
    @Test(arguments: ["desk-book.xlsx", "desk-book-libreoffice.xlsx"])
    func cellKindsOfAnotherTool(_ fixture: String) throws {
        let data = try Data(contentsOf: Self.fixtures.appendingPathComponent(fixture))
        let sheet = try Workbook(data: data).sheet(named: "cells")
        func cell(_ ref: String) -> SheetCell? { CellReference(Substring(ref)).flatMap { sheet.cells[$0] } }
        #expect(cell("A1") == .number("1.25"))
        #expect(cell("B1") == .text("共享字符串"))
        #expect(cell("C1") == .bool(true))
        #expect(cell("D1") == .date(CivilDate.day(year: 2030, month: 1, day: 2) ?? 0))
        #expect(cell("E1") == .number("0.0035") || cell("E1") == .number("3.5E-3"))
        // openpyxl saves a formula without its result; LibreOffice computes and saves it.
        if fixture == "desk-book.xlsx" {
            guard case .invalid(_, let rule)? = cell("F1") else { Issue.record("F1: \(String(describing: cell("F1")))"); return }
            #expect(rule.contains("a formula without a saved result"))
        } else {
            #expect(cell("F1") == .number("2.5"))
        }
    }

    @Test func writerRoundTripsEveryKindOfCell() throws {
        let values: [Double] = [0.1 + 0.2, 1e-300, -2.5e17, 123456789.125, 0.0035, .leastNonzeroMagnitude, 1.7976931348623157e308]
        let rows: [[WorkbookWriter.Cell]] = [
            [.text("x"), .text("a<b & \"c\"\u{1}"), .bool(false), .date(0), .date(CivilDate.day(year: 1900, month: 3, day: 1) ?? 0)],
            values.map { .number($0) },
        ]
        let data = try WorkbookWriter.data([WorkbookWriter.Sheet(name: "a/b:c", rows: rows)])
        let book = try Workbook(data: data)
        #expect(book.sheets.map(\.name) == ["a_b_c"])
        let sheet = try book.sheet(named: nil)
        #expect(sheet.cells[CellReference(row: 1, column: 2)] == .text("a<b & \"c\"\\u{1}"))
        #expect(sheet.cells[CellReference(row: 1, column: 3)] == .bool(false))
        #expect(sheet.cells[CellReference(row: 1, column: 4)] == .date(0))
        #expect(sheet.cells[CellReference(row: 1, column: 5)] == .date(CivilDate.day(year: 1900, month: 3, day: 1) ?? 0))
        for (i, v) in values.enumerated() {
            guard case let .number(text)? = sheet.cells[CellReference(row: 2, column: i + 1)] else { Issue.record("cell \(i)"); continue }
            #expect(Double(text)?.bitPattern == v.bitPattern)
        }
        // The same content gives the same bytes.
        #expect(try WorkbookWriter.data([WorkbookWriter.Sheet(name: "a/b:c", rows: rows)]) == data)
    }

    @Test func excelSerialDates() throws {
        func day(_ y: Int, _ m: Int, _ d: Int) -> Int { CivilDate.day(year: y, month: m, day: d) ?? -1 }
        #expect(try ExcelDate.day(serial: 1, date1904: false) == day(1900, 1, 1))
        #expect(try ExcelDate.day(serial: 59, date1904: false) == day(1900, 2, 28))
        #expect(throws: ExcelDate.Failure.phantomLeapDay) { try ExcelDate.day(serial: 60, date1904: false) }
        #expect(try ExcelDate.day(serial: 61, date1904: false) == day(1900, 3, 1))
        #expect(try ExcelDate.day(serial: 47190, date1904: false) == day(2029, 3, 13))
        #expect(try ExcelDate.day(serial: 0, date1904: true) == day(1904, 1, 1))
        #expect(try ExcelDate.day(serial: 45728, date1904: true) == day(2029, 3, 13))
        #expect(throws: ExcelDate.Failure.timeOfDay) { try ExcelDate.day(serial: 47190.5, date1904: false) }
        for d in [day(1900, 1, 1), day(1900, 2, 28), day(1900, 3, 1), day(2029, 3, 13)] {
            #expect(try ExcelDate.day(serial: Double(ExcelDate.serial1900(day: d)), date1904: false) == d)
        }
        // Civil dates against Foundation's calendar over four centuries.
        for d in stride(from: day(1900, 1, 1), through: day(2300, 1, 1), by: 97) {
            #expect(Loader.dayNumber(CivilDate.iso(d)) == d)
        }
    }

    /// A 1904-system workbook: the same serial is 1462 days later.
    @Test func date1904Workbook() throws {
        let data = try WorkbookWriter.data([WorkbookWriter.Sheet(name: "S", rows: [[.date(CivilDate.day(year: 2029, month: 3, day: 13) ?? 0)]])])
        let patched = try Self.rewrite(data, part: "xl/workbook.xml") {
            $0.replacingOccurrences(of: "<sheets>", with: #"<workbookPr date1904="1"/><sheets>"#)
        }
        let sheet = try Workbook(data: patched).sheet(named: "S")
        #expect(sheet.cells[CellReference(row: 1, column: 1)] == .date((CivilDate.day(year: 2029, month: 3, day: 13) ?? 0) + 1462))
    }

    /// A copy of a package with one part's text changed.
    static func rewrite(_ data: Data, part: String, _ change: (String) -> String) throws -> Data {
        let source = try ZIPTestArchive(data)
        var parts = source.parts
        parts[part] = Data(change(String(decoding: parts[part] ?? Data(), as: UTF8.self)).utf8)
        return try ZIPTestArchive.make(parts)
    }

    @Test func cellsAreLocatedInErrors() throws {
        let bonds = WorkbookWriter.Sheet(name: "债券", rows: [
            [.text("债券代码"), .text("发行人"), .text("余额"), .text("到期日"), .text("违约损失率")],
            [.text("b1"), .text("yili"), .text("1,03"), .text("2029/2/30"), .number(0.6)],
            [.text("b2"), .text("yili"), .number(5), .text("2029/3/13"), .number(1.5)],
            [.text("b3"), .text("nobody"), .number(5), .text("2029年3月13日"), .number(0.5)],
        ])
        let p = Self.problems(["s.yaml": Self.scenario(entities: "entities.csv", bonds: "book.xlsx#债券"),
                               "entities.csv": "id,pd\nyili,0.0035\n"], workbooks: ["book.xlsx": [bonds]])
        #expect(p.contains("book.xlsx#债券!C2: column \"余额\" (notional): value \"1,03\": not a number; \(CellForms.numberForms)"), "\(p)")
        #expect(p.contains("book.xlsx#债券!D2: column \"到期日\" (maturity): value \"2029/2/30\": not a valid date nor a number of years; \(CellForms.dateForms)"), "\(p)")
        #expect(p.contains("book.xlsx#债券!B4: column \"发行人\" (issuer): value \"nobody\": unknown entity id; it must be an id of the entities"), "\(p)")
        #expect(p.contains { $0.hasPrefix("book.xlsx#债券!E3: column \"违约损失率\" (lgd): value \"1.5\":") }, "\(p)")
    }

    @Test func workbookLevelProblems() throws {
        let files = ["s.yaml": Self.scenario(entities: "book.xlsx#Nope", bonds: "bonds.csv"), "bonds.csv": "id,issuer,notional,maturity,lgd\n"]
        let p = Self.problems(files, workbooks: ["book.xlsx": Self.ownBook])
        #expect(p.contains("book.xlsx#Nope: value \"Nope\": no sheet of that name; the sheets are 主体, 债券"), "\(p)")
        let f = try Fixture(["s.yaml": Self.scenario(entities: "old.xlsx", bonds: "bonds.csv"), "bonds.csv": "id,issuer,notional,maturity,lgd\n",
                             "old.xlsx": "id,pd\n"])
        #expect { try ScenarioLoader.load(path: f.path("s.yaml")) } throws: { e in
            (e as? ScenarioError)?.description.contains("old.xlsx: not an Excel workbook (.xlsx is a ZIP package)") ?? false
        }
        let missing = try Fixture(["s.yaml": Self.scenario(entities: "gone.xlsx#主体", bonds: "bonds.csv")])
        #expect { try ScenarioLoader.load(path: missing.path("s.yaml")) } throws: { e in
            (e as? ScenarioError).map { $0.kind == .unreadableFile && $0.description == "gone.xlsx: file not found" } ?? false
        }
        // An Excel error value and serial 60 are located by cell.
        let cells = WorkbookWriter.Sheet(name: "主体", rows: [[.text("id"), .text("pd"), .text("global")],
                                                              [.text("a"), .number(0.01), .date(0)]])
        var data = try WorkbookWriter.data([cells])
        data = try Self.rewrite(data, part: "xl/worksheets/sheet1.xml") {
            $0.replacingOccurrences(of: #"<c r="B2"><v>0.01</v></c>"#, with: #"<c r="B2" t="e"><v>#N/A</v></c>"#)
              .replacingOccurrences(of: #"<v>25569</v>"#, with: "<v>60</v>")
        }
        let g = try Fixture(["s.yaml": Self.scenario(entities: "b.xlsx", bonds: "bonds.csv"), "bonds.csv": "id,issuer,notional,maturity,lgd\n"])
        try data.write(to: URL(fileURLWithPath: g.path("b.xlsx")))
        let q = Self.problems(at: g.path("s.yaml"))
        #expect(q.contains("b.xlsx#主体!B2: value \"#N/A\": the cell shows an Excel error (#N/A); correct the formula or type the value"), "\(q)")
        #expect(q.contains { $0.hasPrefix("b.xlsx#主体!C2: value \"60\": date serial 60 is 1900-02-29") }, "\(q)")
    }

    @Test func mergedHeaderOverTwoColumnsIsADuplicate() throws {
        let sheet = WorkbookWriter.Sheet(name: "E", rows: [
            [.text("主体代码"), .text("违约概率"), .empty, .text("global")],
            [.text("a"), .number(0.01), .number(0.02), .number(0.3)],
        ], merged: ["B1:C1"])
        let p = Self.problems(["s.yaml": Self.scenario(entities: "b.xlsx", bonds: "bonds.csv"),
                               "bonds.csv": "id,issuer,notional,maturity,lgd\nx,a,1,1,0.5\n"], workbooks: ["b.xlsx": [sheet]])
        #expect(p == ["b.xlsx#E!C1: column \"违约概率\": duplicate column"], "\(p)")
    }

    @Test func partsWithADocumentTypeAreRefused() throws {
        let data = try WorkbookWriter.data([WorkbookWriter.Sheet(name: "S", rows: [[.text("id")]])])
        let patched = try Self.rewrite(data, part: "xl/worksheets/sheet1.xml") {
            $0.replacingOccurrences(of: "<worksheet", with: #"<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">]><worksheet"#)
        }
        #expect(throws: WorkbookError(sheet: "S", "the sheet's XML is not well-formed; save the workbook again")) {
            try Workbook(data: patched).sheet(named: "S")
        }
    }

    /// Inputs the fuzzer found: a name that is not valid UTF-8 (Foundation's parser trapped on
    /// it), and a ZIP directory offset past the end of the file (an in-memory reader trapped).
    @Test func fuzzerFindingsAreRefused() throws {
        let data = try WorkbookWriter.data([WorkbookWriter.Sheet(name: "S", rows: [[.text("id")]])])
        var parts = try ZIPTestArchive(data).parts
        var xml = parts["xl/worksheets/sheet1.xml"] ?? Data()
        if let r = xml.range(of: Data("<sheetData>".utf8)) { xml.replaceSubrange(r, with: Data("<sheetData a\u{1}".utf8) + [0xEC] + Data("b=\"1\">".utf8)) }
        parts["xl/worksheets/sheet1.xml"] = xml
        #expect(throws: WorkbookError(sheet: "S", "the sheet's XML is not well-formed; save the workbook again")) {
            try Workbook(data: ZIPTestArchive.make(parts)).sheet(named: "S")
        }
        var latin = parts
        latin["xl/worksheets/sheet1.xml"] = Data(#"<?xml version="1.0" encoding="ISO-8859-1"?><worksheet/>"#.utf8)
        #expect(throws: WorkbookError.self) { try Workbook(data: ZIPTestArchive.make(latin)).sheet(named: "S") }
        // End-of-central-directory record: signature PK\u{5}\u{6}, directory offset at +16.
        var bytes = [UInt8](data)
        let eocd = try #require((0...(bytes.count - 22)).reversed().first { bytes[$0..<$0 + 4] == [0x50, 0x4B, 0x05, 0x06] })
        bytes.replaceSubrange(eocd + 16..<eocd + 20, with: [0xF0, 0xFF, 0xFF, 0x7F])
        #expect(throws: WorkbookError.self) { try Workbook(data: Data(bytes)).sheet(named: nil) }
    }

    /// A sheet part above 10 MB (libxml2's push parser refused it as one chunk; it is now read
    /// in chunks): 35 000 rows of three 40-character texts.
    @Test func sheetAboveTenMegabytes() throws {
        let text = String(repeating: "债", count: 13) + "x"
        let rows = (0..<35_000).map { i in [WorkbookWriter.Cell.text("\(i)" + text), .text(text), .text(text)] }
        let data = try WorkbookWriter.data([WorkbookWriter.Sheet(name: "big", rows: rows)])
        let xml = try ZIPTestArchive(data).parts["xl/worksheets/sheet1.xml"] ?? Data()
        #expect(xml.count > 10_000_000)
        let sheet = try Workbook(data: data).sheet(named: "big")
        #expect(sheet.cells.count == 105_000)
        #expect(sheet.cells[CellReference(row: 35_000, column: 1)] == .text("34999" + text))
    }
}
