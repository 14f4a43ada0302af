import CreditRisk

/// The report's composition tables: the portfolio by sector and by rating (issuers, bonds,
/// notional and its share, notional-weighted PD, and the Euler contributions when the run computed
/// them), by guarantor (bonds, guaranteed notional = Σ coverage · notional, the guarantor's PD,
/// its expected payout) and by protection seller (bonds, protected notional Σ Np, Np-weighted
/// spread, expected payout).
enum CompositionTables {
    static func section(_ r: PortfolioResult, _ g: Glossary) -> String {
        let p = r.outcome.portfolio
        guard !p.bonds.isEmpty else { return "" }
        var h = "<h2>\(g[.composition])</h2>\n<p>\(escape(g[.compositionNote]))</p>\n"
        let scale = r.scenario.ratingScale
        h += groupTable(p, title: g[.sector], g, contributions: r.outcome.contributions, kind: "sector") { e in
            e.sector ?? g[.noSector]
        }
        if p.entities.contains(where: { $0.rating != nil }) {
            h += groupTable(p, title: g[.rating], g, contributions: nil, kind: nil) { e in
                e.rating.flatMap { scale.indices.contains($0) ? scale[$0] : nil } ?? g[.unrated]
            }
        }
        h += guarantorTable(p, r.document, g)
        h += sellerTable(p, r.document, g)
        return h
    }

    /// Issuers grouped by `key`, in order of first appearance in the bond file.
    static func groupTable(_ p: Portfolio, title: String, _ g: Glossary, contributions: Contributions?, kind: String?,
                           key: (Entity) -> String) -> String {
        var order: [String] = []
        var issuers: [String: Set<Int>] = [:], bonds: [String: Int] = [:], notional: [String: Double] = [:], pd: [String: Double] = [:]
        for b in p.bonds {
            let k = key(p.entities[b.issuer])
            if issuers[k] == nil { order.append(k) }
            issuers[k, default: []].insert(b.issuer)
            bonds[k, default: 0] += 1
            notional[k, default: 0] += b.notional
            pd[k, default: 0] += b.notional * p.entities[b.issuer].pd
        }
        let total = p.totalNotional
        let rows = kind.flatMap { k in contributions?.rows.filter { $0.kind == k } } ?? []
        let level = contributions?.levels.last
        var h = "<table class=\"composition\"><thead><tr><th>\(escape(title))</th><th>\(g[.issuers])</th><th>\(g[.bondsCount])</th>"
            + "<th>\(g[.notional])</th><th>\(g[.notionalShare])</th><th>\(g[.averagePD])</th>"
        if let level, !rows.isEmpty { h += "<th>\(g[.el])</th><th>\(g[.esShort]) \(HTMLReport.pct(level))</th>" }
        h += "</tr></thead><tbody>\n"
        for k in order {
            let n = notional[k] ?? 0
            h += "<tr><th>\(escape(k))</th><td>\(issuers[k]?.count ?? 0)</td><td>\(bonds[k] ?? 0)</td><td>\(HTMLReport.fmt(n))</td>"
                + "<td>\(total > 0 ? HTMLReport.share(n / total) : "—")</td><td>\(n > 0 ? HTMLReport.pct((pd[k] ?? 0) / n) : "—")</td>"
            if level != nil, !rows.isEmpty {
                let row = rows.first { $0.id == k }
                h += "<td>\(row.map { HTMLReport.fmt($0.expectedLoss) } ?? "—")</td><td>\(row.flatMap { $0.expectedShortfall.last }.map(HTMLReport.fmt) ?? "—")</td>"
            }
            h += "</tr>\n"
        }
        return h + "</tbody></table>\n"
    }

    static func guarantorTable(_ p: Portfolio, _ d: SummaryDocument, _ g: Glossary) -> String {
        var order: [Int] = [], bonds: [Int: Int] = [:], covered: [Int: Double] = [:]
        for b in p.bonds {
            guard let guarantee = b.guarantee else { continue }
            if bonds[guarantee.guarantor] == nil { order.append(guarantee.guarantor) }
            bonds[guarantee.guarantor, default: 0] += 1
            covered[guarantee.guarantor, default: 0] += guarantee.coverage * b.notional
        }
        guard !order.isEmpty else { return "" }
        var h = "<table class=\"composition\"><thead><tr><th>\(g[.guarantor])</th><th>\(g[.bondsCount])</th><th>\(g[.guaranteedNotional])</th>"
            + "<th>PD</th><th>\(g[.expectedPayout])</th></tr></thead><tbody>\n"
        for e in order {
            let id = p.entities[e].id
            let payout = d.losses.guarantors.first { $0.id == id }?.expectedPayout
            h += "<tr><th>\(escape(id))</th><td>\(bonds[e] ?? 0)</td><td>\(HTMLReport.fmt(covered[e] ?? 0))</td>"
                + "<td>\(HTMLReport.pct(p.entities[e].pd))</td><td>\(payout.map(HTMLReport.fmt) ?? "—")</td></tr>\n"
        }
        return h + "</tbody></table>\n"
    }

    static func sellerTable(_ p: Portfolio, _ d: SummaryDocument, _ g: Glossary) -> String {
        var order: [Int] = [], bonds: [Int: Int] = [:], protected: [Int: Double] = [:], premium: [Int: Double] = [:]
        for b in p.bonds {
            guard let protection = b.protection else { continue }
            if bonds[protection.seller] == nil { order.append(protection.seller) }
            bonds[protection.seller, default: 0] += 1
            protected[protection.seller, default: 0] += protection.notional
            premium[protection.seller, default: 0] += protection.notional * protection.spreadBps
        }
        guard !order.isEmpty else { return "" }
        var h = "<table class=\"composition\"><thead><tr><th>\(g[.protectionSeller])</th><th>\(g[.bondsCount])</th><th>\(g[.protectedNotional])</th>"
            + "<th>bp</th><th>PD</th><th>\(g[.expectedPayout])</th></tr></thead><tbody>\n"
        for e in order {
            let id = p.entities[e].id, n = protected[e] ?? 0
            let payout = d.losses.protectionSellers.first { $0.id == id }?.expectedPayout
            h += "<tr><th>\(escape(id))</th><td>\(bonds[e] ?? 0)</td><td>\(HTMLReport.fmt(n))</td>"
                + "<td>\(n > 0 ? HTMLReport.fmt((premium[e] ?? 0) / n) : "—")</td><td>\(HTMLReport.pct(p.entities[e].pd))</td>"
                + "<td>\(payout.map(HTMLReport.fmt) ?? "—")</td></tr>\n"
        }
        return h + "</tbody></table>\n"
    }
}
