@testable import CreditEngine
@testable import CreditMath
@testable import CreditModel
@testable import CreditStatistics
import Foundation

/// A deliberately slow, independent re-implementation of a run, for `KernelEquivalenceTests`.
///
/// It consumes the kernel's random stream in the kernel's order (per block of
/// `SimulationSettings.blockSize` paths, per chunk of `SimulationSettings.chunkSize` rows: the
/// Student-t mixing uniforms per row, [importance sampling: one component uniform per row], the
/// rows × dimension normals, then per path n idiosyncratic uniforms in factor mode), but computes
/// everything else from the model's formulas, with none of the kernel's shortcuts:
/// - factor mode: Z = Lξ, X_e = w_eᵀZ + σ_e Φ⁻¹(u_e), σ_e = √(1 − w_eᵀΣw_e), for every name;
///   full mode: X = Cε with ε = Φ⁻¹(u) (C is handed in, from the plan);
/// - τ_e = −log(1 − U_e)/λ_e for every name, with 1 − U_e = Φ(−X_e) or T_ν(−X_e/s);
/// - every bond of a defaulted issuer inside its window, LGD fixed or Beta by inversion of the
///   driver −√ρ Z_e + √(1 − ρ) η, η from the counter-based key (seed, path, bond file index);
/// - settlement of all defaulted bonds in order of default time (ties by issuer, then file
///   order), guarantees cut to what is left of the guarantor's capacity, then protection capped at
///   Np·LGD and at what the guarantee left, premium shortfall Np·spread/10⁴·(T_b − τ);
/// - importance sampling: the factor shift, and unless the shift says it does not twist, p_e (Φ at
///   the grid point nearest the conditional threshold, `gridPhi`), θ by bisection, the uniform
///   remapping and the twisted indicator u' ≤ p_e; the weight;
/// - credit states: an issuer that can extend is in D when τ_D ≤ H, else in E when its combined
///   time τ_C = −log(1 − U)/λ_C ≤ H (λ_C = −log(1 − pd − extension_pd)); E hits the bonds with
///   τ_C ≤ T_b at their extension loss (fixed, from the terms' formula, or Beta from its own
///   stream); guarantees and protection pay on E only when their triggers say so, and the
///   protection's premium stops only at an event it pays on. The twist's event is a credit event
///   by the longest window, with the probability-weighted mean of the D and E losses as cost.
struct NaiveReplay {
    struct PathResult {
        var gross = 0.0
        var net = 0.0
        var weight = 1.0
        /// Provider slot (guarantors first, then sellers, by first appearance) → payout, only > 0.
        var payouts: [Int: Double] = [:]
        /// Guarantor slots whose capacity cut a claim.
        var cut: Set<Int> = []
        var premiumShortfall = 0.0
        /// Issuers that default by their longest window.
        var defaulted: Set<Int> = []
        /// Every stochastic LGD drawn on the path, with its bond's mean.
        var stochasticLGDs: [(drawn: Double, mean: Double)] = []
        /// Claims on capacity-limited guarantors (their guarantor alive) on this path.
        var limitedClaims = 0
        /// Net and gross loss by credit state (D, E); payouts on extensions per slot; whether an
        /// extension hit a bond.
        var stateNet = [0.0, 0.0]
        var stateGross = [0.0, 0.0]
        var extensionPayouts: [Int: Double] = [:]
        var extended = false
        /// Importance sampling: θ of the path, and whether it was drawn from q.
        var theta = 0.0
        var fromImportance = false
        /// How far the engine's θ may lie from the exact root, on the log weight: the engine's
        /// solver stops, with the tolerance the replay tests give it, once |log(Σ c q(θ)/x)| ≤ 1e-10,
        /// so |Σ c q(θ) − x| ≲ 1e-10·x and |Δθ| ≲ 1e-10·x/g'(θ) with
        /// g' = Σ c² q(1 − q), and log p/q moves by (x − D)·Δθ, D the defaulted cost.
        var logWeightSlack = 0.0
    }

