import CreditRisk

/// The table and `report.html` of `run --model all`.
public enum ComparisonPage {
    /// Rows of the side-by-side table: net loss figures per model, then IRB.
    public static func rows(_ r: ComparisonResult) -> [[String]] {
        let fmt = SummaryTable.fmt, pct = SummaryTable.pct, columns = r.columns
        var rows: [[String]] = [["net loss"] + columns.map(\.name)]
        rows.append(["EL"] + columns.map { fmt($0.document.losses.net.expectedLoss, 4) })
        rows.append(["std dev"] + columns.map { fmt($0.document.losses.net.stdDev, 4) })
        let levels = columns.first?.document.losses.net.quantiles.map(\.level) ?? []
        for (i, q) in levels.enumerated() {
            rows.append(["VaR \(pct(q))"] + columns.map { fmt($0.document.losses.net.quantiles[i].valueAtRisk, 4) })
            rows.append(["ES  \(pct(q))"] + columns.map { fmt($0.document.losses.net.quantiles[i].expectedShortfall, 4) })
        }
        for (i, q) in levels.enumerated() {
            rows.append(["VaR − EL \(pct(q))"] + columns.map {
                fmt($0.document.losses.net.quantiles[i].valueAtRisk - $0.document.losses.net.expectedLoss, 4) })
            rows.append(["ES − EL  \(pct(q))"] + columns.map {
                fmt($0.document.losses.net.quantiles[i].expectedShortfall - $0.document.losses.net.expectedLoss, 4) })
        }
        rows.append(["IRB capital (99.9 %)"] + columns.map { _ in fmt(r.irb.capital, 4) })
        return rows
    }

    public static func table(_ r: ComparisonResult) -> String {
        "Model comparison (net loss; simulations with the same seed; IRB foundation corporate, substitution)\n"
            + SummaryTable.table(rows(r))
    }

    /// The table as HTML: every figure taken from a model's summary carries its `data-key`,
    /// prefixed with the model's folder (`gaussian/net.expected_loss`).
    static func tableHTML(_ r: ComparisonResult) -> String {
        let folders = r.simulations.map { $0.outcome.model.rawValue } + [ModelName.creditRiskPlus.rawValue]
        var h = "<table class=\"summary\"><thead><tr><th>net loss</th>" + r.columns.map { "<th>\(escape($0.name))</th>" }.joined()
            + "</tr></thead><tbody>\n"
        func row(_ label: String, _ figure: (SummaryDocument.Loss) -> (key: String, value: Double)?) {
            h += "<tr><th>\(escape(label))</th>"
            for (folder, column) in zip(folders, r.columns) {
                guard let f = figure(column.document.losses.net) else { h += "<td>—</td>"; continue }
                h += HTMLReport.cell("\(folder)/\(f.key)", f.value)
            }
            h += "</tr>\n"
        }
        row("EL") { ("net.expected_loss", $0.expectedLoss) }
        row("std dev") { ("net.std_dev", $0.stdDev) }
        let levels = r.columns.first?.document.losses.net.quantiles.map(\.level) ?? []
        for q in levels {
            row("VaR \(SummaryTable.pct(q))") { l in l.quantiles.first { $0.level == q }.map { ("net.quantiles[\(q)].var", $0.valueAtRisk) } }
            row("ES \(SummaryTable.pct(q))") { l in l.quantiles.first { $0.level == q }.map { ("net.quantiles[\(q)].es", $0.expectedShortfall) } }
        }
        for q in levels {
            h += "<tr><th>VaR − EL \(SummaryTable.pct(q))</th>" + r.columns.map { c -> String in
                let l = c.document.losses.net
                return "<td>\(l.quantiles.first { $0.level == q }.map { SummaryTable.fmt($0.valueAtRisk - l.expectedLoss, 4) } ?? "—")</td>"
            }.joined() + "</tr>\n"
        }
        h += "<tr><th>IRB capital (99.9 %)</th>" + r.columns.map { _ in "<td>\(SummaryTable.fmt(r.irb.capital, 4))</td>" }.joined() + "</tr>\n"
        return h + "</tbody></table>\n"
    }

    /// The comparison table and the exceedance curves of every model on one chart; each model's
    /// own report is in its folder.
    public static func render(_ r: ComparisonResult) -> String {
        let scenario = r.analytic.scenario.name
        var h = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/>\n<title>CreditSim model comparison: \(escape(scenario))</title>\n<style>\(HTMLReport.css)</style></head><body>\n"
        h += "<h1>Model comparison: \(escape(scenario))</h1>\n"
        h += "<p class=\"meta\">Net loss under the Gaussian and Student-t copula simulations (same seed, \(r.simulations.first?.outcome.output.paths ?? 0) paths each), CreditRisk+ (analytic; guarantees and protection by substitution) and Basel II IRB foundation capital. Each model's full report is in its folder: "
            + r.columns.map { "<a href=\"\($0.name.hasPrefix("student-t") ? "student-t" : $0.name)/report.html\">\(escape($0.name))</a>" }.joined(separator: ", ") + ".</p>\n"
        h += tableHTML(r)
        var chart = SVGChart(title: "Net loss exceedance P(L > x) by model", xLabel: "loss", yLabel: "P(L > x)", logY: true)
        let colors = ["#2b6cb0", "#c05621", "#2f855a"]
        for (i, s) in r.simulations.enumerated() {
            chart.series.append(.init(name: r.columns[i].name, color: colors[i], points: HTMLReport.curve(s.outcome.report.netDistribution)))
        }
        chart.series.append(.init(name: "creditriskplus", color: colors[2], points: HTMLReport.latticeCurve(r.analytic.outcome.net)))
        chart.markers = [.init(x: r.irb.capital + (r.columns.first?.document.losses.net.expectedLoss ?? 0), label: "EL + IRB capital",
                               color: "#1a202c")]
        h += chart.render() + "\n"
        h += "<footer>IRB capital is the sum over bonds of K·EAD (capital.csv). Marker: Gaussian EL + IRB capital, comparable with VaR 99.9 %.</footer>\n"
        return h + "</body></html>\n"
    }
}
