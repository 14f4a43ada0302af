import CreditHistory
import Foundation

/// The run history as a table (`creditsim history`) and a trend page (`--html`): per scenario,
/// net EL, VaR and ES at the highest level of every stored run, in order of as_of, one line per
/// portfolio (base and each stress).
public enum TrendPage {
    /// One line per run: id, as_of, start, scenario, paths, seed, method, base net EL, VaR and ES.
    public static func table(_ runs: [HistoryRecord]) -> String {
        var rows: [[String]] = [["id", "as_of", "started (UTC)", "scenario", "paths", "seed", "method", "net EL", "net VaR", "net ES", "stresses"]]
        for r in runs {
            let top = r.base?.measures.filter { $0.loss == "net" }.max { $0.level < $1.level }
            rows.append(["\(r.id ?? 0)", r.asOf, String(r.startedUTC.prefix(19)), r.scenario + (r.partial ? " (PARTIAL)" : ""), "\(r.paths)",
                         "\(r.seed)", r.method, SummaryTable.fmt(r.base?.netEL ?? 0),
                         top.map { "\(SummaryTable.fmt($0.valueAtRisk)) @\(SummaryTable.pct($0.level))" } ?? "—",
                         top.map { SummaryTable.fmt($0.expectedShortfall) } ?? "—", "\(max(0, r.portfolios.count - 1))"])
        }
        return SummaryTable.table(rows)
    }

    public static func render(_ runs: [HistoryRecord], source: String) -> String {
        var h = HTMLReport.page(title: "run history", language: .en)
        h += "<h1>Run history</h1>\n<p class=\"meta\">\(runs.count) runs from \(escape(source)). Net loss by as_of; one line per portfolio (the base and each stress).</p>\n"
        let scenarios = runs.map(\.scenario).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        let palette = ["#2b6cb0", "#c05621", "#2f855a", "#6b46c1", "#b83280", "#2c7a7b", "#975a16", "#4a5568"]
        for scenario in scenarios {
            let list = runs.filter { $0.scenario == scenario }
            let names = list.flatMap { $0.portfolios.map(\.name) }.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
            let level = list.compactMap { $0.base?.measures.filter { $0.loss == "net" }.map(\.level).max() }.max()
            h += "<h2>\(escape(scenario))</h2>\n"
            for (title, figure) in figures(level: level) {
                var chart = SVGChart(title: title, xLabel: "as_of", yLabel: title)
                chart.categories = list.map(\.asOf)
                chart.series = names.enumerated().map { i, name in
                    SVGChart.Series(name: name, color: palette[i % palette.count], points: list.enumerated().compactMap { j, run in
                        run.portfolios.first { $0.name == name }.flatMap(figure).map { (Double(j + 1), $0) }
                    })
                }
                if chart.series.count > 4 { chart.legendBelow = true }
                h += chart.render() + "\n"
            }
            h += "<table><thead><tr><th>as_of</th><th>started (UTC)</th><th>portfolio</th><th>net EL</th><th>net VaR</th><th>net ES</th><th>paths</th><th>seed</th></tr></thead><tbody>\n"
            for run in list {
                for p in run.portfolios {
                    let top = p.measures.filter { $0.loss == "net" && $0.level == level }.first
                    h += "<tr><th>\(escape(run.asOf))</th><td>\(escape(String(run.startedUTC.prefix(19))))</td><td>\(escape(p.name))</td>"
                        + "<td>\(SummaryTable.fmt(p.netEL))</td><td>\(top.map { SummaryTable.fmt($0.valueAtRisk) } ?? "—")</td>"
                        + "<td>\(top.map { SummaryTable.fmt($0.expectedShortfall) } ?? "—")</td><td>\(run.paths)</td><td>\(run.seed)</td></tr>\n"
                }
            }
            h += "</tbody></table>\n"
        }
        return h + "<footer>Written by creditsim history.</footer>\n</body></html>\n"
    }

    /// EL, and VaR and ES at `level`, each read from a portfolio.
    static func figures(level: Double?) -> [(String, (HistoryRecord.Portfolio) -> Double?)] {
        var out: [(String, (HistoryRecord.Portfolio) -> Double?)] = [("net EL", { $0.netEL })]
        if let level {
            out.append(("net VaR \(SummaryTable.pct(level))", { p in p.measures.first { $0.loss == "net" && $0.level == level }?.valueAtRisk }))
            out.append(("net ES \(SummaryTable.pct(level))", { p in p.measures.first { $0.loss == "net" && $0.level == level }?.expectedShortfall }))
        }
        return out
    }
}
