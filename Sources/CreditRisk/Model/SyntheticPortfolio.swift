import Foundation

/// Synthetic portfolios for benchmarks and tests.
public enum SyntheticPortfolio {
    /// The reference portfolio of Glasserman & Li (2005, Management Science 51(11), §5):
    /// name k = 1…n has PD 0.01·(1 + sin(16πk/n)), exposure ⌈5k/n⌉², LGD 1, one-year maturity,
    /// and loadings drawn uniformly on (0, 1/√K) from a fixed stream (so wᵀw < 1).
    /// With `fullCorrelation` the same dependence is given as the n × n matrix R = W Wᵀ + diag(1 − wᵀw).
    public static func reference(names n: Int = 1000, factors k: Int = 10, copula: Copula = .gaussian,
                                 fullCorrelation: Bool = false, seed: UInt64 = 2005) throws(PortfolioError) -> Portfolio {
        var rng = Xoshiro256Plus(key: seed)
        let bound = k > 0 ? 1 / Double(k).squareRoot() : 0
        var entities: [Entity] = []
        var bonds: [Bond] = []
        entities.reserveCapacity(n)
        for i in 0..<n {
            let idx = Double(i + 1)
            let pd = 0.01 * (1 + sin(16 * Double.pi * idx / Double(n)))
            let w = (0..<k).map { _ in rng.nextUniform() * bound }
            entities.append(Entity(id: "n\(i + 1)", pd: min(max(pd, 1e-6), 0.5), loadings: fullCorrelation ? [] : w))
            let exposure = (5 * idx / Double(n)).rounded(.up)
            bonds.append(Bond(id: "b\(i + 1)", issuer: i, notional: exposure * exposure, maturity: 1, lgd: 1))
        }
        let dependence: Dependence
        if fullCorrelation {
            // Rebuild the loadings from the same stream for R.
            var r2 = Xoshiro256Plus(key: seed)
            var w = [Double](repeating: 0, count: n * k)
            for i in 0..<n { for j in 0..<k { w[i * k + j] = r2.nextUniform() * bound } }
            var r = [Double](repeating: 0, count: n * n)
            for i in 0..<n {
                for j in 0...i {
                    var s = 0.0
                    for f in 0..<k { s += w[i * k + f] * w[j * k + f] }
                    r[i * n + j] = i == j ? 1 : s
                    r[j * n + i] = r[i * n + j]
                }
            }
            dependence = .fullCorrelation(SymmetricMatrix(n: n, values: r))
        } else {
            dependence = .factors(FactorModel(factorIDs: (0..<k).map { "f\($0 + 1)" }))
        }
        return try Portfolio(entities: entities, bonds: bonds, dependence: dependence, copula: copula)
    }
}
