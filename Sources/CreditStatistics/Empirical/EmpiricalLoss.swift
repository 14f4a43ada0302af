/// The empirical distribution of a real-valued loss over n paths, kept as its sorted non-zero
/// values (negatives, i.e. gains, first) plus the count of zero-loss paths (the atom at zero).
/// Sparse payouts of providers and default-mode losses fit the same form without materialising
/// their zeros; market-value losses below zero fit it too.
///
/// Under importance sampling each path also carries its likelihood ratio w, and every
/// probability is an average of weights: P̂(L > x) = Σ_{L > x} w / n.
///
/// A sample may be split over processes (MPI ranks, see `SampleReducer`): each holds its own
/// paths, and every figure is a collective query (`tails(above:)`, `orderStatistics(_:)`) whose
/// sums are exact (`ExactSum`), so the figures are the same bits for any split, one process
/// included. `count`, `negativeCount`, `zeros`, the weights of the atom and the extremes are
/// global; `nonZero` holds this process's values only (all of them for one process).
///
/// Layout in the sorted order of all n paths: the negative values, then `zeros` paths at 0,
/// then the positive values.
import CreditMath
import CreditModel
import CreditEngine

public struct EmpiricalLoss: Sendable {
    /// Number of paths (all processes).
    public let count: Int
    /// This process's non-zero values, ascending (negatives first).
    public let nonZero: [Double]
    /// Their weights (aligned with `nonZero`); nil for plain Monte Carlo.
    let localWeights: [Double]?
    /// How many of `nonZero` are negative.
    let localNegativeCount: Int
    /// Non-zero values over all processes, and how many of them are negative.
    public let nonZeroCount: Int
    public let negativeCount: Int
    /// Σ w over the zero-loss paths (their count without weights), all processes.
    public let zeroWeight: Double
    /// Σ w² over the zero-loss paths (their count without weights). It enters standard errors
    /// only for events that contain the atom at zero together with values on one side of it
    /// (P̂(L > x) for x < 0, ES below a negative VaR).
    public let zeroSquaredWeight: Double
    /// Smallest and largest non-zero value and largest negative value over all processes (±∞
    /// when there is none).
    let smallestNonZero: Double
    let largestNonZero: Double
    let largestNegative: Double
    /// Exact suffix sums of this process's per-value fields at every `checkpointStride`-th index (the fields of
    /// `addFields`), so that a tail sum costs one look-up and fewer than that many exact additions.
    let checkpoints: [ExactSum]
    let reducer: any SampleReducer

    static let checkpointStride = 512

    public var isWeighted: Bool { localWeights != nil }
    /// Paths with zero loss.
    public var zeros: Int { count - nonZeroCount }
    /// This process's positive values, ascending.
    public var positive: [Double] { Array(nonZero[localNegativeCount...]) }
    public var positiveValues: ArraySlice<Double> { nonZero[localNegativeCount...] }
    /// This process's negative values (gains), ascending.
    public var negativeValues: ArraySlice<Double> { nonZero[..<localNegativeCount] }
    /// Whether any path has a loss below zero.
    public var hasNegativeValues: Bool { negativeCount > 0 }
    /// Smallest value over all paths (0 for an empty sample).
    public var minimum: Double {
        if negativeCount > 0 { return smallestNonZero }
        return zeros > 0 ? 0 : (nonZeroCount > 0 ? smallestNonZero : 0)
    }
    /// Largest value over all paths (0 for an empty sample).
    public var maximum: Double {
        if nonZeroCount > 0, largestNonZero > 0 { return largestNonZero }
        return zeros > 0 ? 0 : (nonZeroCount > 0 ? largestNonZero : 0)
    }

    /// From all n values (zeros included; any sign).
    public init(values: [Double]) {
        self.init(values: values, reducer: LocalSample())
    }

