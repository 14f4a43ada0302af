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
        var bins = [Bin(upperEdge: 0, probability: Double(loss.zeros) / n,
                        cumulativeProbability: Double(loss.zeros) / n)]
        guard let maxLoss = loss.positive.last, binCount > 0 else {
            self.bins = bins
            return
        }
        let width = maxLoss / Double(binCount)
        var cumulative = loss.zeros
        var i = 0
        for b in 1...binCount {
            let edge = b == binCount ? maxLoss : width * Double(b)
            let before = cumulative
            while i < loss.positive.count && loss.positive[i] <= edge { i += 1; cumulative += 1 }
            bins.append(Bin(upperEdge: edge, probability: Double(cumulative - before) / n,
                            cumulativeProbability: Double(cumulative) / n))
        }
        self.bins = bins
    }
}
