#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The holder's mark-to-market loss at the horizon under rating migration (CreditMetrics,
/// Gupton, Finger & Bhatia 1997, ch. 3 and 8; see CreditScenario's RatingsAndMarketValuation).
///
/// Issuer e of rating r has the H-year row P = M^H[r] of the one-year matrix M. Its latent X_e
/// (same factors and copula as default mode) picks the rating at H by cuts on the copula's scale:
/// default when X_e ≤ c_0 = F⁻¹(P_D), then the worst rating up to c_1 = F⁻¹(P_D + P_worst), …, and
/// the best rating above the last cut. Each bond's loss is V_b(r) − V_b(rating at H): signed, a
/// gain on an upgrade. In default the bond is worth its recovery (1 − lgd)·notional when the
/// issuer defaults inside the bond's window; its default time is that of a constant hazard
/// λ = −ln(1 − P_D)/H, so τ ≤ H exactly on the default state (τ is capped at H there, which
/// only settles a rounding tie). Guarantees and protection pay on default as in default mode,
/// on notional·lgd (`EnhancementWaterfall`); migration losses are not covered.
struct MarketValue: PathOutcome {
    /// Default times: for every entity a constant hazard matching its H-year PD (rated entities:
    /// the matrix power's D column; others their pd).
    let timing: ConstantHazard
    let mixing: CopulaMixing
    let waterfall: EnhancementWaterfall
    let horizon: Double
    /// Ratings in the scale; states per issuer are 0 (default) … n (best).
    let ratings: Int
    let bondStart: [Int]
    let bondOrder: [Int]
    let bondWindow: [Double]
    /// notional · lgd, what enhancements cover.
    let bondLoss: [Double]
    let fixedLGD: [Double]
    /// Per grouped bond j, (ratings + 1) values: loss when the issuer ends in state k,
    /// V_b(current) − V_b(state k); state 0 is default inside the window.
    let stateLoss: [Double]
    /// Per entity, cuts c_k/σ_e at e·stride …, padded with +∞ to `stride`, a multiple of 8, so
    /// that the latent model reads them as vectors (the state of its current rating is in `rows`).
    let cuts: [Double]
    let stride: Int
    /// Per entity, what the candidate loop reads, in one row.
    let rows: [EntityRow]

    struct EntityRow {
        enum Kind { case plain, settles, forced }
        /// The state of its current rating.
        var stay: Int
        /// `plain`: a default needs no default time, since every bond's window reaches H (τ ≤ H is
        /// inside it), no bond has a guarantee or protection, and no other issuer's bond waits
        /// on its τ (not a provider); so a default is a state like any other, a table read.
        /// `settles`: a default goes through `settleDefault`. `forced`: defaults on every path.
        var kind: Kind
        /// Its bonds, `firstBond..<endBond` in the grouped order.
        var firstBond: Int
        var endBond: Int
    }
    /// Per entity, the edges of its stay band (the cuts below and above its current state, ±∞
    /// for an open side) for `screenMovers`; lower = +∞ for a forced default, so that it is always
    /// evaluated, and (−∞, +∞) for an entity without bonds, which has nothing to value.
    let stayLower: [Double]
    let stayUpper: [Double]