    /// From this process's values of a sample split over processes (`count` is then global).
    public init(values: [Double], reducer: any SampleReducer) {
        var p = values.filter { $0 != 0 }
        p.sort()
        self.init(sorted: p, weights: nil, localCount: values.count, zeroWeight: ExactSum(Double(values.count - p.count)),
                  zeroSquares: nil, reducer: reducer)
    }

    /// From all n values (any sign) with their likelihood ratios.
    public init(values: [Double], weights: [Double]) {
        self.init(values: values, weights: weights, reducer: LocalSample())
    }

    /// From this process's values and likelihood ratios of a split sample.
    public init(values: [Double], weights: [Double], reducer: any SampleReducer) {
        precondition(values.count == weights.count)
        var zeroWeight = ExactSum(), zeroSquares = ExactSum()
        var pairs: [(Double, Double)] = []
        for (x, w) in zip(values, weights) {
            if x != 0 { pairs.append((x, w)) } else { zeroWeight.add(w); zeroSquares.add(w * w) }
        }
        self.init(pairs: pairs, localCount: values.count, zeroWeight: zeroWeight, zeroSquares: zeroSquares, reducer: reducer)
    }

    /// From (value, weight) pairs of the non-zero paths (any sign); the other paths' weights sum
    /// to `zeroWeight`. A pair whose value is 0 joins the atom (its weight is added to it).
    ///
    /// The zero paths' Σ w² is not known here; it is taken as zeroWeight² / (their count), the
    /// Cauchy–Schwarz lower bound, exact when they share one weight. It matters only for
    /// standard errors of events containing the atom and negative values (see `zeroSquaredWeight`);
    /// pass it with `init(weightedPairs:count:zeroWeight:zeroSquaredWeight:)` when known.
    public init(weightedPairs: [(Double, Double)], count: Int, zeroWeight: Double) {
        self.init(weightedPairs: weightedPairs, localCount: count, zeroWeight: ExactSum(zeroWeight), reducer: LocalSample())
    }

    /// As `init(weightedPairs:count:zeroWeight:)` for this process's part of a split sample:
    /// its `localCount` paths, the exact Σ w of those of them not in `weightedPairs`.
    public init(weightedPairs: [(Double, Double)], localCount: Int, zeroWeight: ExactSum, reducer: any SampleReducer) {
        var pairs: [(Double, Double)] = []
        pairs.reserveCapacity(weightedPairs.count)
        var zw = zeroWeight
        for (x, w) in weightedPairs {
            if x != 0 { pairs.append((x, w)) } else { zw.add(w) }
        }
        self.init(pairs: pairs, localCount: localCount, zeroWeight: zw, zeroSquares: nil, reducer: reducer)
    }

    /// As `init(weightedPairs:count:zeroWeight:)`, with Σ w² over the paths not in `weightedPairs`.
    public init(weightedPairs: [(Double, Double)], count: Int, zeroWeight: Double, zeroSquaredWeight: Double) {
        var pairs: [(Double, Double)] = []
        var zw = ExactSum(zeroWeight), zw2 = ExactSum(zeroSquaredWeight)
        for (x, w) in weightedPairs {
            if x != 0 { pairs.append((x, w)) } else { zw.add(w); zw2.add(w * w) }
        }
        self.init(pairs: pairs, localCount: count, zeroWeight: zw, zeroSquares: zw2, reducer: LocalSample())
    }

    /// From the non-zero values (any sign) of a sparse loss over `count` paths; zeros among them
    /// join the atom.
    public init(nonZero: [Double], count: Int) {
        self.init(nonZero: nonZero, localCount: count, reducer: LocalSample())
    }

    /// As `init(nonZero:count:)` for this process's `localCount` paths of a split sample.
    public init(nonZero: [Double], localCount: Int, reducer: any SampleReducer) {
        precondition(nonZero.count <= localCount)
        var p = nonZero.filter { $0 != 0 }
        p.sort()
        self.init(sorted: p, weights: nil, localCount: localCount, zeroWeight: ExactSum(Double(localCount - p.count)),
                  zeroSquares: nil, reducer: reducer)
    }

