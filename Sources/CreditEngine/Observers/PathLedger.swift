/// What settlement booked on the path being simulated, in plain (unweighted) amounts. Observers
/// read it once at the end of the path together with the path's weight; nothing in the ledger
/// is ever summed across paths, so no figure can bypass the weight.
import CreditMath
import CreditModel

struct PathLedger {
    /// Payout per provider slot on this path; `touched` lists the slots with a payout.
    private(set) var providerAmount: [Double]
    private(set) var touched: [Int] = []
    /// The part of each slot's payout paid on extensions, when states are split.
    private(set) var extensionPayout: [Double]
    /// Guarantor slots whose capacity cut a claim on this path (each listed once).
    private(set) var capacityCut: [Int] = []
    private var cutFlag: [Bool]
    /// Premium not paid on this path because protected issuers defaulted before their windows ended.
    private(set) var premiumShortfall = 0.0
    /// (bond in file order, holder's net loss) for every defaulted bond, when `recordsBonds`.
    private(set) var bondLosses: [(bond: Int, loss: Double)] = []
    let recordsBonds: Bool
    /// Net loss per sector on this path, when sectors are recorded (`sectorOfBond` non-empty).
    private(set) var sectorLoss: [Double]
    private let sectorOfBond: [Int]
    private var sectorsBooked = false
    /// Whether the holder's losses and the payouts are split by credit state (a portfolio whose
    /// issuers can extend): then `stateNet`, `stateGross`, `extensionPayout` and `extended` are kept.
    let splitsStates: Bool
    /// Per credit state (hard default, extension), the holder's net and gross loss on this path.
    private(set) var stateNet: (Double, Double) = (0, 0)
    private(set) var stateGross: (Double, Double) = (0, 0)
    /// Whether an extension hit a bond on this path.
    private(set) var extended = false
    /// Whether settlement must book every bond it settles (for contributions, sectors, states or events).
    let booksBonds: Bool
    /// Whether each bond's event (state, time, gross and net loss) is recorded (`--export-paths`).
    let recordsEvents: Bool
    private(set) var events = PathEvents()

    init(providerSlots: Int, guarantorSlots: Int, recordsBonds: Bool, sectorOfBond: [Int] = [], sectors: Int = 0,
         splitsStates: Bool = false, recordsEvents: Bool = false) {
        providerAmount = [Double](repeating: 0, count: providerSlots)
        extensionPayout = [Double](repeating: 0, count: splitsStates ? providerSlots : 0)
        cutFlag = [Bool](repeating: false, count: guarantorSlots)
        self.recordsBonds = recordsBonds
        self.sectorOfBond = sectorOfBond
        sectorLoss = [Double](repeating: 0, count: sectors)
        self.splitsStates = splitsStates
        self.recordsEvents = recordsEvents
        booksBonds = recordsBonds || !sectorOfBond.isEmpty || splitsStates || recordsEvents
    }

    /// Whether anything besides the loss itself was booked (most paths: nothing).
    var isEmpty: Bool {
        touched.isEmpty && capacityCut.isEmpty && premiumShortfall == 0 && bondLosses.isEmpty && !stateBooked
            && events.isEmpty
    }
    private var stateBooked = false

    @inline(__always)
    mutating func pay(slot: Int, amount: Double, state: CreditState) {
        if providerAmount[slot] == 0 { touched.append(slot) }
        providerAmount[slot] += amount
        if splitsStates && state == .extended { extensionPayout[slot] += amount }
    }

    @inline(__always)
    mutating func cutByCapacity(slot: Int) {
        if !cutFlag[slot] {
            cutFlag[slot] = true
            capacityCut.append(slot)
        }
    }

    @inline(__always)
    mutating func missPremium(_ amount: Double) { premiumShortfall += amount }

    @inline(__always)
    mutating func book(bond: Int, loss: Double) {
        if recordsBonds { bondLosses.append((bond, loss)) }
        if !sectorOfBond.isEmpty {
            sectorLoss[sectorOfBond[bond]] += loss
            sectorsBooked = true
        }
    }

    /// Records bond b's event on this path (when events are recorded); `net` may be completed
    /// later by `addEventNet` (a capacity-limited claim, settled at the path's end).
    @inline(__always)
    mutating func recordEvent(bond: Int, _ kind: BondEvents.Kind, time: Double, gross: Double, net: Double) {
        if recordsEvents { events.record(bond: bond, kind: kind, time: time, gross: gross, net: net) }
    }

    @inline(__always)
    mutating func addEventNet(bond: Int, _ amount: Double) {
        if recordsEvents { events.addNet(bond: bond, amount) }
    }

    /// Books the holder's net and gross loss of a credit event (when states are split).
    @inline(__always)
    mutating func bookEvent(_ state: CreditState, net: Double, gross: Double) {
        guard splitsStates else { return }
        stateBooked = true
        if state == .hardDefault {
            stateNet.0 += net
            stateGross.0 += gross
        } else {
            stateNet.1 += net
            stateGross.1 += gross
            extended = true
        }
    }

    /// Clears the path's entries, keeping capacity; touches nothing when the path booked nothing
    /// (most paths), so no array is checked for uniqueness there.
    mutating func reset() {
        guard !isEmpty || sectorsBooked else { return }
        sectorsBooked = false
        for slot in touched {
            providerAmount[slot] = 0
            if splitsStates { extensionPayout[slot] = 0 }
        }
        touched.removeAll(keepingCapacity: true)
        for slot in capacityCut { cutFlag[slot] = false }
        capacityCut.removeAll(keepingCapacity: true)
        premiumShortfall = 0
        bondLosses.removeAll(keepingCapacity: true)
        if !events.isEmpty { events.removeAll() }
        for i in sectorLoss.indices where sectorLoss[i] != 0 { sectorLoss[i] = 0 }
        stateBooked = false
        stateNet = (0, 0)
        stateGross = (0, 0)
        extended = false
    }
}
