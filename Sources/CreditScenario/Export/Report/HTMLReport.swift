import CreditRisk
import Foundation

/// `report.html`: one self-contained page (inline CSS and SVG, no network, no script) per result
/// folder, printable on A4. The base page shows the base and every stress side by side and links
/// each stress's page; a stress page is titled and headed with its name and description.
///
/// Every figure taken from a `summary.json` is written with `data-key` (its path in the JSON,
/// e.g. `net.quantiles[0.99].es`, prefixed with `stress-NAME/` for a stress's summary) and
/// `data-value` (the exact number), so that tests and scripts can check the page against the
/// summaries. The markup is well-formed XML.
public enum HTMLReport {
    /// The page of one portfolio of a run (the base, with its stresses when it has any, or a stress).
    public static func render(_ r: PortfolioResult) -> String {
        let d = r.document, g = Glossary(r.options.language), report = r.outcome.report
        let stress = r.outcome.stress
        let title = stress.map { "\(g[.stressPrefix]) \($0.name) — \(d.header.scenario)" } ?? d.header.scenario
        var h = page(title: title, language: r.options.language)
        if let stress {
            h += "<h1>\(escape(g[.stressPrefix])) \(escape(stress.name))</h1>\n"
            if let description = stress.description { h += "<p class=\"lead\">\(escape(description))</p>\n" }
            h += "<p class=\"meta\">\(escape(d.header.scenario)) · <a href=\"../report.html\">\(escape(g[.backToBase]))</a></p>\n"
        } else {
            h += "<h1>\(escape(d.header.scenario))</h1>\n"
        }
        h += "<p class=\"meta\">" + g.format(.metaLine, "\(d.run.paths)", "\(d.run.seed)", "\(d.run.threads)", fmt(d.header.horizon),
                                           d.header.rollover ? " (\(g[.rollover]))" : "", escape(d.header.copula), "\(d.header.portfolio.entities)",
                                           "\(d.header.portfolio.bonds)", cell("portfolio.total_notional", d.header.portfolio.totalNotional, tag: "span"),
                                           amountNote(d), String(format: "%.2f", d.run.elapsedSeconds)) + "</p>\n"
        if d.run.partial && d.run.paths < d.run.requestedPaths {
            h += "<p class=\"warning\">\(escape(g.format(.partialPaths2, "\(d.run.paths)", "\(d.run.requestedPaths)")))</p>\n"
        } else if d.run.partial {
            h += "<p class=\"warning\">\(escape(g.format(.partialPhase, d.run.interruptedPhase ?? "")))</p>\n"
        }
        if let p = r.outcome.precision {
            h += "<p class=\"\(p.met ? "note" : "warning")\">\(escape(g[.precision])): \(escape(precisionSentence(p, g)))</p>\n"
        }
        h += summarySection(d, g)
        if stress == nil && !r.stresses.isEmpty { h += stressesSection(r, g) }
        h += versusBaseSection(d, g)
        h += distributionSection(d, report: report, g)
        h += enhancementSection(d, g)
        if let p = d.answers.extensionProbability {
            h += "<p>" + g.format(.extensionShare, cell("extension_probability.value", p.value, tag: "span"),
                                  cell("extension_probability.se", p.se, tag: "span")) + "</p>\n"
        }
        let names = EntityNames(r.scenario.portfolio)
        h += providerSection(d, report: report, g, names: names)
        h += CompositionTables.section(r, g)
        h += tailScenarioSection(d, g)
        if let contributions = r.outcome.contributions { h += contributorSection(contributions, d, g, names: names) }
        if let c = d.answers.capital { h += capitalSection(c, g) }
        h += "<footer>" + g.format(.premiumNote, cell("expected_premium", d.losses.expectedPremium, tag: "span")) + " \(escape(g[.footer]))</footer>\n"
        return h + "</body></html>\n"
    }

