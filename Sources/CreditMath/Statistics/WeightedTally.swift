/// The likelihood ratio of one simulated path: 1 under plain Monte Carlo, p/q of the path under
/// importance sampling. Only the path kernel creates one, and every per-path figure enters a
/// statistic through a `WeightedTally` or a weighted sample together with it, so no figure can
/// be summed without its weight.
public struct PathWeight: Sendable, Hashable {
    public let value: Double
    package init(_ value: Double) { self.value = value }
    package static let one = PathWeight(1)
}

/// A mean over paths of a per-path figure under the path weights: Σ w·x and Σ (w·x)², from which
/// E[x] = Σ w·x / n and its standard error √((Σ (w·x)²/n − mean²)/n) follow (Glasserman 2004,
/// §4.6). Paths where x = 0 add nothing, so only paths with something to book need be visited.
/// One block's tally, summed in the block's path order; blocks combine exactly in `ExactTally`.
public struct WeightedTally: Sendable, Hashable, Codable {
    public private(set) var sum = 0.0
    public private(set) var sumOfSquares = 0.0

    public init() {}

    package init(sum: Double, sumOfSquares: Double) {
        self.sum = sum
        self.sumOfSquares = sumOfSquares
    }

    @inline(__always)
    package mutating func add(_ x: Double, weight: PathWeight) {
        let y = weight.value * x
        sum += y
        sumOfSquares += y * y
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

/// Block tallies summed exactly (`ExactSum`), so that the total is the same bits however the
/// blocks were grouped: by threads, ranges of blocks, shards or ranks.
public struct ExactTally: Sendable, Hashable, Codable {
    public private(set) var sum = ExactSum()
    public private(set) var sumOfSquares = ExactSum()

    public init() {}

    package init(sum: ExactSum, sumOfSquares: ExactSum) {
        self.sum = sum
        self.sumOfSquares = sumOfSquares
    }

    public mutating func add(_ block: WeightedTally) {
        sum.add(block.sum)
        sumOfSquares.add(block.sumOfSquares)
    }

    public mutating func add(_ other: ExactTally) {
        sum.add(other.sum)
        sumOfSquares.add(other.sumOfSquares)
    }

    /// The estimate over `paths` paths (see `WeightedTally.estimate`).
    public func estimate(paths n: Int) -> Estimate {
        WeightedTally(sum: sum.value, sumOfSquares: sumOfSquares.value).estimate(paths: n)
    }
}
