import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// Every `report.html` the tool writes is well-formed XML, self-contained (no script, no network),
/// and every number it takes from a summary (marked with data-key/data-value) equals the one in
/// that summary.json: the base page, each stress page, CreditRisk+, and `--model all`.
@Suite(.serialized) struct ReportPageTests {
    let cli = CLITests()

    /// The problems of `folder/page`: keys `a.b[x].c` read the folder's summary.json, keys with a
    /// folder prefix `stress-x/a.b` (or `gaussian/…`) that folder's.
    static func problems(folder: URL, page: String = "report.html", minimumCells: Int = 1) throws -> [String] {
        let html = try Data(contentsOf: folder.appendingPathComponent(page))
        let doc = try XMLDocument(data: html, options: [])
        let text = String(decoding: html, as: UTF8.self)
        var problems: [String] = []
        if text.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "").contains("http://") || text.contains("https://") {
            problems.append("a network address")
        }
        if text.contains("<script") { problems.append("a script") }
        var summaries: [String: JSONValue] = [:]
        func summary(_ sub: String) throws -> JSONValue {
            if let s = summaries[sub] { return s }
            // JSONDecoder reads numbers exactly (JSONSerialization on Linux can miss the last bit).
            let url = sub.isEmpty ? folder : folder.appendingPathComponent(sub)
            let s = try JSONDecoder().decode(JSONValue.self, from: Data(contentsOf: url.appendingPathComponent("summary.json")))
            summaries[sub] = s
            return s
        }
        let cells = try doc.nodes(forXPath: "//*[@data-key]")
        if cells.count < minimumCells { problems.append("only \(cells.count) checked figures") }
        for case let element as XMLElement in cells {
            let full = element.attribute(forName: "data-key")?.stringValue ?? ""
            let value = Double(element.attribute(forName: "data-value")?.stringValue ?? "")
            var folderName = "", key = Substring(full)
            if let slash = full.firstIndex(of: "/"), !full[..<slash].contains(".") {
                folderName = String(full[..<slash])
                key = full[full.index(after: slash)...]
            }
            let expected = lookup(String(key), in: try summary(folderName))
            if value == nil || value != expected { problems.append("\(full): page \(String(describing: value)) vs summary \(String(describing: expected))") }
        }
        return problems
    }

    /// "net.quantiles[0.95].var" → net, quantiles (the item whose level, threshold or id is 0.95), var.
    static func lookup(_ key: String, in json: JSONValue) -> Double? {
        var parts: [Substring] = [], depth = 0, start = key.startIndex
        for i in key.indices {
            if key[i] == "[" { depth += 1 } else if key[i] == "]" { depth -= 1 }
            if key[i] == ".", depth == 0 { parts.append(key[start..<i]); start = key.index(after: i) }
        }
        parts.append(key[start...])
        var node: JSONValue? = json
        for part in parts {
            if let open = part.firstIndex(of: "[") {
                let name = String(part[..<open]), selector = String(part[part.index(after: open)..<part.index(before: part.endIndex)])
                node = node?[name]?.array?.first { item in
                    if let level = item["level"]?.number { return Double(selector) == level }
                    if let threshold = item["threshold"]?.number { return Double(selector) == threshold }
                    return item["id"]?.string == selector
                }
            } else {
                node = node?[String(part)]
            }
        }
        return node?.number
    }

    @Test func baseAndStressPagesMatchTheirSummaries() throws {
        let dir = try cli.fixture()
        let s = dir.appendingPathComponent("s.yaml")
        try Data((CLITests.scenario + """
            stress:
              - name: coal_down
                description: Coal PDs tripled
                pd_multiplier: {sector: {coal: 3}}

            """).utf8).write(to: s)
        let out = dir.appendingPathComponent("results")
        let r = try cli.run(["run", s.path, "--stress", "all", "--out", out.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try Self.problems(folder: out, minimumCells: 30) == [])
        let stress = out.appendingPathComponent("stress-coal_down")
        #expect(try Self.problems(folder: stress, minimumCells: 20) == [])
        // The base links and compares the stress; the stress page names itself and links back.
        let base = try String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(base.contains("<a href=\"stress-coal_down/report.html\">coal_down</a>"))
        #expect(base.contains("data-key=\"stress-coal_down/versus_base.net.expected_loss\""))
        #expect(base.contains("data-key=\"net.tail[30.0].probability\""), "P(L > x) rows")
        let page = try String(contentsOf: stress.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(page.contains("<title>CreditSim: Stress coal_down — CLI test</title>"))
        #expect(page.contains("<h1>Stress coal_down</h1>") && page.contains("Coal PDs tripled"))
        #expect(page.contains("<a href=\"../report.html\">"))
    }

    /// With an issuer that can extend, the page also shows EL by credit state and P(at least one
    /// extension), each checked against the summary.
    @Test func creditStatesOnThePageMatchTheSummary() throws {
        let entities = CLITests.entities.replacingOccurrences(of: "id,name,sector,pd,global\n", with: "id,name,sector,pd,global,extension_pd\n")
            .replacingOccurrences(of: "0.03,0.4\n", with: "0.03,0.4,0.06\n").replacingOccurrences(of: "0.05,0.3\n", with: "0.05,0.3,\n")
            .replacingOccurrences(of: "0.002,0.3\n", with: "0.002,0.3,\n").replacingOccurrences(of: "0.004,0.3\n", with: "0.004,0.3,\n")
        let dir = try cli.fixture(entities: entities)
        let out = dir.appendingPathComponent("results")
        let r = try cli.run(["run", dir.appendingPathComponent("s.yaml").path, "--out", out.path])
        #expect(r.status == 0, "\(r.stderr)")
        let page = try String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8)
        for key in ["net.expected_loss_by_state.extension.value", "gross.expected_loss_by_state.default.se", "extension_probability.value"] {
            #expect(page.contains("data-key=\"\(key)\""), "\(key)")
        }
        #expect(try Self.problems(folder: out, minimumCells: 30) == [])
    }

    @Test func analyticAndComparisonPagesMatchTheirSummaries() throws {
        let dir = try cli.fixture()
        let csfb = AnalyticCLITests.repository.appendingPathComponent("Scenarios/csfb-example/csfb.yaml").path
        let crp = dir.appendingPathComponent("crp")
        #expect(try cli.run(["run", csfb, "--out", crp.path]).status == 0)
        #expect(try Self.problems(folder: crp, minimumCells: 10) == [])
        let all = dir.appendingPathComponent("all")
        let small = AnalyticCLITests.repository.appendingPathComponent("Scenarios/small/small.yaml").path
        #expect(try cli.run(["run", small, "--model", "all", "--paths", "4096", "--quiet", "--out", all.path]).status == 0)
        #expect(try Self.problems(folder: all, minimumCells: 12) == [])
        for model in ["gaussian", "student-t", "creditriskplus"] {
            #expect(try Self.problems(folder: all.appendingPathComponent(model), minimumCells: 10) == [], "\(model)")
        }
    }

    /// `--lang zh`: the report and the table in Chinese, with the glossary's terms.
    @Test func chineseReportAndTable() throws {
        let dir = try cli.fixture()
        let out = dir.appendingPathComponent("zh")
        let r = try cli.run(["run", dir.appendingPathComponent("s.yaml").path, "--lang", "zh", "--out", out.path])
        #expect(r.status == 0, "\(r.stderr)")
        for term in ["预期损失", "风险价值", "预期短缺", "净损失", "总损失"] { #expect(r.stdout.contains(term), "table lacks \(term)") }
        let page = try String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(page.contains("<html lang=\"zh-CN\">"))
        for term in ["预期损失", "风险价值", "预期短缺", "概要", "损失分布"] { #expect(page.contains(term), "report lacks \(term)") }
        #expect(try Self.problems(folder: out, minimumCells: 20) == [])
        // The scenario key does the same; a bad value is refused with the allowed ones.
        let s = dir.appendingPathComponent("s.yaml")
        try Data(CLITests.scenario.replacingOccurrences(of: "tail_thresholds: [0, 30]}", with: "tail_thresholds: [0, 30], language: fr}").utf8).write(to: s)
        let bad = try cli.run(["validate", s.path])
        #expect(bad.status == 65 && bad.stderr.contains("output.language") && bad.stderr.contains("allowed: en, zh"), "\(bad.stderr)")
    }
}
