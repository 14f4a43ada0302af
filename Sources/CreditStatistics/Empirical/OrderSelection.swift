/// Order statistics and weighted quantiles of a sample that may be split over processes, found
/// without gathering the values: a search over the doubles (as order-preserving integer keys)
/// that asks, each round, how much of the sample lies at or below a set of pivots — one
/// reduction of counts (or exact weight sums) per round. With p pivots a round narrows the
/// interval (p + 1)-fold, so 64 pivots settle any double in 11 rounds. The answer is the exact
/// sample value, the same as sorting the whole sample would give.
import CreditMath
import CreditModel
import CreditEngine

extension EmpiricalLoss {
    /// The smallest double x in [lo, hi] for which a monotone predicate holds (false below some
    /// point, true from it on; true at hi), for several searches at once. `evaluate` gets, per
    /// search, its pivots, and returns whether the predicate holds at each (every process must
    /// get the same answer: it is a collective query).
    static func smallestHolding(from lo: [Double], to hi: [Double], pivots p: Int,
                                _ evaluate: ([[Double]]) -> [[Bool]]) -> [Double] {
        var low = lo.map(OrderedKey.signed), high = hi.map(OrderedKey.signed)
        while zip(low, high).contains(where: { $0 < $1 }) {
            // Pivots strictly inside [low, high): the interval's keys split into p + 1 parts.
            var keys: [[Int64]] = []
            for (l, h) in zip(low, high) {
                guard l < h else { keys.append([]); continue }
                let width = UInt64(bitPattern: h &- l)
                let step = width / UInt64(p + 1)
                if step == 0 {
                    keys.append((0..<Int(width)).map { l &+ Int64($0) })
                } else {
                    keys.append((1...p).map { l &+ Int64(bitPattern: step &* UInt64($0)) })
                }
            }
            let holds = evaluate(keys.map { $0.map(OrderedKey.double) })
            for s in keys.indices where !keys[s].isEmpty {
                // The first pivot that holds bounds the answer from above; the one before it from below.
                if let first = holds[s].firstIndex(of: true) {
                    high[s] = keys[s][first]
                    if first > 0 { low[s] = keys[s][first - 1] &+ 1 }
                } else {
                    low[s] = keys[s][keys[s].count - 1] &+ 1
                }
            }
        }
        return high.map(OrderedKey.double)
    }

    /// The k-th smallest values over all paths (k in 0..<count, each): the negatives, then
    /// `zeros` zeros, then the positives. One search for all of them.
    public func orderStatistics(_ ks: [Int]) -> [Double] {
        // Rank among the non-zero values, or nil for a zero.
        let ranks: [Int?] = ks.map { k in
            if k < negativeCount { return k }
            return k < negativeCount + zeros ? nil : k - zeros
        }
        let searched = ranks.compactMap { $0 }
        guard !searched.isEmpty else { return ks.map { _ in 0 } }
        // One process holds every value, sorted: the j-th non-zero value is nonZero[j], the
        // answer the search below converges to (10⁴ levels cost 10⁴ look-ups, not 10⁴ searches).
        if reducer is LocalSample, nonZero.count == nonZeroCount {
            return ranks.map { $0.map { nonZero[$0] } ?? 0 }
        }
        // The j-th non-zero value is the smallest x with #{non-zero ≤ x} ≥ j + 1.
        let found = Self.smallestHolding(from: searched.map { _ in smallestNonZero },
                                         to: searched.map { _ in largestNonZero }, pivots: 64) { pivots in
            let flat = pivots.flatMap { $0 }
            let atMost = reducer.sum(flat.map { firstIndex(above: $0) })
            var out: [[Bool]] = [], i = 0
            for (s, ps) in pivots.enumerated() {
                out.append(ps.indices.map { atMost[i + $0] >= searched[s] + 1 })
                i += ps.count
            }
            return out
        }
        var next = found.makeIterator()
        return ranks.map { $0 == nil ? 0 : next.next() ?? 0 }
    }

    /// Weighted VaR_q = inf{x : P̂(L > x) ≤ 1 − q} for each level, with P̂(L > x) = Σ_{L > x} w / n
    /// (the atom at zero included when x < 0). P̂(L > x) is a right-continuous step function that
    /// falls only at sample values, so the infimum is the sample value (or 0, the atom) where it
    /// first holds; when it holds everywhere, the answer is min(0, smallest value), as the
    /// candidates' search of a sorted sample gives. Weight sums are exact, so the comparisons are
    /// the same for any split of the sample.
    func weightedValuesAtRisk(levels: [Double]) -> [Double] {
        guard nonZeroCount > 0 else { return levels.map { _ in 0 } }
        let limits = levels.map { (1 - $0) * Double(count) }
        let low = Swift.min(0, smallestNonZero), high = Swift.max(0, largestNonZero)
        return Self.smallestHolding(from: levels.map { _ in low }, to: levels.map { _ in high }, pivots: 15) { pivots in
            let masses = masses(above: pivots.flatMap { $0 })
            var out: [[Bool]] = [], i = 0
            for (s, ps) in pivots.enumerated() {
                out.append(ps.enumerated().map { j, x in
                    var m = masses[i + j]
                    if x < 0 { m.add(ExactSum(zeroWeight)) }
                    return m.value <= limits[s]
                })
                i += ps.count
            }
            return out
        }
    }
}