    enum Mode {
        /// Factor model; L = the factor of Σ (K × K row-major, Z = Lξ).
        case factors(FactorModel, l: [Double])
        /// Full correlation: X = Cε, C row-major n × n.
        case full(c: [Double])
    }

    let portfolio: Portfolio
    let mode: Mode
    let seed: UInt64
    let importance: ImportanceShift?

    // Derived once.
    let n: Int
    let dimension: Int
    /// Standard deviation of the idiosyncratic part, and √(w_eᵀΣw_e), per entity (factor mode).
    let idiosyncraticSD: [Double]
    let systematicSD: [Double]
    /// Longest window per entity (0 without bonds), and the latent threshold Q(PD(T)) for it.
    let longestWindow: [Double]
    let threshold: [Double]
    /// Importance sampling: issuers with a positive loss and their costs Σ notional·lgd.
    let twistEntities: [Int]
    let twistCosts: [Double]
    /// The issuers the engine twists (indices into `twistEntities`) and their target: those at or
    /// above the shift's chosen floor, else `referenceSelection` at the shift with the exact
    /// Gaussian Φ (see `TwistSelection`); all of them, aiming at x, in a book with fewer than
    /// `Engine.twistMinimumIssuers` of them.
    let twistMembers: [Int]
    let twistTarget: Double
    /// Provider slots of guarantors and sellers (entity → slot).
    let guarantorSlot: [Int: Int]
    let sellerSlot: [Int: Int]
    let guarantorEntities: [Int]
    let sellerEntities: [Int]

    init(portfolio p: Portfolio, fullFactor: [Double]? = nil, seed: UInt64, importance: ImportanceShift? = nil) {
        portfolio = p
        self.seed = seed
        self.importance = importance
        n = p.entities.count
        switch p.dependence {
        case let .factors(model):
            mode = .factors(model, l: p.dependenceFactor.values)
            dimension = model.factorIDs.count
            var idio: [Double] = [], sys: [Double] = []
            for e in p.entities {
                var s = 0.0
                for i in 0..<dimension {
                    for j in 0..<dimension { s += e.loadings[i] * model.correlation[i, j] * e.loadings[j] }
                }
                idio.append((1 - s).squareRoot())
                sys.append(s.squareRoot())
            }
            idiosyncraticSD = idio
            systematicSD = sys
        case .fullCorrelation:
            guard let c = fullFactor else { preconditionFailure("full mode needs C") }
            mode = .full(c: c)
            dimension = p.entities.count
            idiosyncraticSD = [Double](repeating: 0, count: p.entities.count)
            systematicSD = [Double](repeating: 0, count: p.entities.count)
        }
        var longest = [Double](repeating: 0, count: n)
        for b in p.bonds { longest[b.issuer] = max(longest[b.issuer], p.window(of: b)) }
        longestWindow = longest
        threshold = (0..<n).map { e in
            guard longest[e] > 0 else { return -.infinity }
            let entity = p.entities[e]
            let pd = entity.extensionPD > 0
                ? 1 - pow(1 - entity.pd - entity.extensionPD, longest[e]) : entity.defaultProbability(within: longest[e])
            switch p.copula {
            case .gaussian: return Normal.quantile(pd)
            case let .studentT(nu): return StudentT(degreesOfFreedom: nu).quantile(pd)
            }
        }
        var entities: [Int] = [], costs: [Double] = []
        for e in 0..<n {
            var loss = p.bonds.filter { $0.issuer == e }.reduce(0.0) { $0 + $1.notional * $1.lgd }
            let entity = p.entities[e]
            if entity.extensionPD > 0 {
                let t = longest[e]
                let d = 1 - pow(1 - entity.pd, t)
                let x = max(0, 1 - pow(1 - entity.pd - entity.extensionPD, t) - (1 - pow(1 - entity.pd, p.horizon)))
                let extensionLoss = p.bonds.filter { $0.issuer == e }.reduce(0.0) { $0 + $1.notional * Self.extensionRate($1, p) }
                if d + x > 0 { loss = (d * loss + x * extensionLoss) / (d + x) }
            }
            if loss > 0 && !p.forcedDefaults.contains(e) {
                entities.append(e)
                costs.append(loss)
            }
        }
        twistEntities = entities
        twistCosts = costs
        var gSlot: [Int: Int] = [:], sSlot: [Int: Int] = [:]
        var gList: [Int] = [], sList: [Int] = []
        for b in p.bonds {
            if let g = b.guarantee, gSlot[g.guarantor] == nil { gSlot[g.guarantor] = 0; gList.append(g.guarantor) }
            if let s = b.protection, sSlot[s.seller] == nil { sSlot[s.seller] = 0; sList.append(s.seller) }
        }
        for (i, g) in gList.enumerated() { gSlot[g] = i }
        for (i, s) in sList.enumerated() { sSlot[s] = gList.count + i }
        guarantorSlot = gSlot
        sellerSlot = sSlot
        guarantorEntities = gList
        sellerEntities = sList
        var members = Array(entities.indices), target = importance?.target ?? 0
        if let shift = importance, shift.twists, entities.count >= Engine.twistMinimumIssuers, case let .factors(_, l) = mode {
            if let floor = shift.twistFloor, let chosenTarget = shift.twistTarget {
                members = entities.indices.filter { costs[$0] >= floor }
                target = chosenTarget
            } else {
                let k = dimension, thresholds = threshold, sd = idiosyncraticSD
                var z = [Double](repeating: 0, count: k)
                for i in 0..<k { for j in 0..<k { z[i] += l[i * k + j] * shift.mu[j] } }
                var atShift: [Double] = []
                for e in entities {
                    var wz = 0.0
                    for i in 0..<k { wz += p.entities[e].loadings[i] * z[i] }
                    atShift.append(Normal.cdf((thresholds[e] - wz) / sd[e]))
                }
                if let chosen = Self.referenceSelection(atShift: atShift, costs: costs, target: shift.target) {
                    members = chosen.members
                    target = chosen.target
                }
            }
        }
        twistMembers = members
        twistTarget = target
    }

