import CreditRisk
import Foundation

/// The short description printed by `creditsim validate`.
public enum PortfolioDescription {
    public static func render(_ scenario: Scenario) -> String {
        let p = scenario.portfolio
        var s = "OK: \(scenario.path) is a valid scenario.\n"
        s += "Name        \(scenario.name)\n"
        if let d = scenario.description { s += "Description \(d)\n" }
        s += "Entities    \(p.entities.count) (from \(scenario.entitySource))\n"
        s += "Bonds       \(p.bonds.count) (from \(scenario.bondSource)), total notional \(SummaryTable.fmt(p.totalNotional))\n"
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
            s += "Dependence  \(model.factorIDs.count) factors: \(model.factorIDs.joined(separator: ", "))\n"
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
        let limited = p.entities.filter { $0.capacity != nil }
        if !limited.isEmpty {
            s += "Capacity    \(limited.map { "\($0.id) \(SummaryTable.fmt($0.capacity ?? 0))" }.joined(separator: ", "))\n"
        }
        if !scenario.stresses.isEmpty {
            s += "Stresses    \(scenario.stresses.map(\.name).joined(separator: ", ")) (run with --stress NAME or --stress all)\n"
        }
        s += "Simulation  \(scenario.paths) paths, seed \(scenario.seed)\n"
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
}