    /// From the non-zero (value, weight) pairs, in any order.
    private init(pairs: [(Double, Double)], localCount: Int, zeroWeight: ExactSum, zeroSquares: ExactSum?,
                 reducer: any SampleReducer) {
        precondition(pairs.count <= localCount)
        var pairs = pairs
        pairs.sort { $0.0 < $1.0 }
        self.init(sorted: pairs.map(\.0), weights: pairs.map(\.1), localCount: localCount, zeroWeight: zeroWeight,
                  zeroSquares: zeroSquares, reducer: reducer)
    }

    /// The designated initialiser: this process's sorted non-zero values and their weights; one
    /// reduction makes the counts, the atom's weights and the extremes global. Without
    /// `zeroSquares` (weighted), Σ w² of the atom is estimated as in `init(weightedPairs:count:zeroWeight:)`.
    private init(sorted: [Double], weights: [Double]?, localCount: Int, zeroWeight: ExactSum, zeroSquares: ExactSum?,
                 reducer: any SampleReducer) {
        let negatives = Self.countBelowZero(sorted)
        nonZero = sorted
        localWeights = weights
        localNegativeCount = negatives
        self.reducer = reducer
        let (sums, counts) = reducer.sum([zeroWeight, zeroSquares ?? ExactSum()], counts: [localCount, sorted.count, negatives])
        count = counts[0]
        nonZeroCount = counts[1]
        negativeCount = counts[2]
        let zw = sums[0].value
        self.zeroWeight = weights == nil ? Double(count - nonZeroCount) : zw
        if weights == nil {
            zeroSquaredWeight = Double(count - nonZeroCount)
        } else if zeroSquares != nil {
            zeroSquaredWeight = sums[1].value
        } else {
            let unseen = count - nonZeroCount
            zeroSquaredWeight = unseen > 0 ? zw * zw / Double(unseen) : 0
        }
        let (maxima, minima) = reducer.extremes(
            maxima: [sorted.last ?? -.infinity, negatives > 0 ? sorted[negatives - 1] : -.infinity],
            minima: [sorted.first ?? .infinity])
        largestNonZero = maxima[0]
        largestNegative = maxima[1]
        smallestNonZero = minima[0]
        checkpoints = Self.suffixCheckpoints(sorted, weights)
    }

