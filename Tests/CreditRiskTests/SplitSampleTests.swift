import CreditRisk
import Foundation
import Testing

/// R "processes" as R threads meeting at every reduction: what MPI ranks do, in one process.
/// Each reduction waits until all R have deposited their values, then gives every one the sum.
private final class Rendezvous: @unchecked Sendable {
    let size: Int
    private let lock = NSCondition()
    private var deposits: [[Int64]] = []
    private var result: [Int64] = []
    private var generation = 0
    /// Reductions made (each process counts the same).
    private(set) var rounds = 0

    init(size: Int) { self.size = size }

    func reduce(_ values: [Int64], _ op: (Int64, Int64) -> Int64) -> [Int64] {
        lock.lock()
        defer { lock.unlock() }
        let mine = generation
        deposits.append(values)
        if deposits.count == size {
            precondition(deposits.allSatisfy { $0.count == values.count }, "the processes made different reductions")
            result = deposits.dropFirst().reduce(deposits[0]) { zip($0, $1).map(op) }
            deposits = []
            generation += 1
            rounds += 1
            lock.broadcast()
        } else {
            while generation == mine { lock.wait() }
        }
        return result
    }
}

private struct ThreadReducer: SampleReducer {
    let meeting: Rendezvous
    func sum(_ values: [Int64]) -> [Int64] { meeting.reduce(values, +) }
    func max(_ values: [Int64]) -> [Int64] { meeting.reduce(values) { Swift.max($0, $1) } }
}

private final class ResultBox<T>: @unchecked Sendable {
    var values: [T?]
    init(count: Int) { values = [T?](repeating: nil, count: count) }
}

/// Runs `body` on R threads, each with its rank and a reducer over all of them.
private func onThreads<T: Sendable>(_ r: Int, _ body: @escaping @Sendable (Int, any SampleReducer) -> T) -> [T] {
    let meeting = Rendezvous(size: r)
    let box = ResultBox<T>(count: r)
    let lock = NSLock()
    // Threads (not a concurrent queue): every one must be running at once for the meetings.
    var threads: [Thread] = []
    let done = DispatchSemaphore(value: 0)
    for rank in 0..<r {
        let t = Thread {
            let v = body(rank, ThreadReducer(meeting: meeting))
            lock.lock(); box.values[rank] = v; lock.unlock()
            done.signal()
        }
        t.stackSize = 8 << 20
        threads.append(t)
    }
    threads.forEach { $0.start() }
    for _ in 0..<r { done.wait() }
    return box.values.map { $0! }
}

/// Every figure of a loss distribution, as bit patterns, in a fixed order.
private func figures(_ loss: EmpiricalLoss) -> [UInt64] {
    var out: [Double] = [Double(loss.count), Double(loss.zeros), Double(loss.negativeCount), loss.minimum, loss.maximum,
                         loss.zeroWeight, loss.zeroSquaredWeight]
    let (mean, sd) = loss.meanAndStdDev
    out += [mean, sd, loss.meanStandardError]
    let levels = [0.01, 0.3, 0.5, 0.9, 0.95, 0.99, 0.999] + RiskReport.fineLevels(paths: loss.count).filter { $0 > 0.97 }
    for m in RiskMeasures.measures(loss, levels: levels) {
        out += [m.valueAtRisk, m.valueAtRiskLower, m.valueAtRiskUpper, m.expectedShortfall, m.expectedShortfallSE]
    }
    let points: [Double] = [-20, -4, -4.0.nextDown, -1.5, -0.0, 0, 1e-300, 2.5, 3, 6, 6.0.nextUp, 11.9, 100]
    for e in loss.exceedances(points) { out += [e.probability, e.se] }
    out += loss.cdfs(points)
    out += loss.orderStatistics([0, 1, loss.count / 3, loss.count / 2, loss.count - 2, loss.count - 1])
    for bins in [LossHistogram(loss, binCount: 37).bins, LossHistogram(loss).bins] {
        for b in bins { out += [b.upperEdge, b.probability, b.cumulativeProbability] }
    }
    return out.map(\.bitPattern)
}

