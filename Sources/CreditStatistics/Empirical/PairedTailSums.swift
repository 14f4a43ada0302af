import CreditMath

/// The tail sums that the paired VaR and ES errors of every level need, for any number of
/// levels in one pass over the paths.
///
/// Per level k (levels ascending, so both runs' VaRs va_k, vb_k ascend and their tails shrink),
/// over the paths with a > va_k: Σ w, Σ w a, Σ w², Σ w² a, Σ w² a² (run A; likewise B); over the
/// paths in both tails: Σ w w', Σ w w' a, Σ w w' b, Σ w w' a b. A path lies in A's tail for the
/// levels below ka = #{k : va_k < a}, so it is added once, to bucket ka, and each level's sums are
/// the suffix sums of the buckets above it (the same for B and for both, with min(ka, kb)). Sums
/// are exact and reduced once over the processes of a split run, so the figures are the same
/// bits for any split. (One pass per level cost 10⁴ passes over every path at 10⁴ levels.)
struct PairedTailSums {
    /// Per level (in the order given), the 14 totals above, rounded.
    let totals: [[Double]]

    static let fields = 14

    init(_ a: [Double], _ wa: [Double]?, valuesAtRiskA va: [Double],
         _ b: [Double], _ wb: [Double]?, valuesAtRiskB vb: [Double], reducer: any SampleReducer) {
        let levels = va.count
        // The order in which both VaRs ascend (the levels' order; ties kept).
        let order = va.indices.sorted { (va[$0], vb[$0], $0) < (va[$1], vb[$1], $1) }
        let sortedA = order.map { va[$0] }, sortedB = order.map { vb[$0] }
        /// #{k : v_k < x} in an ascending array.
        func rank(_ x: Double, _ v: [Double]) -> Int {
            var low = 0, high = v.count
            while low < high {
                let mid = (low + high) / 2
                if v[mid] < x { low = mid + 1 } else { high = mid }
            }
            return low
        }
        // Bucket j holds the paths whose tail membership ends at level j (exclusive).
        var buckets = [[ExactSum]](repeating: [], count: levels + 1)
        func add(_ bucket: Int, _ offset: Int, _ values: Double...) {
            if buckets[bucket].isEmpty { buckets[bucket] = [ExactSum](repeating: ExactSum(), count: Self.fields) }
            for (j, x) in values.enumerated() { buckets[bucket][offset + j].add(x) }
        }
        for i in a.indices {
            let ka = a[i].isNaN ? 0 : rank(a[i], sortedA), kb = b[i].isNaN ? 0 : rank(b[i], sortedB)
            guard ka > 0 || kb > 0 else { continue }
            let ua = wa?[i] ?? 1, ub = wb?[i] ?? 1
            if ka > 0 { add(ka, 0, ua, ua * a[i], ua * ua, ua * ua * a[i], ua * ua * a[i] * a[i]) }
            if kb > 0 { add(kb, 5, ub, ub * b[i], ub * ub, ub * ub * b[i], ub * ub * b[i] * b[i]) }
            let both = min(ka, kb)
            if both > 0 { add(both, 10, ua * ub, ua * ub * a[i], ua * ub * b[i], ua * ub * a[i] * b[i]) }
        }
        // Suffix sums: level k (sorted) takes every bucket above k.
        var running = [ExactSum](repeating: ExactSum(), count: Self.fields)
        var perLevel = [ExactSum](repeating: ExactSum(), count: levels * Self.fields)
        for k in stride(from: levels - 1, through: 0, by: -1) {
            for (j, s) in buckets[k + 1].enumerated() { running[j].add(s) }
            for j in 0..<Self.fields { perLevel[k * Self.fields + j] = running[j] }
        }
        let values = reducer.sum(perLevel).map(\.value)
        var totals = [[Double]](repeating: [], count: levels)
        for (k, level) in order.enumerated() { totals[level] = Array(values[k * Self.fields..<(k + 1) * Self.fields]) }
        self.totals = totals
    }
}