    init(portfolio: Portfolio, valuation v: MarketValuation, layout: BondLayout, mixing: CopulaMixing, sigma: [Double]) {
        let n = v.scale.count, h = portfolio.horizon
        let matrix = v.transition(years: Int(h.rounded()))
        self.mixing = mixing
        horizon = h
        ratings = n
        let ordered = layout.order.map { portfolio.bonds[$0] }
        bondStart = layout.start
        bondOrder = layout.order
        bondWindow = layout.window
        bondLoss = ordered.map(\.lossGivenDefault)
        fixedLGD = ordered.map(\.lgd)
        let waterfall = EnhancementWaterfall(portfolio: portfolio, order: layout.order, windows: layout.window)
        self.waterfall = waterfall
        // Horizon PDs → hazards, through a portfolio copy's entities is unnecessary: build directly.
        var hazard = [Double](repeating: 0, count: portfolio.entities.count)
        var stay = [Int](repeating: n, count: portfolio.entities.count)
        let stride = (n + 7) / 8 * 8
        var cuts = [Double](repeating: .infinity, count: portfolio.entities.count * stride)
        for (e, entity) in portfolio.entities.enumerated() {
            let pdH: Double
            if let r = entity.rating, r < n {
                let row = matrix[r]
                pdH = row[n]
                stay[e] = n - r
                // Cut k separates state k (k = 0 default, k = j the rating n − j) from state k + 1.
                var below = row[n]
                for k in 0..<n {
                    let above = 1 - below
                    var c: Double
                    if below <= 0 { c = -.infinity } else if above <= 0 { c = .infinity } else if below <= 0.5 {
                        c = mixing.quantile(below)
                    } else {
                        // Upper tail P(states above k) = Σ of the better ratings, summed directly.
                        var upper = 0.0
                        for better in 0..<(n - k) { upper += row[better] }
                        c = upper <= 0 ? .infinity : -mixing.quantile(upper)
                    }
                    cuts[e * stride + k] = c / sigma[e]
                    if k + 1 < n { below += row[n - 1 - k] }
                }
            } else {
                pdH = entity.defaultProbability(within: h)
            }
            hazard[e] = pdH > 0 ? -log1p(-pdH) / h : 0
        }
        timing = ConstantHazard(hazard: hazard, forcedDefault: portfolio.forcedDefaults)
        self.cuts = cuts
        self.stride = stride
        var lower = [Double](repeating: -.infinity, count: stay.count)
        var upper = [Double](repeating: .infinity, count: stay.count)
        for e in stay.indices where layout.start[e + 1] > layout.start[e] {
            if portfolio.forcedDefaults.contains(e) {
                lower[e] = .infinity
                continue
            }
            if stay[e] > 0 { lower[e] = cuts[e * stride + stay[e] - 1] }
            if stay[e] < n { upper[e] = cuts[e * stride + stay[e]] }
        }
        stayLower = lower
        stayUpper = upper
        let providers = Set(waterfall.guarantorEntities + waterfall.sellerEntities)
        rows = stay.indices.map { e in
            let bonds = layout.start[e]..<layout.start[e + 1]
            let kind: EntityRow.Kind
            if portfolio.forcedDefaults.contains(e) {
                kind = .forced
            } else if !providers.contains(e) && bonds.allSatisfy({ j in
                ordered[j].guarantee == nil && ordered[j].protection == nil && layout.window[j] >= h
            }) {
                kind = .plain
            } else {
                kind = .settles
            }
            return EntityRow(stay: stay[e], kind: kind, firstBond: bonds.lowerBound, endBond: bonds.upperBound)
        }
        var losses = [Double](repeating: 0, count: ordered.count * (n + 1))
        for (j, b) in ordered.enumerated() {
            let r = portfolio.entities[b.issuer].rating ?? 0
            let current = v.horizonValue(of: b, rating: r, horizon: h)
            losses[j * (n + 1)] = current - v.horizonValue(of: b, rating: nil, horizon: h)
            for k in 1...n { losses[j * (n + 1) + k] = current - v.horizonValue(of: b, rating: n - k, horizon: h) }
        }
        stateLoss = losses
    }

    struct Scratch {
        var times: DefaultTimeCache
        var claims: [(tau: Double, bond: Int)] = []
    }

    func makeScratch() -> Scratch {
        Scratch(times: DefaultTimeCache(entities: rows.count))
    }

    /// Only names that may leave their rating need a valuation: a stayer's loss is
    /// V(current) − V(current) = 0. Most name-paths stay and are screened out in the latent
    /// model's vector loop; `evaluate` sees the movers, the slivers at the band's edges and the
    /// forced defaults.
    @inline(__always)
    func screen<Latent: LatentModel>(latent: Latent, sys: UnsafePointer<Double>, uniforms: UnsafePointer<Double>,
                                     scale: Double, into candidates: UnsafeMutablePointer<Int>) -> Int {
        stayLower.withUnsafeBufferPointer { lower in
            stayUpper.withUnsafeBufferPointer { upper in
                // Safe: both hold one edge per entity, and a portfolio has entities.
                latent.screenMovers(lower: lower.baseAddress!, upper: upper.baseAddress!, sys: sys, uniforms: uniforms,
                                    scale: scale, into: candidates)
            }
        }
    }

    func evaluate<Latent: LatentModel>(
        candidates: UnsafePointer<Int>, count: Int, latent: Latent,
        sys: UnsafePointer<Double>, uniforms: UnsafePointer<Double>, scale s: Double,
        path: Int, seed: UInt64, scratch: inout Scratch, ledger: inout PathLedger
    ) -> (net: Double, gross: Double) {
        scratch.times.nextPath()
        var net = 0.0, gross = 0.0
        migrate(candidates: candidates, count: count, latent: latent, sys: sys, uniforms: uniforms, scale: s,
                scratch: &scratch, ledger: &ledger, net: &net, gross: &gross)
        if !scratch.claims.isEmpty {
            scratch.claims.sort { $0.tau < $1.tau || ($0.tau == $1.tau && $0.bond < $1.bond) }
            for claim in scratch.claims {
                let j = claim.bond
                // The market loss beyond notional·lgd was booked above; the covered part is settled here.
                let kept = waterfall.settle(j, tau: claim.tau, window: bondWindow[j], gross: bondLoss[j], lgd: fixedLGD[j],
                                            ledger: &ledger) { defaultTime($0, latent: latent, sys: sys, uniforms: uniforms,
                                                                           scale: s, times: &scratch.times) }
                net += kept
                ledger.book(bond: bondOrder[j], loss: kept)
            }
            scratch.claims.removeAll(keepingCapacity: true)
        }
        return (net, gross)
    }

