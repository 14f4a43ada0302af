/// The loss distribution as a histogram: the atom at zero, then equal-width bins up to the
/// largest simulated loss, each reported by its upper edge.
public struct LossHistogram: Sendable {
    public struct Bin: Sendable, Hashable {
        /// Upper edge of the bin (0 for the atom at zero).
        public let upperEdge: Double
        public let probability: Double
        public let cumulativeProbability: Double
    }

    public let bins: [Bin]

    public init(_ loss: EmpiricalLoss, binCount: Int = 200) {
        let n = Double(max(loss.count, 1))
        // Mass of positive values below index i, from the tail sums (weights, or counts).
        func massFrom(_ i: Int) -> Double { loss.weighted.map { $0.w[i] } ?? Double(loss.positive.count - i) }
        let total = massFrom(0) + loss.zeroWeight
        var bins = [Bin(upperEdge: 0, probability: loss.zeroWeight / n, cumulativeProbability: loss.zeroWeight / n)]
        guard let maxLoss = loss.positive.last, binCount > 0 else {
            self.bins = bins
            return
        }
        let width = maxLoss / Double(binCount)
        var i = 0
        for b in 1...binCount {
            let edge = b == binCount ? maxLoss : width * Double(b)
            let start = i
            while i < loss.positive.count && loss.positive[i] <= edge { i += 1 }
            let mass = massFrom(start) - massFrom(i)
            let cumulative = loss.zeroWeight + massFrom(0) - massFrom(i)
            bins.append(Bin(upperEdge: edge, probability: mass / n, cumulativeProbability: min(cumulative, total) / n))
        }
        self.bins = bins
    }
}
