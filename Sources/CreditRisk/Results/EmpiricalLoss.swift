/// The empirical distribution of a non-negative loss over n paths, kept as its sorted positive
/// values plus the count of zero-loss paths (the atom at zero). Sparse payouts of providers fit
/// the same form without materialising their zeros.
///
/// Under importance sampling each path also carries its likelihood ratio w, and every
/// probability is an average of weights: P̂(L > x) = Σ_{L > x} w / n.
public struct EmpiricalLoss: Sendable {
    /// Number of paths.
    public let count: Int
    /// Positive values, ascending.
    public let positive: [Double]
    /// tailSum[i] = Σ_{j ≥ i} positive[j] and tailSquares[i] = Σ_{j ≥ i} positive[j]², with a
    /// trailing 0: any tail measure is then a binary search and two look-ups.
    let tailSum: [Double]
    let tailSquares: [Double]
    /// Paths with zero loss.
    public var zeros: Int { count - positive.count }
    /// Likelihood-ratio sums for weighted (importance-sampled) losses, aligned with `positive`
    /// and with a trailing 0: Σ w, Σ w x, Σ w x², Σ w², Σ w² x, Σ w² x² from index i on.
    /// Nil for plain Monte Carlo.
    let weighted: WeightedTails?
    /// Σ w over the zero-loss paths (their count without weights).
    public let zeroWeight: Double

    struct WeightedTails: Sendable {
        var w: [Double], wx: [Double], wx2: [Double], w2: [Double], w2x: [Double], w2x2: [Double]
    }

    public var isWeighted: Bool { weighted != nil }

    /// From all n values (zeros included).
    public init(values: [Double]) {
        self.init(nonZero: values, count: values.count)
    }

    /// From all n values with their likelihood ratios.
    public init(values: [Double], weights: [Double]) {
        precondition(values.count == weights.count)
        var zeroWeight = 0.0
        var pairs: [(Double, Double)] = []
        for (x, w) in zip(values, weights) {
            if x > 0 { pairs.append((x, w)) } else { zeroWeight += w }
        }
        self.init(weightedPairs: pairs, count: values.count, zeroWeight: zeroWeight)
    }

    /// From (value, weight) pairs of the non-zero paths; the other paths' weights sum to `zeroWeight`.
    public init(weightedPairs: [(Double, Double)], count: Int, zeroWeight: Double) {
        var pairs = weightedPairs.filter { $0.0 > 0 }
        pairs.sort { $0.0 < $1.0 }
        self.count = count
        positive = pairs.map(\.0)
        self.zeroWeight = zeroWeight
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

    /// From the non-zero values of a sparse loss over `count` paths.
    public init(nonZero: [Double], count: Int) {
        precondition(nonZero.count <= count)
        weighted = nil
        var p = nonZero.filter { $0 > 0 }
        p.sort()
        self.count = count
        self.positive = p
        zeroWeight = Double(count - p.count)
        var sums = [Double](repeating: 0, count: p.count + 1)
        var squares = [Double](repeating: 0, count: p.count + 1)
        for i in stride(from: p.count - 1, through: 0, by: -1) {
            sums[i] = sums[i + 1] + p[i]
            squares[i] = squares[i + 1] + p[i] * p[i]
        }
        tailSum = sums
        tailSquares = squares
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

    /// P̂(L > x) and its standard error.
    public func exceedance(_ x: Double) -> (probability: Double, se: Double) {
        let n = Double(max(count, 1))
        let f = x < 0 ? 0 : firstIndex(above: x)
        if let t = weighted {
            let p = x < 0 ? (t.w[0] + zeroWeight) / n : t.w[f] / n
            let second = x < 0 ? t.w2[0] / n : t.w2[f] / n
            return (p, (max(0, second - p * p) / n).squareRoot())
        }
        let p = x < 0 ? 1 : Double(positive.count - f) / n
        return (p, (p * (1 - p) / n).squareRoot())
    }

    /// Index in `positive` of the first value > x.
    public func firstIndex(above x: Double) -> Int {
        partitionPoint { $0 <= x }
    }

    /// Index in `positive` of the first value ≥ x.
    public func firstIndex(atLeast x: Double) -> Int {
        partitionPoint { $0 < x }
    }

    /// First index where `before` turns false (binary search; `positive` is sorted).
    private func partitionPoint(_ before: (Double) -> Bool) -> Int {
        var lo = 0, hi = positive.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if before(positive[mid]) { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// The k-th smallest value over all paths, k in 0..<count.
    @inlinable public func orderStatistic(_ k: Int) -> Double {
        k < zeros ? 0 : positive[k - zeros]
    }

    /// Mean and unbiased standard deviation, by compensated two-pass sums.
    public var meanAndStdDev: (mean: Double, sd: Double) {
        guard count > 0 else { return (0, 0) }
        if let t = weighted {
            let n = Double(count)
            let mean = t.wx[0] / n
            return (mean, max(0, t.wx2[0] / n - mean * mean).squareRoot())
        }
        let n = Double(count)
        let mean = positive.reduce(0, +) / n
        var ss = Double(zeros) * mean * mean
        for x in positive { ss += (x - mean) * (x - mean) }
        return (mean, count > 1 ? (ss / (n - 1)).squareRoot() : 0)
    }

    /// P(L ≤ x).
    public func cdf(_ x: Double) -> Double {
        guard count > 0 else { return 1 }
        if x < 0 { return 0 }
        if let t = weighted { return 1 - t.w[firstIndex(above: x)] / Double(count) }
        return Double(zeros + firstIndex(above: x)) / Double(count)
    }
}
