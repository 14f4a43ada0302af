/// The empirical distribution of a real-valued loss over n paths, kept as its sorted non-zero
/// values (negatives, i.e. gains, first) plus the count of zero-loss paths (the atom at zero).
/// Sparse payouts of providers and default-mode losses fit the same form without materialising
/// their zeros; market-value losses below zero fit it too.
///
/// Under importance sampling each path also carries its likelihood ratio w, and every
/// probability is an average of weights: P̂(L > x) = Σ_{L > x} w / n.
///
/// Layout in the sorted order of all n paths: `nonZero[0..<negativeCount]` (values < 0), then
/// `zeros` paths at 0, then `nonZero[negativeCount...]` (values > 0). For a non-negative sample
/// `negativeCount == 0` and `nonZero == positive`, and every figure is what it was before
/// signed samples were allowed.
public struct EmpiricalLoss: Sendable {
    /// Number of paths.
    public let count: Int
    /// The non-zero values, ascending (negatives first).
    public let nonZero: [Double]
    /// How many of `nonZero` are negative: `nonZero[0..<negativeCount]` are < 0.
    public let negativeCount: Int
    /// tailSum[i] = Σ_{j ≥ i} nonZero[j] and tailSquares[i] = Σ_{j ≥ i} nonZero[j]², with a
    /// trailing 0: any tail measure is then a binary search and two look-ups (zeros add nothing
    /// to either sum).
    let tailSum: [Double]
    let tailSquares: [Double]
    /// Paths with zero loss.
    public var zeros: Int { count - nonZero.count }
    /// Likelihood-ratio sums for weighted (importance-sampled) losses, aligned with `nonZero`
    /// and with a trailing 0: Σ w, Σ w x, Σ w x², Σ w², Σ w² x, Σ w² x² from index i on.
    /// Nil for plain Monte Carlo.
    let weighted: WeightedTails?
    /// Σ w over the zero-loss paths (their count without weights).
    public let zeroWeight: Double
    /// Σ w² over the zero-loss paths (their count without weights). It enters standard errors
    /// only for events that contain the atom at zero together with values on one side of it
    /// (P̂(L > x) for x < 0, ES below a negative VaR).
    public let zeroSquaredWeight: Double

    struct WeightedTails: Sendable {
        var w: [Double], wx: [Double], wx2: [Double], w2: [Double], w2x: [Double], w2x2: [Double]
    }

    public var isWeighted: Bool { weighted != nil }

    /// The positive values, ascending: `nonZero[negativeCount...]`. For a non-negative sample
    /// this is `nonZero` itself (shared storage); with negatives present it is a copy, so prefer
    /// `positiveValues` in loops.
    public var positive: [Double] { negativeCount == 0 ? nonZero : Array(nonZero[negativeCount...]) }
    /// The positive values as a slice of `nonZero` (no copy).
    public var positiveValues: ArraySlice<Double> { nonZero[negativeCount...] }
    /// The negative values (gains), ascending, as a slice of `nonZero` (no copy).
    public var negativeValues: ArraySlice<Double> { nonZero[..<negativeCount] }
    /// Whether any path has a loss below zero.
    public var hasNegativeValues: Bool { negativeCount > 0 }
    /// Smallest value over all paths (0 for an empty sample).
    public var minimum: Double {
        if negativeCount > 0 { return nonZero[0] }
        return zeros > 0 ? 0 : nonZero.first ?? 0
    }
    /// Largest value over all paths (0 for an empty sample).
    public var maximum: Double {
        if let last = nonZero.last, last > 0 { return last }
        return zeros > 0 ? 0 : nonZero.last ?? 0
    }

    /// From all n values (zeros included; any sign).
    public init(values: [Double]) {
        self.init(nonZero: values, count: values.count)
    }

    /// From all n values (any sign) with their likelihood ratios.
    public init(values: [Double], weights: [Double]) {
        precondition(values.count == weights.count)
        var zeroWeight = 0.0, zeroSquares = 0.0
        var pairs: [(Double, Double)] = []
        for (x, w) in zip(values, weights) {
            if x != 0 { pairs.append((x, w)) } else { zeroWeight += w; zeroSquares += w * w }
        }
        self.init(sortedPairs: pairs, count: values.count, zeroWeight: zeroWeight, zeroSquaredWeight: zeroSquares)
    }

