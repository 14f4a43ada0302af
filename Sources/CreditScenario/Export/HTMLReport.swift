import CreditRisk
import Foundation

/// `report.html`: one self-contained page (inline CSS and SVG, no network) with the summary, the
/// loss distribution, gross against net, and the providers' payouts.
///
/// Every figure taken from `summary.json` is written with `data-key` (its path in the JSON, e.g.
/// `net.quantiles[0.99].es`) and `data-value` (the exact number), so that tests and scripts can
/// check the page against the summary. The markup is well-formed XML.
public enum HTMLReport {
    public static func render(_ d: SummaryDocument, report: RiskReport, contributions: Contributions? = nil) -> String {
        var h = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"/>
            <title>CreditSim: \(escape(d.scenario))</title>
            <style>\(css)</style></head><body>
            <h1>\(escape(d.scenario))</h1>
            <p class="meta">\(d.paths) paths, seed \(d.seed), \(d.threads) threads, horizon \(fmt(d.horizon)) y\(d.rollover ? " with rollover" : ""), \(escape(d.copula)) copula; \(d.portfolio.entities) entities, \(d.portfolio.bonds) bonds, total notional \(cell("portfolio.total_notional", d.portfolio.totalNotional, tag: "span"))\(amountNote(d)). Simulated in \(String(format: "%.2f", d.elapsedSeconds)) s by creditsim.</p>

            """
        if d.partial && d.paths < d.requestedPaths {
            h += "<p class=\"warning\">Partial result: the run was interrupted after \(d.paths) of \(d.requestedPaths) requested paths. All figures below use those \(d.paths) paths.</p>\n"
        } else if d.partial {
            h += "<p class=\"warning\">Partial result: the run was interrupted (\(escape(d.interruptedPhase ?? ""))); the figures below are complete, what came after them is missing.</p>\n"
        }
        h += summarySection(d)
        h += versusBaseSection(d)
        h += distributionSection(d, report: report)
        h += enhancementSection(d)
        if let p = d.extensionProbability {
            h += "<p>At least one extension hits a bond on \(cell("extension_probability.value", p.value, tag: "span")) of the paths "
                + "(a share; standard error \(cell("extension_probability.se", p.se, tag: "span"))).</p>\n"
        }
        h += providerSection(d, report: report)
        h += tailScenarioSection(d)
        if let contributions { h += contributorSection(contributions, d) }
        if let c = d.capital { h += capitalSection(c) }
        h += "<footer>Expected protection premium \(cell("expected_premium", d.expectedPremium, tag: "span")) (not part of the loss). "
            + "VaR and ES: Acerbi–Tasche, 95 % intervals from order statistics; model and definitions in the CreditSim README.</footer>\n"
        return h + "</body></html>\n"
    }

    // MARK: Sections

    static func summarySection(_ d: SummaryDocument) -> String {
        var h = "<h2>Summary</h2>\n<table class=\"summary\"><thead><tr><th></th><th>net</th><th>± / 95 % CI</th><th>gross</th><th>± / 95 % CI</th></tr></thead><tbody>\n"
        h += "<tr><th>expected loss</th>\(cell("net.expected_loss", d.net.expectedLoss))\(cell("net.expected_loss_se", d.net.expectedLossSE, prefix: "± "))"
            + "\(cell("gross.expected_loss", d.gross.expectedLoss))\(cell("gross.expected_loss_se", d.gross.expectedLossSE, prefix: "± "))</tr>\n"
        if let net = d.net.expectedLossByState, let gross = d.gross.expectedLossByState {
            // Some issuer can extend: EL by credit state.
            let states: [(String, String, SummaryDocument.Expectation?, SummaryDocument.Expectation?)] = [
                ("default", "by hard defaults", net.hardDefault, gross.hardDefault),
                ("extension", "by extensions", net.extended, gross.extended),
                ("migration", "by migration", net.migration, gross.migration),
            ]
            for (key, label, n, g) in states {
                guard let n, let g else { continue }
                let base = "expected_loss_by_state.\(key)"
                h += "<tr><th>&#160;&#160;\(label)</th>\(cell("net.\(base).value", n.value))\(cell("net.\(base).se", n.se, prefix: "± "))"
                    + "\(cell("gross.\(base).value", g.value))\(cell("gross.\(base).se", g.se, prefix: "± "))</tr>\n"
            }
        }
        h += "<tr><th>standard deviation</th>\(cell("net.std_dev", d.net.stdDev))<td></td>\(cell("gross.std_dev", d.gross.stdDev))<td></td></tr>\n"
        for (qn, qg) in zip(d.net.quantiles, d.gross.quantiles) {
            let level = pct(qn.level)
            h += "<tr><th>VaR \(level)</th>\(cell("net.quantiles[\(qn.level)].var", qn.valueAtRisk))<td>[\(fmt(qn.valueAtRiskCILow)), \(fmt(qn.valueAtRiskCIHigh))]</td>"
                + "\(cell("gross.quantiles[\(qg.level)].var", qg.valueAtRisk))<td>[\(fmt(qg.valueAtRiskCILow)), \(fmt(qg.valueAtRiskCIHigh))]</td></tr>\n"
            h += "<tr><th>ES \(level)</th>\(cell("net.quantiles[\(qn.level)].es", qn.expectedShortfall))<td>± \(fmt(qn.expectedShortfallSE))</td>"
                + "\(cell("gross.quantiles[\(qg.level)].es", qg.expectedShortfall))<td>± \(fmt(qg.expectedShortfallSE))</td></tr>\n"
        }
        return h + "</tbody></table>\n"
    }

    static func distributionSection(_ d: SummaryDocument, report: RiskReport) -> String {
        let net = report.netDistribution, gross = report.grossDistribution
        var h = "<h2>Loss distribution</h2>\n"
        h += "<p>On \(share(Double(net.zeros) / Double(max(net.count, 1)))) of paths the holder loses nothing (the atom at zero, left out of the histogram).</p>\n"
        let bins = LossHistogram(net, binCount: 60).bins.dropFirst()
        var histogram = SVGChart(title: "Net loss histogram (paths with a loss)", xLabel: "net loss", yLabel: "probability")
        histogram.series = [.init(name: "net", color: "#2b6cb0", points: bins.map { ($0.upperEdge, $0.probability) }, bars: true)]
        h += histogram.render() + "\n"

        var exceedance = SVGChart(title: "Exceedance probability P(L > x)", xLabel: "loss", yLabel: "P(L > x)", logY: true)
        exceedance.series = [
            .init(name: "gross", color: "#c05621", points: curve(gross)),
            .init(name: "net", color: "#2b6cb0", points: curve(net)),
        ]
        if let top = d.net.quantiles.last {
            exceedance.markers = [
                .init(x: top.valueAtRisk, label: "net VaR \(pct(top.level))", color: "#2b6cb0"),
                .init(x: top.expectedShortfall, label: "net ES \(pct(top.level))", color: "#1a365d"),
            ]
            if let g = d.gross.quantiles.last {
                exceedance.markers.append(.init(x: g.valueAtRisk, label: "gross VaR \(pct(g.level))", color: "#c05621"))
            }
        }
        return h + exceedance.render() + "\n"
    }

    /// P(L > x) at 200 points up to the largest loss.
    static func curve(_ loss: EmpiricalLoss) -> [(x: Double, y: Double)] {
        guard let top = loss.positive.last, loss.count > 0 else { return [] }
        return (0...200).map { i in
            let x = top * Double(i) / 200
            return (x, 1 - loss.cdf(x))
        }.filter { $0.1 > 0 }
    }

    static func enhancementSection(_ d: SummaryDocument) -> String {
        var h = "<h2>What the guarantees and protection are worth</h2>\n"
        h += "<p>Gross loss is before guarantees and protection, net loss after them. A guarantor or seller pays only if it is still alive when the issuer defaults, so the difference is smaller than the notional they cover.</p>\n"
        h += "<table><thead><tr><th></th><th>gross</th><th>net</th><th>reduction</th><th>share</th></tr></thead><tbody>\n"
        func row(_ name: String, _ g: Double, _ n: Double) {
            h += "<tr><th>\(name)</th><td>\(fmt(g))</td><td>\(fmt(n))</td><td>\(fmt(g - n))</td><td>\(g > 0 ? share((g - n) / g) : "—")</td></tr>\n"
        }
        row("expected loss", d.gross.expectedLoss, d.net.expectedLoss)
        for (qg, qn) in zip(d.gross.quantiles, d.net.quantiles) {
            row("VaR \(pct(qg.level))", qg.valueAtRisk, qn.valueAtRisk)
            row("ES \(pct(qg.level))", qg.expectedShortfall, qn.expectedShortfall)
        }
        return h + "</tbody></table>\n"
    }

    static func providerSection(_ d: SummaryDocument, report: RiskReport) -> String {
        let all = d.guarantors.map { ("guarantor", "guarantors", $0) } + d.protectionSellers.map { ("seller", "protection_sellers", $0) }
        guard !all.isEmpty else { return "<h2>Guarantors and protection sellers</h2>\n<p>None in this scenario.</p>\n" }
        let level = all.first?.2.quantiles.last?.level ?? 0.99
        var h = "<h2>Guarantors and protection sellers</h2>\n<p>Each provider's payouts over the paths form a loss distribution of their own.</p>\n"
        h += "<table><thead><tr><th>provider</th><th>role</th><th>E[payout]</th><th>± se</th><th>P(pays)</th><th>VaR \(pct(level))</th><th>ES \(pct(level))</th><th>capacity</th><th>P(capacity runs out)</th></tr></thead><tbody>\n"
        for (role, list, p) in all {
            let key = "\(list)[\(p.id)]"
            let q = p.quantiles.last
            h += "<tr><th>\(escape(p.id))</th><td>\(role)</td>\(cell("\(key).expected_payout", p.expectedPayout))<td>± \(fmt(p.expectedPayoutSE))</td>"
                + "<td>\(share(p.payingProbability))</td><td>\(fmt(q?.valueAtRisk ?? 0))</td><td>\(fmt(q?.expectedShortfall ?? 0))</td>"
                + "<td>\(p.capacity.map { fmt($0) } ?? "—")</td><td>\(p.capacityExhaustedProbability.map { share($0) } ?? "—")</td></tr>\n"
        }
        h += "</tbody></table>\n"
        var bars = SVGChart(title: "Expected payout by provider", xLabel: "", yLabel: "expected payout")
        bars.categories = all.map(\.2.id)
        bars.series = [.init(name: "E[payout]", color: "#2f855a",
                             points: all.enumerated().map { (Double($0.offset + 1), $0.element.2.expectedPayout) }, bars: true)]
        bars.height = 340
        h += bars.render() + "\n"
        // Each provider's payout distribution as an exceedance curve.
        let palette = ["#2f855a", "#2b6cb0", "#c05621", "#6b46c1", "#b83280", "#2c7a7b", "#975a16", "#4a5568",
                       "#9b2c2c", "#276749", "#2a4365", "#744210"]
        var curves = SVGChart(title: "Payout distributions: P(payout > x) per provider", xLabel: "payout", yLabel: "P(payout > x)", logY: true)
        curves.height = 360
        let providers = report.guarantors + report.protectionSellers
        curves.series = providers.enumerated().map { i, p in
            .init(name: p.id, color: palette[i % palette.count], points: curve(p.distribution))
        }
        if curves.series.count > 6 { curves.legendBelow = true }
        return h + curves.render() + "\n"
    }

    /// A stress's page: the stress minus the base on the same paths, with paired errors.
    static func versusBaseSection(_ d: SummaryDocument) -> String {
        guard let v = d.versusBase else { return "" }
        var h = "<h2>Versus the base</h2>\n<p>This stress minus the base scenario, on the same paths (common random numbers): "
            + "± is the standard error of the difference itself; differences within 1.96 of them are marked as noise.</p>\n"
        h += "<table><thead><tr><th></th><th>net change</th><th>±</th><th></th><th>gross change</th><th>±</th><th></th></tr></thead><tbody>\n"
        func mark(_ significant: Bool) -> String { significant ? "<td></td>" : "<td class=\"noise\">noise</td>" }
        h += "<tr><th>expected loss</th>\(cell("versus_base.net.expected_loss", v.net.expectedLoss))<td>\(fmt(v.net.expectedLossSE))</td>\(mark(v.net.expectedLossSignificant))"
            + "\(cell("versus_base.gross.expected_loss", v.gross.expectedLoss))<td>\(fmt(v.gross.expectedLossSE))</td>\(mark(v.gross.expectedLossSignificant))</tr>\n"
        for (n, g) in zip(v.net.quantiles, v.gross.quantiles) {
            h += "<tr><th>VaR \(pct(n.level))</th>\(cell("versus_base.net.quantiles[\(n.level)].var", n.valueAtRisk))<td>\(fmt(n.valueAtRiskSE))</td>\(mark(n.valueAtRiskSignificant))"
                + "\(cell("versus_base.gross.quantiles[\(g.level)].var", g.valueAtRisk))<td>\(fmt(g.valueAtRiskSE))</td>\(mark(g.valueAtRiskSignificant))</tr>\n"
            h += "<tr><th>ES \(pct(n.level))</th>\(cell("versus_base.net.quantiles[\(n.level)].es", n.expectedShortfall))<td>\(fmt(n.expectedShortfallSE))</td>\(mark(n.expectedShortfallSignificant))"
                + "\(cell("versus_base.gross.quantiles[\(g.level)].es", g.expectedShortfall))<td>\(fmt(g.expectedShortfallSE))</td>\(mark(g.expectedShortfallSignificant))</tr>\n"
        }
        return h + "</tbody></table>\n"
    }

    static func tailScenarioSection(_ d: SummaryDocument) -> String {
        guard let scenarios = d.tailScenario, scenarios.contains(where: { $0.tailPaths > 0 }) else { return "" }
        var h = "<h2>What a bad year looks like</h2>\n<p>Means over the paths whose net loss reaches VaR: each factor in "
            + "standard deviations (negative is bad), each sector's net loss and its share of the tail loss.</p>\n<ul>\n"
        for t in scenarios where t.tailPaths > 0 { h += "<li>\(escape(t.sentence))</li>\n" }
        h += "</ul>\n"
        for t in scenarios.suffix(1) where !t.factors.isEmpty || !t.sectors.isEmpty {
            h += "<table><thead><tr><th>VaR \(pct(t.level))</th><th>tail mean</th><th>± SE</th><th>share of tail loss</th></tr></thead><tbody>\n"
            for f in t.factors {
                h += "<tr><th>factor \(escape(f.id))</th>\(cell("tail_scenario[\(t.level)].factors[\(f.id)].mean", f.mean))<td>\(fmt(f.se))</td><td></td></tr>\n"
            }
            for f in t.sectors {
                h += "<tr><th>sector \(escape(f.id))</th><td>\(fmt(f.mean))</td><td>\(fmt(f.se))</td><td>\(f.share.map { share($0) } ?? "—")</td></tr>\n"
            }
            h += "</tbody></table>\n"
        }
        return h
    }

    static func contributorSection(_ c: Contributions, _ d: SummaryDocument) -> String {
        guard let level = c.levels.last else { return "" }
        let es = d.net.quantiles.last?.expectedShortfall ?? 0
        var h = "<h2>Top contributors</h2>\n<p>Euler contributions to the net EL and to the net ES \(pct(level)): "
            + "E[loss of the name | the portfolio is in its worst \(share(1 - level))], summing exactly to the portfolio figures. All rows are in contributions.csv.</p>\n"
        for (kind, count) in [("issuer", 10), ("sector", 50)] {
            h += "<table><thead><tr><th>\(kind)</th><th>EL contribution</th><th>ES \(pct(level)) contribution</th><th>share of ES</th></tr></thead><tbody>\n"
            for r in c.top(kind, count: count) {
                let contribution = r.expectedShortfall.last ?? 0
                let elSE = r.expectedLossSE.map { " ± " + fmt($0) } ?? ""
                let esSE = r.expectedShortfallSE?.last.map { " ± " + fmt($0) } ?? ""
                h += "<tr><th>\(escape(r.id))</th><td>\(fmt(r.expectedLoss))\(elSE)</td><td>\(fmt(contribution))\(esSE)</td><td>\(es > 0 ? share(contribution / es) : "—")</td></tr>\n"
            }
            h += "</tbody></table>\n"
        }
        return h
    }

    /// IRB capital next to the economic capital (VaR − EL, ES − EL) of the net loss.
    static func capitalSection(_ c: SummaryDocument.Capital) -> String {
        var h = "<h2>Regulatory against economic capital</h2>\n<p>Basel II IRB foundation corporate capital (§272; EAD = notional, the bond's LGD, M = remaining maturity clipped to [1, 5] years, PD floored at 0.03 %; guarantees and protection by substitution) beside the net loss's VaR − EL and ES − EL. Per-bond figures are in capital.csv.</p>\n"
        h += "<table><thead><tr><th>level</th><th>VaR − EL</th><th>ES − EL</th><th>IRB capital</th><th>IRB RWA</th></tr></thead><tbody>\n"
        for e in c.economic {
            h += "<tr><th>\(pct(e.level))</th><td>\(fmt(e.varMinusEL))</td><td>\(fmt(e.esMinusEL))</td>"
                + "\(cell("capital.irb.capital", c.irb.capital))\(cell("capital.irb.risk_weighted_assets", c.irb.riskWeightedAssets))</tr>\n"
        }
        return h + "</tbody></table>\n"
    }

    /// `report.html` of a CreditRisk+ evaluation: summary, exceedance curve, capital.
    public static func render(analytic o: AnalyticOutcome) -> String {
        let d = o.document
        var h = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"/>
            <title>CreditSim: \(escape(d.scenario))</title>
            <style>\(css)</style></head><body>
            <h1>\(escape(d.scenario))</h1>
            <p class="meta">CreditRisk+ (CSFB 1997), exact on a lattice of loss unit \(fmt(d.lossUnit ?? 0)); \(o.netModel.obligors.count) obligors, \(o.netModel.sectorCount) sectors; horizon \(fmt(d.horizon)) y; \(d.portfolio.entities) entities, \(d.portfolio.bonds) bonds, total notional \(cell("portfolio.total_notional", d.portfolio.totalNotional, tag: "span")). Guarantees and protection by substitution: the covered loss moves to the provider. No Monte Carlo error.</p>

            """
        h += "<h2>Summary</h2>\n<table class=\"summary\"><thead><tr><th></th><th>net</th><th>gross</th></tr></thead><tbody>\n"
        h += "<tr><th>expected loss</th>\(cell("net.expected_loss", d.net.expectedLoss))\(cell("gross.expected_loss", d.gross.expectedLoss))</tr>\n"
        h += "<tr><th>standard deviation</th>\(cell("net.std_dev", d.net.stdDev))\(cell("gross.std_dev", d.gross.stdDev))</tr>\n"
        for (qn, qg) in zip(d.net.quantiles, d.gross.quantiles) {
            h += "<tr><th>VaR \(pct(qn.level))</th>\(cell("net.quantiles[\(qn.level)].var", qn.valueAtRisk))\(cell("gross.quantiles[\(qg.level)].var", qg.valueAtRisk))</tr>\n"
            h += "<tr><th>ES \(pct(qn.level))</th>\(cell("net.quantiles[\(qn.level)].es", qn.expectedShortfall))\(cell("gross.quantiles[\(qg.level)].es", qg.expectedShortfall))</tr>\n"
        }
        h += "</tbody></table>\n"
        h += "<h2>Loss distribution</h2>\n<p>P(L = 0) = \(share(o.net.zeroProbability)) (net).</p>\n"
        var exceedance = SVGChart(title: "Exceedance probability P(L > x)", xLabel: "loss", yLabel: "P(L > x)", logY: true)
        exceedance.series = [
            .init(name: "gross", color: "#c05621", points: latticeCurve(o.gross)),
            .init(name: "net", color: "#2b6cb0", points: latticeCurve(o.net)),
        ]
        h += exceedance.render() + "\n"
        if let c = d.capital { h += capitalSection(c) }
        h += "<footer>CreditRisk+ by the nested log–exp recursion (Giese 2003; Haaf, Reiß &amp; Schoenmakers 2004); risk contributions in risk-contributions.csv; model and definitions in the CreditSim README.</footer>\n"
        return h + "</body></html>\n"
    }

