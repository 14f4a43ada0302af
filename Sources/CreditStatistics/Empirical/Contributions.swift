/// Euler risk contributions of the holder's net loss: to EL (E[L_b]) and to ES at each level
/// (E[L_b · w_q(L)], with w_q the Acerbi–Tasche tail weight that splits the atom at VaR), per
/// bond and summed by issuer, sector and guarantor, with standard errors. Per bond they add up
/// exactly to EL and ES.
///
/// Standard errors are those of the means of the per-path terms (w·L_b for EL, n·w·t_q(L)·L_b
/// for ES) over the n paths; for ES they take the VaR of the first pass as known, as the
/// delta method does for the portfolio's ES (replication tests check them).
import CreditMath
import CreditModel
import CreditEngine

public struct Contributions: Sendable {
    public struct Row: Sendable {
        /// bond, issuer, sector or guarantor.
        public let kind: String
        public let id: String
        public let expectedLoss: Double
        /// One per level, in the order of `levels`.
        public let expectedShortfall: [Double]
        /// Standard errors; nil for groups when the pass kept no group squares.
        public let expectedLossSE: Double?
        public let expectedShortfallSE: [Double]?
    }

    public let levels: [Double]
    public let rows: [Row]

    /// `sums` from a contribution pass (`SimulationOutput.contributionSums`); empty when no bond
    /// defaulted on any path.
    public init(sums given: [Double], request: ContributionRequest, portfolio: Portfolio) {
        levels = request.levels.map(\.level)
        let bondCount = portfolio.bonds.count
        let k = levels.count
        let groups = request.groups ?? ContributionGroups(portfolio: portfolio)
        let layout = ContributionLayout(rows: k + 1, bonds: bondCount, groups: request.groups?.count ?? 0)
        let sums = given.isEmpty ? [Double](repeating: 0, count: layout.count) : given
        let hasSquares = sums.count == layout.count
        let n = Double(request.paths)
        func value(_ row: Int, _ bond: Int) -> Double { sums[layout.sums(row: row) + bond] }
        /// SE of a mean over n paths whose terms have Σ t² = `squares`.
        func se(mean: Double, squares: Double) -> Double {
            n > 0 ? (max(0, squares / n - mean * mean) / n).squareRoot() : 0
        }
        var rows: [Row] = []
        rows.reserveCapacity(bondCount + groups.count)
        for (b, bond) in portfolio.bonds.enumerated() {
            let el = value(0, b)
            let es = (0..<k).map { value(1 + $0, b) }
            rows.append(Row(kind: "bond", id: bond.id, expectedLoss: el, expectedShortfall: es,
                            expectedLossSE: hasSquares ? se(mean: el, squares: sums[layout.bondSquares(row: 0) + b]) : nil,
                            expectedShortfallSE: hasSquares ? (0..<k).map {
                                se(mean: es[$0], squares: sums[layout.bondSquares(row: 1 + $0) + b])
                            } : nil))
        }
        let groupSquares = hasSquares && request.groups != nil
        for kind in groups.kinds {
            var el = [Double](repeating: 0, count: kind.ids.count)
            var es = [[Double]](repeating: [Double](repeating: 0, count: k), count: kind.ids.count)
            for b in 0..<bondCount {
                let g = kind.groupOfBond[b]
                el[g] += value(0, b)
                for l in 0..<k { es[g][l] += value(1 + l, b) }
            }
            for (g, id) in kind.ids.enumerated() {
                let global = kind.offset + g
                rows.append(Row(kind: kind.name, id: id, expectedLoss: el[g], expectedShortfall: es[g],
                                expectedLossSE: groupSquares ? se(mean: el[g], squares: sums[layout.groupSquares(row: 0) + global]) : nil,
                                expectedShortfallSE: groupSquares ? (0..<k).map {
                                    se(mean: es[g][$0], squares: sums[layout.groupSquares(row: 1 + $0) + global])
                                } : nil))
            }
        }
        self.rows = rows
    }

    /// Rows of one kind, largest ES contribution at the highest level first.
    public func top(_ kind: String, count: Int) -> [Row] {
        Array(rows.filter { $0.kind == kind }.sorted { ($0.expectedShortfall.last ?? 0) > ($1.expectedShortfall.last ?? 0) }.prefix(count))
    }
}