    /// From (value, weight) pairs of the non-zero paths (any sign); the other paths' weights sum
    /// to `zeroWeight`. A pair whose value is 0 joins the atom (its weight is added to it).
    ///
    /// The zero paths' Σ w² is not known here; it is taken as zeroWeight² / (their count), the
    /// Cauchy–Schwarz lower bound, exact when they share one weight. It matters only for
    /// standard errors of events containing the atom and negative values (see `zeroSquaredWeight`);
    /// pass it with `init(weightedPairs:count:zeroWeight:zeroSquaredWeight:)` when known.
    public init(weightedPairs: [(Double, Double)], count: Int, zeroWeight: Double) {
        let unseen = count - weightedPairs.count
        let estimate = unseen > 0 ? zeroWeight * zeroWeight / Double(unseen) : 0
        self.init(weightedPairs: weightedPairs, count: count, zeroWeight: zeroWeight, zeroSquaredWeight: estimate)
    }

    /// As `init(weightedPairs:count:zeroWeight:)`, with Σ w² over the paths not in `weightedPairs`.
    public init(weightedPairs: [(Double, Double)], count: Int, zeroWeight: Double, zeroSquaredWeight: Double) {
        var pairs: [(Double, Double)] = []
        pairs.reserveCapacity(weightedPairs.count)
        var zw = zeroWeight, zw2 = zeroSquaredWeight
        for (x, w) in weightedPairs {
            if x != 0 { pairs.append((x, w)) } else { zw += w; zw2 += w * w }
        }
        self.init(sortedPairs: pairs, count: count, zeroWeight: zw, zeroSquaredWeight: zw2)
    }

    /// From the non-zero (value, weight) pairs, in any order.
    private init(sortedPairs pairs: [(Double, Double)], count: Int, zeroWeight: Double, zeroSquaredWeight: Double) {
        precondition(pairs.count <= count)
        var pairs = pairs
        pairs.sort { $0.0 < $1.0 }
        self.count = count
        nonZero = pairs.map(\.0)
        negativeCount = Self.countBelowZero(nonZero)
        self.zeroWeight = zeroWeight
        self.zeroSquaredWeight = zeroSquaredWeight
        let m = pairs.count
        var t = WeightedTails(w: .init(repeating: 0, count: m + 1), wx: .init(repeating: 0, count: m + 1),
                              wx2: .init(repeating: 0, count: m + 1), w2: .init(repeating: 0, count: m + 1),
                              w2x: .init(repeating: 0, count: m + 1), w2x2: .init(repeating: 0, count: m + 1))
        for i in stride(from: m - 1, through: 0, by: -1) {
            let (x, w) = pairs[i]
            t.w[i] = t.w[i + 1] + w
            t.wx[i] = t.wx[i + 1] + w * x
            t.wx2[i] = t.wx2[i + 1] + w * x * x
            t.w2[i] = t.w2[i + 1] + w * w
            t.w2x[i] = t.w2x[i + 1] + w * w * x
            t.w2x2[i] = t.w2x2[i + 1] + w * w * x * x
        }
        weighted = t
        tailSum = t.wx
        tailSquares = t.wx2
    }

