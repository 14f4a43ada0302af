/// Where the figures split by credit state sit in `BlockSummary.states` and `RunSummary.states`:
/// the holder's net loss in a hard default, in an extension and in migration (market valuation:
/// the rest of the path's loss), the same three for the gross loss, the indicator of a path with
/// an extension, then per provider slot its payouts on hard defaults and on extensions.
import CreditMath
import CreditModel

public enum CreditStateTallies {
    public static func net(_ state: CreditState) -> Int { state.rawValue }
    public static let netMigration = 2
    public static func gross(_ state: CreditState) -> Int { 3 + state.rawValue }
    public static let grossMigration = 5
    public static let extended = 6
    public static func payout(slot: Int, _ state: CreditState) -> Int { 7 + 2 * slot + state.rawValue }
    public static func count(slots: Int) -> Int { 7 + 2 * slots }
}

/// Splits the path's figures by credit state, with the path's weight: the holder's net and gross
/// loss (migration is what the path lost besides its credit events), each provider's payouts, and
/// whether an extension hit a bond.
struct CreditStateObserver: PathObserver {
    @inline(__always)
    mutating func observe(path: Int, net: Double, gross: Double, ledger: borrowing PathLedger, weight: PathWeight,
                          into summary: inout BlockSummary) {
        guard var t = summary.states else { return }
        summary.states = nil
        defer { summary.states = t }
        let (netD, netE) = ledger.stateNet, (grossD, grossE) = ledger.stateGross
        if netD != 0 { t[CreditStateTallies.net(.hardDefault)].add(netD, weight: weight) }
        if netE != 0 { t[CreditStateTallies.net(.extended)].add(netE, weight: weight) }
        if grossD != 0 { t[CreditStateTallies.gross(.hardDefault)].add(grossD, weight: weight) }
        if grossE != 0 { t[CreditStateTallies.gross(.extended)].add(grossE, weight: weight) }
        let netMigration = net - netD - netE, grossMigration = gross - grossD - grossE
        if netMigration != 0 { t[CreditStateTallies.netMigration].add(netMigration, weight: weight) }
        if grossMigration != 0 { t[CreditStateTallies.grossMigration].add(grossMigration, weight: weight) }
        if ledger.extended { t[CreditStateTallies.extended].add(1, weight: weight) }
        for slot in ledger.touched {
            let onExtensions = ledger.extensionPayout[slot]
            let onDefaults = ledger.providerAmount[slot] - onExtensions
            if onDefaults != 0 { t[CreditStateTallies.payout(slot: slot, .hardDefault)].add(onDefaults, weight: weight) }
            if onExtensions != 0 { t[CreditStateTallies.payout(slot: slot, .extended)].add(onExtensions, weight: weight) }
        }
    }
}
