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
        // One group per kind: ids in order of first appearance, found by dictionary (linear in
        // bonds and ids), and their sums (EL then ES per level, k + 1 values per id).
        struct Group {
            var index: [String: Int] = [:]
            var ids: [String] = []
            var sums: [Double] = []
            mutating func add(_ id: String, _ values: (Int) -> Double, width: Int) {
                let slot: Int
                if let i = index[id] { slot = i } else {
                    slot = ids.count
                    index[id] = slot
                    ids.append(id)
                    sums.append(contentsOf: repeatElement(0, count: width))
                }
                for j in 0..<width { sums[slot * width + j] += values(j) }
            }
        }
        var groups = [Group(), Group(), Group()]
        var rows: [Row] = []
        rows.reserveCapacity(n)
        for (b, bond) in portfolio.bonds.enumerated() {
            rows.append(Row(kind: "bond", id: bond.id, expectedLoss: value(0, b), expectedShortfall: (0..<k).map { value(1 + $0, b) }))
            let issuer = portfolio.entities[bond.issuer]
            let values = { (j: Int) in value(j, b) }
            groups[0].add(issuer.id, values, width: k + 1)
            groups[1].add(issuer.sector ?? "(none)", values, width: k + 1)
            groups[2].add(bond.guarantee.map { portfolio.entities[$0.guarantor].id } ?? "(none)", values, width: k + 1)
        }
        for (kind, group) in zip(["issuer", "sector", "guarantor"], groups) {
            for (i, id) in group.ids.enumerated() {
                let base = i * (k + 1)
                rows.append(Row(kind: kind, id: id, expectedLoss: group.sums[base],
                                expectedShortfall: Array(group.sums[(base + 1)..<(base + 1 + k)])))
            }
        }
        self.rows = rows
    }

    /// Rows of one kind, largest ES contribution at the highest level first.
    public func top(_ kind: String, count: Int) -> [Row] {
        Array(rows.filter { $0.kind == kind }.sorted { ($0.expectedShortfall.last ?? 0) > ($1.expectedShortfall.last ?? 0) }.prefix(count))
    }
}
