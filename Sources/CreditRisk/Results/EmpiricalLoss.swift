/// The empirical distribution of a non-negative loss over n equally weighted paths, kept as its
/// sorted positive values plus the count of zero-loss paths (the atom at zero). Sparse payouts
/// of providers fit the same form without materialising their zeros.
public struct EmpiricalLoss: Sendable {
    /// Number of paths.
    public let count: Int
    /// Positive values, ascending.
    public let positive: [Double]
    /// Paths with zero loss.
    public var zeros: Int { count - positive.count }

    /// From all n values (zeros included).
    public init(values: [Double]) {
        var p = values.filter { $0 > 0 }
        p.sort()
        self.count = values.count
        self.positive = p
    }

    /// From the non-zero values of a sparse loss over `count` paths.
    public init(nonZero: [Double], count: Int) {
        precondition(nonZero.count <= count)
        var p = nonZero.filter { $0 > 0 }
        p.sort()
        self.count = count
        self.positive = p
    }

    /// The k-th smallest value over all paths, k in 0..<count.
    @inlinable public func orderStatistic(_ k: Int) -> Double {
        k < zeros ? 0 : positive[k - zeros]
    }

    /// Mean and unbiased standard deviation, by compensated two-pass sums.
    public var meanAndStdDev: (mean: Double, sd: Double) {
        guard count > 0 else { return (0, 0) }
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
        // Upper bound: first index with value > x.
        var lo = 0, hi = positive.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if positive[mid] <= x { lo = mid + 1 } else { hi = mid }
        }
        return Double(zeros + lo) / Double(count)
    }
}
