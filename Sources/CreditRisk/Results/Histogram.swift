/// The loss distribution as a histogram, each bin reported by its upper edge, with the atom at
/// zero as a bin of its own.
///
/// Non-negative sample (no gains): the atom at zero, then `binCount` equal-width bins
/// (e_{b−1}, e_b] with e_b = b·max/binCount up to the largest loss (exactly max for the last).
///
/// Sample with negative values: bins below zero, the atom, bins above zero — one common width
/// h = (max(0, largest) − smallest)/binCount over [smallest, max(0, largest)]:
/// - below zero, bins [smallest, e_1], (e_1, e_2], …, (e_{k−1}, e_k] with e_j = smallest + j·h and
///   the last edge e_k the largest negative value, k = max(1, ⌈(largest negative − smallest)/h⌉);
/// - the atom at zero (upper edge 0, probability `zeroWeight / n`, possibly 0);
/// - above zero, as for a non-negative sample but with width h: (0, h], (h, 2h], … up to the
///   largest positive value, ⌈largest/h⌉ bins (none without positive values).
/// (A `binCount` below 1 counts as 1.) So there are at most binCount + 1 bins besides the atom, every upper edge is distinct and
/// increasing, no mass lies between the last negative bin and the atom, and
/// `cumulativeProbability` is P̂(L ≤ upperEdge) for every bin.
///
/// Probabilities are weight averages Σ w / n under importance sampling, counts / n otherwise; the
/// masses sum to (Σ w)/n — exactly 1 without weights — and so does the last cumulative value.
public struct LossHistogram: Sendable {
    public struct Bin: Sendable, Hashable {
        /// Upper edge of the bin (0 for the atom at zero).
        public let upperEdge: Double
        public let probability: Double
        public let cumulativeProbability: Double
    }

    public let bins: [Bin]

    public init(_ loss: EmpiricalLoss, binCount: Int = 200) {
        if loss.hasNegativeValues {
            bins = Self.signedBins(loss, binCount: binCount)
            return
        }
        let n = Double(max(loss.count, 1))
        let positive = loss.nonZero
        // Mass of positive values from index i on, from the tail sums (weights, or counts).
        func massFrom(_ i: Int) -> Double { loss.weighted.map { $0.w[i] } ?? Double(positive.count - i) }
        let total = massFrom(0) + loss.zeroWeight
        var bins = [Bin(upperEdge: 0, probability: loss.zeroWeight / n, cumulativeProbability: loss.zeroWeight / n)]
        guard let maxLoss = positive.last, binCount > 0 else {
            self.bins = bins
            return
        }
        let width = maxLoss / Double(binCount)
        var i = 0
        for b in 1...binCount {
            let edge = b == binCount ? maxLoss : width * Double(b)
            let start = i
            while i < positive.count && positive[i] <= edge { i += 1 }
            let mass = massFrom(start) - massFrom(i)
            let cumulative = loss.zeroWeight + massFrom(0) - massFrom(i)
            bins.append(Bin(upperEdge: edge, probability: mass / n, cumulativeProbability: min(cumulative, total) / n))
        }
        self.bins = bins
    }

    /// The layout for a sample with negative values (see the type's documentation).
    private static func signedBins(_ loss: EmpiricalLoss, binCount: Int) -> [Bin] {
        let n = Double(max(loss.count, 1))
        let values = loss.nonZero
        let a = loss.negativeCount
        // Mass of nonZero[0..<i] (weights, or counts): cumulative from below.
        func massBelow(_ i: Int) -> Double { loss.weighted.map { $0.w[0] - $0.w[i] } ?? Double(i) }
        let total = massBelow(values.count) + loss.zeroWeight
        let smallest = values[0], largestNegative = values[a - 1]
        let largest = max(0, values[values.count - 1])
        let width = (largest - smallest) / Double(max(binCount, 1))
        var bins: [Bin] = []
        var i = 0
        // Appends the bin up to `edge` holding nonZero[start..<end]; `offset` is the mass below
        // nonZero[0] that is ≤ edge (the atom, above zero).
        func add(edge: Double, start: Int, end: Int, offset: Double) {
            let mass = massBelow(end) - massBelow(start)
            bins.append(Bin(upperEdge: edge, probability: mass / n,
                            cumulativeProbability: min(offset + massBelow(end), total) / n))
        }
        // Edges smallest + j·h until the largest negative value, which closes the last bin (a
        // rounded grid point that reaches it closes it early, so edges never repeat).
        let below = max(1, min(Int(((largestNegative - smallest) / width).rounded(.up)), max(binCount, 1)))
        for j in 1...below {
            let edge = j == below ? largestNegative : min(smallest + width * Double(j), largestNegative)
            let start = i
            while i < a && values[i] <= edge { i += 1 }
            add(edge: edge, start: start, end: i, offset: 0)
            if edge == largestNegative { break }
        }
        bins.append(Bin(upperEdge: 0, probability: loss.zeroWeight / n,
                        cumulativeProbability: min(massBelow(a) + loss.zeroWeight, total) / n))
        if a < values.count {
            let maxLoss = values[values.count - 1]
            let above = max(1, min(Int((maxLoss / width).rounded(.up)), max(binCount, 1)))
            for b in 1...above {
                let edge = b == above ? maxLoss : min(width * Double(b), maxLoss)
                let start = i
                while i < values.count && values[i] <= edge { i += 1 }
                add(edge: edge, start: start, end: i, offset: loss.zeroWeight)
                if edge == maxLoss { break }
            }
        }
        return bins
    }
}
