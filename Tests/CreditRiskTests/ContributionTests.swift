import CreditRisk
import Foundation
import Testing

@Suite struct ContributionTests {
    static func run(_ p: Portfolio, paths: Int, levels: [Double], importance: Bool = false) throws -> (RiskReport, Contributions) {
        let engine = Engine(portfolio: p)
        let settings = SimulationSettings(paths: paths, seed: 77, threads: 2)
        let shift = importance ? engine.importanceShift(level: levels.max() ?? 0.99, pilotPaths: 20_000, seed: 1, threads: 2) : nil
        let first = engine.run(settings, importance: shift)
        let report = RiskReport(output: first, portfolio: p, levels: levels)
        let request = ContributionRequest(net: report.netDistribution, levels: levels)
        let second = engine.run(settings, contributions: request, importance: shift)
        #expect(second.net == first.net)  // the second pass replays the first bit for bit
        let sums = try #require(second.contributionSums)
        return (report, Contributions(sums: sums, request: request, portfolio: p))
    }

    /// Per-bond contributions add up to EL and to ES at every level, including levels whose VaR
    /// sits on an atom (0 here for the 90 % level), for a portfolio with guarantees, protection
    /// and a capacity-limited guarantor; issuer, sector and guarantor rows add up too.
    @Test(arguments: [false, true])
    func contributionsSumToPortfolioFigures(importance: Bool) throws {
        let base = try ReproducibilityTests.portfolio(copula: .gaussian)
        // Give the guarantor (entity 28) a capacity so that some claims are cut.
        let entities = base.entities.enumerated().map { i, e in
            Entity(id: e.id, name: e.name, sector: i % 3 == 0 ? "s0" : "s1", pd: e.pd, loadings: e.loadings,
                   capacity: i == 28 ? 5 : nil)
        }
        let p = try Portfolio(entities: entities, bonds: base.bonds, dependence: base.dependence)
        let levels = [0.5, 0.9, 0.99, 0.999]
        let (report, c) = try Self.run(p, paths: 20_000, levels: levels, importance: importance)
        #expect((report.guarantors.first?.capacityExhaustedProbability ?? 0) > 0)
        #expect(report.netDistribution.isWeighted == importance)
        for kind in ["bond", "issuer", "sector", "guarantor"] {
            let rows = c.rows.filter { $0.kind == kind }
            #expect(!rows.isEmpty)
            let el = rows.reduce(0) { $0 + $1.expectedLoss }
            #expect(abs(el - report.net.expectedLoss) <= 1e-9 * max(1, report.net.expectedLoss), "\(kind) EL")
            for (k, q) in report.net.quantiles.enumerated() {
                let es = rows.reduce(0) { $0 + $1.expectedShortfall[k] }
                #expect(abs(es - q.expectedShortfall) <= 1e-9 * max(1, q.expectedShortfall), "\(kind) ES \(q.level): \(es) vs \(q.expectedShortfall)")
            }
        }
    }

    /// Two identical independent names contribute equally (within Monte Carlo error), and a name
    /// with zero loss probability contributes nothing.
    @Test func identicalNamesContributeAlike() throws {
        let entities = [Entity(id: "a", pd: 0.05, loadings: [0.5]), Entity(id: "b", pd: 0.05, loadings: [0.5]),
                        Entity(id: "c", pd: 0.05, loadings: [0.5])]
        let bonds = [Bond(id: "x", issuer: 0, notional: 1, maturity: 1, lgd: 1),
                     Bond(id: "y", issuer: 1, notional: 1, maturity: 1, lgd: 1),
                     Bond(id: "z", issuer: 2, notional: 1, maturity: 1, lgd: 0)]
        let p = try Portfolio(entities: entities, bonds: bonds, dependence: .factors(FactorModel(factorIDs: ["m"])))
        let n = 200_000
        let (_, c) = try Self.run(p, paths: n, levels: [0.99])
        let rows = c.rows.filter { $0.kind == "bond" }
        // Each EL contribution estimates 0.05; its SE is √(0.05·0.95/n).
        let se = (0.05 * 0.95 / Double(n)).squareRoot()
        #expect(abs(rows[0].expectedLoss - 0.05) < 4 * se && abs(rows[1].expectedLoss - 0.05) < 4 * se)
        #expect(abs(rows[0].expectedLoss - rows[1].expectedLoss) < 4 * se * 2.squareRoot())
        #expect(rows[2].expectedLoss == 0 && rows[2].expectedShortfall == [0])
    }
}

/// Contributions are grouped linearly in bonds and issuers (a dictionary per kind): 200 000
/// issuers with a bond each (the quadratic grouping took minutes at 10⁵).
@Suite struct ContributionScaleTests {
    @Test func twoHundredThousandIssuersAreQuick() throws {
        let n = 200_000
        let entities = (0..<n).map { Entity(id: "e\($0)", sector: "s\($0 % 50)", pd: 0.001, loadings: []) }
        let bonds = (0..<n).map { Bond(id: "b\($0)", issuer: $0, notional: 1, maturity: 1, lgd: 1) }
        let p = try Portfolio(entities: entities, bonds: bonds, dependence: .factors(FactorModel(factorIDs: [])))
        let levels = [0.9, 0.99]
        let request = ContributionRequest(net: EmpiricalLoss(values: (0..<1000).map { Double($0 % 7) }), levels: levels)
        let sums = (0..<(3 * n)).map { Double($0 % 13) }
        let start = Date()
        let c = Contributions(sums: sums, request: request, portfolio: p)
        let seconds = Date().timeIntervalSince(start)
        #expect(c.rows.count == n + n + 50 + 1)
        let issuers = c.rows.filter { $0.kind == "issuer" }
        #expect(issuers.count == n && issuers[12].id == "e12" && issuers[12].expectedLoss == 12)
        let es12: [Double] = [Double((n + 12) % 13), Double((2 * n + 12) % 13)]
        #expect(issuers[12].expectedShortfall == es12)
        let sector = c.rows.first { $0.kind == "sector" && $0.id == "s3" }
        var expected = 0.0
        for i in stride(from: 3, to: n, by: 50) { expected += Double(i % 13) }
        #expect(sector?.expectedLoss == expected)
        #expect(seconds < 60, "\(seconds) s")  // quadratic grouping: ~400 s here
    }
}
