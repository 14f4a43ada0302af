@testable import CreditRisk
import Foundation
import Testing

/// Market mode's shortcuts (the stay-band screen and the cut count on the Φ⁻¹ bracket of u, the
/// loss-table reads for plain defaults, the cached default times) must change no result. The engine's losses are replayed path by
/// path by a naive simulation that consumes the kernel's random stream in its order but computes
/// X_e in full for every name (Z = Lξ, X_e = w_eᵀZ + σ_e Φ⁻¹(u_e), or X = Cε), picks the rating at
/// H by comparing X_e with F⁻¹ of the cumulative H-year row, and values every bond from
/// `MarketValuation.horizonValue`: all ratings (AAA and CCC included), several bonds per issuer
/// with windows inside and beyond H = 2 years, guarantees, a forced default, both copulas.
@Suite struct MarketKernelEquivalenceTests {
    static let valuation = SyntheticPortfolio.creditMetrics1997
    static let horizon = 2.0

    /// `names` issuers on two correlated factors (or a full correlation matrix), ratings 0…6 in
    /// turn, one to three bonds each (maturities 0.5 to 5 years), every fifth bond guaranteed by
    /// the unrated non-issuer `names` (70 %); issuer 3 defaults on every path when `forced`.
    static func portfolio(names: Int, copula: Copula, full: Bool, forced: Bool) throws -> Portfolio {
        let v = valuation
        var entities: [Entity] = []
        for i in 0..<names {
            let r = i % 7
            let w: [Double] = full ? [] : [0.25 + 0.03 * Double(i % 9), [0.3, -0.15, 0][i % 3]]
            // The entity pd is the one-year D column (what the loader derives from the matrix).
            entities.append(Entity(id: "e\(i)", pd: max(v.transition[r][7], 1e-12), loadings: w, rating: r))
        }
        entities.append(Entity(id: "g", pd: 0.004, loadings: full ? [] : [0.3, 0.1]))
        var bonds: [Bond] = []
        var j = 0
        for i in 0..<names {
            for b in 0...(i % 3) {
                let maturity = [5.0, 0.5, 1.5, 3, 2][(i + b) % 5]
                bonds.append(Bond(id: "b\(j)", issuer: i, notional: Double(1 + j % 4) * 25, maturity: maturity,
                                  lgd: 0.4 + 0.05 * Double(j % 5),
                                  guarantee: j % 5 == 0 ? Guarantee(guarantor: names, coverage: 0.7) : nil,
                                  coupon: 0.03 + 0.01 * Double(j % 4), couponFrequency: [1, 2, 4][j % 3]))
                j += 1
            }
        }
        let dependence: Dependence
        if full {
            let n = names + 1
            var r = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
            for a in 0..<n {
                for b in 0..<n { r[a][b] = a == b ? 1 : (a % 3 == b % 3 ? 0.4 : 0.15) }
            }
            dependence = .fullCorrelation(SymmetricMatrix(rows: r))
        } else {
            dependence = .factors(FactorModel(factorIDs: ["a", "b"], correlation: SymmetricMatrix(rows: [[1, 0.3], [0.3, 1]])))
        }
        return try Portfolio(entities: entities, bonds: bonds, dependence: dependence, copula: copula,
                             horizon: horizon, forcedDefaults: forced ? [3] : [], valuation: v)
    }

    /// What the naive replay saw: name-paths up, down, in default inside a window, and covered.
    struct Moves { var up = 0, down = 0, defaulted = 0, covered = 0 }

