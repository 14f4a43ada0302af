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
