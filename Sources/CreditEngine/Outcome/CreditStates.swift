/// The holder's loss on a path as an outcome of each issuer's credit state: hard default (D),
/// extension (E) or performing, and in market valuation its rating at the horizon
/// (<doc:CreditStates>).
///
/// One outcome serves both valuations. A `StateLadder` finds the names whose state can matter
/// (the screen), decides their states and books what needs no settling (the losses of "plain"
/// issuers are table reads); a credit event that needs settling comes back here: `settle` finds
/// its time, the bonds inside their windows, the loss rates (fixed or drawn) and runs the
/// enhancement waterfall, whose capacity-limited claims wait in `PendingClaims` for the end of
/// the path. The bond layout, the state → loss table, the event times and the waterfall exist
/// once, here; the ladders own only what differs: `DefaultLadder` (D, E, performing; decided by
/// event times) and `RatingLadder` (D, E, then the ratings; decided by latent cuts).
import CreditMath
import CreditModel

struct CreditStates<Ladder: StateLadder>: PathOutcome {
    let ladder: Ladder
    let clock: CreditEventClock<Ladder.Timing>
    let waterfall: EnhancementWaterfall
    let losses: StateLossTable
    let bondStart: [Int]
    /// File index of each grouped bond.
    let bondOrder: [Int]
    let bondWindow: [Double]
    /// Longest window of e's bonds (0 when none).
    let longestWindow: [Double]
    let horizon: Double

    /// Per-worker state: default times stamped by path, pending capacity-limited claims, and the
    /// ladder's own caches.
    struct Scratch {
        var times: DefaultTimeCache
        var claims = PendingClaims()
        var ladder: Ladder.Scratch
    }

    func makeScratch() -> Scratch {
        Scratch(times: DefaultTimeCache(entities: longestWindow.count), ladder: ladder.makeScratch())
    }

    @inline(__always)
    func screen<Latent: LatentModel>(latent: Latent, sys: UnsafePointer<Double>, uniforms: UnsafePointer<Double>,
                                     scale: Double, into candidates: UnsafeMutablePointer<Int>) -> Int {
        ladder.screen(latent: latent, sys: sys, uniforms: uniforms, scale: scale, into: candidates)
    }

    func evaluate<Latent: LatentModel>(
        candidates: UnsafePointer<Int>, count: Int, latent: Latent,
        sys: UnsafePointer<Double>, uniforms: UnsafePointer<Double>, scale s: Double,
        path: Int, seed: UInt64, scratch: inout Scratch, ledger: inout PathLedger
    ) -> (net: Double, gross: Double) {
        scratch.times.nextPath()
        var net = 0.0, gross = 0.0
        ladder.evaluate(candidates: candidates, count: count, latent: latent, sys: sys, uniforms: uniforms, scale: s,
                        path: path, seed: seed, in: self, scratch: &scratch, ledger: &ledger, net: &net, gross: &gross)
        if !scratch.claims.isEmpty {
            var times = scratch.times
            scratch.claims.drain { claim in
                let j = claim.bond
                let credit = losses.credit(j, claim.state, rate: claim.rate,
                                           stochastic: losses.lgd.isStochastic(j, claim.state))
                let kept = waterfall.settle(j, state: claim.state, tau: claim.tau, window: bondWindow[j], gross: credit,
                                            rate: claim.rate, ledger: &ledger) {
                    clock.defaultTime($0, latent: latent, sys: sys, uniforms: uniforms, scale: s, times: &times)
                }
                net += kept
                ledger.book(bond: bondOrder[j], loss: kept)
                ledger.bookEvent(claim.state, net: kept, gross: 0)
                ledger.addEventNet(bond: bondOrder[j], kept)
            }
            scratch.times = times
        }
        return (net, gross)
    }