/// Signed samples with atoms at zero and elsewhere, and weights.
private func sample(_ n: Int, seed: UInt64, negatives: Bool) -> (values: [Double], weights: [Double]) {
    var state = seed
    func next() -> Double {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Double(state >> 11) / Double(UInt64(1) << 53)
    }
    var values: [Double] = [], weights: [Double] = []
    for _ in 0..<n {
        let u = next()
        var x: Double
        if u < 0.3 { x = 0 } else if u < 0.5 { x = [-4, -1.5, 2.5, 6][Int(next() * 4)] } else { x = (next() - 0.4) * 20 }
        if !negatives { x = abs(x) }
        values.append(x)
        weights.append(0.1 + 3 * next())
    }
    return (values, weights)
}

/// A sample split over processes (MPI ranks) gives every figure the same bits as one process
/// holding it all (see ScaleOut, MPI ranks): risk measures, VaR intervals, tail probabilities, CDFs, order
/// statistics and histograms, plain and weighted, for uneven splits including an empty part.
@Suite struct SplitSampleTests {
    /// Part boundaries of n values over R processes: uneven, the second part empty when R ≥ 3.
    static func parts(_ n: Int, _ r: Int) -> [Range<Int>] {
        var cuts = [0] + (1..<r).map { n * $0 * $0 / (r * r) } + [n]
        if r >= 3 { cuts[2] = cuts[1] }
        return (0..<r).map { cuts[$0]..<cuts[$0 + 1] }
    }

    @Test(arguments: [(false, false), (false, true), (true, false), (true, true)])
    func splitFiguresEqualOneProcess(weighted: Bool, negatives: Bool) {
        let (values, weights) = sample(4000, seed: 17, negatives: negatives)
        let whole = weighted ? EmpiricalLoss(values: values, weights: weights) : EmpiricalLoss(values: values)
        let expected = figures(whole)
        for r in [2, 3, 5] {
            let parts = Self.parts(values.count, r)
            let results = onThreads(r) { rank, reducer in
                let range = parts[rank]
                let loss = weighted ? EmpiricalLoss(values: Array(values[range]), weights: Array(weights[range]), reducer: reducer)
                                    : EmpiricalLoss(values: Array(values[range]), reducer: reducer)
                return figures(loss)
            }
            for (rank, got) in results.enumerated() {
                let first = zip(got, expected).enumerated().first { $0.element.0 != $0.element.1 }?.offset
                #expect(got == expected, "R = \(r), rank \(rank): first differing figure #\(first ?? -1)")
            }
        }
    }

    /// Sparse payouts (non-zero values and, weighted, pairs with the atom's exact weight) split
    /// over processes give the same figures as one process.
    @Test func sparseSplitsEqualOneProcess() {
        let (values, weights) = sample(3000, seed: 5, negatives: false)
        let nonZero = values.enumerated().filter { $0.element != 0 }
        let pairs = nonZero.map { ($0.element, weights[$0.offset]) }
        let zeroWeight = values.indices.filter { values[$0] == 0 }.reduce(ExactSum()) { $0 + ExactSum(weights[$1]) }
        let plain = figures(EmpiricalLoss(nonZero: nonZero.map(\.element), count: values.count))
        let weighted = figures(EmpiricalLoss(weightedPairs: pairs, count: values.count, zeroWeight: zeroWeight.value))
        let parts = Self.parts(values.count, 3)
        let results = onThreads(3) { rank, reducer in
            let range = parts[rank]
            let mine = nonZero.filter { range.contains($0.offset) }
            var zeros = ExactSum()
            for i in range where values[i] == 0 { zeros.add(weights[i]) }
            let p = figures(EmpiricalLoss(nonZero: mine.map(\.element), localCount: range.count, reducer: reducer))
            let w = figures(EmpiricalLoss(weightedPairs: mine.map { ($0.element, weights[$0.offset]) }, localCount: range.count,
                                          zeroWeight: zeros, reducer: reducer))
            return [p, w]
        }
        for got in results {
            #expect(got[0] == plain)
            // The weighted sample's atom: the one-process init is given its rounded Σ w, the split
            // one exact parts; both round the same exact sum.
            #expect(got[1] == weighted)
        }
    }

