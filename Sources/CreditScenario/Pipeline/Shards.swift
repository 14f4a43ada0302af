import CreditRisk
import Foundation

/// `run --shard K/N`: shard K of N simulates the K-th of N contiguous ranges of the run's blocks,
/// for the base and every stress; `merge` of all N folders rebuilds the one-process result bit for
/// bit, since blocks draw from streams keyed by (seed, block) and block sums merge exactly.
public struct ShardSpec: Sendable, Hashable, Codable, CustomStringConvertible {
    /// 1 … count.
    public let index: Int
    public let count: Int

    public init?(index: Int, count: Int) {
        guard count >= 1, (1...count).contains(index) else { return nil }
        self.index = index
        self.count = count
    }

    /// "K/N".
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]) else { return nil }
        self.init(index: k, count: n)
    }

    public var description: String { "\(index)/\(count)" }

    /// This shard's blocks of a run of `blocks` blocks.
    public func blocks(of blocks: Int) -> Range<Int> {
        ((index - 1) * blocks / count)..<(index * blocks / count)
    }
}

/// One portfolio's share of a shard: its raw output and the importance shift it used.
public struct ShardPiece: Sendable {
    public var stress: Stress?
    public var output: SimulationOutput
    public var shift: ImportanceShift?
}

extension RunPipeline {
    /// Simulates this shard's blocks of the base and of every stress. Every shard chooses the same
    /// importance shift (its pilots depend only on the seed), so the pieces fit together.
    public func simulateShard(_ request: RunRequest, shard: ShardSpec,
                              monitor: (any RunMonitor)? = nil) throws(RunError) -> [ShardPiece] {
        var pieces: [ShardPiece] = []
        let settings = request.settings
        let blocks = shard.blocks(of: settings.blockCount)
        for stress in [nil] + request.stresses.map(Optional.some) {
            var portfolio = scenario.portfolio
            if let stress {
                do { portfolio = try stress.apply(to: scenario.portfolio) } catch { throw .stress(name: stress.name, error) }
            }
            let engine = Engine(portfolio: portfolio)
            var shift: ImportanceShift? = nil
            if request.method == .importance {
                guard engine.supportsImportanceSampling else { throw .importanceNeedsFactors }
                let pilot = min(max(settings.paths / 10, 20_000), 100_000)
                shift = engine.importanceShift(level: scenario.levels.max() ?? 0.99, pilotPaths: pilot,
                                               seed: settings.seed, threads: settings.threads)
            }
            let shouldStop: @Sendable () -> Bool = { monitor?.shouldStop ?? false }
            var progress: (@Sendable (Int) -> Void)? = nil
            if let monitor { progress = { done in monitor.pathsFinished(done) } }
            monitor?.phaseStarted(stress?.name ?? "base", paths: min(blocks.count * SimulationSettings.blockSize, settings.paths))
            let output = engine.run(settings, progress: progress, shouldStop: shouldStop, importance: shift,
                                    blocks: blocks, record: [.factors, .sectors])
            monitor?.phaseFinished()
            if shouldStop() { throw .interruptedBeforeAnyPath }
            pieces.append(ShardPiece(stress: stress, output: output, shift: shift))
        }
        return pieces
    }
}