    /// The twist's issuers at the shift, from the probabilities there (`TwistSelection`): θ_μ by
    /// bisection; issuers with θ_μ c < κ left out in order of cost, all of a cost or none, while the
    /// sum of p(θ_μ c)²/2 over them stays within the budget; the target x less their Σ c p. Nil (every
    /// issuer, target x) when θ_μ = 0 or the members' total cost is under twice their target.
    static func referenceSelection(atShift p: [Double], costs c: [Double], target x: Double) -> (members: [Int], target: Double)? {
        let theta = twistRoot(p: p, c: c, target: x)
        guard theta > 0 else { return nil }
        var out = Set<Int>(), spent = 0.0, residual = 0.0
        // Groups of equal cost, cheapest first, each left out whole or not at all.
        for cost in Set(c).sorted() {
            let group = c.indices.filter { c[$0] == cost }
            let given = group.map { p[$0] * (theta * cost) * (theta * cost) / 2 }.reduce(0, +)
            if theta * cost >= TwistSelection.smallestTwist || spent + given > TwistSelection.varianceBudget { break }
            out.formUnion(group)
            spent += given
            residual += group.map { cost * p[$0] }.reduce(0, +)
        }
        let members = c.indices.filter { !out.contains($0) }
        let reach = members.map { c[$0] }.reduce(0, +)
        guard members.isEmpty || (x - residual > 0 && reach >= 2 * (x - residual)) else { return nil }
        return (members, x - residual)
    }

    /// θ ≥ 0 with Σ c q(θ) = x by bisection, q = p/(p + (1 − p) e^{−θc}); 0 when Σ c p ≥ x or Σ c ≤ x.
    static func twistRoot(p: [Double], c: [Double], target x: Double) -> Double {
        func excess(_ theta: Double) -> Double {
            var v = -x
            for i in p.indices where p[i] > 0 { v += c[i] * p[i] / (p[i] + (1 - p[i]) * exp(-theta * c[i])) }
            return v
        }
        let mean = zip(p, c).reduce(0.0) { $0 + $1.0 * $1.1 }
        guard mean < x, c.reduce(0, +) > x else { return 0 }
        var lo = 0.0, hi = 1.0
        while excess(hi) < 0 { lo = hi; hi *= 2 }
        while hi - lo > 1e-13 * hi {
            let mid = 0.5 * (lo + hi)
            guard mid > lo && mid < hi else { break }
            if excess(mid) < 0 { lo = mid } else { hi = mid }
        }
        return 0.5 * (lo + hi)
    }