    /// Number of leading negative values of an ascending array (binary search).
    private static func countBelowZero(_ sorted: [Double]) -> Int {
        var lo = 0, hi = sorted.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if sorted[mid] < 0 { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    // MARK: Tail sums

    /// Sums over the non-zero values above a point, over all processes: how many, and (rounded
    /// from exact sums) Σ w, Σ w x, Σ w x², Σ w², Σ w² x, Σ w² x² (w = 1 without weights). The atom
    /// at zero is never included: callers add it where the event holds it.
    struct Tail {
        var count: Int
        var w: Double, wx: Double, wx2: Double, w2: Double, w2x: Double, w2x2: Double
    }

    /// The fields summed per value: x and x² without weights; w, w x, w x², w², w² x, w² x² with.
    var fieldCount: Int { localWeights == nil ? 2 : 6 }

    @inline(__always)
    static func addFields(_ x: Double, _ w: Double?, to sums: inout [ExactSum]) {
        if let w {
            let wx = w * x, w2 = w * w
            sums[0].add(w); sums[1].add(wx); sums[2].add(wx * x)
            sums[3].add(w2); sums[4].add(w2 * x); sums[5].add(w2 * x * x)
        } else {
            sums[0].add(x); sums[1].add(x * x)
        }
    }

    /// Exact sums of the fields over values[c·checkpointStride...] for every checkpoint c, row-major.
    private static func suffixCheckpoints(_ values: [Double], _ weights: [Double]?) -> [ExactSum] {
        let fields = weights == nil ? 2 : 6
        let points = (values.count + checkpointStride - 1) / checkpointStride
        var out = [ExactSum](repeating: ExactSum(), count: points * fields)
        var running = [ExactSum](repeating: ExactSum(), count: fields)
        var i = values.count - 1
        for c in stride(from: points - 1, through: 0, by: -1) {
            while i >= c * Self.checkpointStride {
                addFields(values[i], weights?[i], to: &running)
                i -= 1
            }
            for f in 0..<fields { out[c * fields + f] = running[f] }
        }
        return out
    }

    /// This process's exact sums of the fields over nonZero[from...]; with `weightOnly` (a
    /// weighted sample), of Σ w alone (the first field), which is all a mass needs.
    func localSuffix(from f: Int, weightOnly: Bool = false) -> [ExactSum] {
        let fields = fieldCount, wanted = weightOnly ? 1 : fields
        let c = (f + Self.checkpointStride - 1) / Self.checkpointStride
        var sums = c * Self.checkpointStride < nonZero.count ? Array(checkpoints[c * fields..<c * fields + wanted])
                                                              : [ExactSum](repeating: ExactSum(), count: wanted)
        for i in f..<min(c * Self.checkpointStride, nonZero.count) {
            if weightOnly { sums[0].add(localWeights?[i] ?? 1) } else { Self.addFields(nonZero[i], localWeights?[i], to: &sums) }
        }
        return sums
    }

    /// The tail sums above each of `points`, in one reduction.
    func tails(above points: [Double]) -> [Tail] {
        var local: [ExactSum] = [], counts: [Int] = []
        for x in points {
            let f = firstIndex(above: x)
            counts.append(nonZero.count - f)
            local += localSuffix(from: f)
        }
        let (sums, total) = reducer.sum(local, counts: counts)
        let k = fieldCount
        return points.indices.map { j in
            let s = sums[j * k..<(j + 1) * k].map(\.value)
            if k == 2 {
                let c = Double(total[j])
                return Tail(count: total[j], w: c, wx: s[0], wx2: s[1], w2: c, w2x: s[0], w2x2: s[1])
            }
            return Tail(count: total[j], w: s[0], wx: s[1], wx2: s[2], w2: s[3], w2x: s[4], w2x2: s[5])
        }
    }

    func tail(above x: Double) -> Tail { tails(above: [x])[0] }

    /// Paths (of every process) with a non-zero value at or above x (x > 0).
    public func pathCount(atLeast x: Double) -> Int { tail(above: x.nextDown).count }

    /// The exact Σ w (counts without weights) of the non-zero values above each point, in one
    /// reduction: what the histogram and the weighted VaR search need.
    func masses(above points: [Double]) -> [ExactSum] {
        if localWeights == nil {
            let counts = reducer.sum(points.map { nonZero.count - firstIndex(above: $0) })
            return counts.map { ExactSum(Double($0)) }
        }
        return reducer.sum(points.map { localSuffix(from: firstIndex(above: $0), weightOnly: true)[0] })
    }

    // MARK: Figures

    /// Mean and standard deviation (weighted: Σ w x / n and the square root of Σ w x² / n −
    /// mean²; plain: the unbiased one, from the exact Σ (x − mean)² of a second pass).
    public var meanAndStdDev: (mean: Double, sd: Double) {
        let m = moments
        return (m.mean, m.sd)
    }

    /// Standard error of the mean: sd(w·L)/√n (sd(L)/√n without weights).
    public var meanStandardError: Double { moments.se }

    /// Mean, standard deviation and the mean's standard error, from one pass of queries (the
    /// plain sample's second pass included), for callers that need all three.
    public var moments: (mean: Double, sd: Double, se: Double) {
        guard count > 0 else { return (0, 0, 0) }
        let n = Double(count)
        let all = tail(above: -.infinity)
        let mean = all.wx / n
        if isWeighted {
            let se = count > 1 ? (max(0, all.w2x2 / n - mean * mean) / n).squareRoot() : 0
            return (mean, max(0, all.wx2 / n - mean * mean).squareRoot(), se)
        }
        var local = ExactSum()
        for x in nonZero { local.add((x - mean) * (x - mean)) }
        let ss = reducer.sum([local])[0].value + Double(zeros) * mean * mean
        let sd = count > 1 ? (ss / (n - 1)).squareRoot() : 0
        return (mean, sd, count > 1 ? sd / n.squareRoot() : 0)
    }

    /// P̂(L > x) and its standard error from the tail above x: p(1 − p)/n without weights, the
    /// sample variance of w·1{L > x} over n with them. The atom at zero counts when x < 0.
    func exceedance(_ x: Double, tail t: Tail) -> (probability: Double, se: Double) {
        let n = Double(max(count, 1))
        if isWeighted {
            let p = x < 0 ? (t.w + zeroWeight) / n : t.w / n
            let second = x < 0 ? (t.w2 + zeroSquaredWeight) / n : t.w2 / n
            return (p, (max(0, second - p * p) / n).squareRoot())
        }
        let p = x < 0 && negativeCount == 0 ? 1 : Double(t.count + (x < 0 ? zeros : 0)) / n
        return (p, (p * (1 - p) / n).squareRoot())
    }

    /// P̂(L > x) for any real x, and its standard error (see `exceedance(_:tail:)`).
    public func exceedance(_ x: Double) -> (probability: Double, se: Double) {
        exceedance(x, tail: tail(above: x))
    }

    /// `exceedance` at several points, in one reduction.
    public func exceedances(_ points: [Double]) -> [(probability: Double, se: Double)] {
        zip(points, tails(above: points)).map { exceedance($0, tail: $1) }
    }

    /// Index in `nonZero` (this process's values) of the first value > x.
    public func firstIndex(above x: Double) -> Int {
        partitionPoint { $0 <= x }
    }

    /// Index in `nonZero` (this process's values) of the first value ≥ x.
    public func firstIndex(atLeast x: Double) -> Int {
        partitionPoint { $0 < x }
    }

    /// First index where `before` turns false (binary search; `nonZero` is sorted).
    private func partitionPoint(_ before: (Double) -> Bool) -> Int {
        var lo = 0, hi = nonZero.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if before(nonZero[mid]) { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// The k-th smallest value over all paths, k in 0..<count.
    public func orderStatistic(_ k: Int) -> Double { orderStatistics([k])[0] }

    /// VaR_q = inf{x : P̂(L ≤ x) ≥ q}, the same figure as `RiskMeasures.measure(_:level:)`.
    /// 0 for an empty sample.
    public func quantile(_ q: Double) -> Double {
        guard count > 0 else { return 0 }
        if isWeighted { return weightedValuesAtRisk(levels: [q])[0] }
        return orderStatistic(RiskMeasures.varIndex(level: q, count: count))
    }

    /// P(L ≤ x) for any real x. Without weights, the share of paths ≤ x. With weights,
    /// 1 − P̂(L > x) from `minimum(0, smallest value)` on and 0 below it (so that the weighted
    /// tail, which the risk measures use, is what the complement shows). 1 for an empty sample.
    public func cdf(_ x: Double) -> Double { cdfs([x])[0] }

    /// `cdf` at several points, in one reduction.
    public func cdfs(_ points: [Double]) -> [Double] {
        guard count > 0 else { return points.map { _ in 1 } }
        let floor = negativeCount > 0 ? smallestNonZero : 0
        let tails = tails(above: points)
        return zip(points, tails).map { x, t in
            if x < floor { return 0 }
            if isWeighted { return 1 - (x < 0 ? t.w + zeroWeight : t.w) / Double(count) }
            return Double((x < 0 ? 0 : zeros) + nonZeroCount - t.count) / Double(count)
        }
    }
}
