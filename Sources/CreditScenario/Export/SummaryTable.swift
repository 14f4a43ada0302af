import CreditRisk
import Foundation

/// The readable summary printed by `creditsim run`.
public enum SummaryTable {
    public static func render(scenario: Scenario, outcome: RunOutcome, language: Language = .en) -> String {
        let g = Glossary(language)
        let report = outcome.report, output = outcome.output, requestedPaths = outcome.requestedPaths
        let p = outcome.portfolio
        let label = scenario.amountLabel
        var s = ""
        s += pad(g[.scenario]) + "\(SafeText.inline(scenario.name))\n"
        s += pad(g[.portfolio]) + "\(p.entities.count) \(g[.entities]), \(p.bonds.count) \(g[.bonds]), \(g[.notional]) \(fmt(p.totalNotional))\(label.isEmpty ? "" : " " + label)\n"
        if !label.isEmpty { s += g.format(.amountsIn, label) + "\n" }
        if p.valuation != nil { s += g[.valuationMarket] + "\n" }
        s += pad(g[.horizon]) + "\(fmt(p.horizon)) \(g[.years])\(p.rollover ? ", " + g[.rollover] : "")\n"
        let rate = output.elapsedSeconds > 0 ? Double(report.paths) / output.elapsedSeconds : 0
        if report.paths < requestedPaths {
            s += pad("PARTIAL") + g.format(.partialPaths, "\(report.paths)", "\(requestedPaths)") + "\n"
        }
        if let precision = outcome.precision { s += pad(g[.precision]) + HTMLReport.precisionSentence(precision, g) + "\n" }
        if report.netDistribution.isWeighted { s += g[.methodImportance] + "\n" }
        s += pad(g[.paths]) + "\(report.paths) (\(g[.seed]) \(output.settings.seed), \(output.settings.threads) \(g[.threads]), "
            + "\(fmt(output.elapsedSeconds, 3)) s, \(sci(rate)) paths/s, \(sci(rate * Double(p.entities.count))) name-paths/s)\n\n"

        var rows: [[String]] = [["", g[.net], g[.ciOrSE], g[.gross], g[.ciOrSE]]]
        rows.append([g[.el], fmt(report.net.expectedLoss), "± " + fmt(report.net.expectedLossSE),
                     fmt(report.gross.expectedLoss), "± " + fmt(report.gross.expectedLossSE)])
        if let net = report.netByState, let gross = report.grossByState {
            func row(_ term: Glossary.Term, _ a: Estimate?, _ b: Estimate?) {
                guard let a, let b else { return }
                rows.append(["  \(g[term])", fmt(a.value), "± " + fmt(a.standardError), fmt(b.value), "± " + fmt(b.standardError)])
            }
            row(.byHardDefaults, net.hardDefault, gross.hardDefault)
            row(.byExtensions, net.extended, gross.extended)
            row(.byMigration, net.migration, gross.migration)
        }
        rows.append([g[.stdDev], fmt(report.net.stdDev), "", fmt(report.gross.stdDev), ""])
        for (n, q) in zip(report.net.quantiles, report.gross.quantiles) {
            rows.append(["\(g[.varShort]) \(pct(n.level))", fmt(n.valueAtRisk), "[\(fmt(n.valueAtRiskLower)), \(fmt(n.valueAtRiskUpper))]",
                         fmt(q.valueAtRisk), "[\(fmt(q.valueAtRiskLower)), \(fmt(q.valueAtRiskUpper))]"])
            rows.append(["\(g[.esShort])\(language == .en ? "  " : " ")\(pct(n.level))", fmt(n.expectedShortfall), "± " + fmt(n.expectedShortfallSE),
                         fmt(q.expectedShortfall), "± " + fmt(q.expectedShortfallSE)])
        }
        for x in scenario.tailThresholds {
            let net = report.netDistribution.exceedance(x), gross = report.grossDistribution.exceedance(x)
            rows.append([g.format(.exceedance, fmt(x)), pct(net.probability), "± " + pct(net.se), pct(gross.probability), "± " + pct(gross.se)])
        }
        s += table(rows)
        if let p = report.extensionProbability {
            s += "\n\(g[.extensionProbability]) \(pct(p.value)) ± \(pct(p.standardError))\n"
        }
        if report.expectedPremium > 0 {
            s += "\n\(g[.expectedPremium]): \(fmt(report.expectedPremium))\n"
        }
        let providers = report.guarantors.map { (g[.guarantor], $0) } + report.protectionSellers.map { (g[.seller], $0) }
        if !providers.isEmpty {
            let top = report.levels.last ?? 0.99
            let limited = providers.contains { $0.1.capacity != nil }
            var prow: [[String]] = [[g[.provider], g[.role], g[.expectedPayout], "± se", g[.pays], "\(g[.varShort]) \(pct(top))",
                                     "\(g[.esShort]) \(pct(top))"] + (limited ? [g[.capacity], g[.runsOut]] : [])]
            let names = EntityNames(scenario.portfolio)
            for (role, pr) in providers {
                let q = pr.quantiles.last
                prow.append([names.label(kind: role, id: pr.id), role, fmt(pr.expectedPayout), fmt(pr.expectedPayoutSE), pct(pr.payingProbability),
                             fmt(q?.valueAtRisk ?? 0), fmt(q?.expectedShortfall ?? 0)]
                    + (limited ? [pr.capacity.map { fmt($0) } ?? "—", pr.capacityExhaustedProbability.map { pct($0) } ?? "—"] : []))
            }
            s += "\n" + table(prow)
        }
        return s
    }

