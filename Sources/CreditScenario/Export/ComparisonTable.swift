import Foundation

/// Two runs' `summary.json` side by side: EL, VaR and ES of net and gross loss at every level
/// either run reports, premium, and each guarantor's and seller's expected payout.
public enum ComparisonTable {
    public static func render(_ a: SummaryDocument, _ b: SummaryDocument, labels: (String, String)) -> String {
        var header = ""
        for (label, d) in [(labels.0, a), (labels.1, b)] {
            header += "\(SafeText.inline(label)): \(SafeText.inline(d.header.scenario))\(d.header.stress.map { " [stress \(SafeText.inline($0))]" } ?? ""), \(d.run.paths) paths\(d.run.partial ? " (PARTIAL)" : ""), seed \(d.run.seed)\n"
        }
        // Paired standard errors of B − A when B is a stress of A on the same paths.
        let paired = b.answers.versusBase
        var rows: [[String]] = [["", "A", "B", "B − A"] + (paired != nil ? ["± SE", ""] : []) + ["B / A"]]
        func row(_ name: String, _ x: Double?, _ y: Double?, se: Double?? = nil, significant: Bool? = true) {
            var diff = "—", ratio = "—"
            if let x, let y {
                diff = SummaryTable.fmt(y - x)
                if x != 0 { ratio = String(format: "%.3f", y / x) }
            }
            var cells = [name, x.map { SummaryTable.fmt($0) } ?? "—", y.map { SummaryTable.fmt($0) } ?? "—", diff]
            if paired != nil {
                let error = se.flatMap { $0 }
                let unchanged = error == 0 && x == y
                // No error (a VaR on an atom, or an unpaired figure): "—" and no mark.
                cells += [error.map { SummaryTable.fmt($0) } ?? "—", error == nil || unchanged || significant != false ? "" : "noise"]
            }
            rows.append(cells + [ratio])
        }
        for (name, x, y, d) in [("net", a.losses.net, b.losses.net, paired?.net), ("gross", a.losses.gross, b.losses.gross, paired?.gross)] {
            row("\(name) EL", x.expectedLoss, y.expectedLoss, se: .some(d?.expectedLossSE),
                significant: d?.expectedLossSignificant ?? true)
            let levels = Set(x.quantiles.map(\.level)).union(y.quantiles.map(\.level)).sorted()
            for level in levels {
                let qa = x.quantiles.first { $0.level == level }, qb = y.quantiles.first { $0.level == level }
                let dq = d?.quantiles.first { $0.level == level }
                row("\(name) VaR \(SummaryTable.pct(level))", qa?.valueAtRisk, qb?.valueAtRisk, se: .some(dq?.valueAtRiskSE),
                    significant: dq?.valueAtRiskSignificant)
                row("\(name) ES  \(SummaryTable.pct(level))", qa?.expectedShortfall, qb?.expectedShortfall,
                    se: .some(dq?.expectedShortfallSE), significant: dq?.expectedShortfallSignificant ?? true)
            }
        }
        row("expected premium", a.losses.expectedPremium, b.losses.expectedPremium)
        for (role, x, y) in [("guarantor", a.losses.guarantors, b.losses.guarantors), ("seller", a.losses.protectionSellers, b.losses.protectionSellers)] {
            let ids = (x.map(\.id) + y.map(\.id)).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
            for id in ids {
                let d = paired?.payouts.first { $0.id == id }
                row("\(role) \(id) E[payout]", x.first { $0.id == id }?.expectedPayout, y.first { $0.id == id }?.expectedPayout,
                    se: .some(d?.expectedPayoutSE), significant: d?.significant ?? true)
            }
        }
        let note = paired == nil ? "" : "\nB − A is paired (same paths): ± SE is the error of the difference; "
            + "\"noise\" marks a difference within 1.96 SE of zero; a VaR on an atom of the losses has no SE (—) and no mark.\n"
        return header + "\n" + SummaryTable.table(rows) + note
    }

    /// One CSV for a reference A and any number of other runs: `figure,run,a,b,b_minus_a,se,significant`
    /// (the SE and the flag only for paired runs).
    public static func csv(_ a: SummaryDocument, _ others: [(label: String, summary: SummaryDocument)]) -> String {
        var s = "figure,run,a,b,b_minus_a,se,significant\n"
        func cell(_ x: Double?) -> String { x.map { CSVExport.number($0) } ?? "" }
        for (label, b) in others {
            let paired = b.answers.versusBase
            func row(_ figure: String, _ x: Double?, _ y: Double?, _ se: Double?, _ significant: Bool?) {
                let diff = x.flatMap { x in y.map { $0 - x } }
                s += "\(SafeText.csvCell(figure)),\(SafeText.csvCell(label)),\(cell(x)),\(cell(y)),\(cell(diff)),\(cell(se)),"
                    + "\(significant.map { $0 ? "true" : "false" } ?? "")\n"
            }
            for (name, x, y, d) in [("net", a.losses.net, b.losses.net, paired?.net), ("gross", a.losses.gross, b.losses.gross, paired?.gross)] {
                row("\(name) EL", x.expectedLoss, y.expectedLoss, d?.expectedLossSE, d?.expectedLossSignificant)
                for qa in x.quantiles {
                    let qb = y.quantiles.first { $0.level == qa.level }, dq = d?.quantiles.first { $0.level == qa.level }
                    row("\(name) VaR \(qa.level)", qa.valueAtRisk, qb?.valueAtRisk, dq?.valueAtRiskSE, dq?.valueAtRiskSignificant)
                    row("\(name) ES \(qa.level)", qa.expectedShortfall, qb?.expectedShortfall, dq?.expectedShortfallSE,
                        dq?.expectedShortfallSignificant)
                }
            }
            row("expected premium", a.losses.expectedPremium, b.losses.expectedPremium, nil, nil)
        }
        return s
    }
}
