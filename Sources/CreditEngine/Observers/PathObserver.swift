/// Collects a figure from every path that booked something, with the path's weight.
///
/// Observers run after settlement, once per path with at least one screened name; a path with
/// none has zero loss and an empty ledger and adds nothing to any sum. Statistics are computed
/// later from what observers collect (`BlockSummary`), never inside the kernel.
import CreditMath
import CreditModel

protocol PathObserver {
    mutating func observe(path: Int, net: Double, gross: Double, ledger: borrowing PathLedger, weight: PathWeight,
                          into summary: inout BlockSummary)
}

/// Provider payouts (sparse, with their weights) and capacity cuts per guarantor slot.
struct ProviderObserver: PathObserver {
    @inline(__always)
    mutating func observe(path: Int, net: Double, gross: Double, ledger: borrowing PathLedger, weight: PathWeight,
                          into summary: inout BlockSummary) {
        for slot in ledger.touched {
            summary.payouts.append(path: path, slot: slot, amount: ledger.providerAmount[slot], weight: weight)
        }
        for slot in ledger.capacityCut { summary.capacityExhausted[slot].add(1, weight: weight) }
    }
}

/// Premium lost because protected issuers defaulted before their windows ended.
struct PremiumObserver: PathObserver {
    @inline(__always)
    mutating func observe(path: Int, net: Double, gross: Double, ledger: borrowing PathLedger, weight: PathWeight,
                          into summary: inout BlockSummary) {
        if ledger.premiumShortfall != 0 { summary.premiumShortfall.add(ledger.premiumShortfall, weight: weight) }
    }
}

/// The observers of a run: providers and premium always, Euler contributions in a contribution
/// pass, the split by credit state when some issuer can extend, per-bond events when exported.
struct StandardObservers: PathObserver {
    var providers = ProviderObserver()
    var premium = PremiumObserver()
    var contributions: ContributionRecorder?
    var states: CreditStateObserver?
    var events: EventObserver?

    init(contributions: ContributionRecorder?, states: CreditStateObserver? = nil, events: EventObserver? = nil) {
        self.contributions = contributions
        self.states = states
        self.events = events
    }

    @inline(__always)
    mutating func observe(path: Int, net: Double, gross: Double, ledger: borrowing PathLedger, weight: PathWeight,
                          into summary: inout BlockSummary) {
        providers.observe(path: path, net: net, gross: gross, ledger: ledger, weight: weight, into: &summary)
        premium.observe(path: path, net: net, gross: gross, ledger: ledger, weight: weight, into: &summary)
        contributions?.observe(path: path, net: net, gross: gross, ledger: ledger, weight: weight, into: &summary)
        states?.observe(path: path, net: net, gross: gross, ledger: ledger, weight: weight, into: &summary)
        events?.observe(path: path, net: net, gross: gross, ledger: ledger, weight: weight, into: &summary)
    }

    /// At the end of a block.
    mutating func finishBlock(into summary: inout BlockSummary) {
        contributions?.finishBlock(into: &summary)
    }
}
