/// Combines figures of a sample whose paths are split over several processes (MPI ranks), each
/// holding only its own paths. Every statistic of a split sample is built from element-wise
/// integer sums and maxima across the processes, so that no process ever holds another's paths.
///
/// Every process must make the same calls in the same order (each call is a collective
/// operation), so any branch taken around a call may depend only on values that are already
/// global. Sums of doubles travel as `ExactSum` digits: integer sums are associative, so the
/// result is the same bits for any number of processes, and equal to one process's.
public protocol SampleReducer: Sendable {
    /// Element-wise sums over the processes (every process gets the result).
    func sum(_ values: [Int64]) -> [Int64]
    /// Element-wise maxima over the processes.
    func max(_ values: [Int64]) -> [Int64]
}

/// One process holding the whole sample: every reduction is the identity.
public struct LocalSample: SampleReducer {
    public init() {}
    public func sum(_ values: [Int64]) -> [Int64] { values }
    public func max(_ values: [Int64]) -> [Int64] { values }
}

extension SampleReducer {
    /// Whether this reducer is the identity (one process).
    package var isLocal: Bool { self is LocalSample }

    /// Integer totals.
    public func sum(_ values: [Int]) -> [Int] {
        if isLocal { return values }
        return sum(values.map(Int64.init)).map(Int.init)
    }

    /// Exact totals of exact sums.
    public func sum(_ sums: [ExactSum]) -> [ExactSum] {
        if isLocal || sums.isEmpty { return sums }
        var digits: [Int64] = []
        digits.reserveCapacity(sums.count * ExactSum.digitCount)
        for s in sums { s.appendDigits(to: &digits) }
        let total = sum(digits)
        let d = ExactSum.digitCount
        return (0..<sums.count).map { ExactSum(digitSums: total[$0 * d..<($0 + 1) * d]) }
    }

    /// Exact totals of exact sums and integer counts, in one reduction.
    public func sum(_ sums: [ExactSum], counts: [Int]) -> ([ExactSum], [Int]) {
        if isLocal { return (sums, counts) }
        var digits: [Int64] = counts.map(Int64.init)
        digits.reserveCapacity(counts.count + sums.count * ExactSum.digitCount)
        for s in sums { s.appendDigits(to: &digits) }
        let total = sum(digits)
        let d = ExactSum.digitCount, c = counts.count
        return ((0..<sums.count).map { ExactSum(digitSums: total[c + $0 * d..<c + ($0 + 1) * d]) },
                total[0..<c].map(Int.init))
    }

    /// Element-wise maxima and minima of doubles (through order-preserving integer keys).
    public func extremes(maxima: [Double], minima: [Double]) -> (maxima: [Double], minima: [Double]) {
        if isLocal { return (maxima, minima) }
        let keys = maxima.map(OrderedKey.signed) + minima.map { ~OrderedKey.signed($0) }
        let m = max(keys)
        return (m[0..<maxima.count].map(OrderedKey.double), m[maxima.count...].map { OrderedKey.double(~$0) })
    }
}

/// Doubles as integers of the same order: for finite x < y, key(x) < key(y) (−0 below +0).
package enum OrderedKey {
    /// As a signed integer (for MPI_MAX).
    package static func signed(_ x: Double) -> Int64 {
        let bits = Int64(bitPattern: x.bitPattern)
        return bits >= 0 ? bits : bits ^ Int64.max
    }

    package static func double(_ key: Int64) -> Double {
        Double(bitPattern: UInt64(bitPattern: key >= 0 ? key : key ^ Int64.max))
    }
}
