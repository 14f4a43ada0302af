import CreditMath
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

    /// A large portfolio for load-time benchmarks and scale tests: `names` issuers in 12 sectors
    /// on `factors` factors with deterministic PDs and loadings, and `bonds` notes spread over
    /// them, every tenth guaranteed by the next name and every seventh protected by the one after.
    public static func large(names: Int, bonds: Int, factors: Int = 10) throws(PortfolioError) -> Portfolio {
        let bound = factors > 0 ? 0.9 / Double(factors).squareRoot() : 0
        var entities: [Entity] = []
        entities.reserveCapacity(names)
        for i in 0..<names {
            let pd = 0.002 + 0.02 * Double((i * 7919) % 1000) / 1000
            var w = [Double](repeating: 0, count: factors)
            for k in 0..<factors { w[k] = bound * Double((i * 31 + k * 17) % 100) / 100 }
            entities.append(Entity(id: "e\(i)", name: "Entity \(i)", sector: "s\(i % 12)", pd: pd, loadings: w))
        }
        let maturities = [0.15, 0.25, 0.5, 0.75, 1, 2, 3, 5]
        let notes = (0..<bonds).map { j -> Bond in
            let issuer = j % names
            let notional = 1 + Double(j % 17)
            return Bond(id: "b\(j)", issuer: issuer, notional: notional, maturity: maturities[j % 8], lgd: 0.45,
                        guarantee: j % 10 == 0 && names > 1 ? Guarantee(guarantor: (issuer + 1) % names, coverage: 1) : nil,
                        protection: j % 7 == 0 && names > 2 ? Protection(seller: (issuer + 2) % names, notional: notional, spreadBps: 60) : nil)
        }
        return try Portfolio(entities: entities, bonds: notes,
                             dependence: .factors(FactorModel(factorIDs: (0..<factors).map { "f\($0 + 1)" })))
    }
}

extension SyntheticPortfolio {
    /// The example tables of the CreditMetrics Technical Document (J. P. Morgan, 1997): its
    /// one-year transition matrix (the B and CCC rows moved by 0.01 on the diagonal so that every
    /// row sums to 1) and its one-year forward zero curves by rating (annual compounding).
    public static var creditMetrics1997: MarketValuation {
        let percent: [[Double]] = [
            [90.81, 8.33, 0.68, 0.06, 0.12, 0, 0, 0],
            [0.70, 90.65, 7.79, 0.64, 0.06, 0.14, 0.02, 0],
            [0.09, 2.27, 91.05, 5.52, 0.74, 0.26, 0.01, 0.06],
            [0.02, 0.33, 5.95, 86.93, 5.30, 1.17, 0.12, 0.18],
            [0.03, 0.14, 0.67, 7.73, 80.53, 8.84, 1.00, 1.06],
            [0, 0.11, 0.24, 0.43, 6.48, 83.47, 4.07, 5.20],
            [0.22, 0, 0.22, 1.30, 2.38, 11.24, 64.85, 19.79],
        ]
        let curves: [[Double]] = [
            [3.60, 4.17, 4.73, 5.12], [3.65, 4.22, 4.78, 5.17], [3.72, 4.32, 4.93, 5.32], [4.10, 4.67, 5.25, 5.63],
            [5.55, 6.02, 6.78, 7.27], [6.05, 7.02, 8.03, 8.52], [15.05, 15.02, 14.03, 13.52],
        ]
        return MarketValuation(scale: ["AAA", "AA", "A", "BBB", "BB", "B", "CCC"],
                               transition: percent.map { $0.map { $0 / 100 } },
                               curves: curves.map { RateCurve(tenors: [1, 2, 3, 4], rates: $0.map { $0 / 100 }) },
                               compounding: .annual)
    }

    /// The reference portfolio valued at market: each name gets the CreditMetrics rating whose
    /// one-year PD is nearest its own in log terms (a made-up rating), its PD becomes that rating's,
    /// and its note a 5-year 5 % annual-coupon bond; horizon one year.
    public static func marketReference(_ p: Portfolio) throws(PortfolioError) -> Portfolio {
        let v = creditMetrics1997
        let pds = v.transition.map { max($0[7], 1e-5) }
        let entities = p.entities.map { e -> Entity in
            let r = pds.indices.min { abs(log(pds[$0] / e.pd)) < abs(log(pds[$1] / e.pd)) } ?? 3
            return Entity(id: e.id, name: e.name, sector: e.sector, pd: max(v.transition[r][7], 1e-12), loadings: e.loadings,
                          capacity: e.capacity, pdSD: e.pdSD, rating: r)
        }
        let bonds = p.bonds.map { Bond(id: $0.id, issuer: $0.issuer, notional: $0.notional, maturity: 5, lgd: $0.lgd, coupon: 0.05) }
        return try Portfolio(entities: entities, bonds: bonds, dependence: p.dependence, copula: p.copula, horizon: 1,
                             valuation: v)
    }
}
