import CreditRisk
import Foundation

/// Receives a run's progress and says when to stop. Called from worker threads.
public protocol RunMonitor: Sendable {
    /// A phase of `paths` paths starts: "base", a stress's name, or "NAME contributions".
    func phaseStarted(_ phase: String, paths: Int)
    func pathsFinished(_ done: Int)
    func phaseFinished()
    /// Polled between blocks: true stops the run with the blocks finished so far.
    var shouldStop: Bool { get }
}

/// What a run produced: finished outcomes (a whole run, MPI ranks, or merged shards), or one
/// shard's raw pieces for `merge`. Exactly one of the two lists is filled.
public struct RunResult: Sendable {
    public var outcomes: [RunOutcome] = []
    public var pieces: [ShardPiece] = []

    /// Whether anything was cut short by a stop.
    public var isPartial: Bool { outcomes.contains(where: \.isPartial) }
}

/// Every run mode of a scenario goes through here: the memory guard, then the base and each
/// stress under common random numbers, each with the importance pilot, the precision policy, the
/// statistics, the contribution pass and the pairing with the base. The partition decides which
/// blocks this process simulates: all (`.whole`), one shard's (kept raw), or one MPI rank's
/// (statistics as collective queries). `merge` finishes a complete set of shard pieces exactly
/// as a whole run finishes its own.
///
/// A stop (the monitor's `shouldStop`) ends the sequence after the portfolio being simulated,
/// whose result is then partial (a prefix of blocks).
public struct RunPipeline: Sendable {
    public let scenario: Scenario

    public init(scenario: Scenario) {
        self.scenario = scenario
    }

    /// Runs the base, then each stress, until done or stopped.
    public func run(_ request: RunRequest, partition: RunPartition = .whole,
                    monitor: (any RunMonitor)? = nil) throws(RunError) -> RunResult {
        try checkMemory(request, partition: partition)
        var result = RunResult()
        var request = request
        for stress in [nil] + request.stresses.map(Optional.some) {
            if !result.outcomes.isEmpty || !result.pieces.isEmpty, stopBetweenPortfolios(monitor, partition) {
                try markSkipped(&result, before: stress, partition: partition)
                break
            }
            let portfolio = try self.portfolio(under: stress)
            let simulated: SimulatedPortfolio
            do {
                let baseShift = result.outcomes.first?.shift ?? result.pieces.first?.shift
                simulated = try simulate(portfolio, stress: stress, request: request, partition: partition, baseShift: baseShift,
                                         monitor: monitor)
            } catch {
                // Stopped before a block of this stress finished: report what ran before it.
                guard case .interruptedBeforeAnyPath = error, !result.outcomes.isEmpty else { throw error }
                try markSkipped(&result, before: stress, partition: partition)
                break
            }
            if case .shard = partition {
                if monitor?.shouldStop == true { throw .interruptedBeforeAnyPath }
                let contributions = request.contributions
                    ? try shardContributions(simulated, request: request, partition: partition, monitor: monitor) : nil
                if monitor?.shouldStop == true { throw .interruptedBeforeAnyPath }
                result.pieces.append(ShardPiece(stress: stress, output: simulated.output, shift: simulated.shift,
                                                contributions: contributions))
                continue
            }
            var outcome = finish(simulated, ranks: partition.collective?.size)
            try contributions(&outcome, request: request, partition: partition, monitor: monitor)
            pair(&outcome, with: result.outcomes.first)
            // The base's precision run fixes the path count: stresses then run that many paths,
            // so that they stay paired with it.
            if request.precision != nil {
                request.precision = nil
                request.settings.paths = outcome.output.paths
            }
            result.outcomes.append(outcome)
            // Every figure of an outcome is global, so every rank takes the same decision.
            if outcome.isPartial { break }
        }
        return result
    }

    /// Rebuilds the whole run from a complete set of shard pieces (per shard, base then each
    /// stress, shards in order): the same finishing as a whole run, bit for bit, contributions
    /// included when the shards ran them (`ShardContributions`).
    public func merge(_ shards: [[ShardPiece]], requestedPaths: Int) throws(MergeError) -> [RunOutcome] {
        guard let first = shards.first else { return [] }
        var outcomes: [RunOutcome] = []
        for (i, piece) in first.enumerated() {
            var output = piece.output
            for shard in shards.dropFirst() { output = output.appending(shard[i].output) }
            // Validated when the pieces were written; a stress that no longer applies was refused on load.
            guard let portfolio = try? self.portfolio(under: piece.stress) else { continue }
            let simulated = SimulatedPortfolio(stress: piece.stress, portfolio: portfolio, output: output, shift: piece.shift,
                                               requestedPaths: requestedPaths, precision: nil)
            var outcome = finish(simulated, ranks: nil)
            let parts = shards.compactMap { $0[i].contributions }
            if !parts.isEmpty {
                guard parts.count == shards.count, let c = mergedContributions(outcome, shards: parts) else {
                    throw MergeError(description: "\(piece.stress.map { "stress \($0.name)" } ?? "base"): the shards' contribution records do not cover the whole run's tail (damaged shards, or some run without --contributions); rerun the shards")
                }
                outcome.contributions = c
            }
            pair(&outcome, with: outcomes.first)
            outcomes.append(outcome)
        }
        return outcomes
    }

    /// The scenario's portfolio, or the stress applied to it.
    public func portfolio(under stress: Stress?) throws(RunError) -> Portfolio {
        guard let stress else { return scenario.portfolio }
        do { return try stress.apply(to: scenario.portfolio) } catch { throw .stress(name: stress.name, error) }
    }

    /// Rank 0's monitor decides for all ranks whether to stop before the next portfolio.
    private func stopBetweenPortfolios(_ monitor: (any RunMonitor)?, _ partition: RunPartition) -> Bool {
        let stop = monitor?.shouldStop == true
        return partition.collective?.broadcast(stop) ?? stop
    }

    /// Stopped between two portfolios: what ran is whole, the rest is skipped. A shard is written
    /// only whole.
    private func markSkipped(_ result: inout RunResult, before stress: Stress?, partition: RunPartition) throws(RunError) {
        if partition.isShard { throw .interruptedBeforeAnyPath }
        result.outcomes[result.outcomes.count - 1].status = .interrupted(.beforeStress(stress?.name ?? ""))
    }

    /// Pairs a stress with the base (`versus_base`).
    private func pair(_ outcome: inout RunOutcome, with base: RunOutcome?) {
        guard let base else { return }
        outcome.versusBase = PairedComparison(base: base.output, baseReport: base.report,
                                              other: outcome.output, otherReport: outcome.report)
    }
}