    /// The naive replay's net and gross loss per path.
    static func naive(_ p: Portfolio, plan: SimulationPlan, seed: UInt64, paths: Int)
        -> (net: [Double], gross: [Double], moves: Moves) {
        let v = p.valuation!
        let n = p.entities.count, h = p.horizon
        let ratings = v.scale.count
        let matrix = v.transition(years: Int(h.rounded()))
        func quantile(_ q: Double) -> Double {
            switch p.copula {
            case .gaussian: return Normal.quantile(q)
            case let .studentT(nu): return StudentT(degreesOfFreedom: nu).quantile(q)
            }
        }
        // Cuts on the copula's scale: state k (0 = D, k = the rating ratings − k) for X ≤ cut[k].
        var cut: [[Double]] = [], hazard: [Double] = []
        for e in p.entities {
            var c: [Double] = []
            let pdH: Double
            if let r = e.rating {
                let row = matrix[r]
                pdH = row[ratings]
                var below = row[ratings]
                for k in 0..<ratings {
                    c.append(below <= 0 ? -.infinity : (below >= 1 ? .infinity : quantile(below)))
                    below += row[ratings - 1 - k]
                }
            } else {
                pdH = e.defaultProbability(within: h)
            }
            cut.append(c)
            hazard.append(pdH > 0 ? -log1p(-pdH) / h : 0)
        }
        let current = p.bonds.map { v.horizonValue(of: $0, rating: p.entities[$0.issuer].rating!, horizon: h) }
        var netOut: [Double] = [], grossOut: [Double] = []
        var moves = Moves()
        var blockStart = 0, block: UInt64 = 0
        let k: Int
        var sigma = [Double](repeating: 1, count: n)
        var l: [Double] = []
        switch p.dependence {
        case let .factors(model):
            k = model.factorIDs.count
            l = p.dependenceFactor.values
            for e in 0..<n {
                let w = p.entities[e].loadings
                var s = 0.0
                for a in 0..<k { for b in 0..<k { s += w[a] * model.correlation[a, b] * w[b] } }
                sigma[e] = (1 - s).squareRoot()
            }
        case .fullCorrelation:
            k = n
        }
        let c: [Double]
        if case let .correlated(full) = plan.latent { c = full.factor } else { c = [] }
        while blockStart < paths {
            let blockPaths = min(SimulationSettings.blockSize, paths - blockStart)
            var rng = UniformStream(seed: seed, block: block)
            var chunk = 0
            while chunk < blockPaths {
                let rows = min(SimulationSettings.chunkSize, blockPaths - chunk)
                var scales = [Double](repeating: 1, count: rows)
                if case let .studentT(nu) = p.copula {
                    var draws = [Double](repeating: 0, count: plan.mixing.drawsPerPath)
                    for r in 0..<rows {
                        draws.withUnsafeMutableBufferPointer { rng.fill($0.baseAddress!, count: $0.count) }
                        scales[r] = (draws.withUnsafeBufferPointer { ChiSquare.variate(nu, uniforms: $0) } / nu).squareRoot()
                    }
                }
                var xi = [Double](repeating: 0, count: rows * k)
                xi.withUnsafeMutableBufferPointer { rng.fill($0.baseAddress!, count: $0.count) }
                xi = xi.map(Normal.quantile)
                for r in 0..<rows {
                    let s = scales[r]
                    var x = [Double](repeating: 0, count: n)
                    if c.isEmpty {
                        var u = [Double](repeating: 0, count: n)
                        u.withUnsafeMutableBufferPointer { rng.fill($0.baseAddress!, count: n) }
                        var z = [Double](repeating: 0, count: k)
                        for a in 0..<k { for b in 0..<k { z[a] += l[a * k + b] * xi[r * k + b] } }
                        for e in 0..<n {
                            var m = 0.0
                            for a in 0..<k { m += p.entities[e].loadings[a] * z[a] }
                            x[e] = m + sigma[e] * Normal.quantile(u[e])
                        }
                    } else {
                        for e in 0..<n { for b in 0..<n { x[e] += c[e * n + b] * xi[r * k + b] } }
                    }
                    func tau(_ e: Int) -> Double {
                        if p.forcedDefaults.contains(e) { return 0 }
                        let survival: Double
                        switch p.copula {
                        case .gaussian: survival = Normal.cdf(-x[e])
                        case let .studentT(nu): survival = StudentT(degreesOfFreedom: nu).cdf(-x[e] / s)
                        }
                        return hazard[e] > 0 ? -log(survival) / hazard[e] : .infinity
                    }
                    // Same summation order as the kernel: issuers in index order, bonds in file order.
                    var net = 0.0, gross = 0.0
                    for e in 0..<n {
                        let issued = p.bonds.indices.filter { p.bonds[$0].issuer == e }
                        guard !issued.isEmpty else { continue }
                        var state = 0
                        if !p.forcedDefaults.contains(e) {
                            while state < ratings && x[e] > cut[e][state] * s { state += 1 }
                        }
                        let home = ratings - p.entities[e].rating!
                        if state == home { continue }
                        if state > home { moves.up += 1 } else if state > 0 { moves.down += 1 }
                        if state > 0 {
                            for b in issued {
                                let loss = current[b] - v.horizonValue(of: p.bonds[b], rating: ratings - state, horizon: h)
                                net += loss
                                gross += loss
                            }
                            continue
                        }
                        let t = min(tau(e), h)
                        for b in issued where t <= p.window(of: p.bonds[b]) {
                            let bond = p.bonds[b]
                            let loss = current[b] - v.horizonValue(of: bond, rating: nil, horizon: h)
                            gross += loss
                            moves.defaulted += 1
                            var covered = 0.0
                            if let g = bond.guarantee, !p.forcedDefaults.contains(g.guarantor), tau(g.guarantor) > t {
                                covered = g.coverage * bond.lossGivenDefault
                                moves.covered += 1
                            }
                            net += loss - covered
                        }
                    }
                    netOut.append(net)
                    grossOut.append(gross)
                }
                chunk += rows
            }
            blockStart += blockPaths
            block += 1
        }
        return (netOut, grossOut, moves)
    }

