/// The credit enhancements of the bonds and the order in which they pay (see the Settlement
/// article of CreditRisk.docc).
///
/// For bond b of issuer i with a credit event (hard default or extension, see <doc:CreditStates>)
/// at τ_i inside its window, with credit loss G (notional × the state's loss rate):
/// 1. the guarantee pays coverage·G if its triggers name the state and the guarantor outlives the
///    issuer (τ_g > τ_i, τ_g its hard-default time), cut to what is left of the guarantor's
///    capacity on this path; claims on a guarantor with a capacity are settled in order of event
///    time (`PendingClaims`);
/// 2. protection pays min(Np·rate, G − guaranteed) if its triggers name the state and the seller
///    outlives the issuer (τ_s > τ_i);
/// 3. the protection premium, Np·spread/10⁴ a year, stops at a triggering event: the shortfall
///    Np·spread/10⁴·(T_b − τ_i) is booked. An event that does not trigger the protection leaves
///    the contract, and its premium, running.
/// The holder keeps G − guaranteed − protected.
import CreditMath
import CreditModel

struct EnhancementWaterfall: Sendable {
    /// Per bond, in the issuer-grouped order of `BondLayout`.
    let guarantor: [Int]          // entity index or −1
    let guarantorSlot: [Int]
    let coverage: [Double]
    let guaranteeTriggers: [CreditTriggers]
    let seller: [Int]             // entity index or −1
    let sellerSlot: [Int]         // provider slot (after the guarantors)
    let protectionNotional: [Double]
    let protectionTriggers: [CreditTriggers]
    let premiumRate: [Double]     // Np · spread / 10⁴ per year
    /// Provider slots: guarantors first, then protection sellers (entity indices), each in order
    /// of first appearance in the bond file.
    let guarantorEntities: [Int]
    let sellerEntities: [Int]
    /// Capacity per slot for the horizon: the guarantor's, +∞ when unlimited (and for sellers).
    let capacity: [Double]
    /// Σ premium rate · window: the premium if no protected issuer defaulted.
    let fullPremium: Double

    var providerCount: Int { guarantorEntities.count + sellerEntities.count }

    /// `order` lists the portfolio's bond indices grouped by issuer, `windows` their windows.
    init(portfolio: Portfolio, order: [Int], windows: [Double]) {
        var gSlots: [Int: Int] = [:], sSlots: [Int: Int] = [:]
        var gEntities: [Int] = [], sEntities: [Int] = []
        for b in portfolio.bonds {
            if let g = b.guarantee, gSlots[g.guarantor] == nil {
                gSlots[g.guarantor] = gEntities.count
                gEntities.append(g.guarantor)
            }
            if let p = b.protection, sSlots[p.seller] == nil {
                sSlots[p.seller] = sEntities.count
                sEntities.append(p.seller)
            }
        }
        guarantorEntities = gEntities
        sellerEntities = sEntities
        capacity = gEntities.map { portfolio.entities[$0].capacity ?? .infinity } + sEntities.map { _ in .infinity }
        let ordered = order.map { portfolio.bonds[$0] }
        guarantor = ordered.map { $0.guarantee?.guarantor ?? -1 }
        guarantorSlot = ordered.map { $0.guarantee.map { gSlots[$0.guarantor] ?? -1 } ?? -1 }
        coverage = ordered.map { $0.guarantee?.coverage ?? 0 }
        guaranteeTriggers = ordered.map { $0.guarantee?.triggers ?? .defaultOnly }
        seller = ordered.map { $0.protection?.seller ?? -1 }
        sellerSlot = ordered.map { $0.protection.map { gEntities.count + (sSlots[$0.seller] ?? 0) } ?? -1 }
        protectionNotional = ordered.map { $0.protection?.notional ?? 0 }
        protectionTriggers = ordered.map { $0.protection?.triggers ?? .defaultOnly }
        premiumRate = ordered.map { ($0.protection?.notional ?? 0) * ($0.protection?.spreadBps ?? 0) / 10_000 }
        var premium = 0.0
        for j in ordered.indices { premium += premiumRate[j] * windows[j] }
        fullPremium = premium
    }

    /// Whether bond j's guarantee is settled in order of event time (its guarantor has a capacity).
    @inline(__always)
    func isCapacityLimited(_ j: Int) -> Bool {
        let slot = guarantorSlot[j]
        return slot >= 0 && capacity[slot].isFinite
    }

    /// Settles bond j whose issuer had a credit event in `state` at `tau` inside the window
    /// `window`, with credit loss `gross` and loss rate `rate` (for the protection's cap Np·rate).
    /// `defaultTime(e)` gives the hard-default time τ_e of a provider. Books payouts (by state),
    /// capacity cuts and premium shortfall; returns the holder's loss.
    @inline(__always)
    func settle(_ j: Int, state: CreditState, tau: Double, window: Double, gross: Double, rate: Double,
                ledger: inout PathLedger, defaultTime: (Int) -> Double) -> Double {
        var covered = 0.0
        let g = guarantor[j]
        if g >= 0, guaranteeTriggers[j].pays(in: state), defaultTime(g) > tau {
            let slot = guarantorSlot[j]
            let claim = coverage[j] * gross
            // What the guarantor paid so far on this path is ledger.providerAmount[slot].
            let pay = min(claim, capacity[slot] - ledger.providerAmount[slot])
            if pay < claim { ledger.cutByCapacity(slot: slot) }
            if pay > 0 {
                covered = pay
                ledger.pay(slot: slot, amount: pay, state: state)
            }
        }
        let s = seller[j]
        if s >= 0, protectionTriggers[j].pays(in: state) {
            if defaultTime(s) > tau {
                let pay = min(protectionNotional[j] * rate, gross - covered)
                if pay > 0 {
                    covered += pay
                    ledger.pay(slot: sellerSlot[j], amount: pay, state: state)
                }
            }
            ledger.missPremium(premiumRate[j] * (window - tau))
        }
        return gross - covered
    }
}