    /// A label padded to the 11 columns of the header lines ("Scenario   ").
    static func pad(_ label: String) -> String {
        label + String(repeating: " ", count: max(1, 11 - TextWidth.of(label)))
    }

    /// The ten issuers and all sectors contributing most to net ES at the highest level.
    /// What the tail looks like, one line per level, then the factor means of the highest level
    /// with their errors.
    public static func tailScenario(_ d: SummaryDocument) -> String {
        guard let scenarios = d.answers.tailScenario, let last = scenarios.last else { return "" }
        var s = "Tail scenario (means over the paths with net loss ≥ VaR; factors in standard deviations)\n"
        for t in scenarios where t.tailPaths > 0 { s += "  " + SafeText.inline(t.sentence) + "\n" }
        if !last.factors.isEmpty {
            var rows = [["factor", "E[Z | L ≥ VaR \(pct(last.level))]", "± SE"]]
            for f in last.factors { rows.append([f.id, String(format: "%+.3f", f.mean), String(format: "%.3f", f.se)]) }
            s += table(rows)
        }
        if let shift = d.run.importanceFactorShift, !shift.isEmpty {
            s += "Importance-sampling shift of the factors: " + shift.map { String(format: "%+.3f", $0) }.joined(separator: ", ") + "\n"
        }
        return s
    }

    public static func topContributors(_ c: Contributions, report: RiskReport, names: EntityNames? = nil) -> String {
        guard let level = c.levels.last else { return "" }
        let es = report.net.quantiles.last?.expectedShortfall ?? 0
        var s = ""
        for (kind, count) in [("issuer", 10), ("sector", 50)] {
            var rows = [[kind, "EL contrib", "± SE", "ES \(pct(level)) contrib", "± SE", "share of ES"]]
            for r in c.top(kind, count: count) {
                let contribution = r.expectedShortfall.last ?? 0
                rows.append([names?.label(kind: r.kind, id: r.id) ?? r.id, fmt(r.expectedLoss), r.expectedLossSE.map { fmt($0) } ?? "—", fmt(contribution),
                             r.expectedShortfallSE?.last.map { fmt($0) } ?? "—", es > 0 ? pct(contribution / es) : "—"])
            }
            s += "Top contributors by \(kind) (Euler, net loss)\n" + table(rows) + "\n"
        }
        return s
    }

    /// "target 1% reached: 0.75% at 2 387 968 paths" or "target 1% missed: 1.3% at the maximum of N paths".
    public static func precisionLine(_ p: PrecisionOutcome) -> String {
        let achieved = p.achieved.map { pct($0) } ?? "undefined (ES is 0)"
        return p.met ? "target \(pct(p.target)) reached: \(achieved) at \(grouped(p.paths)) paths"
            : "target \(pct(p.target)) missed: \(achieved) at the maximum of \(grouped(p.paths)) paths"
    }

    /// 2 387 968: digits in groups of three.
    static func grouped(_ n: Int) -> String {
        var digits = Array(String(n.magnitude)), out = ""
        while digits.count > 3 {
            out = " " + String(digits.suffix(3)) + out
            digits.removeLast(3)
        }
        return (n < 0 ? "-" : "") + String(digits) + out
    }

    /// Columns aligned by display width; every cell's control characters and line breaks escaped
    /// (cells hold ids and names from the scenario).
    static func table(_ rows: [[String]]) -> String {
        let rows = rows.map { $0.map(SafeText.inline) }
        guard let width = rows.map(\.count).max() else { return "" }
        var widths = [Int](repeating: 0, count: width)
        for r in rows { for (i, c) in r.enumerated() { widths[i] = max(widths[i], TextWidth.of(c)) } }
        var s = ""
        for r in rows {
            var line = ""
            for (i, c) in r.enumerated() {
                let pad = String(repeating: " ", count: widths[i] - TextWidth.of(c))
                line += i == 0 ? c + pad : "  " + pad + c
            }
            s += line.trimmingTrailingSpaces() + "\n"
        }
        return s
    }

    static func fmt(_ x: Double, _ digits: Int = 4) -> String {
        if x == 0 { return "0" }
        // NaN included (it fails every comparison, and Int(log10(NaN)) would trap).
        if !(abs(x) < 1e7) || abs(x) < 1e-4 { return String(format: "%.\(digits)e", x) }
        let magnitude = Int(floor(log10(abs(x))))
        let decimals = max(0, digits - 1 - magnitude)
        return String(format: "%.\(min(decimals, 8))f", x)
    }

    static func sci(_ x: Double) -> String { String(format: "%.3g", x) }

    static func pct(_ q: Double) -> String {
        var s = String(format: "%.4f", q * 100)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s + "%"
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var s = self
        while s.hasSuffix(" ") { s.removeLast() }
        return s
    }
}
