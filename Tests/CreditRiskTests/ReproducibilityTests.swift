import CreditRisk
import Testing

@Suite struct ReproducibilityTests {
    static func portfolio(copula: Copula) throws -> Portfolio {
        let entities = (0..<30).map {
            Entity(id: "e\($0)", pd: 0.01 + 0.003 * Double($0), loadings: [0.4, $0 % 2 == 0 ? 0.3 : 0])
        }
        let bonds = (0..<45).map { i -> Bond in
            let issuer = i % 28
            return Bond(id: "b\(i)", issuer: issuer, notional: Double(1 + i % 7), maturity: i % 3 == 0 ? 0.25 : 2, lgd: 0.45,
                        guarantee: i % 4 == 0 ? Guarantee(guarantor: 28, coverage: 0.8) : nil,
                        protection: i % 5 == 0 ? Protection(seller: 29, notional: 1, spreadBps: 50) : nil)
        }
        return try Portfolio(entities: entities, bonds: bonds,
                             dependence: .factors(FactorModel(factorIDs: ["g", "s"])), copula: copula)
    }

    /// Same seed, 1, 2 and 3 threads: identical bits, including a final partial block.
    @Test(arguments: [Copula.gaussian, .studentT(degreesOfFreedom: 6)])
    func identicalBitsForAnyThreadCount(copula: Copula) throws {
        let engine = try Engine(portfolio: Self.portfolio(copula: copula))
        let paths = 3 * SimulationSettings.blockSize + 517
        let runs = [1, 2, 3].map { engine.run(SimulationSettings(paths: paths, seed: 99, threads: $0)) }
        for r in runs.dropFirst() {
            #expect(r.net == runs[0].net)
            #expect(r.gross == runs[0].gross)
            #expect(r.payouts.amount == runs[0].payouts.amount)
            #expect(r.payouts.path == runs[0].payouts.path)
            #expect(r.expectedPremium == runs[0].expectedPremium)
        }
        #expect(runs[0].gross.contains { $0 > 0 })
        #expect(!runs[0].payouts.amount.isEmpty)
        let other = engine.run(SimulationSettings(paths: paths, seed: 100, threads: 2))
        #expect(other.gross != runs[0].gross)
    }

    @Test func stoppingEarlyKeepsAPrefixOfBlocks() throws {
        let engine = try Engine(portfolio: Self.portfolio(copula: .gaussian))
        let full = engine.run(SimulationSettings(paths: 10 * SimulationSettings.blockSize, seed: 5, threads: 1))
        let counter = Counter()
        let partial = engine.run(SimulationSettings(paths: 10 * SimulationSettings.blockSize, seed: 5, threads: 1),
                                 shouldStop: { counter.next() > 3 })
        #expect(partial.paths == 3 * SimulationSettings.blockSize)
        #expect(Array(full.gross.prefix(partial.paths)) == partial.gross)
    }
}

final class Counter: @unchecked Sendable {
    private var n = 0
    func next() -> Int { n += 1; return n }
}

/// Ranges of blocks are pieces of one run: concatenated, they give the whole run's bits.
@Suite struct BlockRangeTests {
    @Test(arguments: [false, true])
    func consecutiveRangesConcatenateToTheWholeRun(importance: Bool) throws {
        let p = try ReproducibilityTests.portfolio(copula: .studentT(degreesOfFreedom: 6))
        let engine = Engine(portfolio: p)
        let settings = SimulationSettings(paths: 5 * SimulationSettings.blockSize + 300, seed: 8, threads: 2)
        let shift = importance ? ImportanceShift(mu: [-0.8, -0.3], target: 20) : nil
        let whole = engine.run(settings, importance: shift, record: [.factors, .sectors])
        let pieces = [0..<2, 2..<3, 3..<6].map { engine.run(settings, importance: shift, blocks: $0, record: [.factors, .sectors]) }
        #expect(pieces.map(\.firstPath) == [0, 2048, 3072])
        let joined = pieces.dropFirst().reduce(pieces[0]) { $0.appending($1) }
        #expect(joined.paths == whole.paths)
        #expect(joined.net == whole.net && joined.gross == whole.gross)
        #expect(joined.weights == whole.weights)
        #expect(joined.factors == whole.factors && joined.factorCount == 2)
        #expect(joined.sectorLosses == whole.sectorLosses)
        #expect(joined.payouts.path == whole.payouts.path && joined.payouts.amount == whole.payouts.amount)
        #expect(joined.payouts.weight == whole.payouts.weight)
        #expect(joined.expectedPremium == whole.expectedPremium)
        #expect(joined.capacityExhausted == whole.capacityExhausted)
    }

    /// Recorded factors are Z = Lξ: mean 0 and covariance Σ under plain sampling (4 SE).
    @Test func recordedFactorsHaveTheFactorCorrelation() throws {
        let entities = [Entity(id: "a", pd: 0.01, loadings: [0.3, 0.2]), Entity(id: "b", pd: 0.02, loadings: [0.1, 0.4])]
        let bonds = [Bond(id: "x", issuer: 0, notional: 1, maturity: 1, lgd: 1)]
        let sigma = SymmetricMatrix(rows: [[1, 0.6], [0.6, 1]])
        let p = try Portfolio(entities: entities, bonds: bonds,
                              dependence: .factors(FactorModel(factorIDs: ["f", "g"], correlation: sigma)))
        let n = 40_000
        let out = Engine(portfolio: p).run(SimulationSettings(paths: n, seed: 3, threads: 2), record: [.factors, .sectors])
        let z = try #require(out.factors).map(Double.init)
        var m0 = 0.0, m1 = 0.0, c01 = 0.0, v0 = 0.0
        for i in 0..<n {
            m0 += z[2 * i]; m1 += z[2 * i + 1]; c01 += z[2 * i] * z[2 * i + 1]; v0 += z[2 * i] * z[2 * i]
        }
        let nd = Double(n)
        #expect(abs(m0 / nd) < 4 / nd.squareRoot() && abs(m1 / nd) < 4 / nd.squareRoot())
        #expect(abs(v0 / nd - 1) < 4 * (2 / nd).squareRoot())
        // Var(Z₀Z₁) = 1 + ρ² for a standard bivariate normal.
        #expect(abs(c01 / nd - 0.6) < 4 * ((1 + 0.36) / nd).squareRoot())
    }
}
