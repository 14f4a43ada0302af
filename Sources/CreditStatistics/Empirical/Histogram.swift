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
import CreditMath
import CreditModel
import CreditEngine

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
        // Upper edges (the atom's is 0, marked by index), from the global extremes alone.
        var edges: [Double] = []
        var atom = 0
        if loss.hasNegativeValues {
            let smallest = loss.smallestNonZero, largestNegative = loss.largestNegative
            let largest = max(0, loss.nonZeroCount > 0 ? loss.largestNonZero : 0)
            let width = (largest - smallest) / Double(max(binCount, 1))
            // Edges smallest + j·h until the largest negative value, which closes the last bin (a
            // rounded grid point that reaches it closes it early, so edges never repeat).
            let below = max(1, min(Int(((largestNegative - smallest) / width).rounded(.up)), max(binCount, 1)))
            for j in 1...below {
                let edge = j == below ? largestNegative : min(smallest + width * Double(j), largestNegative)
                edges.append(edge)
                if edge == largestNegative { break }
            }
            atom = edges.count
            edges.append(0)
            if largest > 0 {
                let maxLoss = largest
                let above = max(1, min(Int((maxLoss / width).rounded(.up)), max(binCount, 1)))
                for b in 1...above {
                    let edge = b == above ? maxLoss : min(width * Double(b), maxLoss)
                    edges.append(edge)
                    if edge == maxLoss { break }
                }
            }
        } else {
            edges.append(0)
            if loss.nonZeroCount > 0, binCount > 0 {
                let maxLoss = loss.largestNonZero
                let width = maxLoss / Double(binCount)
                for b in 1...binCount { edges.append(b == binCount ? maxLoss : width * Double(b)) }
            }
        }
        // Exact mass of the non-zero values above each edge (and in all), in one reduction.
        let above = loss.masses(above: [-.infinity] + edges)
        let total = above[0]
        let zero = ExactSum(loss.zeroWeight)
        var bins: [Bin] = []
        var previous = total   // mass above the previous edge (−∞ first)
        for (i, edge) in edges.enumerated() {
            let mass = i == atom ? zero : previous - above[i + 1]
            // Values ≤ edge, plus the atom once the edge is at or past zero.
            var cumulative = total - above[i + 1]
            if edge >= 0 { cumulative.add(zero) }
            bins.append(Bin(upperEdge: edge, probability: mass.value / n, cumulativeProbability: cumulative.value / n))
            previous = above[i + 1]
        }
        self.bins = bins
    }
}