    /// The document head: title, inline styles (screen and A4 print), language.
    static func page(title: String, language: Language) -> String {
        """
        <!DOCTYPE html>
        <html lang="\(language.htmlTag)"><head><meta charset="utf-8"/>
        <title>CreditSim: \(escape(title))</title>
        <style>\(css)</style></head><body>

        """
    }

    // MARK: Sections

    static func summarySection(_ d: SummaryDocument, _ g: Glossary) -> String {
        var h = "<h2>\(g[.summary])</h2>\n<table class=\"summary\"><thead><tr><th></th><th>\(g[.net])</th><th>\(g[.ciOrSE])</th><th>\(g[.gross])</th><th>\(g[.ciOrSE])</th></tr></thead><tbody>\n"
        h += "<tr><th>\(g[.expectedLoss])</th>\(cell("net.expected_loss", d.losses.net.expectedLoss))\(cell("net.expected_loss_se", d.losses.net.expectedLossSE, prefix: "± "))"
            + "\(cell("gross.expected_loss", d.losses.gross.expectedLoss))\(cell("gross.expected_loss_se", d.losses.gross.expectedLossSE, prefix: "± "))</tr>\n"
        if let net = d.losses.net.expectedLossByState, let gross = d.losses.gross.expectedLossByState {
            // Some issuer can extend: EL by credit state.
            let states: [(String, Glossary.Term, SummaryDocument.Expectation?, SummaryDocument.Expectation?)] = [
                ("default", .byHardDefaults, net.hardDefault, gross.hardDefault),
                ("extension", .byExtensions, net.extended, gross.extended),
                ("migration", .byMigration, net.migration, gross.migration),
            ]
            for (key, label, n, q) in states {
                guard let n, let q else { continue }
                let base = "expected_loss_by_state.\(key)"
                h += "<tr><th>&#160;&#160;\(escape(g[label]))</th>\(cell("net.\(base).value", n.value))\(cell("net.\(base).se", n.se, prefix: "± "))"
                    + "\(cell("gross.\(base).value", q.value))\(cell("gross.\(base).se", q.se, prefix: "± "))</tr>\n"
            }
        }
        h += "<tr><th>\(g[.standardDeviation])</th>\(cell("net.std_dev", d.losses.net.stdDev))<td></td>\(cell("gross.std_dev", d.losses.gross.stdDev))<td></td></tr>\n"
        for (qn, qg) in zip(d.losses.net.quantiles, d.losses.gross.quantiles) {
            let level = pct(qn.level)
            h += "<tr><th>\(g[.varShort]) \(level)</th>\(cell("net.quantiles[\(qn.level)].var", qn.valueAtRisk))<td>\(interval(qn.valueAtRiskCILow, qn.valueAtRiskCIHigh))</td>"
                + "\(cell("gross.quantiles[\(qg.level)].var", qg.valueAtRisk))<td>\(interval(qg.valueAtRiskCILow, qg.valueAtRiskCIHigh))</td></tr>\n"
            h += "<tr><th>\(g[.esShort]) \(level)</th>\(cell("net.quantiles[\(qn.level)].es", qn.expectedShortfall))<td>\(error(qn.expectedShortfallSE))</td>"
                + "\(cell("gross.quantiles[\(qg.level)].es", qg.expectedShortfall))<td>\(error(qg.expectedShortfallSE))</td></tr>\n"
        }
        for (tn, tg) in zip(d.losses.net.tail ?? [], d.losses.gross.tail ?? []) {
            h += "<tr><th>\(escape(g.format(.exceedance, fmt(tn.threshold))))</th>\(cell("net.tail[\(tn.threshold)].probability", tn.probability))"
                + "\(cell("net.tail[\(tn.threshold)].se", tn.se, prefix: "± "))\(cell("gross.tail[\(tg.threshold)].probability", tg.probability))"
                + "\(cell("gross.tail[\(tg.threshold)].se", tg.se, prefix: "± "))</tr>\n"
        }
        return h + "</tbody></table>\n"
    }

