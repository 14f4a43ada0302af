import CreditRisk
import Foundation

/// Runs a portfolio and returns the engine output and the report at `levels`.
func simulate(_ p: Portfolio, paths: Int, seed: UInt64 = 12345, threads: Int = 2,
              levels: [Double] = [0.9, 0.99]) throws -> (SimulationOutput, RiskReport) {
    let out = Engine(portfolio: p).run(SimulationSettings(paths: paths, seed: seed, threads: threads))
    return (out, RiskReport(output: out, portfolio: p, levels: levels))
}

/// Standard error of an estimated probability.
func probabilitySE(_ p: Double, _ n: Int) -> Double { (p * (1 - p) / Double(n)).squareRoot() }

/// Entities with one loading √ρ on a single factor.
func oneFactorEntities(_ pds: [Double], rho: Double) -> [Entity] {
    pds.enumerated().map { Entity(id: "e\($0.offset)", pd: $0.element, loadings: [rho.squareRoot()]) }
}
