/// What settlement booked on the path being simulated, in plain (unweighted) amounts. Observers
/// read it once at the end of the path together with the path's weight; nothing in the ledger
/// is ever summed across paths, so no figure can bypass the weight.
struct PathLedger {
    /// Payout per provider slot on this path; `touched` lists the slots with a payout.
    private(set) var providerAmount: [Double]
    private(set) var touched: [Int] = []
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
    /// Whether settlement must book every defaulted bond's loss (for contributions or sectors).
    let booksBonds: Bool

    init(providerSlots: Int, guarantorSlots: Int, recordsBonds: Bool, sectorOfBond: [Int] = [], sectors: Int = 0) {
        providerAmount = [Double](repeating: 0, count: providerSlots)
        cutFlag = [Bool](repeating: false, count: guarantorSlots)
        self.recordsBonds = recordsBonds
        self.sectorOfBond = sectorOfBond
        sectorLoss = [Double](repeating: 0, count: sectors)
        booksBonds = recordsBonds || !sectorOfBond.isEmpty
    }

    /// Whether anything besides the loss itself was booked (most paths: nothing).
    var isEmpty: Bool { touched.isEmpty && capacityCut.isEmpty && premiumShortfall == 0 && bondLosses.isEmpty }

    @inline(__always)
    mutating func pay(slot: Int, amount: Double) {
        if providerAmount[slot] == 0 { touched.append(slot) }
        providerAmount[slot] += amount
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
        if !sectorOfBond.isEmpty { sectorLoss[sectorOfBond[bond]] += loss }
    }

    /// Clears the path's entries, keeping capacity.
    mutating func reset() {
        for slot in touched { providerAmount[slot] = 0 }
        touched.removeAll(keepingCapacity: true)
        for slot in capacityCut { cutFlag[slot] = false }
        capacityCut.removeAll(keepingCapacity: true)
        premiumShortfall = 0
        bondLosses.removeAll(keepingCapacity: true)
        for i in sectorLoss.indices where sectorLoss[i] != 0 { sectorLoss[i] = 0 }
    }
}