    func run(paths: Int) -> [PathResult] {
        var results: [PathResult] = []
        results.reserveCapacity(paths)
        let alpha = ImportanceShift.defensiveShare
        EngineDrawOrder.forEachChunk(paths: paths, seed: seed) { rng, firstPath, rows in
            let scales = EngineDrawOrder.scales(portfolio.copula, rows: rows, &rng)
            let fromQ = importance.map { _ in EngineDrawOrder.uniforms(&rng, rows).map { $0 >= alpha } }
                ?? [Bool](repeating: false, count: rows)
            let normals = EngineDrawOrder.normals(&rng, rows * dimension)
            for r in 0..<rows {
                let path = firstPath + r
                var xi = Array(normals[(r * dimension)..<((r + 1) * dimension)])
                let s = scales[r]
                var result = PathResult()
                result.fromImportance = fromQ[r]
                var latent = [Double](repeating: 0, count: n)
                var zStandard = [Double](repeating: 0, count: n)
                switch mode {
                case let .full(c):
                    for e in 0..<n {
                        var x = 0.0
                        for j in 0..<n { x += c[e * n + j] * xi[j] }
                        latent[e] = x
                    }
                case let .factors(_, l):
                    var shiftLog = 0.0
                    if let shift = importance {
                        if fromQ[r] { for j in 0..<dimension { xi[j] += shift.mu[j] } }
                        var dot = 0.0, half = 0.0
                        for j in 0..<dimension {
                            dot += shift.mu[j] * xi[j]
                            half += shift.mu[j] * shift.mu[j]
                        }
                        shiftLog = -dot + 0.5 * half
                    }
                    var z = [Double](repeating: 0, count: dimension)
                    for i in 0..<dimension {
                        for j in 0..<dimension { z[i] += l[i * dimension + j] * xi[j] }
                    }
                    var wz = [Double](repeating: 0, count: n)
                    for e in 0..<n {
                        for i in 0..<dimension { wz[e] += portfolio.entities[e].loadings[i] * z[i] }
                        zStandard[e] = systematicSD[e] > 0 ? wz[e] / systematicSD[e] : 0
                    }
                    var u = EngineDrawOrder.uniforms(&rng, n)
                    var twistLog = 0.0
                    // Without the twist the uniforms stay as drawn and the shift is the whole ratio.
                    if let shift = importance, shift.twists {
                        twistLog = twist(&u, wz: wz, scale: s, apply: fromQ[r], into: &result)
                    }
                    for e in 0..<n { latent[e] = wz[e] + idiosyncraticSD[e] * Normal.quantile(u[e]) }
                    if importance != nil {
                        result.weight = 1 / (alpha + (1 - alpha) * exp(-(shiftLog + twistLog)))
                    }
                }
                // τ_D for every name, τ_C for those that can extend.
                var tau = [Double](repeating: 0, count: n)
                var combined = [Double](repeating: .infinity, count: n)
                for e in 0..<n {
                    let survival: Double
                    switch portfolio.copula {
                    case .gaussian: survival = Normal.cdf(-latent[e])
                    case let .studentT(nu): survival = StudentT(degreesOfFreedom: nu).cdf(-latent[e] / s)
                    }
                    let entity = portfolio.entities[e]
                    tau[e] = -log(survival) / entity.hazard
                    if entity.extensionPD > 0 { combined[e] = -log(survival) / -log(1 - entity.pd - entity.extensionPD) }
                    if tau[e] <= longestWindow[e] { result.defaulted.insert(e) }
                }
                settle(path: path, tau: tau, combined: combined, zStandard: zStandard, into: &result)
                results.append(result)
            }
        }
        return results
    }

