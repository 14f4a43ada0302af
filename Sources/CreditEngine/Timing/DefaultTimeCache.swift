/// Default times computed at most once per name and path (a guarantor's τ is needed by every bond
/// it covers). Entries are stamped with the path, so nothing is cleared between paths.
import CreditMath
import CreditModel

struct DefaultTimeCache {
    private var stamp = 0
    private var stamps: [Int]
    private var times: [Double]

    init(entities n: Int) {
        stamps = [Int](repeating: -1, count: n)
        times = [Double](repeating: 0, count: n)
    }

    /// Starts a new path: every cached time becomes stale.
    mutating func nextPath() { stamp &+= 1 }

    /// τ_e of this path, computed by `compute` the first time it is asked for.
    @inline(__always)
    mutating func time(_ e: Int, _ compute: (Int) -> Double) -> Double {
        if stamps[e] == stamp { return times[e] }
        let t = compute(e)
        store(e, t)
        return t
    }

    /// Replaces τ_e for this path (market mode caps a default inside the horizon).
    @inline(__always)
    mutating func store(_ e: Int, _ t: Double) {
        stamps[e] = stamp
        times[e] = t
    }
}