    /// From the non-zero values (any sign) of a sparse loss over `count` paths; zeros among them
    /// join the atom.
    public init(nonZero: [Double], count: Int) {
        precondition(nonZero.count <= count)
        weighted = nil
        var p = nonZero.filter { $0 != 0 }
        p.sort()
        self.count = count
        self.nonZero = p
        negativeCount = Self.countBelowZero(p)
        zeroWeight = Double(count - p.count)
        zeroSquaredWeight = zeroWeight
        var sums = [Double](repeating: 0, count: p.count + 1)
        var squares = [Double](repeating: 0, count: p.count + 1)
        for i in stride(from: p.count - 1, through: 0, by: -1) {
            sums[i] = sums[i + 1] + p[i]
            squares[i] = squares[i + 1] + p[i] * p[i]
        }
        tailSum = sums
        tailSquares = squares
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

    /// Standard error of the mean: sd(w·L)/√n (sd(L)/√n without weights).
    public var meanStandardError: Double {
        guard count > 1 else { return 0 }
        let n = Double(count)
        if let t = weighted {
            let mean = t.wx[0] / n
            return (max(0, t.w2x2[0] / n - mean * mean) / n).squareRoot()
        }
        return meanAndStdDev.sd / n.squareRoot()
    }

    /// n · P̂(L > x): the paths (or their weights) above x, the atom at zero included when x < 0.
    func massAbove(_ x: Double) -> Double {
        let f = firstIndex(above: x)
        if let t = weighted { return x < 0 ? t.w[f] + zeroWeight : t.w[f] }
        return Double(nonZero.count - f + (x < 0 ? zeros : 0))
    }

    /// P̂(L > x) for any real x, and its standard error: p(1 − p)/n without weights, the sample
    /// variance of w·1{L > x} over n with them. The atom at zero counts in the event when x < 0.
    public func exceedance(_ x: Double) -> (probability: Double, se: Double) {
        let n = Double(max(count, 1))
        let f = firstIndex(above: x)
        if let t = weighted {
            let p = x < 0 ? (t.w[f] + zeroWeight) / n : t.w[f] / n
            let second = x < 0 ? (t.w2[f] + zeroSquaredWeight) / n : t.w2[f] / n
            return (p, (max(0, second - p * p) / n).squareRoot())
        }
        let p = x < 0 && negativeCount == 0 ? 1 : Double(nonZero.count - f + (x < 0 ? zeros : 0)) / n
        return (p, (p * (1 - p) / n).squareRoot())
    }

    /// Index in `nonZero` of the first value > x (any real x; `nonZero.count` when none). For a
    /// non-negative sample this indexes `positive`. The zero atom is not in `nonZero`: the paths
    /// ≤ x number this index, plus `zeros` when x ≥ 0.
    public func firstIndex(above x: Double) -> Int {
        partitionPoint { $0 <= x }
    }

    /// Index in `nonZero` of the first value ≥ x (any real x; `nonZero.count` when none).
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

    /// The k-th smallest value over all paths, k in 0..<count: the negatives, then `zeros`
    /// zeros, then the positives (ties in path order are irrelevant: equal values).
    @inlinable public func orderStatistic(_ k: Int) -> Double {
        if k < negativeCount { return nonZero[k] }
        return k < negativeCount + zeros ? 0 : nonZero[k - zeros]
    }

    /// VaR_q = inf{x : P̂(L ≤ x) ≥ q}, the same figure as `RiskMeasures.measure(_:level:)`:
    /// the order statistic of rank ⌈qn⌉ without weights, the weighted inversion
    /// inf{x : P̂(L > x) ≤ 1 − q} with them. 0 for an empty sample.
    public func quantile(_ q: Double) -> Double {
        guard count > 0 else { return 0 }
        if let t = weighted { return RiskMeasures.weightedValueAtRisk(self, t, level: q) }
        return orderStatistic(RiskMeasures.varIndex(level: q, count: count))
    }

    /// Mean and unbiased standard deviation, by two-pass sums (weighted: Σ w x / n and the
    /// square root of Σ w x² / n − mean²).
    public var meanAndStdDev: (mean: Double, sd: Double) {
        guard count > 0 else { return (0, 0) }
        if let t = weighted {
            let n = Double(count)
            let mean = t.wx[0] / n
            return (mean, max(0, t.wx2[0] / n - mean * mean).squareRoot())
        }
        let n = Double(count)
        let mean = nonZero.reduce(0, +) / n
        var ss = Double(zeros) * mean * mean
        for x in nonZero { ss += (x - mean) * (x - mean) }
        return (mean, count > 1 ? (ss / (n - 1)).squareRoot() : 0)
    }

    /// P(L ≤ x) for any real x. Without weights, the share of paths ≤ x. With weights,
    /// 1 − P̂(L > x) from `minimum(0, smallest value)` on and 0 below it (so that the weighted
    /// tail, which the risk measures use, is what the complement shows; for a non-negative
    /// sample the boundary is 0 as before). 1 for an empty sample.
    public func cdf(_ x: Double) -> Double {
        guard count > 0 else { return 1 }
        let floor = negativeCount > 0 ? nonZero[0] : 0
        if x < floor { return 0 }
        let f = firstIndex(above: x)
        if let t = weighted { return 1 - (x < 0 ? t.w[f] + zeroWeight : t.w[f]) / Double(count) }
        return Double((x < 0 ? 0 : zeros) + f) / Double(count)
    }
}