    /// P(L > x) at 200 points up to the loss beyond which less than 10⁻¹² remains.
    static func latticeCurve(_ loss: LatticeLoss) -> [(x: Double, y: Double)] {
        var last = loss.probabilities.count - 1
        while last > 0 && loss.exceedance(Double(last) * loss.unit) < 1e-12 { last -= 1 }
        let top = Double(max(last, 1)) * loss.unit
        return (0...200).map { i in
            let x = top * Double(i) / 200
            return (x, loss.exceedance(x))
        }.filter { $0.1 > 0 }
    }

    // MARK: Formatting

    /// A table cell (or span) carrying the exact number for checks.
    static func cell(_ key: String, _ value: Double, prefix: String = "", tag: String = "td") -> String {
        "<\(tag) data-key=\"\(escape(key))\" data-value=\"\(value)\">\(prefix)\(fmt(value))</\(tag)>"
    }

    static func fmt(_ x: Double) -> String { SummaryTable.fmt(x) }
    static func pct(_ x: Double) -> String { SummaryTable.pct(x) }
    /// A probability or share, one decimal.
    static func share(_ x: Double) -> String { String(format: "%.1f%%", 100 * x) }

    static let css = """
        body{font-family:system-ui,-apple-system,Segoe UI,Helvetica,Arial,sans-serif;max-width:980px;margin:2em auto;padding:0 1em;color:#1a202c}
        h1{font-size:1.6em;margin-bottom:.2em}h2{margin-top:1.6em;border-bottom:1px solid #cbd5e0}
        .meta{color:#4a5568}.noise{color:#718096;font-style:italic}.warning{background:#fefcbf;border:1px solid #d69e2e;padding:.6em}
        table{border-collapse:collapse;margin:.6em 0}td,th{padding:.25em .7em;border-bottom:1px solid #e2e8f0;text-align:right}
        th:first-child{text-align:left}thead th{background:#edf2f7}
        svg.chart{display:block;margin:1em 0;background:#fff}svg .frame{fill:none;stroke:#a0aec0}
        svg .grid{stroke:#edf2f7}svg .axis{stroke:#4a5568}svg .tick{font-size:11px;fill:#4a5568}
        svg .label{font-size:12px;fill:#2d3748}svg .title{font-size:13px;font-weight:600;fill:#1a202c}svg .marker{font-size:11px}
        footer{margin-top:2em;color:#4a5568;font-size:.9em}
        """

    /// " (amounts in CNY bn)" and the market-valuation note, when they apply.
    static func amountNote(_ d: SummaryDocument) -> String {
        let label = [d.currency, d.unit].compactMap { $0 }.joined(separator: " ")
        var s = label.isEmpty ? "" : " " + escape(label) + " (every amount on this page is in " + escape(label) + ")"
        if d.valuation == "market" {
            s += "; market valuation under rating migration (CreditMetrics): a loss is today's-rating value minus the value at the horizon, negative for a gain"
        }
        return s
    }
}
