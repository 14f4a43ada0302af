/// The repeats of one measurement: their seconds, min, median, max and relative spread.
///
/// The relative spread is (max − min) / median: 0.10 means the slowest repeat took 10 % of the
/// median longer than the fastest. With one repeat it is 0 and says nothing (see `isJudgeable`).
public struct BenchSpread: Codable, Sendable, Hashable {
    /// Seconds of each repeat, in the order they ran.
    public let runs: [Double]
    public let min: Double
    public let median: Double
    public let max: Double
    public let relativeSpread: Double

    /// `runs` must not be empty.
    public init(runs: [Double]) {
        precondition(!runs.isEmpty, "a measurement has at least one repeat")
        self.runs = runs
        let sorted = runs.sorted()
        let n = sorted.count
        min = sorted[0]
        max = sorted[n - 1]
        median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2
        relativeSpread = median > 0 ? (max - min) / median : 0
    }

    /// Fewer than three repeats show too little of the noise to judge a spread or a difference.
    public var isJudgeable: Bool { runs.count >= 3 }

    enum CodingKeys: String, CodingKey {
        case runs, min, median, max
        case relativeSpread = "relative_spread"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let runs = try c.decode([Double].self, forKey: .runs)
        guard !runs.isEmpty, runs.allSatisfy({ $0.isFinite && $0 > 0 }) else {
            throw DecodingError.dataCorruptedError(forKey: .runs, in: c,
                                                   debugDescription: "runs must be a non-empty list of seconds > 0")
        }
        // The statistics are recomputed from the runs, so a hand-edited file cannot contradict them.
        self.init(runs: runs)
    }
}

/// A rate (work per second) over the repeats: `min` from the slowest repeat, `max` from the fastest.
public struct BenchRate: Codable, Sendable, Hashable {
    public let min: Double
    public let median: Double
    public let max: Double

    public init(work: Double, seconds: BenchSpread) {
        min = work / seconds.max
        median = work / seconds.median
        max = work / seconds.min
    }
}
