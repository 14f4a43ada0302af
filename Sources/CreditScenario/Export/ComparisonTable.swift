import Foundation

/// Two runs' `summary.json` side by side: EL, VaR and ES of net and gross loss at every level
/// either run reports, premium, and each guarantor's and seller's expected payout.
public enum ComparisonTable {
    public static func render(_ a: SummaryDocument, _ b: SummaryDocument, labels: (String, String)) -> String {
        var header = ""
        for (label, d) in [(labels.0, a), (labels.1, b)] {
            header += "\(label): \(d.scenario)\(d.stress.map { " [stress \($0)]" } ?? ""), \(d.paths) paths\(d.partial ? " (PARTIAL)" : ""), seed \(d.seed)\n"
        }
        var rows: [[String]] = [["", "A", "B", "B − A", "B / A"]]
        func row(_ name: String, _ x: Double?, _ y: Double?) {
            var diff = "—", ratio = "—"
            if let x, let y {
                diff = SummaryTable.fmt(y - x)
                if x != 0 { ratio = String(format: "%.3f", y / x) }
            }
            rows.append([name, x.map { SummaryTable.fmt($0) } ?? "—", y.map { SummaryTable.fmt($0) } ?? "—", diff, ratio])
        }
        for (name, x, y) in [("net", a.net, b.net), ("gross", a.gross, b.gross)] {
            row("\(name) EL", x.expectedLoss, y.expectedLoss)
            let levels = Set(x.quantiles.map(\.level)).union(y.quantiles.map(\.level)).sorted()
            for level in levels {
                let qa = x.quantiles.first { $0.level == level }, qb = y.quantiles.first { $0.level == level }
                row("\(name) VaR \(SummaryTable.pct(level))", qa?.valueAtRisk, qb?.valueAtRisk)
                row("\(name) ES  \(SummaryTable.pct(level))", qa?.expectedShortfall, qb?.expectedShortfall)
            }
        }
        row("expected premium", a.expectedPremium, b.expectedPremium)
        for (role, x, y) in [("guarantor", a.guarantors, b.guarantors), ("seller", a.protectionSellers, b.protectionSellers)] {
            let ids = (x.map(\.id) + y.map(\.id)).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
            for id in ids {
                row("\(role) \(id) E[payout]", x.first { $0.id == id }?.expectedPayout, y.first { $0.id == id }?.expectedPayout)
            }
        }
        return header + "\n" + SummaryTable.table(rows)
    }
}