    /// Settles issuer e's credit event in `state` at `tau`: every bond whose window reaches τ loses
    /// its state's loss at a fixed or drawn rate; the waterfall pays what its triggers name
    /// (capacity-limited claims wait for the end of the path). Adds the holder's net and gross
    /// losses to the sums and books them.
    @inline(__always)
    func settle<Latent: LatentModel>(
        _ e: Int, state: CreditState, tau: Double, latent: Latent,
        sys: UnsafePointer<Double>, uniforms: UnsafePointer<Double>, scale s: Double, path: Int, seed: UInt64,
        scratch: inout Scratch, ledger: inout PathLedger, net: inout Double, gross: inout Double
    ) {
        for j in bondStart[e]..<bondStart[e + 1] where tau <= bondWindow[j] {
            let stochastic = losses.lgd.isStochastic(j, state)
            let rate = stochastic
                ? losses.lgd.draw(j, state: state, bond: bondOrder[j], issuer: e, path: path, seed: seed, sys: sys)
                : losses.fixedRate(j, state)
            let credit = losses.credit(j, state, rate: rate, stochastic: stochastic)
            let loss = Ladder.marksToMarket ? losses.gross(j, state, rate: rate, stochastic: stochastic) : credit
            gross += loss
            if waterfall.isCapacityLimited(j) {
                scratch.claims.append(tau: tau, bond: j, rate: rate, state: state)
                if Ladder.marksToMarket {
                    // The market loss beyond the credit loss is the holder's now; the rest settles later.
                    net += loss - credit
                    ledger.book(bond: bondOrder[j], loss: loss - credit)
                }
                ledger.bookEvent(state, net: Ladder.marksToMarket ? loss - credit : 0, gross: loss)
                ledger.recordEvent(bond: bondOrder[j], BondEvents.Kind(state), time: tau, gross: loss,
                                   net: Ladder.marksToMarket ? loss - credit : 0)
            } else {
                let kept = waterfall.settle(j, state: state, tau: tau, window: bondWindow[j], gross: credit, rate: rate,
                                            ledger: &ledger) {
                    clock.defaultTime($0, latent: latent, sys: sys, uniforms: uniforms, scale: s, times: &scratch.times)
                }
                let holder = Ladder.marksToMarket ? loss - (credit - kept) : kept
                net += holder
                ledger.book(bond: bondOrder[j], loss: holder)
                ledger.bookEvent(state, net: holder, gross: loss)
                ledger.recordEvent(bond: bondOrder[j], BondEvents.Kind(state), time: tau, gross: loss, net: holder)
            }
        }
    }
}

/// The part of `CreditStates` that differs between valuations: which names a path must look at,
/// how their states are decided, and what a state other than a credit event costs.
///
/// Conformers are immutable and shared by all workers, specialised into the kernel with the
/// outcome. `evaluate` books what it decides itself (the plain issuers' table reads, migrations)
/// and hands every credit event that needs settling to `CreditStates.settle`.
protocol StateLadder: Sendable {
    associatedtype Timing: DefaultTimeModel
    associatedtype Scratch
    /// Whether losses are market values (V(current) − V(state)) rather than credit losses.
    static var marksToMarket: Bool { get }

    func makeScratch() -> Scratch

    /// Writes the names whose state may cost something on this path (a superset, in index
    /// order) into `candidates`; returns how many. Default: the latent model's default screen.
    func screen<Latent: LatentModel>(latent: Latent, sys: UnsafePointer<Double>, uniforms: UnsafePointer<Double>,
                                     scale: Double, into candidates: UnsafeMutablePointer<Int>) -> Int

    /// Decides the candidates' states and books their losses into `net` and `gross`.
    func evaluate<Latent: LatentModel>(
        candidates: UnsafePointer<Int>, count: Int, latent: Latent,
        sys: UnsafePointer<Double>, uniforms: UnsafePointer<Double>, scale: Double, path: Int, seed: UInt64,
        in states: CreditStates<Self>, scratch: inout CreditStates<Self>.Scratch, ledger: inout PathLedger,
        net: inout Double, gross: inout Double)
}

extension StateLadder {
    @inline(__always)
    func screen<Latent: LatentModel>(latent: Latent, sys: UnsafePointer<Double>, uniforms: UnsafePointer<Double>,
                                     scale: Double, into candidates: UnsafeMutablePointer<Int>) -> Int {
        latent.screen(sys: sys, uniforms: uniforms, scale: scale, into: candidates)
    }
}
