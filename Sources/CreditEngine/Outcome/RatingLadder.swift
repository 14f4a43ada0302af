/// Market valuation's ladder (CreditMetrics, Gupton, Finger & Bhatia 1997, ch. 3 and 8): hard
/// default D, extension E (when some issuer extends), then the ratings, worst first
/// (<doc:CreditStates>).
///
/// Issuer e of rating r has the horizon probabilities of `RatingRow`. Its latent X_e picks its
/// state by cuts on the copula's scale: D when X_e ≤ c_0 = F⁻¹(p_D), E up to F⁻¹(p_D + p_E), then
/// the worst rating, …, the best rating above the last cut. A bond's loss is V_b(current) −
/// V_b(state): signed, a gain on an upgrade. D and E are credit events: their times (constant
/// hazards, or the rating's PD curve, matching the probabilities over the horizon, capped at H
/// against rounding) decide which bonds they hit, and the waterfall settles them as in default
/// mode (`CreditStates.settle`).
///
/// Guarantee-aware valuation: while its guarantor is neither in default nor extended at H, the
/// covered share (coverage) of a guaranteed bond is valued on the better of the issuer's and the
/// guarantor's horizon ratings, the rest on the issuer's; its current value likewise. So a
/// guarantor's migration moves its guaranteed bonds: a guarantor that moves is a candidate, and
/// its guaranteed bonds whose issuers stay are valued after the candidate loop.
import CreditMath
import CreditModel

struct RatingLadder<Timing: DefaultTimeModel>: StateLadder {
    static var marksToMarket: Bool { true }

    /// D, or D and E: the credit states before the ratings.
    let creditStates: Int
    /// Cuts per entity (credit states − 1 + ratings).
    let cutCount: Int
    /// Per entity, cuts c_k/σ_e at e·stride …, padded with +∞ to `stride`, a multiple of 8, so
    /// that the latent model reads them as vectors.
    let cuts: [Double]
    let stride: Int
    /// Per entity, what the candidate loop reads, in one row.
    let rows: [EntityRow]
    /// Per entity, the edges of its stay band (the cuts below and above its current state, ±∞
    /// for an open side) for `screenMovers`; lower = +∞ for a forced default, so that it is always
    /// evaluated, and (−∞, +∞) for an entity with nothing to value.
    let stayLower: [Double]
    let stayUpper: [Double]
    /// Guarantee-aware valuation, when some guaranteed bond has a rated guarantor.
    let guarantees: GuaranteeValuation?

    struct EntityRow {
        enum Kind: UInt8 { case plain, settles, forced }
        /// The state of its current rating.
        var stay: Int
        /// `plain`: a credit event needs no time, since every bond's window reaches H, no bond has
        /// a guarantee, protection or stochastic loss, and no other issuer's bond waits on its τ
        /// (not a provider); so D and E are states like any other, a table read. `settles`: a
        /// credit event goes through `CreditStates.settle`. `forced`: defaults on every path.
        var kind: Kind
        /// Whether some of its bonds are valued with their guarantors' ratings.
        var valuesGuaranteedBonds: Bool
        /// Whether it guarantees bonds valued with its rating.
        var lendsRating: Bool
        /// Its bonds, `firstBond..<endBond` in the grouped order.
        var firstBond: Int
        var endBond: Int
    }

    /// The covered shares of guaranteed bonds whose guarantors have ratings.
    struct GuaranteeValuation: Sendable {
        /// Per grouped bond, its index among the guaranteed bonds valued here, or −1.
        let index: [Int]
        /// Per such bond: grouped bond, issuer, guarantor, coverage, current value, and its
        /// horizon value in each rating state (worst first) at `value[i·ratings …]`.
        let bond: [Int]
        let issuer: [Int]
        let guarantor: [Int]
        let coverage: [Double]
        let current: [Double]
        let value: [Double]
        let ratings: Int
        /// Per guarantor entity, its bonds (indices into the arrays above).
        let start: [Int]
        let list: [Int]