    /// Twists the twisted entities' event indicators (factor mode): p_e = `gridPhi` of the
    /// conditional threshold (≈ P(X_e ≤ c_e s | Z, s)), θ ≥ 0 with Σ c_e q_e(θ) = x over the
    /// members (x = `twistTarget`) by bisection, the uniforms remapped on paths from q; returns log
    /// of the twist's p/q, −θ Σ D_e c_e + ψ(θ), with D_e = 1{u'_e ≤ p_e}.
    private func twist(_ u: inout [Double], wz: [Double], scale s: Double, apply: Bool,
                       into result: inout PathResult) -> Double {
        let x = twistTarget
        let entities = twistMembers.map { twistEntities[$0] }, costs = twistMembers.map { twistCosts[$0] }
        let m = entities.count
        var p = [Double](repeating: 0, count: m)
        for i in 0..<m {
            let e = entities[i]
            p[i] = Self.gridPhi((threshold[e] * s - wz[e]) / idiosyncraticSD[e])
        }
        func q(_ i: Int, _ theta: Double) -> Double {
            // p e^{θc}/(1 + p(e^{θc} − 1)) = p/(p + (1 − p) e^{−θc}), without overflow.
            p[i] == 0 ? 0 : p[i] / (p[i] + (1 - p[i]) * exp(-theta * costs[i]))
        }
        let theta = Self.twistRoot(p: p, c: costs, target: x)
        guard theta > 0 else { return 0 }
        result.theta = theta
        var psi = 0.0, defaultedCost = 0.0, slope = 0.0
        for i in 0..<m {
            let e = entities[i], c = costs[i]
            // log(1 + p(e^{θc} − 1)) = θc + log(p + (1 − p) e^{−θc}).
            psi += theta * c + log(p[i] + (1 - p[i]) * exp(-theta * c))
            let qi = q(i, theta)
            slope += c * c * qi * (1 - qi)
            if apply {
                if u[e] <= qi {
                    u[e] = max(u[e] * (p[i] / qi), 0x1.0p-1074)
                } else {
                    u[e] = min(p[i] + (u[e] - qi) * ((1 - p[i]) / (1 - qi)), 1 - 0x1.0p-53)
                }
            }
            // The twisted indicator: the (remapped) uniform at or below the p it was remapped
            // around. Its density ratio is p/q there and (1 − p)/(1 − q) above, which makes the
            // weight whatever p is; with p = Φ(t) exactly it is the default event itself.
            if u[e] <= p[i] { defaultedCost += c }
        }
        result.logWeightSlack = abs(x - defaultedCost) * 1e-10 * x / slope
        return -theta * defaultedCost + psi
    }

    /// The probability the twist tilts: Φ at the grid point −9 + j·18/4096 (j = 0…4096) nearest
    /// t, t clamped to [−9, 9]. Any p fixed by the path's factors gives an unbiased weight; this
    /// one is what the engine reads from its table.
    static func gridPhi(_ t: Double) -> Double {
        let step = 18.0 / 4096
        let j = min(max(((t + 9) / step).rounded(), 0), 4096)
        return Normal.cdf(-9 + j * step)
    }

    /// An extended bond's loss rate: its own, else 1 − (1 − later_default · lgd)/(1 + r)^years.
    static func extensionRate(_ bond: Bond, _ p: Portfolio) -> Double {
        if let x = bond.extensionLGD { return x }
        let t = p.extensionTerms
        return 1 - (1 - t.laterDefault * bond.lgd) / pow(1 + t.discountRate, t.years)
    }

    /// The loss rate of bond `b` (file index) in `state` on `path`: fixed, or Beta(mean, sd) by
    /// inversion of Φ(−√ρ Z_e + √(1 − ρ) η), η from the state's own counter-based stream.
    func lgd(_ b: Int, state: CreditState = .hardDefault, path: Int, zStandard: Double) -> Double {
        let bond = portfolio.bonds[b]
        let mean = state == .hardDefault ? bond.lgd : Self.extensionRate(bond, portfolio)
        guard let sd = state == .hardDefault ? bond.lgdSD : bond.extensionLGDSD else { return mean }
        return Self.betaRate(mean: mean, sd: sd, stream: state == .hardDefault ? 0x4C47_445F_4452_4157 : 0x4558_545F_4452_4157,
                             seed: seed, path: path, bond: b, rho: portfolio.lgdCorrelation, zStandard: zStandard)
    }

