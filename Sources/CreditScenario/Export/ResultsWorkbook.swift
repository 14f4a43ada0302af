import CreditRisk
import Foundation

/// `results.xlsx` (`run --excel`, `output.excel: true`): the run's figures in one workbook.
/// - Summary: per portfolio (the base, then each stress side by side), EL, standard deviation,
///   VaR with its 95 % confidence interval and ES at each level, net and gross, each with its
///   standard error;
/// - Quantiles: the base's VaR and ES on the fine grid of levels of `quantiles.csv`;
/// - Contributions (with `--contributions`): the base's rows of `contributions.csv`, names
///   beside ids;
/// - one sheet per stress: its figures beside the base's and the change.
public enum ResultsWorkbook {
    public static func data(_ run: RunResults) throws -> Data {
        try WorkbookWriter.data(sheets(run.portfolios))
    }

    typealias Cell = WorkbookWriter.Cell

    static func sheets(_ portfolios: [PortfolioResult]) -> [WorkbookWriter.Sheet] {
        guard let base = portfolios.first else { return [] }
        var sheets = [summary(portfolios), quantiles(base.outcome)]
        if let c = base.outcome.contributions { sheets.append(contributions(c, names: EntityNames(base.outcome.portfolio))) }
        for p in portfolios.dropFirst() where p.outcome.stress != nil { sheets.append(stress(p, base: base)) }
        return sheets
    }

    /// One figure of a portfolio: its value and standard error (nil where none applies).
    struct Figure {
        let label: String
        let value: Double
        let se: Double?
    }

    static func figures(_ d: SummaryDocument) -> [Figure] {
        var out: [Figure] = []
        for (side, loss) in [("net", d.losses.net), ("gross", d.losses.gross)] {
            out.append(Figure(label: "EL (\(side))", value: loss.expectedLoss, se: loss.expectedLossSE))
            out.append(Figure(label: "std dev (\(side))", value: loss.stdDev, se: nil))
            for q in loss.quantiles {
                let level = SummaryTable.pct(q.level)
                out.append(Figure(label: "VaR \(level) (\(side))", value: q.valueAtRisk, se: nil))
                if let low = q.valueAtRiskCILow, let high = q.valueAtRiskCIHigh {
                    out.append(Figure(label: "VaR \(level) (\(side)) 95% CI low", value: low, se: nil))
                    out.append(Figure(label: "VaR \(level) (\(side)) 95% CI high", value: high, se: nil))
                }
                out.append(Figure(label: "ES \(level) (\(side))", value: q.expectedShortfall, se: q.expectedShortfallSE))
            }
        }
        return out
    }

    static func name(_ p: PortfolioResult) -> String { p.outcome.stress?.name ?? "base" }

    static func summary(_ portfolios: [PortfolioResult]) -> WorkbookWriter.Sheet {
        let columns = portfolios.map { figures($0.document) }
        var rows: [[Cell]] = [[.text("figure")] + portfolios.flatMap { [.text(name($0)), .text("\(name($0)) ± SE")] }]
        for (i, f) in (columns.first ?? []).enumerated() {
            rows.append([.text(f.label)] + columns.flatMap { c -> [Cell] in
                guard let g = c[safe: i] else { return [.empty, .empty] }
                return [.number(g.value), g.se.map { .number($0) } ?? .empty]
            })
        }
        if let d = portfolios.first?.document {
            rows.append([])
            rows.append([.text("scenario"), .text(d.header.scenario)])
            rows.append([.text("paths"), .number(Double(d.run.paths)), .text("seed"), .text(String(d.run.seed))])
            if d.run.partial { rows.append([.text("PARTIAL"), .text("interrupted: \(d.run.paths) of \(d.run.requestedPaths) requested paths")]) }
        }
        return WorkbookWriter.Sheet(name: "Summary", rows: rows)
    }

    static func quantiles(_ o: RunOutcome) -> WorkbookWriter.Sheet {
        var rows: [[Cell]] = [["level", "net_var", "net_es", "gross_var", "gross_es"].map { .text($0) }]
        for q in RiskReport.fineLevels(paths: o.report.paths) {
            let n = RiskMeasures.measure(o.report.netDistribution, level: q)
            let g = RiskMeasures.measure(o.report.grossDistribution, level: q)
            rows.append([.number(q), .number(n.valueAtRisk), .number(n.expectedShortfall), .number(g.valueAtRisk), .number(g.expectedShortfall)])
        }
        return WorkbookWriter.Sheet(name: "Quantiles", rows: rows)
    }

    static func contributions(_ c: Contributions, names: EntityNames) -> WorkbookWriter.Sheet {
        var header: [Cell] = ["kind", "id", "name", "issuer_name", "el", "el_se"].map { .text($0) }
        for l in c.levels { header += [.text("es_\(CSVExport.number(l))"), .text("es_\(CSVExport.number(l))_se")] }
        var rows = [header]
        for r in c.rows {
            var row: [Cell] = [.text(r.kind), .text(r.id), .text(names.name(kind: r.kind, id: r.id)),
                               .text(names.issuerName(kind: r.kind, id: r.id)),
                               .number(r.expectedLoss), r.expectedLossSE.map { .number($0) } ?? .empty]
            for l in r.expectedShortfall.indices {
                row += [.number(r.expectedShortfall[l]), r.expectedShortfallSE.map { .number($0[l]) } ?? .empty]
            }
            rows.append(row)
        }
        return WorkbookWriter.Sheet(name: "Contributions", rows: rows)
    }

    static func stress(_ o: PortfolioResult, base: PortfolioResult) -> WorkbookWriter.Sheet {
        let n = name(o)
        var rows: [[Cell]] = [[.text("figure"), .text("base"), .text("base ± SE"), .text(n), .text("\(n) ± SE"), .text("\(n) − base")]]
        for (b, s) in zip(figures(base.document), figures(o.document)) {
            rows.append([.text(b.label), .number(b.value), b.se.map { .number($0) } ?? .empty,
                         .number(s.value), s.se.map { .number($0) } ?? .empty, .number(s.value - b.value)])
        }
        if let description = o.outcome.stress?.description, !description.isEmpty {
            rows.append([])
            rows.append([.text("stress"), .text(description)])
        }
        return WorkbookWriter.Sheet(name: "stress \(n)", rows: rows)
    }
}
