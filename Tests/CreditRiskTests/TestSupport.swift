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

/// 10⁴ CreditRiskPlus obligors in 3 sectors with specific risk (weights 0.5 and 0.2), PDs from
/// 0.2 % to 2.2 %, default-rate SD 0.7·PD and 40 exposure bands: the large book of the recursion
/// and Monte Carlo checks.
func tenThousandCreditRiskPlusObligors() -> [CreditRiskPlus.Obligor] {
        var obligors: [CreditRiskPlus.Obligor] = []
        for i in 0..<10_000 {
            let pd = 0.002 + 0.02 * Double((i * 7919) % 1000) / 1000
            var w = [0.0, 0.0, 0.0]
            w[i % 3] = 0.5
            w[(i + 1) % 3] = 0.2
            obligors.append(.init(id: "o\(i)", exposure: Double(1 + (i * 31) % 40), expectedDefaults: pd,
                                  defaultRateSD: 0.7 * pd, sectorWeights: w))
        }
        return obligors
}
