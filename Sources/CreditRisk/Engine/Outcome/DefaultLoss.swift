/// The holder's default loss on a path: for each screened name, whether and when it defaults,
/// which of its bonds default inside their windows, their loss rates, and the enhancement
/// waterfall, claims on a limited guarantor settled in order of default time.
///
/// Bonds are grouped by issuer (CSR: bonds of e are `bondStart[e]..<bondStart[e + 1]`). An issuer
/// whose bonds share one window and carry no enhancement or stochastic LGD is "plain": its loss
/// is decided in latent space, with no default time, Φ or log.
struct DefaultLoss<Timing: DefaultTimeModel>: PathOutcome {
    let timing: Timing
    let mixing: CopulaMixing
    let waterfall: EnhancementWaterfall
    let lgd: StochasticLGD
    let bondStart: [Int]
    /// File index of each grouped bond.
    let bondOrder: [Int]
    let bondWindow: [Double]
    /// notional · lgd.
    let bondLoss: [Double]
    let notional: [Double]
    let fixedLGD: [Double]
    /// Longest window of e's bonds (0 when none).
    let longestWindow: [Double]
    /// Loss of a plain issuer that defaults; NaN for every other entity.
    let plainLoss: [Double]

    /// `order` groups the bond indices by issuer (see `BondLayout`).
    init(portfolio: Portfolio, layout: BondLayout, timing: Timing, mixing: CopulaMixing, sigma: [Double]) {
        self.timing = timing
        self.mixing = mixing
        let ordered = layout.order.map { portfolio.bonds[$0] }
        bondStart = layout.start
        bondOrder = layout.order
        bondWindow = layout.window
        longestWindow = layout.longestWindow
        bondLoss = ordered.map(\.lossGivenDefault)
        notional = ordered.map(\.notional)
        fixedLGD = ordered.map(\.lgd)
        waterfall = EnhancementWaterfall(portfolio: portfolio, order: layout.order, windows: layout.window)
        lgd = StochasticLGD(ordered: ordered, sigma: sigma, correlation: portfolio.lgdCorrelation)
        var plain = [Double](repeating: .nan, count: portfolio.entities.count)
        for e in portfolio.entities.indices where layout.start[e + 1] > layout.start[e] {
            var loss = 0.0
            var isPlain = true
            for j in layout.start[e]..<layout.start[e + 1] {
                let b = ordered[j]
                if b.guarantee != nil || b.protection != nil || b.lgdSD != nil || layout.window[j] != layout.longestWindow[e] {
                    isPlain = false
                }
                loss += b.lossGivenDefault
            }
            if isPlain { plain[e] = loss }
        }
        plainLoss = plain
    }

    /// Per-worker caches: default times stamped by path, and pending capacity-limited claims.
    struct Scratch {
        var times: DefaultTimeCache
        var claims: [(tau: Double, bond: Int, lgd: Double)] = []
    }

    func makeScratch() -> Scratch {
        Scratch(times: DefaultTimeCache(entities: plainLoss.count))
    }

    func evaluate<Latent: LatentModel>(
        candidates: UnsafePointer<Int>, count: Int, latent: Latent,
        sys: UnsafePointer<Double>, uniforms: UnsafePointer<Double>, scale s: Double,
        path: Int, seed: UInt64, scratch: inout Scratch, ledger: inout PathLedger
    ) -> (net: Double, gross: Double) {
        scratch.times.nextPath()
        /// τ_e, computed once per path: from the latent value's survival 1 − U_e.
        func defaultTime(_ e: Int) -> Double {
            scratch.times.time(e) { e in
                timing.defaultTime(e, survival: mixing.survival(latent: latent.latentValue(e, sys: sys, uniforms: uniforms), scale: s))
            }
        }
        var net = 0.0, gross = 0.0
        for i in 0..<count {
            let e = candidates[i]
            let plain = plainLoss[e]
            if !plain.isNaN {
                if latent.defaultsByLongestWindow(e, sys: sys, uniforms: uniforms, scale: s) {
                    gross += plain
                    net += plain
                    if ledger.booksBonds {
                        for j in bondStart[e]..<bondStart[e + 1] { ledger.book(bond: bondOrder[j], loss: bondLoss[j]) }
                    }
                }
                continue
            }
            let tau = defaultTime(e)
            guard tau <= longestWindow[e] else { continue }
            for j in bondStart[e]..<bondStart[e + 1] where tau <= bondWindow[j] {
                let rate = lgd.isStochastic(j)
                    ? lgd.draw(j, bond: bondOrder[j], issuer: e, path: path, seed: seed, sys: sys) : fixedLGD[j]
                gross += lossOf(j, rate: rate)
                if waterfall.isCapacityLimited(j) {
                    scratch.claims.append((tau, j, rate))
                } else {
                    net += settle(j, tau: tau, rate: rate, ledger: &ledger, defaultTime: defaultTime)
                }
            }
        }
        if !scratch.claims.isEmpty {
            scratch.claims.sort { $0.tau < $1.tau || ($0.tau == $1.tau && $0.bond < $1.bond) }
            for claim in scratch.claims {
                net += settle(claim.bond, tau: claim.tau, rate: claim.lgd, ledger: &ledger, defaultTime: defaultTime)
            }
            scratch.claims.removeAll(keepingCapacity: true)
        }
        return (net, gross)
    }

    /// G = notional · lgd (the precomputed product for a fixed LGD, so plain bonds lose exactly it).
    @inline(__always)
    private func lossOf(_ j: Int, rate: Double) -> Double {
        lgd.isStochastic(j) ? notional[j] * rate : bondLoss[j]
    }

    @inline(__always)
    private func settle(_ j: Int, tau: Double, rate: Double, ledger: inout PathLedger,
                        defaultTime: (Int) -> Double) -> Double {
        let loss = waterfall.settle(j, tau: tau, window: bondWindow[j], gross: lossOf(j, rate: rate), lgd: rate,
                                    ledger: &ledger, defaultTime: defaultTime)
        ledger.book(bond: bondOrder[j], loss: loss)
        return loss
    }
}
