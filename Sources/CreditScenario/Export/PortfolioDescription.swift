import CreditRisk
import Foundation

/// The short description printed by `creditsim validate`.
public enum PortfolioDescription {
    public static func render(_ scenario: Scenario) -> String {
        let p = scenario.portfolio
        var s = "OK: \(scenario.path) is a valid scenario.\n"
        s += "Name        \(SafeText.inline(scenario.name))\n"
        if let d = scenario.description { s += "Description \(SafeText.inline(d))\n" }
        s += "Entities    \(p.entities.count) (from \(scenario.entitySource))\n"
        s += "Bonds       \(p.bonds.count) (from \(scenario.bondSource)), total notional \(SummaryTable.fmt(p.totalNotional))\(scenario.amountLabel.isEmpty ? "" : " " + scenario.amountLabel)\n"
        if let asOf = scenario.asOf { s += "As of       \(asOf) (dated maturities in years = days / 365.25)\n" }
        if let v = p.valuation {
            s += "Valuation   market (rating migration, CreditMetrics): \(v.scale.count) ratings + D, curves \(scenario.curvesSource ?? "") (\(v.compounding.rawValue) compounding); losses are signed, gains negative\n"
        }
        let shortNotional = p.bonds.filter { $0.maturity < 1 }.reduce(0) { $0 + $1.notional }
        if p.totalNotional > 0 {
            let shortNotes = p.bonds.filter { $0.maturity < 1 }.count
            s += String(format: "Maturity    %.1f%% of notional (%d of %d notes) matures within one year\n",
                        100 * shortNotional / p.totalNotional, shortNotes, p.bonds.count)
        }
        let guaranteed = p.bonds.filter { $0.guarantee != nil }
        let protected = p.bonds.filter { $0.protection != nil }
        s += "Guarantees  \(guaranteed.count) bonds by \(Set(guaranteed.compactMap { $0.guarantee?.guarantor }).count) guarantors\n"
        s += "Protection  \(protected.count) bonds by \(Set(protected.compactMap { $0.protection?.seller }).count) sellers\n"
        switch p.dependence {
        case let .factors(model):
            s += "Dependence  \(model.factorIDs.count) factors: \(SafeText.inline(model.factorIDs.joined(separator: ", ")))\n"
        case .fullCorrelation:
            s += "Dependence  full \(p.entities.count)×\(p.entities.count) correlation (\(scenario.correlationSource ?? "file"))\n"
        }
        switch p.copula {
        case .gaussian: s += "Copula      gaussian\n"
        case let .studentT(nu): s += "Copula      student-t, \(nu) degrees of freedom\n"
        }
        s += "Horizon     \(p.horizon) years\(p.rollover ? ", rollover of maturing notes" : "")\n"
        let randomLGD = p.bonds.filter { $0.lgdSD != nil }.count
        if randomLGD > 0 {
            s += "LGD         \(randomLGD) bonds with a Beta LGD\(p.lgdCorrelation > 0 ? ", downturn correlation \(p.lgdCorrelation)" : "")\n"
        }
        let extending = p.entities.filter(\.extends)
        if !extending.isEmpty {
            let triggered = p.bonds.filter {
                $0.guarantee?.triggers.contains(.extensionEvent) == true || $0.protection?.triggers.contains(.extensionEvent) == true
            }.count
            let t = p.extensionTerms
            let low = extending.map(\.extensionPD).min() ?? 0, high = extending.map(\.extensionPD).max() ?? 0
            let range = low == high ? SummaryTable.fmt(low) : "\(SummaryTable.fmt(low))–\(SummaryTable.fmt(high))"
            s += "Extension   \(extending.count) entities may extend (extension_pd \(range)); terms \(SummaryTable.fmt(t.years)) years, later default \(SummaryTable.fmt(t.laterDefault)), discount \(SummaryTable.fmt(t.discountRate)); \(triggered) bonds' enhancements pay on extensions\n"
        }
        let limited = p.entities.filter { $0.capacity != nil }
        if !limited.isEmpty {
            s += "Capacity    \(limited.map { "\(SafeText.inline($0.id)) \(SummaryTable.fmt($0.capacity ?? 0))" }.joined(separator: ", "))\n"
        }
        if !scenario.stresses.isEmpty {
            s += "Stresses    \(SafeText.inline(scenario.stresses.map(\.name).joined(separator: ", "))) (run with --stress NAME or --stress all)\n"
        }
        s += "Simulation  \(scenario.paths) paths, seed \(scenario.seed)\n"
        s += ratingMix(scenario)
        s += pdChecks(scenario)
        s += spreadTable(scenario)
        // Sector table.
        var bySector: [String: (count: Int, pd: Double, notional: Double)] = [:]
        var notionalByIssuer = [Double](repeating: 0, count: p.entities.count)
        for b in p.bonds { notionalByIssuer[b.issuer] += b.notional }
        for (i, e) in p.entities.enumerated() {
            let key = e.sector ?? "(none)"
            var v = bySector[key] ?? (0, 0, 0)
            v.count += 1
            v.pd += e.pd
            v.notional += notionalByIssuer[i]
            bySector[key] = v
        }
        if bySector.count > 1 || bySector["(none)"] == nil {
            var rows = [["sector", "entities", "mean pd", "notional"]]
            for (k, v) in bySector.sorted(by: { $0.value.notional > $1.value.notional }) {
                rows.append([k, "\(v.count)", SummaryTable.fmt(v.pd / Double(v.count)), SummaryTable.fmt(v.notional)])
            }
            s += "\n" + SummaryTable.table(rows)
        }
        return s
    }

