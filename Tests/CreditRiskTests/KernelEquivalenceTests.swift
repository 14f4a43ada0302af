@testable import CreditRisk
import Foundation
import Testing

/// The kernel's shortcuts (the Φ table screen, latent-space decisions for plain names, the
/// cached default times) must change no result. This test replays the kernel's random stream
/// with a naive simulator that computes ε = Φ⁻¹(u), X, U and τ for every name on every path,
/// and compares the losses path by path.
@Suite struct KernelEquivalenceTests {
    @Test func screenBracketsPhi() {
        let screen = DefaultScreen()
        var rng = Xoshiro256Plus(key: 7)
        for _ in 0..<200_000 {
            let t = (rng.nextUniform() - 0.5) * 24
            let slot = DefaultScreen.slot(t)
            let phi = Normal.cdf(t)
            #expect(screen.lowerBound[slot] <= phi && phi <= screen.bound[slot], "t = \(t)")
        }
        for t in [-40.0, -9, -8.999, 0, 8.9999, 9, 12, .infinity, -.infinity] {
            let slot = DefaultScreen.slot(t)
            #expect(screen.lowerBound[slot] <= Normal.cdf(t) && Normal.cdf(t) <= screen.bound[slot], "t = \(t)")
        }
    }

    static func portfolio(_ copula: Copula) throws -> Portfolio {
        // Mixed: plain issuers (one window, no enhancements) and issuers with several windows,
        // guarantees and protection, on two correlated factors.
        var entities: [Entity] = []
        for i in 0..<40 {
            entities.append(Entity(id: "e\(i)", pd: 0.02 + 0.002 * Double(i % 9),
                                   loadings: [0.3 + 0.01 * Double(i % 7), i % 3 == 0 ? 0.4 : 0]))
        }
        var bonds: [Bond] = []
        for i in 0..<60 {
            let issuer = i % 38
            bonds.append(Bond(id: "b\(i)", issuer: issuer, notional: Double(1 + i % 5),
                              maturity: issuer < 20 ? 1 : [0.25, 0.5, 3][i % 3], lgd: 0.6,
                              guarantee: issuer >= 20 && i % 2 == 0 ? Guarantee(guarantor: 38, coverage: 0.7) : nil,
                              protection: issuer >= 30 ? Protection(seller: 39, notional: 1, spreadBps: 40) : nil))
        }
        let sigma = SymmetricMatrix(rows: [[1, 0.3], [0.3, 1]])
        return try Portfolio(entities: entities, bonds: bonds,
                             dependence: .factors(FactorModel(factorIDs: ["a", "b"], correlation: sigma)), copula: copula)
    }

    @Test(arguments: [Copula.gaussian, .studentT(degreesOfFreedom: 3)])
    func kernelMatchesNaiveSimulation(copula: Copula) throws {
        let p = try Self.portfolio(copula)
        let engine = Engine(portfolio: p)
        let paths = SimulationSettings.blockSize
        let seed: UInt64 = 31
        let out = engine.run(SimulationSettings(paths: paths, seed: seed, threads: 1))
        guard case let .factors(plan) = engine.plan.latent else {
            Issue.record("expected a factor model")
            return
        }
        let n = plan.entityCount, k = plan.inputDimension
        var rng = UniformStream(seed: seed, block: 0)
        var naiveGross: [Double] = []
        var naiveNet: [Double] = []
        var chunkStart = 0
        while chunkStart < paths {
            let rows = min(SimulationSettings.chunkSize, paths - chunkStart)
            var scales = [Double](repeating: 1, count: rows)
            if case let .studentT(nu) = copula {
                var draws = [Double](repeating: 0, count: engine.plan.mixing.drawsPerPath)
                for r in 0..<rows {
                    draws.withUnsafeMutableBufferPointer { rng.fill($0.baseAddress!, count: $0.count) }
                    scales[r] = (draws.withUnsafeBufferPointer { ChiSquare.variate(nu, uniforms: $0) } / nu).squareRoot()
                }
            }
            var xi = [Double](repeating: 0, count: rows * k)
            xi.withUnsafeMutableBufferPointer { rng.fill($0.baseAddress!, count: $0.count) }
            xi = xi.map(Normal.quantile)
            for r in 0..<rows {
                var u = [Double](repeating: 0, count: n)
                u.withUnsafeMutableBufferPointer { rng.fill($0.baseAddress!, count: n) }
                var tau = [Double](repeating: 0, count: n)
                for e in 0..<n {
                    var m = 0.0
                    for j in 0..<k { m += xi[r * k + j] * plan.loadings[e * k + j] }
                    let x = plan.sigma[e] * (m + Normal.quantile(u[e]))
                    let survival: Double
                    switch copula {
                    case .gaussian: survival = Normal.cdf(-x)
                    case let .studentT(nu): survival = StudentT(degreesOfFreedom: nu).cdf(-x / scales[r])
                    }
                    tau[e] = -log(survival) / p.entities[e].hazard
                }
                var gross = 0.0, net = 0.0
                // Same summation order as the kernel: issuers in index order, bonds in file order.
                for e in 0..<n {
                    for b in p.bonds where b.issuer == e && tau[e] <= p.window(of: b) {
                        let g = b.lossGivenDefault
                        gross += g
                        var covered = 0.0
                        if let gu = b.guarantee, tau[gu.guarantor] > tau[e] { covered = gu.coverage * g }
                        if let pr = b.protection, tau[pr.seller] > tau[e] { covered += min(pr.notional * b.lgd, g - covered) }
                        net += g - covered
                    }
                }
                naiveGross.append(gross)
                naiveNet.append(net)
            }
            chunkStart += rows
        }
        // The naive systematic sum and dgemm may round differently in the last bit, which could
        // flip a default only on a path where a name sits within ~1e-15 of its threshold.
        var mismatches = 0
        for i in 0..<paths where abs(out.gross[i] - naiveGross[i]) > 1e-9 || abs(out.net[i] - naiveNet[i]) > 1e-9 {
            mismatches += 1
        }
        #expect(mismatches == 0)
        #expect(naiveGross.filter { $0 > 0 }.count > 100)
    }
}