        /// The bond's loss with its issuer in rating state `k` and its guarantor in state `g`
        /// (a rating state ≥ `first`, else no uplift), both counted from the worst rating.
        @inline(__always)
        func loss(_ i: Int, issuerState k: Int, guarantorState g: Int, first: Int) -> Double {
            let better = g >= first && g > k ? g : k
            let c = coverage[i]
            return current[i] - (c * value[i * ratings + better - first] + (1 - c) * value[i * ratings + k - first])
        }
    }

    /// Per-worker: the states of guarantors and issuers asked for on this path, and the
    /// guarantors that moved.
    struct Scratch {
        var stamp = 0
        var stateStamp: [Int]
        var state: [Int]
        var moved: [(entity: Int, state: Int)] = []
    }

    func makeScratch() -> Scratch {
        let n = guarantees == nil ? 0 : rows.count
        return Scratch(stateStamp: [Int](repeating: -1, count: n), state: [Int](repeating: 0, count: n))
    }

    /// `layout` groups the bonds; `rowOf`: the horizon probabilities of each rated entity;
    /// `values`: the horizon value of each grouped bond per rating index of the scale (best first);
    /// `currentValue`: each grouped bond's value at H if nothing moves (`MarketPlan.currentValues`).
    init(portfolio: Portfolio, valuation v: MarketValuation, layout: BondLayout, mixing: CopulaMixing,
         sigma: [Double], rowOf: [RatingRow?], values: [[Double]], currentValue: [Double],
         providers: Set<Int>, creditStates: Int) {
        let n = v.scale.count, h = portfolio.horizon, count = portfolio.entities.count
        self.creditStates = creditStates
        cutCount = creditStates - 1 + n
        let stride = (cutCount + 7) / 8 * 8
        self.stride = stride
        var cuts = [Double](repeating: .infinity, count: count * stride)
        var stay = [Int](repeating: cutCount, count: count)
        for e in 0..<count {
            guard let r = portfolio.entities[e].rating, let row = rowOf[e] else { continue }
            stay[e] = creditStates - 1 + n - r
            // Probabilities of the states, worst first: D, [E], ratings worst … best.
            var p = [row.hardDefault]
            if creditStates > 1 { p.append(row.extended) }
            for k in 0..<n { p.append(row.ratings[n - 1 - k]) }
            // Cut k separates state k from state k + 1.
            var below = p[0]
            for k in 0..<cutCount {
                let above = 1 - below
                var c: Double
                if below <= 0 { c = -.infinity } else if above <= 0 { c = .infinity } else if below <= 0.5 {
                    c = mixing.quantile(below)
                } else {
                    // Upper tail P(states above k), summed directly from the best state down.
                    var upper = 0.0
                    var state = cutCount
                    while state > k {
                        upper += p[state]
                        state -= 1
                    }
                    c = upper <= 0 ? .infinity : -mixing.quantile(upper)
                }
                cuts[e * stride + k] = c / sigma[e]
                if k + 1 < cutCount { below += p[k + 1] }
            }
        }
        self.cuts = cuts
        // Guaranteed bonds valued with their guarantors' ratings.
        var gaIndex = [Int](repeating: -1, count: layout.order.count)
        var gaBond: [Int] = [], gaIssuer: [Int] = [], gaGuarantor: [Int] = [], gaCoverage: [Double] = []
        var gaCurrent: [Double] = [], gaValue: [Double] = []
        for (j, file) in layout.order.enumerated() {
            let b = portfolio.bonds[file]
            guard let g = b.guarantee, portfolio.entities[g.guarantor].rating != nil,
                  portfolio.entities[b.issuer].rating != nil else { continue }
            gaIndex[j] = gaBond.count
            gaBond.append(j)
            gaIssuer.append(b.issuer)
            gaGuarantor.append(g.guarantor)
            gaCoverage.append(g.coverage)
            gaCurrent.append(currentValue[j])
            for k in 0..<n { gaValue.append(values[j][n - 1 - k]) }
        }
        var lends = [Bool](repeating: false, count: count)
        for g in gaGuarantor { lends[g] = true }
        if gaBond.isEmpty {
            guarantees = nil
        } else {
            var start = [Int](repeating: 0, count: count + 1)
            for g in gaGuarantor { start[g + 1] += 1 }
            for e in 0..<count { start[e + 1] += start[e] }
            var fill = start, list = [Int](repeating: 0, count: gaBond.count)
            for (i, g) in gaGuarantor.enumerated() {
                list[fill[g]] = i
                fill[g] += 1
            }
            guarantees = GuaranteeValuation(index: gaIndex, bond: gaBond, issuer: gaIssuer, guarantor: gaGuarantor,
                                            coverage: gaCoverage, current: gaCurrent, value: gaValue, ratings: n,
                                            start: start, list: list)
        }
        var lower = [Double](repeating: -.infinity, count: count)
        var upper = [Double](repeating: .infinity, count: count)
        for e in 0..<count where layout.start[e + 1] > layout.start[e] || lends[e] {
            if portfolio.forcedDefaults.contains(e) {
                lower[e] = .infinity
                continue
            }
            guard portfolio.entities[e].rating != nil else { continue }
            if stay[e] > 0 { lower[e] = cuts[e * stride + stay[e] - 1] }
            if stay[e] < cutCount { upper[e] = cuts[e * stride + stay[e]] }
        }
        stayLower = lower
        stayUpper = upper
        rows = (0..<count).map { e in
            let bonds = layout.start[e]..<layout.start[e + 1]
            let kind: EntityRow.Kind
            if portfolio.forcedDefaults.contains(e) {
                kind = .forced
            } else if !providers.contains(e) && bonds.allSatisfy({ j in
                let b = portfolio.bonds[layout.order[j]]
                return b.guarantee == nil && b.protection == nil && b.lgdSD == nil && b.extensionLGDSD == nil
                    && layout.window[j] >= h
            }) {
                kind = .plain
            } else {
                kind = .settles
            }
            return EntityRow(stay: stay[e], kind: kind, valuesGuaranteedBonds: bonds.contains { gaIndex[$0] >= 0 },
                             lendsRating: lends[e], firstBond: bonds.lowerBound, endBond: bonds.upperBound)
        }
    }