    /// Paired differences of two runs split over processes equal one process's.
    @Test func pairedDifferencesSplitEqualOneProcess() {
        let (a, w) = sample(3000, seed: 9, negatives: true)
        let b = a.enumerated().map { $0.element + ($0.offset % 7 == 0 ? 1.5 : 0) }
        let levels = [0.9, 0.99]
        let sa = RiskMeasures.summary(EmpiricalLoss(values: a, weights: w), levels: levels)
        let sb = RiskMeasures.summary(EmpiricalLoss(values: b, weights: w), levels: levels)
        @Sendable func bits(_ l: PairedComparison.Loss) -> [UInt64] {
            [l.expectedLoss.difference, l.expectedLoss.standardError].map(\.bitPattern)
                + l.quantiles.flatMap { [$0.valueAtRisk.standardError ?? -1, $0.expectedShortfall.standardError].map(\.bitPattern) }
        }
        let expected = bits(PairedComparison.loss(a, w, sa, b, w, sb))
        let parts = Self.parts(a.count, 3)
        let results = onThreads(3) { rank, reducer in
            let r = parts[rank]
            return bits(PairedComparison.loss(Array(a[r]), Array(w[r]), sa, Array(b[r]), Array(w[r]), sb,
                                              paths: a.count, reducer: reducer))
        }
        for got in results { #expect(got == expected) }
    }

    /// The searches take a number of reductions that does not grow with the number of levels.
    @Test func reductionsDoNotGrowWithLevels() {
        let (values, weights) = sample(2000, seed: 3, negatives: true)
        let meeting = Rendezvous(size: 1)
        let reducer = ThreadReducer(meeting: meeting)
        for weighted in [false, true] {
            let loss = weighted ? EmpiricalLoss(values: values, weights: weights, reducer: reducer)
                                : EmpiricalLoss(values: values, reducer: reducer)
            let before = meeting.rounds
            _ = RiskMeasures.measures(loss, levels: [0.9])
            let one = meeting.rounds - before
            _ = RiskMeasures.measures(loss, levels: RiskReport.fineLevels(paths: 2000))
            let many = meeting.rounds - before - one
            #expect(many <= one + 2, "weighted \(weighted): \(one) reductions for one level, \(many) for \(RiskReport.fineLevels(paths: 2000).count)")
            #expect(one <= (weighted ? 40 : 14))
        }
    }
}

/// The tallies split by credit state reduce over processes, and concatenate over block ranges,
/// to the one-process bits, also when a process holds no block.
@Suite struct CreditStateSplitTests {
    @Test func stateTalliesSplitEqualOneProcess() throws {
        let p = try CreditStateExactTests.portfolio(CreditStateExactTests.heterogeneous)
        let engine = Engine(portfolio: p)
        let settings = SimulationSettings(paths: 6 * SimulationSettings.blockSize, seed: 23, threads: 1)
        let whole = engine.run(settings)
        let reference = try #require(whole.summary.states).map { [$0.sum.value, $0.sumOfSquares.value] }
        #expect(reference.count == CreditStateTallies.count(slots: 0) && reference.contains { $0[0] != 0 })
        let ranges = [0..<2, 2..<5, 5..<6, 6..<6]
        let results = onThreads(ranges.count) { rank, reducer in
            let mine = engine.run(settings, blocks: ranges[rank])
            return (mine.summary.reduced(over: reducer).states ?? []).map { [$0.sum.value, $0.sumOfSquares.value] }
        }
        for got in results { #expect(got == reference) }
        let joined = engine.run(settings, blocks: 0..<2).appending(engine.run(settings, blocks: 2..<6))
        #expect((joined.summary.states ?? []).map { [$0.sum.value, $0.sumOfSquares.value] } == reference)
    }
}
