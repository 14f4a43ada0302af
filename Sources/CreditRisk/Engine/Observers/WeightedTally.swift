/// The likelihood ratio of one simulated path: 1 under plain Monte Carlo, p/q of the path under
/// importance sampling. Only the path kernel creates one, and every per-path figure enters a
/// statistic through a `WeightedTally` or a weighted sample together with it, so no figure can
/// be summed without its weight.
public struct PathWeight: Sendable, Hashable {
    public let value: Double
    init(_ value: Double) { self.value = value }
    static let one = PathWeight(1)
}

/// A mean over paths of a per-path figure under the path weights: Σ w·x and Σ (w·x)², from which
/// E[x] = Σ w·x / n and its standard error √((Σ (w·x)²/n − mean²)/n) follow (Glasserman 2004,
/// §4.6). Paths where x = 0 add nothing, so only paths with something to book need be visited.
/// Mergeable in block order and `Codable`, so shards and ranks can combine it.
public struct WeightedTally: Sendable, Hashable, Codable {
    public private(set) var sum = 0.0
    public private(set) var sumOfSquares = 0.0

    public init() {}

    @inline(__always)
    mutating func add(_ x: Double, weight: PathWeight) {
        let y = weight.value * x
        sum += y
        sumOfSquares += y * y
    }

    public mutating func merge(_ other: WeightedTally) {
        sum += other.sum
        sumOfSquares += other.sumOfSquares
    }

    /// The estimate over `paths` paths.
    public func estimate(paths n: Int) -> Estimate {
        guard n > 0 else { return Estimate(value: 0, standardError: 0) }
        let nd = Double(n)
        let mean = sum / nd
        return Estimate(value: mean, standardError: (max(0, sumOfSquares / nd - mean * mean) / nd).squareRoot())
    }
}

/// A Monte Carlo estimate with its standard error.
public struct Estimate: Sendable, Hashable, Codable {
    public let value: Double
    public let standardError: Double

    public init(value: Double, standardError: Double) {
        self.value = value
        self.standardError = standardError
    }
}