    /// The candidates' states and the losses they book, in entity and bond order. A move (or a
    /// plain issuer's default) is one table read per bond; only other defaults leave the loop,
    /// for `settleDefault`. The sums stay in registers, not behind the closures' captures.
    @inline(__always)
    private func migrate<Latent: LatentModel>(
        candidates: UnsafePointer<Int>, count: Int, latent: Latent,
        sys: UnsafePointer<Double>, uniforms: UnsafePointer<Double>, scale s: Double,
        scratch: inout Scratch, ledger: inout PathLedger, net: inout Double, gross: inout Double
    ) {
        let n = ratings, width = n + 1, stride = stride, books = ledger.booksBonds
        let sums = rows.withUnsafeBufferPointer { rowBuffer in
            cuts.withUnsafeBufferPointer { cutBuffer in
                stateLoss.withUnsafeBufferPointer { lossBuffer in
                    // Safe: every candidate is an entity (a row each, `stride` cuts each) and its
                    // bonds' rows hold `width` losses each; none of the three is empty for a
                    // portfolio with an issuer, and a portfolio without one has no candidates.
                    let row = rowBuffer.baseAddress!, cut = cutBuffer.baseAddress!, loss = lossBuffer.baseAddress!
                    var net = net, gross = gross
                    for i in 0..<count {
                        let e = candidates[i]
                        let r = row[e]
                        let state = r.kind == .forced ? 0
                            : latent.migrationState(e, cuts: cut + e &* stride, count: n, stay: r.stay, sys: sys,
                                                    uniforms: uniforms, scale: s)
                        if state == r.stay { continue }
                        guard state > 0 || r.kind == .plain else {
                            settleDefault(e, latent: latent, sys: sys, uniforms: uniforms, scale: s, scratch: &scratch,
                                          ledger: &ledger, net: &net, gross: &gross)
                            continue
                        }
                        var j = r.firstBond
                        while j < r.endBond {
                            let l = loss[j &* width &+ state]
                            gross += l
                            net += l
                            if books { ledger.book(bond: bondOrder[j], loss: l) }
                            j &+= 1
                        }
                    }
                    return (net, gross)
                }
            }
        }
        net = sums.0
        gross = sums.1
    }

    /// The default of an issuer whose bonds need settling: τ ≤ H by construction (capped against
    /// rounding), windows, guarantees and protection. Rare, so kept out of the candidate loop.
    @inline(never)
    private func settleDefault<Latent: LatentModel>(
        _ e: Int, latent: Latent, sys: UnsafePointer<Double>, uniforms: UnsafePointer<Double>, scale s: Double,
        scratch: inout Scratch, ledger: inout PathLedger, net: inout Double, gross: inout Double
    ) {
        let width = ratings + 1
        let tau = min(defaultTime(e, latent: latent, sys: sys, uniforms: uniforms, scale: s, times: &scratch.times), horizon)
        scratch.times.store(e, tau)
        for j in bondStart[e]..<bondStart[e + 1] {
            guard tau <= bondWindow[j] else { continue } // matured before the default: paid in full
            let loss = stateLoss[j * width]
            gross += loss
            if waterfall.isCapacityLimited(j) {
                scratch.claims.append((tau, j))
                net += loss - bondLoss[j]
                ledger.book(bond: bondOrder[j], loss: loss - bondLoss[j])
            } else {
                let kept = waterfall.settle(j, tau: tau, window: bondWindow[j], gross: bondLoss[j], lgd: fixedLGD[j],
                                            ledger: &ledger) { defaultTime($0, latent: latent, sys: sys, uniforms: uniforms,
                                                                           scale: s, times: &scratch.times) }
                let holder = loss - (bondLoss[j] - kept)
                net += holder
                ledger.book(bond: bondOrder[j], loss: holder)
            }
        }
    }

    /// τ_e, computed once per path: from the latent value's survival 1 − U_e.
    @inline(__always)
    private func defaultTime<Latent: LatentModel>(_ e: Int, latent: Latent, sys: UnsafePointer<Double>,
                                                  uniforms: UnsafePointer<Double>, scale s: Double,
                                                  times: inout DefaultTimeCache) -> Double {
        times.time(e) { e in
            timing.defaultTime(e, survival: mixing.survival(latent: latent.latentValue(e, sys: sys, uniforms: uniforms), scale: s))
        }
    }
}
