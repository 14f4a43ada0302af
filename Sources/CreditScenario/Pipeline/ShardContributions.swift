import CreditRisk
import Foundation

/// What a shard run with `--contributions` carries for `merge` to produce the one-process
/// `contributions.csv` bit for bit.
///
/// A contribution pass sums, per block in path order and then exactly across blocks, each bond's
/// EL term over every path and its ES terms over the tail paths (L ≥ VaR). The EL terms need no
/// VaR: the shard sums them itself (`meanSums`, exact). The ES terms need the global VaR, which
/// a shard does not know; but it knows a bound: the paths with L > VaR of the whole run weigh at
/// most n·(1 − q) in all (n the run's paths, q its lowest level), so in this shard too. Sorting
/// its own paths by loss, the shard finds the loss `keepFrom` above which its paths weigh more
/// than twice that; the global VaR cannot be below it (else those paths would all lie above
/// VaR). The shard keeps the bond losses of its paths with L ≥ `keepFrom` (`kept`), which hold
/// every tail path it has, and `merge` replays the ES terms of those in block order
/// (`ContributionReplay`), checking the bound against the VaR it computes.
public struct ShardContributions: Sendable {
    /// nil: every path with a loss is kept (the shard's paths weigh less than the bound).
    public var keepFrom: Double?
    /// The EL row's sums (`ContributionLayout` indices, exact), only the entries touched.
    public var index: [Int]
    public var sums: [ExactSum]
    public var kept: TailLosses

    /// The lowest loss whose paths, with all larger ones, weigh more than `budget`; nil when all
    /// of them weigh less.
    static func keepFrom(_ output: SimulationOutput, budget: Double) -> Double? {
        var order = Array(output.net.indices)
        order.sort { output.net[$0] > output.net[$1] }
        var total = 0.0
        var i = 0
        while i < order.count {
            let value = output.net[order[i]]
            // Ties enter together: the bound is on the weight of paths with L ≥ value.
            while i < order.count && output.net[order[i]] == value {
                total += output.weights?[order[i]] ?? 1
                i += 1
            }
            if total > budget { return value }
        }
        return nil
    }

    /// Twice the weight of the whole run's paths beyond VaR at the lowest level.
    static func budget(paths: Int, levels: [Double]) -> Double {
        2 * Double(paths) * (1 - (levels.min() ?? 0.99))
    }
}

extension RunPipeline {
    /// A shard's contribution pass over its own blocks (see `ShardContributions`).
    func shardContributions(_ s: SimulatedPortfolio, request: RunRequest, partition: RunPartition,
                            monitor: (any RunMonitor)?) throws(RunError) -> ShardContributions {
        var settings = request.settings
        settings.paths = s.requestedPaths
        let keepFrom = ShardContributions.keepFrom(s.output, budget: ShardContributions.budget(paths: settings.paths,
                                                                                                 levels: scenario.levels))
        let pass = ContributionRequest.shard(levels: scenario.levels, paths: settings.paths, portfolio: s.portfolio,
                                             keepFrom: keepFrom)
        let shouldStop: @Sendable () -> Bool = { monitor?.shouldStop ?? false }
        var progress: (@Sendable (Int) -> Void)? = nil
        if let monitor { progress = { done in monitor.pathsFinished(done) } }
        monitor?.phaseStarted("\(s.stress?.name ?? "base") contributions", paths: s.output.localPaths)
        let again = Engine(portfolio: s.portfolio).run(settings, progress: progress, shouldStop: shouldStop,
                                                       contributions: pass, importance: s.shift,
                                                       blocks: partition.blocks(of: settings.blockCount))
        monitor?.phaseFinished()
        // A shard is written only whole.
        if again.paths < s.output.paths { throw .interruptedBeforeAnyPath }
        var index: [Int] = [], sums: [ExactSum] = []
        for (i, sum) in (again.summary.contributions ?? []).enumerated() where sum != ExactSum() {
            index.append(i)
            sums.append(sum)
        }
        return ShardContributions(keepFrom: keepFrom, index: index, sums: sums, kept: again.summary.tailLosses ?? TailLosses())
    }

    /// The one-process contributions from the merged output and every shard's share, in shard
    /// order; nil when a shard's bound does not hold (it kept too few paths: never, by the rule
    /// above, unless its files were altered).
    func mergedContributions(_ outcome: RunOutcome, shards: [ShardContributions]) -> Contributions? {
        let portfolio = outcome.portfolio
        let request = ContributionRequest(net: outcome.report.netDistribution, levels: scenario.levels, portfolio: portfolio)
        for s in shards {
            if let from = s.keepFrom, request.levels.contains(where: { $0.valueAtRisk < from }) { return nil }
        }
        let output = outcome.output
        var kept = TailLosses()
        for s in shards { kept.append(contentsOf: s.kept) }
        var sums = ContributionReplay.tailSums(request: request, bonds: portfolio.bonds.count, kept: kept,
                                               net: { output.net[$0 - output.firstPath] },
                                               weight: { output.weights?[$0 - output.firstPath] ?? 1 })
        for s in shards {
            for (i, sum) in zip(s.index, s.sums) where sums.indices.contains(i) { sums[i].add(sum) }
        }
        return Contributions(sums: sums.map(\.value), request: request, portfolio: portfolio)
    }
}
