@testable import CreditEngine
@testable import CreditMath
@testable import CreditModel
@testable import CreditStatistics
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

    /// Every feature of market valuation at once: `names` issuers rated 0…6 in turn (AAA issuers
    /// with pd 0: CreditMetrics' AAA row has no default), every fourth able to extend (3 %), one
    /// to three bonds each; a BB guarantor "g" (70 % of every fifth bond, default+extension on
    /// every other of them) and an AAA guarantor "h" (every fifth from the third, 50 %), both
    /// rated so that their ratings value the covered shares; an A seller "s" on every sixth bond
    /// from the second (Np half the notional, default+extension); Beta LGDs (every fifth from the
    /// second, sd 0.15) and Beta extension losses (every seventh from the fourth, sd 0.1) tied to
    /// the factors (ρ_L 0.25, factor mode); a stress's PD multiplier ×2 on issuers 5 and 12 and
    /// extension multiplier ×2 on issuer 8; issuer 3 forced to default; optionally rollover.
    static func statesPortfolio(names: Int, copula: Copula, full: Bool, rollover: Bool) throws -> Portfolio {
        let base = try portfolio(names: names, copula: copula, full: full, forced: true)
        var entities = base.entities, bonds = base.bonds
        let v = valuation
        for i in 0..<names {
            if entities[i].rating == 0 { entities[i].pd = 0 }
            if i % 4 == 0 { entities[i].extensionPD = 0.03 }
        }
        entities[names].rating = 4
        entities[names].pd = v.transition[4][7]
        let extra = full ? [Double]() : [0.25, 0.05]
        entities.append(Entity(id: "h", pd: 0, loadings: full ? [] : [0.2, 0.2], rating: 0))
        entities.append(Entity(id: "s", pd: v.transition[2][7], loadings: extra, rating: 2))
        for j in bonds.indices {
            if j % 5 == 0 { bonds[j].guarantee?.triggers = j % 10 == 0 ? .defaultOrExtension : .defaultOnly }
            if j % 5 == 3 { bonds[j].guarantee = Guarantee(guarantor: names + 1, coverage: 0.5) }
            if j % 6 == 1 {
                bonds[j].protection = Protection(seller: names + 2, notional: bonds[j].notional / 2, spreadBps: 40,
                                                 triggers: .defaultOrExtension)
            }
            if j % 5 == 2 { bonds[j].lgdSD = 0.15 }
            if j % 7 == 3 { bonds[j].extensionLGDSD = 0.1 }
        }
        let dependence: Dependence
        if full {
            let m = names + 3
            var r = [[Double]](repeating: [Double](repeating: 0, count: m), count: m)
            for a in 0..<m { for b in 0..<m { r[a][b] = a == b ? 1 : (a % 3 == b % 3 ? 0.4 : 0.15) } }
            dependence = .fullCorrelation(SymmetricMatrix(rows: r))
        } else {
            dependence = base.dependence
        }
        let p = try Portfolio(entities: entities, bonds: bonds, dependence: dependence, copula: copula, horizon: horizon,
                              rollover: rollover, forcedDefaults: [3], lgdCorrelation: full ? 0 : 0.25, valuation: v)
        var stress = Stress(name: "states")
        stress.pdMultiplierByEntity = [5: 2, 12: 3]
        stress.extensionPDMultiplierByEntity = [8: 2]
        return try stress.apply(to: p)
    }

    /// What the naive replay saw: name-paths up, down, in default inside a window, covered, in an
    /// extension inside a window, and bonds whose value moved with their guarantor's rating only.
    struct Moves { var up = 0, down = 0, defaulted = 0, covered = 0, extended = 0, liftedByGuarantor = 0 }

    /// An issuer's state at H in the naive replay.
    enum State: Equatable {
        case hardDefault, extended
        case rating(Int)
    }

    /// The naive replay's net and gross loss per path. Every name's X_e in full; its state by
    /// comparing X_e with F⁻¹ of the cumulative horizon row (D with p_D = m·M^H[r, D], E with
    /// p_E = 1 − (1 − extension_pd)^H, then the ratings scaled by (1 − p_D − p_E)/(1 − M^H[r, D]),
    /// worst first); event times of hazards matching p_D and p_D + p_E over H, capped at H; bond
    /// values from `MarketValuation.horizonValue`, a guaranteed bond's covered share on the better
    /// of its issuer's and its rated guarantor's ratings while the guarantor is in a rating; credit
    /// events settled with fixed or Beta losses (`NaiveReplay.betaRate`) and triggers.
    static func naive(_ p: Portfolio, plan: SimulationPlan, seed: UInt64, paths: Int)
        -> (net: [Double], gross: [Double], moves: Moves) {
        let v = p.valuation!
        let n = p.entities.count, h = p.horizon
        let ratings = v.scale.count
        let years = Int(h.rounded())
        let matrix = v.transition(years: years)
        func quantile(_ q: Double) -> Double {
            switch p.copula {
            case .gaussian: return Normal.quantile(q)
            case let .studentT(nu): return StudentT(degreesOfFreedom: nu).quantile(q)
            }
        }
        // Per rated entity: cut of D, of E, then of each rating worst … second best, on the copula's scale.
        var cut: [[Double]] = [], hazard: [Double] = [], eventHazard: [Double] = []
        for e in p.entities {
            var c: [Double] = []
            var pD: Double, pE = 0.0
            if let r = e.rating {
                let row = matrix[r]
                pD = e.pdMultiplier * row[ratings]
                if e.extensionPD > 0 { pE = 1 - pow(1 - e.extensionPD, Double(years)) }
                let f = e.pdMultiplier == 1 && e.extensionPD == 0 ? 1 : (1 - pD - pE) / (1 - row[ratings])
                var below = pD
                c.append(below <= 0 ? -.infinity : quantile(below))
                below += pE
                c.append(below <= 0 ? -.infinity : quantile(below))
                for k in 0..<(ratings - 1) {
                    below += row[ratings - 1 - k] * f
                    c.append(below <= 0 ? -.infinity : (below >= 1 ? .infinity : quantile(below)))
                }
            } else {
                pD = e.defaultProbability(within: h)
            }
            cut.append(c)
            hazard.append(pD > 0 ? -log1p(-pD) / h : 0)
            eventHazard.append(pD + pE > 0 ? -log1p(-(pD + pE)) / h : 0)
        }
        func value(_ b: Int, issuer ri: Int, guarantor rg: Int?) -> Double {
            let bond = p.bonds[b]
            let own = v.horizonValue(of: bond, rating: ri, horizon: h)
            guard let g = bond.guarantee, let rg else { return own }
            return g.coverage * v.horizonValue(of: bond, rating: min(ri, rg), horizon: h) + (1 - g.coverage) * own
        }
        let current = p.bonds.indices.map { b in
            value(b, issuer: p.entities[p.bonds[b].issuer].rating!, guarantor: p.bonds[b].guarantee.flatMap { p.entities[$0.guarantor].rating })
        }
        var netOut: [Double] = [], grossOut: [Double] = []
        var moves = Moves()
        let k: Int
        var sigma = [Double](repeating: 1, count: n), systematicSD = [Double](repeating: 0, count: n)
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
                systematicSD[e] = s.squareRoot()
            }
        case .fullCorrelation:
            k = n
        }
        let c: [Double]
        if case let .correlated(full) = plan.latent { c = full.factor } else { c = [] }
        EngineDrawOrder.forEachChunk(paths: paths, seed: seed) { rng, firstPath, rows in
            let scales = EngineDrawOrder.scales(p.copula, rows: rows, &rng)
            let xi = EngineDrawOrder.normals(&rng, rows * k)
            for r in 0..<rows {
                let s = scales[r], path = firstPath + r
                var x = [Double](repeating: 0, count: n), zStandard = [Double](repeating: 0, count: n)
                if c.isEmpty {
                    let u = EngineDrawOrder.uniforms(&rng, n)
                    var z = [Double](repeating: 0, count: k)
                    for a in 0..<k { for b in 0..<k { z[a] += l[a * k + b] * xi[r * k + b] } }
                    for e in 0..<n {
                        var m = 0.0
                        for a in 0..<k { m += p.entities[e].loadings[a] * z[a] }
                        x[e] = m + sigma[e] * Normal.quantile(u[e])
                        zStandard[e] = systematicSD[e] > 0 ? m / systematicSD[e] : 0
                    }
                } else {
                    for e in 0..<n { for b in 0..<n { x[e] += c[e * n + b] * xi[r * k + b] } }
                }
                func survival(_ e: Int) -> Double {
                    switch p.copula {
                    case .gaussian: return Normal.cdf(-x[e])
                    case let .studentT(nu): return StudentT(degreesOfFreedom: nu).cdf(-x[e] / s)
                    }
                }
                func tau(_ e: Int) -> Double {
                    if p.forcedDefaults.contains(e) { return 0 }
                    return hazard[e] > 0 ? -log(survival(e)) / hazard[e] : .infinity
                }
                func state(_ e: Int) -> State {
                    if p.forcedDefaults.contains(e) { return .hardDefault }
                    let cuts = cut[e]
                    if x[e] <= cuts[0] * s { return .hardDefault }
                    if x[e] <= cuts[1] * s { return .extended }
                    var worst = 0
                    while worst < ratings - 1 && x[e] > cuts[2 + worst] * s { worst += 1 }
                    return .rating(ratings - 1 - worst)
                }
                // Same summation order as the kernel where it matters: issuers in index order, bonds in file order.
                var net = 0.0, gross = 0.0
                for e in 0..<n {
                    let issued = p.bonds.indices.filter { p.bonds[$0].issuer == e }
                    guard !issued.isEmpty else { continue }
                    let home = p.entities[e].rating!
                    let st = state(e)
                    switch st {
                    case let .rating(rating):
                        if rating < home { moves.up += 1 } else if rating > home { moves.down += 1 }
                        for b in issued {
                            var rg: Int? = nil
                            if let g = p.bonds[b].guarantee, p.entities[g.guarantor].rating != nil,
                               case let .rating(x) = state(g.guarantor) { rg = x }
                            let loss = current[b] - value(b, issuer: rating, guarantor: rg)
                            if rating == home && loss != 0 { moves.liftedByGuarantor += 1 }
                            net += loss
                            gross += loss
                        }
                    case .hardDefault, .extended:
                        let d = st == .hardDefault
                        let t = d ? min(tau(e), h) : min(-log(survival(e)) / eventHazard[e], h)
                        for b in issued where t <= p.window(of: p.bonds[b]) {
                            let bond = p.bonds[b]
                            let mean = d ? bond.lgd : NaiveReplay.extensionRate(bond, p)
                            var rate = mean
                            if let sd = d ? bond.lgdSD : bond.extensionLGDSD {
                                rate = NaiveReplay.betaRate(mean: mean, sd: sd, stream: d ? 0x4C47_445F_4452_4157 : 0x4558_545F_4452_4157,
                                                            seed: seed, path: path, bond: b, rho: p.lgdCorrelation,
                                                            zStandard: zStandard[e])
                            }
                            let credit = bond.notional * rate
                            let loss = current[b] - (1 - rate) * bond.notional
                            gross += loss
                            if d { moves.defaulted += 1 } else { moves.extended += 1 }
                            var covered = 0.0
                            if let g = bond.guarantee, d || g.triggers.contains(.extensionEvent), tau(g.guarantor) > t {
                                covered = g.coverage * credit
                                moves.covered += 1
                            }
                            if let pr = bond.protection, d || pr.triggers.contains(.extensionEvent), tau(pr.seller) > t {
                                covered += min(pr.notional * rate, credit - covered)
                            }
                            net += loss - covered
                        }
                    }
                }
                netOut.append(net)
                grossOut.append(gross)
            }
        }
        return (netOut, grossOut, moves)
    }

    @Test(arguments: [(Copula.gaussian, false, false), (.studentT(degreesOfFreedom: 4), false, false),
                      (.gaussian, true, false), (.gaussian, false, true)])
    func creditStatesMatchNaiveMigration(copula: Copula, full: Bool, rollover: Bool) throws {
        let p = try Self.statesPortfolio(names: full ? 40 : 120, copula: copula, full: full, rollover: rollover)
        #expect(p.entities[5].pdMultiplier == 2 && p.entities[8].extensionPD == 0.06)
        let engine = Engine(portfolio: p)
        let paths = 2 * SimulationSettings.blockSize
        let seed: UInt64 = 73
        let out = engine.run(SimulationSettings(paths: paths, seed: seed, threads: 2))
        let replay = Self.naive(p, plan: engine.plan, seed: seed, paths: paths)
        var mismatches: [Int] = []
        for i in 0..<paths {
            let tolerance = 1e-12 * max(1, abs(replay.gross[i]))
            if abs(out.gross[i] - replay.gross[i]) > tolerance || abs(out.net[i] - replay.net[i]) > tolerance {
                mismatches.append(i)
            }
        }
        #expect(mismatches.isEmpty, "paths \(mismatches.prefix(10)): engine \(mismatches.prefix(3).map { (out.gross[$0], out.net[$0]) }), naive \(mismatches.prefix(3).map { (replay.gross[$0], replay.net[$0]) })")
        let moves = replay.moves
        #expect(moves.extended > 100 && moves.covered > 50 && moves.liftedByGuarantor > 100 && moves.defaulted > paths,
                "\(moves)")
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
