@testable import CreditScenario
import Foundation
import Testing

/// `run --excel` / `output.excel: true` writes results.xlsx; CSVs carry a UTF-8 BOM; names stand
/// beside ids in contributions.csv and the terminal tables.
@Suite struct ExcelOutTests {
    static func scenario(_ extra: String = "") -> String {
        """
        version: 1
        name: 债券组合
        simulation: {paths: 4096, seed: 5}
        factors: [global]
        entities:
          - {id: "600519", name: 贵州茅台, sector: 消费, pd: 0.02, loadings: {global: 0.4}}
          - {id: yili, name: 伊利股份, sector: 消费, pd: 0.05, loadings: {global: 0.3}}
          - {id: cdb, name: 国家开发银行, pd: 0.002, loadings: {global: 0.3}}
        bonds:
          - {id: 188001.SH, issuer: yili, notional: 500, maturity: 3, lgd: 0.6, guarantor: cdb, coverage: 0.5}
          - {id: 600519-1, issuer: "600519", notional: 80, maturity: 2, lgd: 0.4}
        stress:
          - {name: up, pd_multiplier: {sector: {消费: 2}}}
        \(extra)
        """
    }

    func run(_ yaml: String, _ arguments: [String]) throws -> (Tool.Result, URL) {
        let folder = try Tool.temporaryFolder("excel")
        try Data(yaml.utf8).write(to: folder.appendingPathComponent("s.yaml"))
        let out = folder.appendingPathComponent("out")
        let r = try Tool.run(["run", folder.appendingPathComponent("s.yaml").path, "--out", out.path] + arguments)
        return (r, out)
    }

    @Test func resultsWorkbookHoldsTheRunsFigures() throws {
        let (r, out) = try run(Self.scenario(), ["--excel", "--contributions", "--stress", "all"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("results.xlsx"))
        let book = try Workbook(data: Data(contentsOf: out.appendingPathComponent("results.xlsx")))
        #expect(book.sheets.map(\.name) == ["Summary", "Quantiles", "Contributions", "stress up"])
        let summary = try book.sheet(named: "Summary")
        func cell(_ sheet: Sheet, _ ref: String) -> SheetCell? { CellReference(Substring(ref)).flatMap { sheet.cells[$0] } }
        #expect(cell(summary, "A1") == .text("figure") && cell(summary, "B1") == .text("base") && cell(summary, "D1") == .text("up"))
        #expect(cell(summary, "A2") == .text("EL (net)"))
        // The figures are summary.json's, to the bit.
        for (folder, column) in [("", "B"), ("stress-up/", "D")] {
            let json = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent(folder + "summary.json"))) as? [String: Any]
            let net = json?["net"] as? [String: Any]
            guard case let .number(el)? = cell(summary, column + "2"), let expected = net?["expected_loss"] as? Double else {
                Issue.record("no EL in \(column)2"); continue
            }
            #expect(Double(el)?.bitPattern == expected.bitPattern)
        }
        let contributions = try book.sheet(named: "Contributions")
        #expect(cell(contributions, "C1") == .text("name") && cell(contributions, "D1") == .text("issuer_name"))
        #expect(cell(contributions, "A2") == .text("bond") && cell(contributions, "D2") == .text("伊利股份"))
        let stress = try book.sheet(named: "stress up")
        #expect(cell(stress, "F1") == .text("up − base"))
    }

    @Test func csvFilesStartWithAByteOrderMarkAndNameIssuers() throws {
        let (r, out) = try run(Self.scenario(), ["--contributions"])
        #expect(r.status == 0, "\(r.stderr)")
        for name in ["contributions.csv", "quantiles.csv", "loss-distribution.csv"] {
            let bytes = try Data(contentsOf: out.appendingPathComponent(name))
            #expect(bytes.starts(with: [0xEF, 0xBB, 0xBF]), "\(name)")
        }
        let csv = String(decoding: try Data(contentsOf: out.appendingPathComponent("contributions.csv")).dropFirst(3), as: UTF8.self)
        let lines = csv.split(separator: "\n")
        #expect(lines.first?.hasPrefix("kind,id,name,issuer_name,el,el_se,") == true)
        #expect(lines.contains { $0.hasPrefix("bond,188001.SH,,伊利股份,") })
        #expect(lines.contains { $0.hasPrefix("issuer,yili,伊利股份,,") })
        #expect(lines.contains { $0.hasPrefix("guarantor,cdb,国家开发银行,,") })
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("results.xlsx").path))
        // The top-contributor table shows "id (name)", its columns aligned by display width.
        let table = r.stdout.components(separatedBy: "Top contributors by issuer").dropFirst().first?
            .split(separator: "\n").prefix(3).map(String.init) ?? []
        #expect(table.count == 3 && table[1].hasPrefix("yili (伊利股份)") || table[2].hasPrefix("yili (伊利股份)"), "\(r.stdout)")
        #expect(Set(table.dropFirst().map { TextWidth.of($0) }).count == 1, "\(table)")
    }

    @Test func scenarioKeyAsksForTheWorkbook() throws {
        let (r, out) = try run(Self.scenario("output: {excel: true}"), [])
        #expect(r.status == 0, "\(r.stderr)")
        let book = try Workbook(data: Data(contentsOf: out.appendingPathComponent("results.xlsx")))
        #expect(book.sheets.map(\.name) == ["Summary", "Quantiles"])
        let (bad, _) = try run(Self.scenario("output: {excel: yes please}"), [])
        #expect(bad.status == 65 && bad.stderr.contains("must be true or false"), "\(bad.stderr)")
    }
}
