/// Per-bond credit events of a run (`--export-paths`, `paths/events/`): one record per path and
/// bond with a loss on that path, in path order and, within a path, by bond. Columns, not
/// records, so that each is one `.npy` file as it stands.
import CreditMath
import CreditModel

public struct BondEvents: Sendable, Equatable, Codable {
    /// What happened to the bond: its issuer's hard default, extension, or (market valuation) a
    /// rating move valued at the horizon. The raw values are those of `state.npy`.
    public enum Kind: Int8, Sendable, CaseIterable {
        case hardDefault = 1
        case extended = 2
        case migration = 3

        init(_ state: CreditState) { self = state == .hardDefault ? .hardDefault : .extended }
    }

    public var path: [Int] = []
    /// Row of the bond in the bonds file, 0-based.
    public var bond: [Int32] = []
    public var kind: [Int8] = []
    /// Event time in years (the horizon for a migration).
    public var time: [Double] = []
    /// The bond's gross and net loss on the path (the holder's, after guarantees and protection).
    public var gross: [Double] = []
    public var net: [Double] = []

    public init() {}

    public var count: Int { path.count }

    /// Bytes per record in memory and in the files: 8 + 4 + 1 + 3 × 8.
    public static let bytesPerRecord = 37

    mutating func append(contentsOf other: BondEvents) {
        path.append(contentsOf: other.path)
        bond.append(contentsOf: other.bond)
        kind.append(contentsOf: other.kind)
        time.append(contentsOf: other.time)
        gross.append(contentsOf: other.gross)
        net.append(contentsOf: other.net)
    }

    /// Columns read back (a shard's arrays), in path order.
    public init(path: [Int], bond: [Int32], kind: [Int8], time: [Double], gross: [Double], net: [Double]) {
        self.path = path
        self.bond = bond
        self.kind = kind
        self.time = time
        self.gross = gross
        self.net = net
    }
}

/// The events of the path being simulated, as settlement books them (a capacity-limited claim
/// books its gross loss at the event and its net loss at the path's end).
struct PathEvents {
    private(set) var bond: [Int] = []
    private(set) var kind: [BondEvents.Kind] = []
    private(set) var time: [Double] = []
    private(set) var gross: [Double] = []
    private(set) var net: [Double] = []

    var isEmpty: Bool { bond.isEmpty }

    @inline(__always)
    mutating func record(bond b: Int, kind k: BondEvents.Kind, time t: Double, gross g: Double, net n: Double) {
        bond.append(b)
        kind.append(k)
        time.append(t)
        gross.append(g)
        net.append(n)
    }

    /// Adds to the net loss of bond b's event on this path (its latest record).
    mutating func addNet(bond b: Int, _ amount: Double) {
        if let i = bond.lastIndex(of: b) { net[i] += amount }
    }

    mutating func removeAll() {
        bond.removeAll(keepingCapacity: true)
        kind.removeAll(keepingCapacity: true)
        time.removeAll(keepingCapacity: true)
        gross.removeAll(keepingCapacity: true)
        net.removeAll(keepingCapacity: true)
    }

    /// Appends the path's records with a loss to `out`, by bond.
    func flush(path: Int, into out: inout BondEvents) {
        let order = bond.indices.sorted { bond[$0] < bond[$1] }
        for i in order where gross[i] != 0 || net[i] != 0 {
            out.path.append(path)
            out.bond.append(Int32(truncatingIfNeeded: bond[i]))
            out.kind.append(kind[i].rawValue)
            out.time.append(time[i])
            out.gross.append(gross[i])
            out.net.append(net[i])
        }
    }
}

/// Copies each path's events into the block's summary.
struct EventObserver: PathObserver {
    @inline(__always)
    mutating func observe(path: Int, net: Double, gross: Double, ledger: borrowing PathLedger, weight: PathWeight,
                          into summary: inout BlockSummary) {
        guard !ledger.events.isEmpty else { return }
        var events = summary.events ?? BondEvents()
        summary.events = nil
        ledger.events.flush(path: path, into: &events)
        summary.events = events
    }
}