    /// The cut of e's last credit state (D, or E when extensions exist) divided by σ_e: the
    /// threshold of its loss-bearing event for importance sampling.
    func creditEventCut(_ e: Int) -> Double { cuts[e * stride + creditStates - 1] }

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

    /// The state of e on this path: 0 (D) for a forced default, else the number of its cuts below X_e.
    @inline(__always)
    func state<Latent: LatentModel>(_ e: Int, latent: Latent, sys: UnsafePointer<Double>, uniforms: UnsafePointer<Double>,
                                    scale s: Double) -> Int {
        rows[e].kind == .forced ? 0
            : cuts.withUnsafeBufferPointer { c in
                // Safe: e is an entity, with `stride` cuts.
                latent.migrationState(e, cuts: c.baseAddress! + e &* stride, count: cutCount, stay: rows[e].stay,
                                      sys: sys, uniforms: uniforms, scale: s)
            }
    }

    /// The candidates' states and the losses they book, in entity and bond order. A move (or a
    /// plain issuer's credit event) is one table read per bond; other credit events leave the
    /// loop for `settleEvent`. The sums stay in registers, not behind the closures' captures.
    @inline(__always)
    func evaluate<Latent: LatentModel>(
        candidates: UnsafePointer<Int>, count: Int, latent: Latent,
        sys: UnsafePointer<Double>, uniforms: UnsafePointer<Double>, scale s: Double, path: Int, seed: UInt64,
        in states: CreditStates<Self>, scratch: inout CreditStates<Self>.Scratch, ledger: inout PathLedger,
        net: inout Double, gross: inout Double
    ) {
        if guarantees != nil {
            scratch.ladder.stamp &+= 1
            scratch.ladder.moved.removeAll(keepingCapacity: true)
        }
        let width = states.losses.width, stride = stride, books = ledger.booksBonds, cutCount = cutCount
        let first = creditStates
        let sums = rows.withUnsafeBufferPointer { rowBuffer in
            cuts.withUnsafeBufferPointer { cutBuffer in
                states.losses.loss.withUnsafeBufferPointer { lossBuffer in
                    // Safe: every candidate is an entity (a row each, `stride` cuts each) and its
                    // bonds' rows hold `width` losses each; none of the three is empty for a
                    // portfolio with an issuer, and a portfolio without one has no candidates.
                    let row = rowBuffer.baseAddress!, cut = cutBuffer.baseAddress!, loss = lossBuffer.baseAddress!
                    var net = net, gross = gross
                    for i in 0..<count {
                        let e = candidates[i]
                        let r = row[e]
                        let state = r.kind == .forced ? 0
                            : latent.migrationState(e, cuts: cut + e &* stride, count: cutCount, stay: r.stay, sys: sys,
                                                    uniforms: uniforms, scale: s)
                        if r.kind != .plain {
                            // Not plain (rare): a provider, a bond with enhancements, a short window,
                            // a stochastic loss, or a forced default.
                            if r.lendsRating { remember(e, state, scratch: &scratch.ladder) }
                            if state == r.stay { continue }
                            if state < first {
                                settleEvent(e, state: state, latent: latent, sys: sys, uniforms: uniforms, scale: s, path: path,
                                            seed: seed, in: states, scratch: &scratch, ledger: &ledger, net: &net, gross: &gross)
                                continue
                            }
                            if r.valuesGuaranteedBonds {
                                moveGuaranteed(e, state: state, latent: latent, sys: sys, uniforms: uniforms, scale: s,
                                               in: states, scratch: &scratch, ledger: &ledger, net: &net, gross: &gross)
                                continue
                            }
                        } else if state == r.stay {
                            continue
                        }
                        var j = r.firstBond
                        var issuerLoss = 0.0
                        let (kind, tau) = ledger.recordsEvents
                            ? eventTime(e, state: state, latent: latent, sys: sys, uniforms: uniforms, scale: s, in: states,
                                        scratch: &scratch)
                            : (.migration, 0)
                        while j < r.endBond {
                            let l = loss[j &* width &+ state]
                            gross += l
                            net += l
                            if books {
                                ledger.book(bond: states.bondOrder[j], loss: l)
                                ledger.recordEvent(bond: states.bondOrder[j], kind, time: tau, gross: l, net: l)
                                issuerLoss += l
                            }
                            j &+= 1
                        }
                        if books && state < first {
                            ledger.bookEvent(CreditState(rawValue: state) ?? .hardDefault, net: issuerLoss, gross: issuerLoss)
                        }
                    }
                    return (net, gross)
                }
            }
        }
        net = sums.0
        gross = sums.1
        if guarantees != nil && !scratch.ladder.moved.isEmpty {
            revalueGuaranteedBonds(latent: latent, sys: sys, uniforms: uniforms, scale: s, in: states,
                                   scratch: &scratch, ledger: &ledger, net: &net, gross: &gross)
        }
    }