    /// The base page's view of the stresses: one row per portfolio with its net EL, VaR and ES at
    /// the highest level, each stress's paired change from the base with the error of the
    /// difference (marked as noise within 1.96 of it), and a link to its page.
    static func stressesSection(_ r: PortfolioResult, _ g: Glossary) -> String {
        let base = r.document
        guard let top = base.losses.net.quantiles.last else { return "" }
        let i = base.losses.net.quantiles.count - 1, level = pct(top.level)
        var h = "<h2>\(g[.stresses])</h2>\n<p>\(escape(g[.stressesNote]))</p>\n"
        h += "<table class=\"stresses\"><thead><tr><th>\(g[.net])</th><th>\(g[.el])</th><th>Δ ± SE</th><th>\(g[.varShort]) \(level)</th>"
            + "<th>Δ ± SE</th><th>\(g[.esShort]) \(level)</th><th>Δ ± SE</th></tr></thead><tbody>\n"
        h += "<tr><th>\(g[.baseScenario])</th>\(cell("net.expected_loss", base.losses.net.expectedLoss))<td></td>"
            + "\(cell("net.quantiles[\(top.level)].var", top.valueAtRisk))<td></td>\(cell("net.quantiles[\(top.level)].es", top.expectedShortfall))<td></td></tr>\n"
        // An undetermined error (a VaR on an atom) shows "± —" and neither mark.
        func change(_ key: String, _ value: Double, _ se: Double?, _ significant: Bool?) -> String {
            let noise = significant == false
            return "<td class=\"\(noise ? "noise" : "change")\"><span data-key=\"\(escape(key))\" data-value=\"\(value)\">\(value >= 0 ? "+" : "")\(fmt(value))</span>"
                + " ± \(se.map { fmt($0) } ?? "—")\(noise ? " " + escape(g[.noise]) : "")</td>"
        }
        for s in r.stresses {
            let d = s.document, f = s.folder
            h += "<tr><th><a href=\"\(escape(f))/report.html\">\(escape(s.name))</a></th>\(cell("\(f)/net.expected_loss", d.losses.net.expectedLoss))"
            if let v = d.answers.versusBase {
                h += change("\(f)/versus_base.net.expected_loss", v.net.expectedLoss, v.net.expectedLossSE, v.net.expectedLossSignificant)
            } else { h += "<td>—</td>" }
            if i < d.losses.net.quantiles.count {
                let q = d.losses.net.quantiles[i], key = "net.quantiles[\(q.level)]"
                let dq = d.answers.versusBase.flatMap { i < $0.net.quantiles.count ? $0.net.quantiles[i] : nil }
                h += cell("\(f)/\(key).var", q.valueAtRisk)
                h += dq.map { change("\(f)/versus_base.\(key).var", $0.valueAtRisk, $0.valueAtRiskSE, $0.valueAtRiskSignificant) } ?? "<td>—</td>"
                h += cell("\(f)/\(key).es", q.expectedShortfall)
                h += dq.map { change("\(f)/versus_base.\(key).es", $0.expectedShortfall, $0.expectedShortfallSE, $0.expectedShortfallSignificant) } ?? "<td>—</td>"
            } else { h += "<td>—</td><td>—</td><td>—</td><td>—</td>" }
            h += "</tr>\n"
        }
        h += "</tbody></table>\n<ul class=\"stress-list\">\n"
        for s in r.stresses {
            h += "<li><a href=\"\(escape(s.folder))/report.html\">\(escape(s.name))</a>\(s.description.map { ": " + escape($0) } ?? "")</li>\n"
        }
        return h + "</ul>\n"
    }

