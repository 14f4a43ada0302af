/// Default valuation's ladder: hard default D, extension E, performing (<doc:CreditStates>).
///
/// The state follows the event times of the issuer's copula uniform U: D when τ_D ≤ H (U below
/// P(τ_D ≤ H)), else E when τ_C ≤ H (the combined probability pd + extension_pd), performing
/// otherwise; a bond loses when its window reaches the event time. Without extension this is
/// the two-state default model.
///
/// An issuer whose bonds share one window and carry no enhancement, stochastic loss or extension
/// is "plain": its default is decided in latent space (X ≤ c for its window), with no default time,
/// Φ or log, and costs its precomputed loss.
import CreditMath
import CreditModel

struct DefaultLadder<Timing: DefaultTimeModel>: StateLadder {
    static var marksToMarket: Bool { false }

    /// Loss of a plain issuer that defaults; NaN for every other entity.
    let plainLoss: [Double]
    /// Whether e can extend.
    let extends: [Bool]

    init(portfolio: Portfolio, layout: BondLayout) {
        var plain = [Double](repeating: .nan, count: portfolio.entities.count)
        for (e, entity) in portfolio.entities.enumerated() where layout.start[e + 1] > layout.start[e] && !entity.extends {
            var loss = 0.0
            var isPlain = true
            for j in layout.start[e]..<layout.start[e + 1] {
                let b = portfolio.bonds[layout.order[j]]
                if b.guarantee != nil || b.protection != nil || b.lgdSD != nil || layout.window[j] != layout.longestWindow[e] {
                    isPlain = false
                }
                loss += b.lossGivenDefault
            }
            if isPlain { plain[e] = loss }
        }
        plainLoss = plain
        extends = portfolio.entities.map(\.extends)
    }

    func makeScratch() {}

    @inline(__always)
    func evaluate<Latent: LatentModel>(
        candidates: UnsafePointer<Int>, count: Int, latent: Latent,
        sys: UnsafePointer<Double>, uniforms: UnsafePointer<Double>, scale s: Double, path: Int, seed: UInt64,
        in states: CreditStates<Self>, scratch: inout CreditStates<Self>.Scratch, ledger: inout PathLedger,
        net: inout Double, gross: inout Double
    ) {
        for i in 0..<count {
            let e = candidates[i]
            let plain = plainLoss[e]
            if !plain.isNaN {
                if latent.defaultsByLongestWindow(e, sys: sys, uniforms: uniforms, scale: s) {
                    gross += plain
                    net += plain
                    if ledger.booksBonds {
                        // A plain issuer's default needs no time; an exported event gets its τ
                        // (capped at the window its latent test used, against rounding).
                        let tau = ledger.recordsEvents
                            ? min(states.clock.defaultTime(e, latent: latent, sys: sys, uniforms: uniforms, scale: s,
                                                           times: &scratch.times), states.longestWindow[e])
                            : 0
                        for j in states.bondStart[e]..<states.bondStart[e + 1] {
                            let loss = states.losses.credit[2 &* j]
                            ledger.book(bond: states.bondOrder[j], loss: loss)
                            ledger.recordEvent(bond: states.bondOrder[j], .hardDefault, time: tau, gross: loss, net: loss)
                        }
                        ledger.bookEvent(.hardDefault, net: plain, gross: plain)
                    }
                }
                continue
            }
            let tau = states.clock.defaultTime(e, latent: latent, sys: sys, uniforms: uniforms, scale: s, times: &scratch.times)
            if tau <= states.longestWindow[e] {
                states.settle(e, state: .hardDefault, tau: tau, latent: latent, sys: sys, uniforms: uniforms, scale: s,
                              path: path, seed: seed, scratch: &scratch, ledger: &ledger, net: &net, gross: &gross)
            } else if extends[e] && tau > states.horizon {
                // Not a hard default by the horizon: an extension if the combined event comes by then.
                let tauE = states.clock.extensionTime(e, latent: latent, sys: sys, uniforms: uniforms, scale: s)
                if tauE <= states.longestWindow[e] {
                    states.settle(e, state: .extended, tau: tauE, latent: latent, sys: sys, uniforms: uniforms, scale: s,
                                  path: path, seed: seed, scratch: &scratch, ledger: &ledger, net: &net, gross: &gross)
                }
            }
        }
    }
}