    /// Notes the state of a guarantor whose rating values bonds.
    @inline(__always)
    private func remember(_ e: Int, _ state: Int, scratch: inout Scratch) {
        scratch.stateStamp[e] = scratch.stamp
        scratch.state[e] = state
        if state != rows[e].stay { scratch.moved.append((e, state)) }
    }

    /// The state of e on this path, computed once (guarantee-aware valuation only).
    private func cachedState<Latent: LatentModel>(_ e: Int, latent: Latent, sys: UnsafePointer<Double>,
                                                  uniforms: UnsafePointer<Double>, scale s: Double,
                                                  scratch: inout Scratch) -> Int {
        if scratch.stateStamp[e] == scratch.stamp { return scratch.state[e] }
        let k = state(e, latent: latent, sys: sys, uniforms: uniforms, scale: s)
        scratch.stateStamp[e] = scratch.stamp
        scratch.state[e] = k
        return k
    }

    /// A credit event (D or E) of an issuer whose bonds need settling: its time, capped at H
    /// against rounding (a D's time is kept for the providers' waterfall), then the waterfall.
    /// Rare, so kept out of the candidate loop.
    @inline(never)
    private func settleEvent<Latent: LatentModel>(
        _ e: Int, state: Int, latent: Latent, sys: UnsafePointer<Double>, uniforms: UnsafePointer<Double>, scale s: Double,
        path: Int, seed: UInt64, in states: CreditStates<Self>, scratch: inout CreditStates<Self>.Scratch,
        ledger: inout PathLedger, net: inout Double, gross: inout Double
    ) {
        let event: CreditState = state == 0 ? .hardDefault : .extended
        let tau: Double
        if event == .hardDefault {
            tau = min(states.clock.defaultTime(e, latent: latent, sys: sys, uniforms: uniforms, scale: s, times: &scratch.times),
                      states.horizon)
            scratch.times.store(e, tau)
        } else {
            tau = min(states.clock.extensionTime(e, latent: latent, sys: sys, uniforms: uniforms, scale: s), states.horizon)
        }
        states.settle(e, state: event, tau: tau, latent: latent, sys: sys, uniforms: uniforms, scale: s, path: path,
                      seed: seed, scratch: &scratch, ledger: &ledger, net: &net, gross: &gross)
    }