    /// Rating mix: entities, issuers' notional, the one-year PD and the horizon PD of each rating.
    static func ratingMix(_ scenario: Scenario) -> String {
        guard let ratings = scenario.ratings else { return "" }
        let p = scenario.portfolio
        var s = "\nRatings     scale \(SafeText.inline(ratings.scale.joined(separator: ", "))); one-year PDs from \(ratings.pdFromTable ? "ratings.pd" : (ratings.transitionSource.map { "the D column of \($0)" } ?? "(none)"))"
        if let c = ratings.cumulativeSource { s += "; PD term structures from \(c)" }
        s += "\n"
        var notional = [Double](repeating: 0, count: p.entities.count)
        for b in p.bonds { notional[b.issuer] += b.notional }
        let h = p.horizon
        let matrix = p.valuation.map { $0.transition(years: Int(h.rounded())) }
        var rows = [["rating", "entities", "notional", "one-year pd", String(format: "pd %g y", h), "pd source"]]
        for (i, r) in ratings.scale.enumerated() {
            let members = p.entities.indices.filter { p.entities[$0].rating == i }
            let oneYear = ratings.pd[i]
            let horizonPD: Double?
            let source: String
            if let matrix {
                horizonPD = matrix[i][ratings.scale.count]
                source = h == 1 ? "matrix" : "matrix^\(Int(h.rounded()))"
            } else if let curve = ratings.curves[i] {
                horizonPD = curve.probability(within: h)
                source = "curve"
            } else {
                horizonPD = oneYear.map { -expm1(log1p(-$0) * h) }
                source = oneYear == nil ? "none" : "constant hazard"
            }
            rows.append([r, "\(members.count)", SummaryTable.fmt(members.reduce(0) { $0 + notional[$1] }),
                         oneYear.map { SummaryTable.fmt($0) } ?? "-", horizonPD.map { SummaryTable.fmt($0) } ?? "-", source])
        }
        let unrated = p.entities.filter { $0.rating == nil }.count
        if unrated > 0 { rows.append(["(unrated)", "\(unrated)", "", "", "", "pd or spread"]) }
        s += SummaryTable.table(rows)
        // Curve and table problems that load but deserve a look.
        var notes: [String] = []
        for i in 1..<max(ratings.scale.count, 1) {
            if let a = ratings.pd[i - 1], let b = ratings.pd[i], b < a {
                notes.append("\(ratings.scale[i]) has a lower one-year PD (\(SummaryTable.fmt(b))) than the better \(ratings.scale[i - 1]) (\(SummaryTable.fmt(a)))")
            }
        }
        if ratings.cumulativeSource != nil && p.valuation == nil {
            let missing = ratings.scale.indices.filter { ratings.curves[$0] == nil }.map { ratings.scale[$0] }
            if !missing.isEmpty { notes.append("no PD curve for \(missing.joined(separator: ", ")): constant hazard of the one-year PD") }
            if let last = ratings.curves.values.map({ $0.tenors.last ?? 0 }).min(), last < h {
                notes.append(String(format: "the horizon %g y is beyond a curve's last tenor %g y: its last hazard is extrapolated", h, last))
            }
        }
        for n in notes { s += "note: \(n)\n" }
        return s
    }

