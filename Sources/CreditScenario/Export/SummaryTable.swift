import CreditRisk
import Foundation

/// The readable summary printed by `creditsim run`.
public enum SummaryTable {
    public static func render(scenario: Scenario, report: RiskReport, output: SimulationOutput, requestedPaths: Int) -> String {
        let p = scenario.portfolio
        var s = ""
        s += "Scenario   \(scenario.name)\n"
        s += "Portfolio  \(p.entities.count) entities, \(p.bonds.count) bonds, notional \(fmt(p.totalNotional))\(scenario.amountLabel.isEmpty ? "" : " " + scenario.amountLabel)\n"
        if !scenario.amountLabel.isEmpty { s += "Amounts    in \(scenario.amountLabel)\n" }
        if p.valuation != nil {
            s += "Valuation  market (rating migration): loss = value in today's rating − value at the horizon; negative = gain\n"
        }
        s += "Horizon    \(fmt(p.horizon)) y\(p.rollover ? ", rollover" : "")\n"
        let rate = output.elapsedSeconds > 0 ? Double(report.paths) / output.elapsedSeconds : 0
        if report.paths < requestedPaths {
            s += "PARTIAL    interrupted: \(report.paths) of \(requestedPaths) requested paths\n"
        }
        if report.netDistribution.isWeighted { s += "Method     importance sampling (Glasserman & Li 2005 factor shift and twist)\n" }
        s += "Paths      \(report.paths) (seed \(output.settings.seed), \(output.settings.threads) threads, "
            + "\(fmt(output.elapsedSeconds, 3)) s, \(sci(rate)) paths/s, \(sci(rate * Double(p.entities.count))) name-paths/s)\n\n"

        var rows: [[String]] = [["", "net", "± / 95% CI", "gross", "± / 95% CI"]]
        rows.append(["EL", fmt(report.net.expectedLoss), "± " + fmt(report.net.expectedLossSE),
                     fmt(report.gross.expectedLoss), "± " + fmt(report.gross.expectedLossSE)])
        if let net = report.netByState, let gross = report.grossByState {
            func row(_ name: String, _ a: Estimate?, _ b: Estimate?) {
                guard let a, let b else { return }
                rows.append(["  \(name)", fmt(a.value), "± " + fmt(a.standardError), fmt(b.value), "± " + fmt(b.standardError)])
            }
            row("by default", net.hardDefault, gross.hardDefault)
            row("by extension", net.extended, gross.extended)
            row("by migration", net.migration, gross.migration)
        }
        rows.append(["std dev", fmt(report.net.stdDev), "", fmt(report.gross.stdDev), ""])
        for (n, g) in zip(report.net.quantiles, report.gross.quantiles) {
            rows.append(["VaR \(pct(n.level))", fmt(n.valueAtRisk), "[\(fmt(n.valueAtRiskLower)), \(fmt(n.valueAtRiskUpper))]",
                         fmt(g.valueAtRisk), "[\(fmt(g.valueAtRiskLower)), \(fmt(g.valueAtRiskUpper))]"])
            rows.append(["ES  \(pct(n.level))", fmt(n.expectedShortfall), "± " + fmt(n.expectedShortfallSE),
                         fmt(g.expectedShortfall), "± " + fmt(g.expectedShortfallSE)])
        }
        for x in scenario.tailThresholds {
            let net = report.netDistribution.exceedance(x), gross = report.grossDistribution.exceedance(x)
            rows.append(["P(L > \(fmt(x)))", pct(net.probability), "± " + pct(net.se), pct(gross.probability), "± " + pct(gross.se)])
        }
        s += table(rows)
        if let p = report.extensionProbability {
            s += "\nP(at least one extension) \(pct(p.value)) ± \(pct(p.standardError))\n"
        }
        if report.expectedPremium > 0 {
            s += "\nExpected protection premium: \(fmt(report.expectedPremium))\n"
        }
        let providers = report.guarantors.map { ("guarantor", $0) } + report.protectionSellers.map { ("seller", $0) }
        if !providers.isEmpty {
            let top = report.levels.last ?? 0.99
            let limited = providers.contains { $0.1.capacity != nil }
            var prow: [[String]] = [["provider", "role", "E[payout]", "± se", "P(pays)", "VaR \(pct(top))", "ES \(pct(top))"]
                + (limited ? ["capacity", "P(runs out)"] : [])]
            for (role, pr) in providers {
                let q = pr.quantiles.last
                prow.append([pr.id, role, fmt(pr.expectedPayout), fmt(pr.expectedPayoutSE), pct(pr.payingProbability),
                             fmt(q?.valueAtRisk ?? 0), fmt(q?.expectedShortfall ?? 0)]
                    + (limited ? [pr.capacity.map { fmt($0) } ?? "—", pr.capacityExhaustedProbability.map { pct($0) } ?? "—"] : []))
            }
            s += "\n" + table(prow)
        }
        return s
    }

