import Dispatch
import Foundation
import Synchronization

/// Runs the path blocks of a portfolio in parallel.
///
/// Blocks are handed out dynamically to `threads` Dispatch workers; block b always uses the
/// random stream keyed by (seed, b) and writes only its own slice, and the sparse results are
/// joined in block order, so the output is bit-identical for any thread count.
public struct Engine: Sendable {
    public let portfolio: Portfolio
    let plan: SimulationPlan
    let screen = DefaultScreen()

    /// Precomputes thresholds and the factor (or full-correlation) square root, once. OpenBLAS
    /// gets every core for a large factorisation only: waking its pool for a 10 × 10 matrix
    /// leaves its threads spinning into the simulation.
    public init(portfolio: Portfolio) throws(LinearAlgebraError) {
        self.portfolio = portfolio
        let dimension: Int
        switch portfolio.dependence {
        case let .factors(model): dimension = model.factorIDs.count
        case let .fullCorrelation(matrix): dimension = matrix.n
        }
        let blasThreads = dimension >= 256 ? ProcessInfo.processInfo.activeProcessorCount : 1
        self.plan = try BLASThreads.with(blasThreads) { () throws(LinearAlgebraError) -> SimulationPlan in
            try SimulationPlan(portfolio: portfolio)
        }
    }

    /// Simulates. `progress` is called from worker threads with the number of paths finished so far;
    /// `shouldStop` is polled between blocks, and when it returns true the run ends early with the
    /// blocks finished by then (a prefix of blocks, so the partial result is reproducible too).
    ///
    /// With `contributions` (from a first run with the same settings), every path is simulated
    /// again bit for bit and each bond's net loss is accumulated: over all paths for EL, weighted
    /// by the tail weights of each level for ES. Sums are joined in block order.
    public func run(_ settings: SimulationSettings,
                    progress: (@Sendable (Int) -> Void)? = nil,
                    shouldStop: (@Sendable () -> Bool)? = nil,
                    contributions: ContributionRequest? = nil,
                    importance: ImportanceShift? = nil) -> SimulationOutput {
        let start = DispatchTime.now().uptimeNanoseconds
        let paths = settings.paths
        let blocks = settings.blockCount
        let threads = max(1, min(settings.threads, max(blocks, 1)))
        // The result arrays themselves are written in place by the workers (no copy at the end).
        var net = [Double](repeating: 0, count: paths)
        var gross = [Double](repeating: 0, count: paths)
        // Likelihood ratios only under importance sampling (factor mode).
        let weighted = importance != nil && plan.mode == .factors
        var weights = [Double](repeating: 1, count: weighted ? paths : 0)
        let extras = BlockResults(count: blocks)
        net.withUnsafeMutableBufferPointer { netBuffer in
            gross.withUnsafeMutableBufferPointer { grossBuffer in
                weights.withUnsafeMutableBufferPointer { weightBuffer in
                    guard let netStart = netBuffer.baseAddress, let grossStart = grossBuffer.baseAddress else { return }
                    runWorkers(settings, threads: threads, extras: extras, net: SendablePointer(netStart),
                               gross: SendablePointer(grossStart),
                               // Never the (shared) storage of an empty array: only when weighted.
                               weights: weighted ? weightBuffer.baseAddress.map(SendablePointer.init) : nil,
                               progress: progress, shouldStop: shouldStop, contributions: contributions,
                               importance: weighted ? importance : nil)
                }
            }
        }

        // Keep the longest prefix of finished blocks (all of them unless stopped early).
        var completeBlocks = 0
        while completeBlocks < blocks, extras.isDone(completeBlocks) { completeBlocks += 1 }
        let keptPaths = min(paths, completeBlocks * SimulationSettings.blockSize)
        var payouts = SparsePayouts()
        var shortfall = 0.0
        var exhausted = [Int](repeating: 0, count: plan.guarantorEntities.count)
        var contributionSums: [Double]? = nil
        for b in 0..<completeBlocks {
            let e = extras.take(b)
            if let c = e.contributions {
                if contributionSums == nil { contributionSums = c } else {
                    for i in c.indices { contributionSums?[i] += c[i] }
                }
            }
            payouts.append(contentsOf: e.payouts)
            shortfall += e.premiumShortfall
            for (i, count) in e.capacityExhausted.enumerated() { exhausted[i] += count }
        }
        var kept = settings
        kept.paths = keptPaths
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return SimulationOutput(
            settings: kept,
            net: keptPaths < paths ? Array(net[0..<keptPaths]) : net,
            gross: keptPaths < paths ? Array(gross[0..<keptPaths]) : gross,
            weights: weighted ? (keptPaths < paths ? Array(weights[0..<keptPaths]) : weights) : nil,
            guarantorEntities: plan.guarantorEntities,
            sellerEntities: plan.sellerEntities,
            payouts: payouts,
            capacityExhausted: exhausted,
            contributionSums: contributionSums,
            expectedPremium: keptPaths > 0 ? plan.fullPremium - shortfall / Double(keptPaths) : plan.fullPremium,
            elapsedSeconds: elapsed)
    }