    /// An exported event's kind and time for a plain issuer in `state`: a credit event's time
    /// (capped at H, as `settleEvent` does), or the horizon for a rating move. Only when events
    /// are recorded: plain issuers need no time otherwise.
    @inline(never)
    private func eventTime<Latent: LatentModel>(
        _ e: Int, state: Int, latent: Latent, sys: UnsafePointer<Double>, uniforms: UnsafePointer<Double>, scale s: Double,
        in states: CreditStates<Self>, scratch: inout CreditStates<Self>.Scratch
    ) -> (BondEvents.Kind, Double) {
        guard state < creditStates else { return (.migration, states.horizon) }
        if state == 0 {
            let tau = states.clock.defaultTime(e, latent: latent, sys: sys, uniforms: uniforms, scale: s, times: &scratch.times)
            return (.hardDefault, min(tau, states.horizon))
        }
        return (.extended, min(states.clock.extensionTime(e, latent: latent, sys: sys, uniforms: uniforms, scale: s), states.horizon))
    }

    /// A migration of an issuer with bonds valued with their guarantors' ratings.
    @inline(never)
    private func moveGuaranteed<Latent: LatentModel>(
        _ e: Int, state: Int, latent: Latent, sys: UnsafePointer<Double>, uniforms: UnsafePointer<Double>, scale s: Double,
        in states: CreditStates<Self>, scratch: inout CreditStates<Self>.Scratch, ledger: inout PathLedger,
        net: inout Double, gross: inout Double
    ) {
        guard let guarantees else { return }
        let r = rows[e], width = states.losses.width
        for j in r.firstBond..<r.endBond {
            let i = guarantees.index[j]
            let l: Double
            if i >= 0 {
                let g = cachedState(guarantees.guarantor[i], latent: latent, sys: sys, uniforms: uniforms, scale: s,
                                    scratch: &scratch.ladder)
                l = guarantees.loss(i, issuerState: state, guarantorState: g, first: creditStates)
            } else {
                l = states.losses.loss[j * width + state]
            }
            gross += l
            net += l
            ledger.book(bond: states.bondOrder[j], loss: l)
            ledger.recordEvent(bond: states.bondOrder[j], .migration, time: states.horizon, gross: l, net: l)
        }
    }

    /// After the candidate loop: the bonds of the guarantors that moved whose issuers stay.
    @inline(never)
    private func revalueGuaranteedBonds<Latent: LatentModel>(
        latent: Latent, sys: UnsafePointer<Double>, uniforms: UnsafePointer<Double>, scale s: Double,
        in states: CreditStates<Self>, scratch: inout CreditStates<Self>.Scratch, ledger: inout PathLedger,
        net: inout Double, gross: inout Double
    ) {
        guard let guarantees else { return }
        for (g, gState) in scratch.ladder.moved {
            for k in guarantees.start[g]..<guarantees.start[g + 1] {
                let i = guarantees.list[k]
                let issuer = guarantees.issuer[i]
                let issuerState = cachedState(issuer, latent: latent, sys: sys, uniforms: uniforms, scale: s,
                                              scratch: &scratch.ladder)
                // An issuer that moved (or had a credit event) valued this bond already.
                guard issuerState == rows[issuer].stay else { continue }
                let l = guarantees.loss(i, issuerState: issuerState, guarantorState: gState, first: creditStates)
                gross += l
                net += l
                ledger.book(bond: states.bondOrder[guarantees.bond[i]], loss: l)
                ledger.recordEvent(bond: states.bondOrder[guarantees.bond[i]], .migration, time: states.horizon, gross: l, net: l)
            }
        }
    }
}
