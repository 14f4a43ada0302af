/// What each bond loses in each state, with fixed loss rates, in the issuer-grouped order of
/// `BondLayout`.
///
/// A credit event (hard default D, extension E) has a credit loss C = notional × rate (rate = lgd,
/// or the extension's loss rate), which enhancements cover, and a holder's gross loss M: M = C in
/// default mode; in market valuation M = V_b(current) − V_b(state), which for D and E is
/// V_b(current) − notional·(1 − rate). Market valuation adds one column per rating (the migration
/// loss). A stochastic rate (`StochasticLGD`) replaces the fixed one: C = notional·rate and
/// M = base + notional·rate, base = V_b(current) − notional in market valuation, 0 in default mode.
import CreditMath
import CreditModel

struct StateLossTable: Sendable {
    /// States per bond in `loss`: D, then E when some issuer extends, then the ratings worst first.
    let width: Int
    /// M per (bond, state), fixed rates: `loss[j·width + state]`.
    let loss: [Double]
    /// C per (bond, credit state): `credit[2j + state]` (D, E).
    let credit: [Double]
    /// Fixed loss rates per (bond, credit state).
    let rate: [Double]
    let notional: [Double]
    /// V_b(current) − notional (market valuation) or 0.
    let base: [Double]
    let lgd: StochasticLGD

    /// `ordered`: the grouped bonds; `extensionRate`: their extension loss rates; `valuation`
    /// (market mode): per grouped bond its current value and its horizon value per rating state
    /// (worst first), which make the columns after the credit states.
    init(ordered: [Bond], extensionRate: [Double], creditStates: Int, lgd: StochasticLGD,
         valuation: (current: [Double], ratings: [[Double]])? = nil) {
        let ratingStates = valuation?.ratings.first?.count ?? 0
        width = creditStates + ratingStates
        notional = ordered.map(\.notional)
        var rate = [Double](repeating: 0, count: 2 * ordered.count)
        var credit = rate
        var loss = [Double](repeating: 0, count: width * ordered.count)
        var base = [Double](repeating: 0, count: ordered.count)
        for (j, b) in ordered.enumerated() {
            rate[2 * j] = b.lgd
            rate[2 * j + 1] = extensionRate[j]
            // The precomputed product notional·lgd, so that a fixed LGD loses exactly it.
            credit[2 * j] = b.lossGivenDefault
            credit[2 * j + 1] = b.notional * extensionRate[j]
            if let valuation {
                let current = valuation.current[j]
                base[j] = current - b.notional
                loss[j * width] = current - (1 - b.lgd) * b.notional
                if creditStates > 1 { loss[j * width + 1] = current - (1 - extensionRate[j]) * b.notional }
                for k in 0..<ratingStates { loss[j * width + creditStates + k] = current - valuation.ratings[j][k] }
            } else {
                for s in 0..<creditStates { loss[j * width + s] = credit[2 * j + s] }
            }
        }
        self.rate = rate
        self.credit = credit
        self.loss = loss
        self.base = base
        self.lgd = lgd
    }

    /// The fixed loss rate of grouped bond j in a credit state.
    @inline(__always)
    func fixedRate(_ j: Int, _ state: CreditState) -> Double { rate[2 &* j &+ state.rawValue] }

    /// C: the credit loss at loss rate `r` (the precomputed product for a fixed rate).
    @inline(__always)
    func credit(_ j: Int, _ state: CreditState, rate r: Double, stochastic: Bool) -> Double {
        stochastic ? notional[j] * r : credit[2 &* j &+ state.rawValue]
    }

    /// M: the holder's gross loss at loss rate `r`.
    @inline(__always)
    func gross(_ j: Int, _ state: CreditState, rate r: Double, stochastic: Bool) -> Double {
        stochastic ? base[j] + notional[j] * r : loss[j &* width &+ state.rawValue]
    }
}