    /// `threads` Dispatch workers take blocks in turn until all are done or `shouldStop` says so;
    /// each writes only its block's slice of `net` and `gross` and its slot of `extras`.
    private func runWorkers(_ settings: SimulationSettings, threads: Int, extras: BlockResults,
                            net: SendablePointer<Double>, gross: SendablePointer<Double>, weights: SendablePointer<Double>?,
                            progress: (@Sendable (Int) -> Void)?, shouldStop: (@Sendable () -> Bool)?,
                            contributions: ContributionRequest?, importance: ImportanceShift?) {
        let paths = settings.paths, blocks = settings.blockCount
        let bondCount = portfolio.bonds.count
        let nextBlock = Atomic<Int>(0)
        let finishedPaths = Atomic<Int>(0)
        let stopped = Atomic<Bool>(false)
        let plan = self.plan, screen = self.screen
        BLASThreads.with(1) {
            DispatchQueue.concurrentPerform(iterations: threads) { _ in
                let kernel = BlockKernel(plan: plan, screen: screen)
                if let contributions {
                    kernel.recorder = ContributionRecorder(request: contributions, bonds: bondCount)
                }
                kernel.importance = importance
                while true {
                    if stopped.load(ordering: .relaxed) { return }
                    if let shouldStop, shouldStop() {
                        stopped.store(true, ordering: .relaxed)
                        return
                    }
                    let b = nextBlock.wrappingAdd(1, ordering: .relaxed).oldValue
                    if b >= blocks { return }
                    let first = b * SimulationSettings.blockSize
                    let count = min(SimulationSettings.blockSize, paths - first)
                    kernel.recorder?.reset()
                    var result = kernel.run(block: b, firstPath: first, count: count, seed: settings.seed,
                                            net: net.pointer + first, gross: gross.pointer + first,
                                            weights: weights.map { $0.pointer + first })
                    if let recorder = kernel.recorder { result.contributions = recorder.sums }
                    extras.store(result, at: b)
                    let done = finishedPaths.wrappingAdd(count, ordering: .relaxed).newValue
                    progress?(done)
                }
            }
        }
    }
}

/// A pointer handed to workers that write disjoint slices of it.
struct SendablePointer<T>: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<T>
    init(_ pointer: UnsafeMutablePointer<T>) { self.pointer = pointer }
}

/// One slot per block, each written by exactly one worker and read after all have joined.
final class BlockResults: @unchecked Sendable {
    private let slots: UnsafeMutableBufferPointer<BlockKernel.BlockExtras?>

    init(count: Int) {
        slots = .allocate(capacity: max(count, 1))
        slots.initialize(repeating: nil)
    }

    deinit {
        _ = slots.deinitialize()
        slots.deallocate()
    }

    func store(_ value: BlockKernel.BlockExtras, at index: Int) { slots[index] = value }
    func isDone(_ index: Int) -> Bool { slots[index] != nil }
    func take(_ index: Int) -> BlockKernel.BlockExtras {
        let v = slots[index] ?? BlockKernel.BlockExtras()
        slots[index] = nil
        return v
    }
}
