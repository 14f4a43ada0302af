import CreditRisk
import Foundation
import Testing

/// Tail scenarios (E[Z | L ≥ VaR] and sector tail means) of a homogeneous one-factor pool against
/// exact integrals over the factor, plain and importance-sampled, and their standard errors
/// against the spread over seeds.
@Suite struct TailScenarioTests {
    static let names = 60, pd = 0.02, rho = 0.2

    static func pool() throws -> Portfolio {
        let entities = (0..<names).map {
            Entity(id: "e\($0)", sector: $0 % 3 == 0 ? "banks" : "coal", pd: pd, loadings: [rho.squareRoot()])
        }
        let bonds = (0..<names).map { Bond(id: "b\($0)", issuer: $0, notional: 1, maturity: 1, lgd: 1) }
        return try Portfolio(entities: entities, bonds: bonds, dependence: .factors(FactorModel(factorIDs: ["m"])))
    }

    /// E[Z | L ≥ v] and E[L | L ≥ v] by the binomial integral over the factor.
    static func exact(atLeast v: Int) -> (z: Double, loss: Double) {
        let c = Normal.quantile(pd)
        var mass = 0.0, zSum = 0.0, lossSum = 0.0
        let steps = 4000, lo = -9.0, h = 18.0 / Double(steps)
        for s in 0...steps {
            let z = lo + Double(s) * h
            let weight = (s == 0 || s == steps ? 1 : (s % 2 == 1 ? 4 : 2)) * h / 3 * Normal.pdf(z)
            let p = Normal.cdf((c - rho.squareRoot() * z) / (1 - rho).squareRoot())
            var tail = 0.0, tailLoss = 0.0
            for k in v...names {
                let b = Reference.binomial(k, names, p)
                tail += b
                tailLoss += Double(k) * b
            }
            mass += weight * tail
            zSum += weight * z * tail
            lossSum += weight * tailLoss
        }
        return (zSum / mass, lossSum / mass)
    }

    @Test(arguments: [false, true])
    func tailMeansMatchExactIntegrals(importance: Bool) throws {
        let p = try Self.pool()
        let engine = Engine(portfolio: p)
        let level = 0.99
        let shift = importance ? engine.importanceShift(level: level, pilotPaths: 20_000, seed: 4, threads: 2) : nil
        let out = engine.run(SimulationSettings(paths: 60_000, seed: 21, threads: 2), importance: shift, record: [.factors, .sectors])
        let report = RiskReport(output: out, portfolio: p, levels: [level])
        let scenario = try #require(TailScenario.scenarios(output: out, report: report, factorIDs: ["m"]).first)
        let v = Int(scenario.valueAtRisk)
        let exact = Self.exact(atLeast: v)
        let z = try #require(scenario.factors.first)
        #expect(abs(z.mean - exact.z) <= 4 * z.standardError, "E[Z | L ≥ \(v)] \(z.mean) ± \(z.standardError) vs \(exact.z)")
        #expect(z.mean < -1, "a bad year has the factor well below zero")
        // Sectors: 20 of 60 names are banks, so by exchangeability E[L_banks | L ≥ v] = E[L | L ≥ v]/3.
        let banks = try #require(scenario.sectors.first { $0.id == "banks" })
        let coal = try #require(scenario.sectors.first { $0.id == "coal" })
        #expect(abs(banks.mean - exact.loss / 3) <= 4 * banks.standardError, "banks \(banks.mean) ± \(banks.standardError) vs \(exact.loss / 3)")
        #expect(abs(coal.mean - 2 * exact.loss / 3) <= 4 * coal.standardError)
        // Sector losses add up to the net loss on every path.
        let s = try #require(out.sectorLosses)
        for i in 0..<out.paths { #expect(abs(Double(s[2 * i]) + Double(s[2 * i + 1]) - out.net[i]) <= 1e-5 * max(1, out.net[i])) }
    }

    /// 100 seeds: the spread of E[Z | L ≥ VaR] matches its reported SE (band for R = 100: 0.79–1.21).
    @Test func factorMeanErrorsMatchTheSpread() throws {
        let p = try Self.pool()
        let engine = Engine(portfolio: p)
        var means: [Double] = [], errors: [Double] = []
        for seed in 1...100 {
            let out = engine.run(SimulationSettings(paths: 8000, seed: UInt64(seed), threads: 2), record: .factors)
            let report = RiskReport(output: out, portfolio: p, levels: [0.95])
            guard let s = TailScenario.scenarios(output: out, report: report, factorIDs: ["m"]).first?.factors.first else { continue }
            means.append(s.mean)
            errors.append(s.standardError)
        }
        let m = means.reduce(0, +) / Double(means.count)
        let sd = (means.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(means.count - 1)).squareRoot()
        let rms = (errors.reduce(0) { $0 + $1 * $1 } / Double(errors.count)).squareRoot()
        #expect(sd / rms > 0.79 && sd / rms < 1.21, "spread \(sd) vs reported \(rms)")
    }
}
