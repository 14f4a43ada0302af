import CreditRisk
import Foundation
import Testing

/// The standard errors of Euler contributions, proven by replication: over R independent seeds,
/// the squared standardised errors ((estimate − exact)/reported SE)² of every bond's and every
/// sector's EL and ES contribution must average about 1. With R·(bonds + sectors) terms the
/// average has a relative standard deviation of roughly √(2/(R·m_eff)) (terms within a seed are
/// correlated, so m_eff is below the count); the band [0.8, 1.25] is several of those wide, and a
/// doubled SE (average ≈ 0.25) or a halved one (≈ 4) falls far outside it.
@Suite struct ContributionErrorTests {
    static let sectors = ["coal", "tech", "bank"]

    static func portfolio() throws -> Portfolio {
        let entities = ContributionExactTests.pds.enumerated().map {
            Entity(id: "n\($0.offset)", sector: sectors[$0.offset % 3], pd: $0.element, loadings: [])
        }
        let bonds = ContributionExactTests.exposures.enumerated().map {
            Bond(id: "b\($0.offset)", issuer: $0.offset, notional: 2 * Double($0.element), maturity: 1, lgd: 0.5)
        }
        return try Portfolio(entities: entities, bonds: bonds, dependence: .factors(FactorModel(factorIDs: [])))
    }

    @Test(arguments: [false, true])
    func reportedErrorsMatchTheSpreadOverSeeds(importance: Bool) throws {
        let p = try Self.portfolio()
        let engine = Engine(portfolio: p)
        let level = 0.92
        let exact = ContributionExactTests.exactContributions(level: level)
        let exactEL = zip(ContributionExactTests.pds, ContributionExactTests.exposures).map { $0 * Double($1) }
        // Exact sector figures are sums over their bonds.
        func bySector(_ perBond: [Double]) -> [String: Double] {
            var s: [String: Double] = [:]
            for (b, v) in perBond.enumerated() { s[Self.sectors[b % 3], default: 0] += v }
            return s
        }
        let exactSectorEL = bySector(exactEL), exactSectorES = bySector(exact.perBond)
        let shift = importance ? ImportanceShift(mu: [], target: Double(exact.valueAtRisk) + 2) : nil
        var squares: [Double] = []
        let replications = 100
        for seed in 1...replications {
            let settings = SimulationSettings(paths: 10_000, seed: UInt64(seed), threads: 2)
            let first = engine.run(settings, importance: shift)
            let report = RiskReport(output: first, portfolio: p, levels: [level])
            // Skip the rare seed whose VaR misses the exact one (its contributions estimate another quantity).
            guard report.net.quantiles[0].valueAtRisk == Double(exact.valueAtRisk) else { continue }
            let request = ContributionRequest(net: report.netDistribution, levels: [level], portfolio: p)
            let second = engine.run(settings, contributions: request, importance: shift)
            let c = Contributions(sums: second.contributionSums ?? [], request: request, portfolio: p)
            for row in c.rows {
                let el: Double?, es: Double?
                switch row.kind {
                case "bond":
                    let b = Int(row.id.dropFirst()) ?? 0
                    (el, es) = (exactEL[b], exact.perBond[b])
                case "sector":
                    (el, es) = (exactSectorEL[row.id], exactSectorES[row.id])
                default:
                    (el, es) = (nil, nil)
                }
                guard let el, let es else { continue }
                let elSE = try #require(row.expectedLossSE), esSE = try #require(row.expectedShortfallSE?.first)
                squares.append(pow((row.expectedLoss - el) / elSE, 2))
                squares.append(pow((row.expectedShortfall[0] - es) / esSE, 2))
            }
        }
        #expect(squares.count >= 90 * 2 * 15, "too many seeds skipped: \(squares.count / 30) kept")
        let mean = squares.reduce(0, +) / Double(squares.count)
        #expect(mean > 0.8 && mean < 1.25, "mean squared standardised error \(mean) over \(squares.count) terms")
    }
}
