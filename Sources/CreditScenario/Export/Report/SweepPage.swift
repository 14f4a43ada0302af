import CreditRisk

/// The sweep's table, CSV and heat-map page: net EL and net ES at the highest level at every
/// point, with each point's change from (1, 1) and its paired standard error.
public enum SweepPage {
    public static func table(_ r: SweepResult) -> String {
        let level = r.document.points.first?.net.quantiles.last?.level
        var rows: [[String]] = [["pd ×", "loadings ×", "net EL", "Δ ± SE", "net ES \(level.map(SummaryTable.pct) ?? "")", "Δ ± SE"]]
        for p in r.document.points {
            let es = p.net.quantiles.last
            let v = p.versusBase
            rows.append([SummaryTable.fmt(p.pdScale), SummaryTable.fmt(p.loadingScale), SummaryTable.fmt(p.net.expectedLoss),
                         v.map { change($0.net.expectedLoss, $0.net.expectedLossSE, $0.net.expectedLossSignificant) } ?? "(base)",
                         es.map { SummaryTable.fmt($0.expectedShortfall) } ?? "—",
                         v?.net.quantiles.last.map { change($0.expectedShortfall, $0.expectedShortfallSE, $0.expectedShortfallSignificant) } ?? ""])
        }
        return "Sweep of \(r.scenario.name): \(r.document.paths) paths, seed \(r.document.seed), every point on the same paths\n"
            + SummaryTable.table(rows)
    }

    static func change(_ d: Double, _ se: Double, _ significant: Bool) -> String {
        "\(d >= 0 ? "+" : "")\(SummaryTable.fmt(d)) ± \(SummaryTable.fmt(se))\(significant ? "" : " noise")"
    }

    public static func csv(_ r: SweepResult) -> String {
        var s = "pd_scale,loading_scale,net_el,net_el_se,net_el_change,net_el_change_se" + (r.document.points.first?.net.quantiles.map {
            ",net_var_\(CSVExport.number($0.level)),net_es_\(CSVExport.number($0.level))"
        }.joined() ?? "") + "\n"
        for p in r.document.points {
            s += "\(CSVExport.number(p.pdScale)),\(CSVExport.number(p.loadingScale)),\(CSVExport.number(p.net.expectedLoss)),"
                + "\(p.net.expectedLossSE.map(CSVExport.number) ?? ""),\(p.versusBase.map { CSVExport.number($0.net.expectedLoss) } ?? "0"),"
                + "\(p.versusBase.map { CSVExport.number($0.net.expectedLossSE) } ?? "0")"
                + p.net.quantiles.map { ",\(CSVExport.number($0.valueAtRisk)),\(CSVExport.number($0.expectedShortfall))" }.joined() + "\n"
        }
        return s
    }

    /// A heat map per figure (PD scale down, loading scale across), colour by value, every cell
    /// with its value; then the table.
    public static func render(_ r: SweepResult) -> String {
        var h = HTMLReport.page(title: "sweep of \(r.scenario.name)", language: .en)
        h += "<h1>Sensitivity sweep: \(escape(r.scenario.name))</h1>\n"
        h += "<p class=\"meta\">\(r.document.paths) paths, seed \(r.document.seed); every point on the same paths (common random numbers), each compared with the point PD × 1, loadings × 1, which is the scenario itself.</p>\n"
        let level = r.document.points.first?.net.quantiles.last?.level
        h += heatMap(r, title: "net EL") { $0.net.expectedLoss }
        if let level { h += heatMap(r, title: "net ES \(SummaryTable.pct(level))") { $0.net.quantiles.last?.expectedShortfall } }
        h += "<h2>Every point</h2>\n<table><thead><tr><th>PD ×</th><th>loadings ×</th><th>net EL</th><th>Δ ± SE</th>"
            + "<th>net ES</th><th>Δ ± SE</th></tr></thead><tbody>\n"
        for p in r.document.points {
            let v = p.versusBase
            h += "<tr><th>\(SummaryTable.fmt(p.pdScale))</th><td>\(SummaryTable.fmt(p.loadingScale))</td><td>\(SummaryTable.fmt(p.net.expectedLoss))</td>"
                + "<td>\(v.map { escape(change($0.net.expectedLoss, $0.net.expectedLossSE, $0.net.expectedLossSignificant)) } ?? "base")</td>"
                + "<td>\(p.net.quantiles.last.map { SummaryTable.fmt($0.expectedShortfall) } ?? "—")</td>"
                + "<td>\(v?.net.quantiles.last.map { escape(change($0.expectedShortfall, $0.expectedShortfallSE, $0.expectedShortfallSignificant)) } ?? "")</td></tr>\n"
        }
        return h + "</tbody></table>\n<footer>Written by creditsim sweep.</footer>\n</body></html>\n"
    }

    static func heatMap(_ r: SweepResult, title: String, _ value: (SweepResult.Point) -> Double?) -> String {
        let values = r.document.points.compactMap(value)
        guard let low = values.min(), let high = values.max() else { return "" }
        let pds = r.sweep.grid.pdScales, loads = r.sweep.grid.loadingScales
        let cellW = min(110.0, 560 / Double(max(loads.count, 1))), cellH = 34.0, left = 90.0, top = 40.0
        let width = left + cellW * Double(loads.count) + 20, height = top + cellH * Double(pds.count) + 20
        var s = "<h2>\(escape(title))</h2>\n<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"\(escape(title))\">"
        s += "<text x=\"\(left)\" y=\"14\" class=\"label\">loadings ×</text><text x=\"4\" y=\"\(top - 6)\" class=\"label\">PD ×</text>"
        for (j, l) in loads.enumerated() {
            s += "<text x=\"\(left + cellW * (Double(j) + 0.5))\" y=\"\(top - 6)\" class=\"tick\" text-anchor=\"middle\">\(SummaryTable.fmt(l))</text>"
        }
        for (i, p) in pds.enumerated() {
            let y = top + cellH * Double(i)
            s += "<text x=\"\(left - 8)\" y=\"\(y + cellH / 2 + 4)\" class=\"tick\" text-anchor=\"end\">\(SummaryTable.fmt(p))</text>"
            for (j, l) in loads.enumerated() {
                guard let point = r.point(p, l), let v = value(point) else { continue }
                let t = high > low ? (v - low) / (high - low) : 0
                // White (lowest) to deep red (highest).
                let g = Int(245 - 170 * t), b = Int(240 - 190 * t)
                s += "<rect x=\"\(left + cellW * Double(j))\" y=\"\(y)\" width=\"\(cellW - 2)\" height=\"\(cellH - 2)\" fill=\"rgb(230,\(g),\(b))\"/>"
                s += "<text x=\"\(left + cellW * (Double(j) + 0.5))\" y=\"\(y + cellH / 2 + 4)\" class=\"tick\" text-anchor=\"middle\">\(SummaryTable.fmt(v))</text>"
            }
        }
        return s + "</svg>\n"
    }
}