    /// Each entity's own PD beside its rating's one-year PD (for entities whose PD is not the
    /// rating's), and every PD that looks like a percent typed as a fraction (`PDSanity`),
    /// flagged ones first; at most 30 rows.
    static func pdChecks(_ scenario: Scenario) -> String {
        let entities = scenario.portfolio.entities
        let ratings = scenario.ratings
        let ratingPDs = entities.map { e in e.rating.flatMap { ratings?.pd[safe: $0] ?? nil } }
        let given = entities.indices.map { i in ratingPDs[i].map { $0 != entities[i].pd } ?? true }
        let flagged = Dictionary(PDSanity.findings(pds: entities.map(\.pd), ratingPDs: ratingPDs, given: given).map { ($0.entity, $0) },
                                 uniquingKeysWith: { a, _ in a })
        let listed = entities.indices.filter { flagged[$0] != nil || (given[$0] && ratingPDs[$0] != nil) }
        guard !listed.isEmpty else { return "" }
        let ordered = listed.filter { flagged[$0] != nil } + listed.filter { flagged[$0] == nil }
        var rows = [["entity", "name", "rating", "pd", "rating pd", "pd / rating pd", "check"]]
        for i in ordered.prefix(30) {
            let e = entities[i]
            let r = ratingPDs[i]
            rows.append([e.id, e.name ?? "", e.rating.flatMap { ratings?.scale[safe: $0] } ?? "-", SummaryTable.fmt(e.pd),
                         r.map { SummaryTable.fmt($0) } ?? "-", r.map { PDSanity.ratio(e.pd / $0) } ?? "-",
                         flagged[i].map { PDSanity.reason($0, ratingName: nil) + ": a percent?" } ?? ""])
        }
        var out = "\nPD checks   each entity's own pd beside its rating's one-year pd; \(flagged.count) look like a percent typed as a fraction\n"
        out += SummaryTable.table(rows)
        if ordered.count > 30 { out += "… \(ordered.count - 30) more\n" }
        return out
    }

    /// Entities priced from a spread: the credit-triangle hazard and the implied one-year PD.
    static func spreadTable(_ scenario: Scenario) -> String {
        guard !scenario.spreads.isEmpty else { return "" }
        var rows = [["entity", "spread bps", "spread lgd", "hazard", "one-year pd"]]
        for (i, sp) in scenario.spreads.sorted(by: { $0.key < $1.key }) {
            rows.append([scenario.portfolio.entities[i].id, SummaryTable.fmt(sp.bps), SummaryTable.fmt(sp.lgd),
                         SummaryTable.fmt(sp.hazard), SummaryTable.fmt(scenario.portfolio.entities[i].pd)])
        }
        return "\nSpreads     one-year PD = 1 − exp(−spread / (10⁴ · spread_lgd)) (credit triangle)\n" + SummaryTable.table(rows)
    }
}