    /// The ten issuers and all sectors contributing most to net ES at the highest level.
    /// What the tail looks like, one line per level, then the factor means of the highest level
    /// with their errors.
    public static func tailScenario(_ d: SummaryDocument) -> String {
        guard let scenarios = d.tailScenario, let last = scenarios.last else { return "" }
        var s = "Tail scenario (means over the paths with net loss ≥ VaR; factors in standard deviations)\n"
        for t in scenarios where t.tailPaths > 0 { s += "  " + t.sentence + "\n" }
        if !last.factors.isEmpty {
            var rows = [["factor", "E[Z | L ≥ VaR \(pct(last.level))]", "± SE"]]
            for f in last.factors { rows.append([f.id, String(format: "%+.3f", f.mean), String(format: "%.3f", f.se)]) }
            s += table(rows)
        }
        if let shift = d.importanceFactorShift, !shift.isEmpty {
            s += "Importance-sampling shift of the factors: " + shift.map { String(format: "%+.3f", $0) }.joined(separator: ", ") + "\n"
        }
        return s
    }

    public static func topContributors(_ c: Contributions, report: RiskReport) -> String {
        guard let level = c.levels.last else { return "" }
        let es = report.net.quantiles.last?.expectedShortfall ?? 0
        var s = ""
        for (kind, count) in [("issuer", 10), ("sector", 50)] {
            var rows = [[kind, "EL contrib", "± SE", "ES \(pct(level)) contrib", "± SE", "share of ES"]]
            for r in c.top(kind, count: count) {
                let contribution = r.expectedShortfall.last ?? 0
                rows.append([r.id, fmt(r.expectedLoss), r.expectedLossSE.map { fmt($0) } ?? "—", fmt(contribution),
                             r.expectedShortfallSE?.last.map { fmt($0) } ?? "—", es > 0 ? pct(contribution / es) : "—"])
            }
            s += "Top contributors by \(kind) (Euler, net loss)\n" + table(rows) + "\n"
        }
        return s
    }

    static func table(_ rows: [[String]]) -> String {
        guard let width = rows.map(\.count).max() else { return "" }
        var widths = [Int](repeating: 0, count: width)
        for r in rows { for (i, c) in r.enumerated() { widths[i] = max(widths[i], c.count) } }
        var s = ""
        for r in rows {
            var line = ""
            for (i, c) in r.enumerated() {
                let pad = String(repeating: " ", count: widths[i] - c.count)
                line += i == 0 ? c + pad : "  " + pad + c
            }
            s += line.trimmingTrailingSpaces() + "\n"
        }
        return s
    }

    static func fmt(_ x: Double, _ digits: Int = 4) -> String {
        if x == 0 { return "0" }
        if abs(x) >= 1e7 || abs(x) < 1e-4 { return String(format: "%.\(digits)e", x) }
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
