/// Euler risk contributions of the holder's net loss: to EL (E[L_b]) and to ES at each level
/// (E[L_b · w_q(L)], with w_q the Acerbi–Tasche tail weight that splits the atom at VaR), per
/// bond and summed by issuer, sector and guarantor. Per bond they add up exactly to EL and ES.
public struct Contributions: Sendable {
    public struct Row: Sendable {
        /// bond, issuer, sector or guarantor.
        public let kind: String
        public let id: String
        public let expectedLoss: Double
        /// One per level, in the order of `levels`.
        public let expectedShortfall: [Double]
    }

    public let levels: [Double]
    public let rows: [Row]

    public init(sums: [Double], request: ContributionRequest, portfolio: Portfolio) {
        levels = request.levels.map(\.level)
        let n = portfolio.bonds.count
        let k = levels.count
        func value(_ row: Int, _ bond: Int) -> Double { sums[row * n + bond] }
        var rows: [Row] = []
        var byKey: [String: [Int: (el: Double, es: [Double])]] = [:]
        var order: [String: [String]] = [:]
        func add(_ kind: String, _ id: String, _ bond: Int) {
            var group = byKey[kind] ?? [:]
            let key = order[kind]?.firstIndex(of: id) ?? {
                order[kind, default: []].append(id)
                return order[kind, default: []].count - 1
            }()
            var entry = group[key] ?? (0, [Double](repeating: 0, count: k))
            entry.el += value(0, bond)
            for l in 0..<k { entry.es[l] += value(1 + l, bond) }
            group[key] = entry
            byKey[kind] = group
        }
        for (b, bond) in portfolio.bonds.enumerated() {
            rows.append(Row(kind: "bond", id: bond.id, expectedLoss: value(0, b), expectedShortfall: (0..<k).map { value(1 + $0, b) }))
            let issuer = portfolio.entities[bond.issuer]
            add("issuer", issuer.id, b)
            add("sector", issuer.sector ?? "(none)", b)
            add("guarantor", bond.guarantee.map { portfolio.entities[$0.guarantor].id } ?? "(none)", b)
        }
        for kind in ["issuer", "sector", "guarantor"] {
            for (i, id) in (order[kind] ?? []).enumerated() {
                guard let entry = byKey[kind]?[i] else { continue }
                rows.append(Row(kind: kind, id: id, expectedLoss: entry.el, expectedShortfall: entry.es))
            }
        }
        self.rows = rows
    }

    /// Rows of one kind, largest ES contribution at the highest level first.
    public func top(_ kind: String, count: Int) -> [Row] {
        Array(rows.filter { $0.kind == kind }.sorted { ($0.expectedShortfall.last ?? 0) > ($1.expectedShortfall.last ?? 0) }.prefix(count))
    }
}
