@testable import CreditEngine
@testable import CreditMath
@testable import CreditModel
@testable import CreditStatistics
import Foundation
import Testing

/// Triggers, path by path: with providers that never default (pd 1e-300: τ ≥ 10³⁰⁰ years on every
/// path) a guarantee or protection pays exactly coverage × the loss of each state its triggers
/// name, and nothing in the others.
@Suite struct CreditTriggerTests {
    /// One issuer (pd 5 %, extension_pd 10 %) with two bonds: 10 guaranteed at 80 % by g, 4
    /// protected on 3 by s; lgd 0.6, extension_lgd 0.25. So a path's gross loss is 0, 8.4 (D) or
    /// 3.5 (E), which tells its state.
    static func portfolio(guarantee: CreditTriggers, protection: CreditTriggers, market: Bool = false) throws -> Portfolio {
        let v = SyntheticPortfolio.creditMetrics1997
        let entities = [
            Entity(id: "issuer", pd: market ? v.transition[5][7] : 0.05, loadings: [0.4], rating: market ? 5 : nil,
                   extensionPD: 0.1),
            Entity(id: "g", pd: 1e-300, loadings: [0.3]),
            Entity(id: "s", pd: 1e-300, loadings: [0.2]),
        ]
        let bonds = [
            Bond(id: "guaranteed", issuer: 0, notional: 10, maturity: market ? 3 : 1, lgd: 0.6,
                 guarantee: Guarantee(guarantor: 1, coverage: 0.8, triggers: guarantee), coupon: 0.05, extensionLGD: 0.25),
            Bond(id: "protected", issuer: 0, notional: 4, maturity: market ? 3 : 1, lgd: 0.6,
                 protection: Protection(seller: 2, notional: 3, spreadBps: 50, triggers: protection), coupon: 0.05,
                 extensionLGD: 0.25),
        ]
        return try Portfolio(entities: entities, bonds: bonds, dependence: .factors(FactorModel(factorIDs: ["z"])),
                             valuation: market ? v : nil)
    }

    @Test(arguments: [(CreditTriggers.defaultOnly, CreditTriggers.defaultOrExtension),
                      (CreditTriggers.defaultOrExtension, CreditTriggers.defaultOnly)])
    func payoutsFollowTheTriggersPathByPath(guarantee: CreditTriggers, protection: CreditTriggers) throws {
        let p = try Self.portfolio(guarantee: guarantee, protection: protection)
        let paths = 20_000
        let out = Engine(portfolio: p).run(SimulationSettings(paths: paths, seed: 3, threads: 2))
        #expect(out.guarantorEntities == [1] && out.sellerEntities == [2])
        var paid = [[Double]](repeating: [0, 0], count: paths)
        for i in out.payouts.path.indices { paid[out.payouts.path[i]][Int(out.payouts.slot[i])] += out.payouts.amount[i] }
        var counts = [0, 0, 0]
        for i in 0..<paths {
            let gross = out.gross[i]
            let state: CreditState?
            if gross == 0 { state = nil } else if abs(gross - 8.4) < 1e-12 { state = .hardDefault } else {
                #expect(abs(gross - 3.5) < 1e-12, "path \(i): gross \(gross)")
                state = .extended
            }
            counts[state.map { $0.rawValue + 1 } ?? 0] += 1
            let rate = state == .hardDefault ? 0.6 : 0.25
            let guaranteed = state.map { guarantee.pays(in: $0) ? 0.8 * 10 * rate : 0 } ?? 0
            let protected = state.map { protection.pays(in: $0) ? min(3 * rate, 4 * rate) : 0 } ?? 0
            #expect(abs(paid[i][0] - guaranteed) < 1e-12 && abs(paid[i][1] - protected) < 1e-12,
                    "path \(i) in \(String(describing: state)): paid \(paid[i]), expected \(guaranteed), \(protected)")
            #expect(abs(out.net[i] - (gross - guaranteed - protected)) < 1e-12)
        }
        // Both events happened often enough to test both branches.
        #expect(counts[1] > 500 && counts[2] > 1000, "\(counts)")
        // The split of the payouts by state reproduces the path counts.
        let report = RiskReport(output: out, portfolio: p, levels: [0.99])
        let g = try #require(report.guarantors.first?.payoutByState)
        let s = try #require(report.protectionSellers.first?.payoutByState)
        let n = Double(paths)
        #expect(abs(g.hardDefault.value - Double(counts[1]) * 4.8 / n) < 1e-9)
        #expect(abs(g.extended.value - (guarantee.pays(in: .extended) ? Double(counts[2]) * 2 / n : 0)) < 1e-9)
        #expect(abs(s.hardDefault.value - Double(counts[1]) * 1.8 / n) < 1e-9)
        #expect(abs(s.extended.value - (protection.pays(in: .extended) ? Double(counts[2]) * 0.75 / n : 0)) < 1e-9)
        #expect(abs(try #require(report.extensionProbability).value - Double(counts[2]) / n) < 1e-12)
        // Premium stops at a triggering event only: Np·spread·(T − τ) is missed on those paths.
        #expect(out.expectedPremium.value < out.fullPremium)
    }

    /// Market valuation settles credit events through the same waterfall: the holder's loss is the
    /// market loss less what the triggered enhancements pay on the credit loss.
    @Test func marketValuationPaysOnTheNamedStates() throws {
        let p = try Self.portfolio(guarantee: .defaultOnly, protection: .defaultOrExtension, market: true)
        let paths = 20_000
        let out = Engine(portfolio: p).run(SimulationSettings(paths: paths, seed: 5, threads: 2))
        let v = p.valuation!
        let current = p.bonds.map { v.horizonValue(of: $0, rating: 5, horizon: 1) }
        let lossD = zip(current, p.bonds).reduce(0) { $0 + $1.0 - 0.4 * $1.1.notional }
        let lossE = zip(current, p.bonds).reduce(0) { $0 + $1.0 - 0.75 * $1.1.notional }
        var paid = [[Double]](repeating: [0, 0], count: paths)
        for i in out.payouts.path.indices { paid[out.payouts.path[i]][Int(out.payouts.slot[i])] += out.payouts.amount[i] }
        var d = 0, e = 0
        for i in 0..<paths {
            if abs(out.gross[i] - lossD) < 1e-9 {
                d += 1
                #expect(abs(paid[i][0] - 4.8) < 1e-12 && abs(paid[i][1] - 1.8) < 1e-12)
            } else if abs(out.gross[i] - lossE) < 1e-9 {
                e += 1
                #expect(paid[i][0] == 0 && abs(paid[i][1] - 0.75) < 1e-12)
            } else {
                #expect(paid[i] == [0, 0])
            }
            #expect(abs(out.net[i] - (out.gross[i] - paid[i][0] - paid[i][1])) < 1e-9)
        }
        // B row: p_D = 5.2 %, p_E = 10 %.
        #expect(abs(Double(d) / Double(paths) - 0.052) < 4 * probabilitySE(0.052, paths))
        #expect(abs(Double(e) / Double(paths) - 0.1) < 4 * probabilitySE(0.1, paths))
    }
}