    static func distributionSection(_ d: SummaryDocument, report: RiskReport, _ g: Glossary) -> String {
        let net = report.netDistribution, gross = report.grossDistribution
        var h = "<h2>\(g[.lossDistribution])</h2>\n"
        h += "<p>\(escape(g.format(.atomAtZero, share(Double(net.zeros) / Double(max(net.count, 1))))))</p>\n"
        // A log scale keeps the tail's bins visible beside the body's.
        let bins = LossHistogram(net, binCount: 60).bins.dropFirst()
        var histogram = SVGChart(title: g[.histogramTitle], xLabel: g[.net], yLabel: "P", logY: true)
        histogram.series = [.init(name: g[.net], color: "#2b6cb0", points: bins.map { ($0.upperEdge, $0.probability) }, bars: true)]
        h += histogram.render() + "\n"

        var exceedance = SVGChart(title: g[.exceedanceTitle], xLabel: "x", yLabel: "P(L > x)", logY: true)
        exceedance.series = [
            .init(name: g[.gross], color: "#c05621", points: curve(gross)),
            .init(name: g[.net], color: "#2b6cb0", points: curve(net)),
        ]
        if let top = d.losses.net.quantiles.last {
            exceedance.markers = [
                .init(x: top.valueAtRisk, label: "\(g[.net]) \(g[.varShort]) \(pct(top.level))", color: "#2b6cb0"),
                .init(x: top.expectedShortfall, label: "\(g[.net]) \(g[.esShort]) \(pct(top.level))", color: "#1a365d"),
            ]
            if let q = d.losses.gross.quantiles.last {
                exceedance.markers.append(.init(x: q.valueAtRisk, label: "\(g[.gross]) \(g[.varShort]) \(pct(q.level))", color: "#c05621"))
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

    static func enhancementSection(_ d: SummaryDocument, _ g: Glossary) -> String {
        var h = "<h2>\(g[.enhancementsWorth])</h2>\n<p>\(escape(g[.enhancementsNote]))</p>\n"
        h += "<table><thead><tr><th></th><th>\(g[.gross])</th><th>\(g[.net])</th><th>\(g[.reduction])</th><th>\(g[.share])</th></tr></thead><tbody>\n"
        func row(_ name: String, _ gross: Double, _ net: Double) {
            h += "<tr><th>\(escape(name))</th><td>\(fmt(gross))</td><td>\(fmt(net))</td><td>\(fmt(gross - net))</td><td>\(gross > 0 ? share((gross - net) / gross) : "—")</td></tr>\n"
        }
        row(g[.expectedLoss], d.losses.gross.expectedLoss, d.losses.net.expectedLoss)
        for (qg, qn) in zip(d.losses.gross.quantiles, d.losses.net.quantiles) {
            row("\(g[.varShort]) \(pct(qg.level))", qg.valueAtRisk, qn.valueAtRisk)
            row("\(g[.esShort]) \(pct(qg.level))", qg.expectedShortfall, qn.expectedShortfall)
        }
        return h + "</tbody></table>\n"
    }

    static func providerSection(_ d: SummaryDocument, report: RiskReport, _ g: Glossary, names: EntityNames? = nil) -> String {
        let all = d.losses.guarantors.map { (g[.guarantor], "guarantors", $0) }
            + d.losses.protectionSellers.map { (g[.seller], "protection_sellers", $0) }
        guard !all.isEmpty else { return "<h2>\(g[.providers])</h2>\n<p>\(g[.none])</p>\n" }
        let level = all.first?.2.quantiles.last?.level ?? 0.99
        var h = "<h2>\(g[.providers])</h2>\n<p>\(escape(g[.providersNote]))</p>\n"
        h += "<table><thead><tr><th>\(g[.provider])</th><th>\(g[.role])</th><th>\(g[.expectedPayout])</th><th>\(g[.se])</th><th>\(g[.payingProbability])</th><th>\(g[.varShort]) \(pct(level))</th><th>\(g[.esShort]) \(pct(level))</th><th>\(g[.capacity])</th><th>\(g[.runsOut])</th></tr></thead><tbody>\n"
        for (role, list, p) in all {
            let key = "\(list)[\(p.id)]"
            let q = p.quantiles.last
            h += "<tr><th>\(escape(names?.label(kind: role, id: p.id) ?? p.id))</th><td>\(escape(role))</td>\(cell("\(key).expected_payout", p.expectedPayout))<td>± \(fmt(p.expectedPayoutSE))</td>"
                + "<td>\(share(p.payingProbability))</td><td>\(fmt(q?.valueAtRisk ?? 0))</td><td>\(fmt(q?.expectedShortfall ?? 0))</td>"
                + "<td>\(p.capacity.map { fmt($0) } ?? "—")</td><td>\(p.capacityExhaustedProbability.map { share($0) } ?? "—")</td></tr>\n"
        }
        h += "</tbody></table>\n"
        var bars = SVGChart(title: g[.expectedPayout], xLabel: "", yLabel: g[.expectedPayout])
        bars.categories = all.map(\.2.id)
        bars.series = [.init(name: g[.expectedPayout], color: "#2f855a",
                             points: all.enumerated().map { (Double($0.offset + 1), $0.element.2.expectedPayout) }, bars: true)]
        bars.height = 340
        h += bars.render() + "\n"
        // Each provider's payout distribution as an exceedance curve.
        let palette = ["#2f855a", "#2b6cb0", "#c05621", "#6b46c1", "#b83280", "#2c7a7b", "#975a16", "#4a5568",
                       "#9b2c2c", "#276749", "#2a4365", "#744210"]
        var curves = SVGChart(title: "P(payout > x)", xLabel: "x", yLabel: "P(payout > x)", logY: true)
        curves.height = 360
        let providers = report.guarantors + report.protectionSellers
        curves.series = providers.enumerated().map { i, p in
            .init(name: p.id, color: palette[i % palette.count], points: curve(p.distribution))
        }
        if curves.series.count > 6 { curves.legendBelow = true }
        return h + curves.render() + "\n"
    }

    /// A stress's page: the stress minus the base on the same paths, with paired errors.
    static func versusBaseSection(_ d: SummaryDocument, _ g: Glossary) -> String {
        guard let v = d.answers.versusBase else { return "" }
        var h = "<h2>\(g[.versusBase])</h2>\n<p>\(escape(g[.noiseNote]))</p>\n"
        h += "<table><thead><tr><th></th><th>\(g[.net])</th><th>\(g[.se])</th><th></th><th>\(g[.gross])</th><th>\(g[.se])</th><th></th></tr></thead><tbody>\n"
        func mark(_ significant: Bool?) -> String { significant == false ? "<td class=\"noise\">\(escape(g[.noise]))</td>" : "<td></td>" }
        func error(_ se: Double?) -> String { "<td>\(se.map { fmt($0) } ?? "—")</td>" }
        h += "<tr><th>\(g[.expectedLoss])</th>\(cell("versus_base.net.expected_loss", v.net.expectedLoss))<td>\(fmt(v.net.expectedLossSE))</td>\(mark(v.net.expectedLossSignificant))"
            + "\(cell("versus_base.gross.expected_loss", v.gross.expectedLoss))<td>\(fmt(v.gross.expectedLossSE))</td>\(mark(v.gross.expectedLossSignificant))</tr>\n"
        for (n, q) in zip(v.net.quantiles, v.gross.quantiles) {
            h += "<tr><th>\(g[.varShort]) \(pct(n.level))</th>\(cell("versus_base.net.quantiles[\(n.level)].var", n.valueAtRisk))\(error(n.valueAtRiskSE))\(mark(n.valueAtRiskSignificant))"
                + "\(cell("versus_base.gross.quantiles[\(q.level)].var", q.valueAtRisk))\(error(q.valueAtRiskSE))\(mark(q.valueAtRiskSignificant))</tr>\n"
            h += "<tr><th>\(g[.esShort]) \(pct(n.level))</th>\(cell("versus_base.net.quantiles[\(n.level)].es", n.expectedShortfall))<td>\(fmt(n.expectedShortfallSE))</td>\(mark(n.expectedShortfallSignificant))"
                + "\(cell("versus_base.gross.quantiles[\(q.level)].es", q.expectedShortfall))<td>\(fmt(q.expectedShortfallSE))</td>\(mark(q.expectedShortfallSignificant))</tr>\n"
        }
        return h + "</tbody></table>\n"
    }

    static func tailScenarioSection(_ d: SummaryDocument, _ g: Glossary) -> String {
        guard let scenarios = d.answers.tailScenario, scenarios.contains(where: { $0.tailPaths > 0 }) else { return "" }
        var h = "<h2>\(g[.badYear])</h2>\n<p>\(escape(g[.tailNote]))</p>\n<ul>\n"
        for t in scenarios where t.tailPaths > 0 { h += "<li>\(escape(t.sentence))</li>\n" }
        h += "</ul>\n"
        for t in scenarios.suffix(1) where !t.factors.isEmpty || !t.sectors.isEmpty {
            h += "<table><thead><tr><th>\(g[.varShort]) \(pct(t.level))</th><th>E[· | L ≥ VaR]</th><th>\(g[.se])</th><th>\(g[.share])</th></tr></thead><tbody>\n"
            for f in t.factors {
                h += "<tr><th>factor \(escape(f.id))</th>\(cell("tail_scenario[\(t.level)].factors[\(f.id)].mean", f.mean))<td>\(fmt(f.se))</td><td></td></tr>\n"
            }
            for f in t.sectors {
                h += "<tr><th>\(g[.sector]) \(escape(f.id))</th><td>\(fmt(f.mean))</td><td>\(fmt(f.se))</td><td>\(f.share.map { share($0) } ?? "—")</td></tr>\n"
            }
            h += "</tbody></table>\n"
        }
        return h
    }

    static func contributorSection(_ c: Contributions, _ d: SummaryDocument, _ g: Glossary, names: EntityNames? = nil) -> String {
        guard let level = c.levels.last else { return "" }
        let es = d.losses.net.quantiles.last?.expectedShortfall ?? 0
        var h = "<h2>\(g[.topContributors])</h2>\n<p>\(escape(g.format(.contributorsNote, pct(level), share(1 - level))))</p>\n"
        for (kind, count) in [("issuer", 10), ("sector", 50)] {
            let rows = c.top(kind, count: count)
            h += "<table><thead><tr><th>\(kind)</th><th>\(g[.el])</th><th>\(g[.esShort]) \(pct(level))</th><th>\(g[.share])</th></tr></thead><tbody>\n"
            for r in rows {
                let contribution = r.expectedShortfall.last ?? 0
                let elSE = r.expectedLossSE.map { " ± " + fmt($0) } ?? ""
                let esSE = r.expectedShortfallSE?.last.map { " ± " + fmt($0) } ?? ""
                h += "<tr><th>\(escape(names?.label(kind: r.kind, id: r.id) ?? r.id))</th><td>\(fmt(r.expectedLoss))\(elSE)</td><td>\(fmt(contribution))\(esSE)</td><td>\(es > 0 ? share(contribution / es) : "—")</td></tr>\n"
            }
            h += "</tbody></table>\n"
            // The same contributions to ES as bars, largest first.
            var bars = SVGChart(title: "\(g[.esShort]) \(pct(level)) — \(kind)", xLabel: "", yLabel: g[.esShort])
            bars.categories = rows.map(\.id)
            bars.series = [.init(name: g[.esShort], color: "#6b46c1",
                                 points: rows.enumerated().map { (Double($0.offset + 1), $0.element.expectedShortfall.last ?? 0) }, bars: true)]
            bars.height = 300
            h += bars.render() + "\n"
        }
        return h
    }

    /// IRB capital next to the economic capital (VaR − EL, ES − EL) of the net loss.
    static func capitalSection(_ c: SummaryDocument.Capital, _ g: Glossary) -> String {
        var h = "<h2>\(g[.capital])</h2>\n<p>\(escape(g[.capitalNote]))</p>\n"
        h += "<table><thead><tr><th>\(g[.level])</th><th>VaR − EL</th><th>ES − EL</th><th>IRB capital</th><th>IRB RWA</th></tr></thead><tbody>\n"
        for e in c.economic {
            h += "<tr><th>\(pct(e.level))</th><td>\(fmt(e.varMinusEL))</td><td>\(fmt(e.esMinusEL))</td>"
                + "\(cell("capital.irb.capital", c.irb.capital))\(cell("capital.irb.risk_weighted_assets", c.irb.riskWeightedAssets))</tr>\n"
        }
        return h + "</tbody></table>\n"
    }

    static func precisionSentence(_ p: PrecisionOutcome, _ g: Glossary) -> String {
        let achieved = p.achieved.map { pct($0) } ?? "—"
        return g.format(p.met ? .precisionReached : .precisionMissed, pct(p.target), achieved, SummaryTable.grouped(p.paths))
    }

    // MARK: CreditRisk+

    /// `report.html` of a CreditRisk+ evaluation: summary, exceedance curve, capital.
    public static func render(analytic r: AnalyticResult, language: Language = .en) -> String {
        let d = r.document, o = r.outcome, g = Glossary(language)
        var h = page(title: d.header.scenario, language: language)
        h += "<h1>\(escape(d.header.scenario))</h1>\n"
        h += "<p class=\"meta\">CreditRisk+ (CSFB 1997), exact on a lattice of loss unit \(fmt(d.header.lossUnit ?? 0)); \(o.netModel.obligors.count) obligors, \(o.netModel.sectorCount) sectors; horizon \(fmt(d.header.horizon)) y; \(d.header.portfolio.entities) entities, \(d.header.portfolio.bonds) bonds, total notional \(cell("portfolio.total_notional", d.header.portfolio.totalNotional, tag: "span")). Guarantees and protection: \(escape(d.header.enhancements ?? ""))\(d.header.enhancements == "double-default" ? " (a covered part is lost only when the issuer and its provider both default; the net loss never exceeds the gross one)" : ""). No Monte Carlo error.</p>\n"
        h += "<h2>\(g[.summary])</h2>\n<table class=\"summary\"><thead><tr><th></th><th>\(g[.net])</th><th>\(g[.gross])</th></tr></thead><tbody>\n"
        h += "<tr><th>\(g[.expectedLoss])</th>\(cell("net.expected_loss", d.losses.net.expectedLoss))\(cell("gross.expected_loss", d.losses.gross.expectedLoss))</tr>\n"
        h += "<tr><th>\(g[.standardDeviation])</th>\(cell("net.std_dev", d.losses.net.stdDev))\(cell("gross.std_dev", d.losses.gross.stdDev))</tr>\n"
        for (qn, qg) in zip(d.losses.net.quantiles, d.losses.gross.quantiles) {
            h += "<tr><th>\(g[.varShort]) \(pct(qn.level))</th>\(cell("net.quantiles[\(qn.level)].var", qn.valueAtRisk))\(cell("gross.quantiles[\(qg.level)].var", qg.valueAtRisk))</tr>\n"
            h += "<tr><th>\(g[.esShort]) \(pct(qn.level))</th>\(cell("net.quantiles[\(qn.level)].es", qn.expectedShortfall))\(cell("gross.quantiles[\(qg.level)].es", qg.expectedShortfall))</tr>\n"
        }
        for (tn, tg) in zip(d.losses.net.tail ?? [], d.losses.gross.tail ?? []) {
            h += "<tr><th>\(escape(g.format(.exceedance, fmt(tn.threshold))))</th>\(cell("net.tail[\(tn.threshold)].probability", tn.probability))\(cell("gross.tail[\(tg.threshold)].probability", tg.probability))</tr>\n"
        }
        h += "</tbody></table>\n"
        h += "<h2>\(g[.lossDistribution])</h2>\n<p>P(L = 0) = \(share(o.net.zeroProbability)) (\(g[.net])).</p>\n"
        var exceedance = SVGChart(title: g[.exceedanceTitle], xLabel: "x", yLabel: "P(L > x)", logY: true)
        exceedance.series = [
            .init(name: g[.gross], color: "#c05621", points: latticeCurve(o.gross)),
            .init(name: g[.net], color: "#2b6cb0", points: latticeCurve(o.net)),
        ]
        h += exceedance.render() + "\n"
        if let c = d.answers.capital { h += capitalSection(c, g) }
        h += "<footer>CreditRisk+ by the nested log–exp recursion (Giese 2003; Haaf, Reiß &amp; Schoenmakers 2004); risk contributions in risk-contributions.csv; model and definitions in the CreditSim documentation.</footer>\n"
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

    /// A figure the model may not give (an error of an exact distribution): "—" when nil.
    static func cell(_ key: String, _ value: Double?, prefix: String = "", tag: String = "td") -> String {
        guard let value else { return "<\(tag)>—</\(tag)>" }
        return cell(key, value, prefix: prefix, tag: tag)
    }

    /// "[low, high]", or "—" for an exact figure.
    static func interval(_ low: Double?, _ high: Double?) -> String {
        guard let low, let high else { return "—" }
        return "[\(fmt(low)), \(fmt(high))]"
    }

    /// "± se", or "—" for an exact figure.
    static func error(_ se: Double?) -> String { se.map { "± " + fmt($0) } ?? "—" }

    static func fmt(_ x: Double) -> String { SummaryTable.fmt(x) }
    static func pct(_ x: Double) -> String { SummaryTable.pct(x) }
    /// A probability or share, one decimal.
    static func share(_ x: Double) -> String { String(format: "%.1f%%", 100 * x) }

    /// Screen styles, then A4 print: margins, charts scaled to the page, no table or chart split
    /// across pages, headings kept with what follows.
    static let css = """
        body{font-family:system-ui,-apple-system,Segoe UI,Helvetica,Arial,"Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;max-width:980px;margin:2em auto;padding:0 1em;color:#1a202c}
        h1{font-size:1.6em;margin-bottom:.2em}h2{margin-top:1.6em;border-bottom:1px solid #cbd5e0}
        .meta{color:#4a5568}.lead{font-size:1.1em}.noise{color:#718096;font-style:italic}.warning{background:#fefcbf;border:1px solid #d69e2e;padding:.6em}
        .note{background:#f0fff4;border:1px solid #68d391;padding:.6em}
        table{border-collapse:collapse;margin:.6em 0;max-width:100%}td,th{padding:.25em .7em;border-bottom:1px solid #e2e8f0;text-align:right}
        th:first-child{text-align:left}thead th{background:#edf2f7}
        svg.chart{display:block;margin:1em 0;background:#fff;max-width:100%;height:auto}svg .frame{fill:none;stroke:#a0aec0}
        svg .grid{stroke:#edf2f7}svg .axis{stroke:#4a5568}svg .tick{font-size:11px;fill:#4a5568}
        svg .label{font-size:12px;fill:#2d3748}svg .title{font-size:13px;font-weight:600;fill:#1a202c}svg .marker{font-size:11px}
        footer{margin-top:2em;color:#4a5568;font-size:.9em}
        @page{size:A4;margin:14mm}
        @media print{body{max-width:none;margin:0;padding:0;font-size:10pt}table{font-size:8.5pt;page-break-inside:avoid;break-inside:avoid}
        td,th{padding:.15em .4em}svg.chart{page-break-inside:avoid;break-inside:avoid;width:100%}h2{page-break-after:avoid;break-after:avoid}
        a{color:inherit;text-decoration:none}}
        """

    /// " (amounts in CNY bn)" and the market-valuation note, when they apply.
    static func amountNote(_ d: SummaryDocument) -> String {
        let label = [d.header.currency, d.header.unit].compactMap { $0 }.joined(separator: " ")
        var s = label.isEmpty ? "" : " " + escape(label) + " (every amount on this page is in " + escape(label) + ")"
        if d.header.valuation == .market {
            s += "; market valuation under rating migration (CreditMetrics): a loss is today's-rating value minus the value at the horizon, negative for a gain"
        }
        return s
    }
}