    /// The bracket holds Normal.quantile(u) for any u the stream can draw, cell edges included.
    @Test func bracketHoldsTheQuantile() {
        let brackets = QuantileBracket()
        func check(_ u: Double) {
            let b = QuantileBracket.bounds(brackets.packed[QuantileBracket.index(u)])
            let q = Normal.quantile(u)
            #expect(b.lo <= q && q <= b.hi && b.lo != 0 && b.hi != 0, "u = \(u)")
        }
        var rng = Xoshiro256Plus(key: 11)
        for _ in 0..<200_000 { check(max(rng.nextUniform(), 0x1.0p-53)) }
        let g = Double(QuantileBracket.cells)
        for c in 0...QuantileBracket.cells {
            for u in [(Double(c) - 0.5) / g, Double(c) / g, (Double(c) + 0.5) / g] where u > 0 && u < 1 {
                check(u)
                check(u.nextUp)
                check(u.nextDown)
            }
        }
        for u in [0x1.0p-53, 1 - 0x1.0p-53, 0.5] { check(u) }
    }

    /// Every 8-lane pattern compacts to its set lanes, ascending.
    @Test func laneCompactionListsTheSetLanes() {
        let compaction = LaneCompaction()
        for bits in 0..<256 {
            let lanes = SIMD8<UInt64>((0..<8).map { UInt64(bits >> $0 & 1) })
            #expect(LaneCompaction.bits(lanes) == bits)
            let indices = LaneCompaction.indices(compaction.table[bits])
            let expected = (0..<8).filter { bits >> $0 & 1 == 1 }
            #expect((0..<expected.count).map { Int(indices[$0]) } == expected, "bits = \(bits)")
        }
    }

    @Test(arguments: [(Copula.gaussian, false), (.studentT(degreesOfFreedom: 4), false), (.gaussian, true),
                      (.studentT(degreesOfFreedom: 4), true)])
    func kernelMatchesNaiveMigration(copula: Copula, full: Bool) throws {
        let p = try Self.portfolio(names: full ? 40 : 160, copula: copula, full: full, forced: true)
        let engine = Engine(portfolio: p)
        let paths = 2 * SimulationSettings.blockSize
        let seed: UInt64 = 47
        let out = engine.run(SimulationSettings(paths: paths, seed: seed, threads: 2))
        let replay = Self.naive(p, plan: engine.plan, seed: seed, paths: paths)
        // The naive sums and cuts may round differently in the last bit, which could flip a state
        // only for a name within ~1e-15 of a cut; none does for this seed.
        var mismatches = 0
        for i in 0..<paths {
            let tolerance = 1e-12 * max(1, abs(replay.gross[i]))
            if abs(out.gross[i] - replay.gross[i]) > tolerance || abs(out.net[i] - replay.net[i]) > tolerance {
                mismatches += 1
            }
        }
        #expect(mismatches == 0)
        // The replay must exercise what it checks: migrations both ways, defaults (beyond the
        // forced one), and covered defaults.
        let moves = replay.moves
        #expect(moves.up > 1000 && moves.down > 1000 && moves.defaulted > 3 * paths && moves.covered > 100,
                "\(moves)")
    }
}