    static func betaRate(mean: Double, sd: Double, stream: UInt64, seed: UInt64, path: Int, bond: Int, rho: Double,
                         zStandard: Double) -> Double {
        let k = mean * (1 - mean) / (sd * sd) - 1
        let key = StreamKey.hash(StreamKey.hash(seed ^ stream, UInt64(path)), UInt64(bond))
        let eta = Normal.quantile(Double(StreamKey.mix(key) >> 11) * 0x1.0p-53 + 0x1.0p-54)
        let driver = -rho.squareRoot() * zStandard + (1 - rho).squareRoot() * eta
        return Incomplete.betaInverse(mean * k, (1 - mean) * k, Normal.cdf(driver))
    }

    private func settle(path: Int, tau: [Double], combined: [Double], zStandard: [Double], into result: inout PathResult) {
        let bonds = portfolio.bonds, h = portfolio.horizon
        // Each issuer's event: D at τ_D ≤ H, else E at τ_C ≤ H, else none.
        func event(_ e: Int) -> (state: CreditState, time: Double)? {
            if tau[e] <= h { return (.hardDefault, tau[e]) }
            if combined[e] <= h { return (.extended, combined[e]) }
            return nil
        }
        // Hit bonds in order of event time; ties (one issuer) by file order.
        let hit = bonds.indices.compactMap { b -> (b: Int, state: CreditState, time: Double)? in
            guard let (state, time) = event(bonds[b].issuer), time <= portfolio.window(of: bonds[b]) else { return nil }
            return (b, state, time)
        }.sorted { a, c in (a.time, bonds[a.b].issuer, a.b) < (c.time, bonds[c.b].issuer, c.b) }
        var paid: [Int: Double] = [:]   // per guarantor entity, this path
        for (b, state, t) in hit {
            let bond = bonds[b]
            let rate = lgd(b, state: state, path: path, zStandard: zStandard[bond.issuer])
            let stochastic = state == .hardDefault ? bond.lgdSD != nil : bond.extensionLGDSD != nil
            if stochastic { result.stochasticLGDs.append((rate, state == .hardDefault ? bond.lgd : Self.extensionRate(bond, portfolio))) }
            let g = bond.notional * rate
            result.gross += g
            var covered = 0.0
            func pay(_ slot: Int, _ amount: Double) {
                result.payouts[slot, default: 0] += amount
                if state == .extended { result.extensionPayouts[slot, default: 0] += amount }
            }
            if let gu = bond.guarantee, state == .hardDefault || gu.triggers.contains(.extensionEvent),
               tau[gu.guarantor] > t {
                let claim = gu.coverage * g
                let capacity = portfolio.entities[gu.guarantor].capacity ?? .infinity
                if capacity.isFinite { result.limitedClaims += 1 }
                let already = paid[gu.guarantor, default: 0]
                let amount = min(claim, capacity - already)
                let slot = guarantorSlot[gu.guarantor]!
                if amount < claim { result.cut.insert(slot) }
                if amount > 0 {
                    covered = amount
                    paid[gu.guarantor] = already + amount
                    pay(slot, amount)
                }
            }
            if let pr = bond.protection, state == .hardDefault || pr.triggers.contains(.extensionEvent) {
                if tau[pr.seller] > t {
                    let amount = min(pr.notional * rate, g - covered)
                    if amount > 0 {
                        covered += amount
                        pay(sellerSlot[pr.seller]!, amount)
                    }
                }
                result.premiumShortfall += pr.notional * pr.spreadBps / 10_000 * (portfolio.window(of: bond) - t)
            }
            result.net += g - covered
            result.stateNet[state.rawValue] += g - covered
            result.stateGross[state.rawValue] += g
            if state == .extended { result.extended = true }
        }
    }
}
