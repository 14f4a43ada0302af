/// The empirical distribution of a non-negative loss over n equally weighted paths, kept as its
/// sorted positive values plus the count of zero-loss paths (the atom at zero). Sparse payouts
/// of providers fit the same form without materialising their zeros.
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

    /// From all n values (zeros included).
    public init(values: [Double]) {
        self.init(nonZero: values, count: values.count)
    }

    /// From the non-zero values of a sparse loss over `count` paths.
    public init(nonZero: [Double], count: Int) {
        precondition(nonZero.count <= count)
        var p = nonZero.filter { $0 > 0 }
        p.sort()
        self.count = count
        self.positive = p
        var sums = [Double](repeating: 0, count: p.count + 1)
        var squares = [Double](repeating: 0, count: p.count + 1)
        for i in stride(from: p.count - 1, through: 0, by: -1) {
            sums[i] = sums[i + 1] + p[i]
            squares[i] = squares[i + 1] + p[i] * p[i]
        }
        tailSum = sums
        tailSquares = squares
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
        return Double(zeros + firstIndex(above: x)) / Double(count)
    }
}
