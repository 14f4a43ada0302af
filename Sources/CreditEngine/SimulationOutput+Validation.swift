import CreditMath
import CreditModel

extension SimulationOutput.State {
    /// What is wrong with a state read back from a file (a shard's), nil when it can be merged: it
    /// must describe the blocks `shard` of a `paths`-path run, and its summary only those paths.
    public func problem(firstBlockOf shard: (index: Int, count: Int), paths total: Int) -> String? {
        let size = SimulationSettings.blockSize
        guard settings.paths == total, settings.threads >= 1 else { return "settings for \(settings.paths) paths, not \(total)" }
        let blocks = settings.blockCount
        let first = Int(Int128(shard.index - 1) * Int128(blocks) / Int128(shard.count))
        let end = Int(Int128(shard.index) * Int128(blocks) / Int128(shard.count))
        let expectedFirst = min(first * size, total), expectedPaths = min(end * size, total) - expectedFirst
        guard firstPath == expectedFirst else { return "first path \(firstPath); shard \(shard.index)/\(shard.count) starts at \(expectedFirst)" }
        guard paths == expectedPaths, summary.paths == paths else {
            return "\(paths) paths (summary \(summary.paths)); shard \(shard.index)/\(shard.count) holds \(expectedPaths)"
        }
        guard factorCount >= 0, factorCount <= 1 << 20 else { return "factor count \(factorCount)" }
        guard guarantorEntities.allSatisfy({ $0 >= 0 }), sellerEntities.allSatisfy({ $0 >= 0 }) else { return "a negative provider index" }
        guard summary.capacityExhausted.count == guarantorEntities.count else {
            return "\(summary.capacityExhausted.count) capacity tallies for \(guarantorEntities.count) guarantors"
        }
        let p = summary.payouts, providers = guarantorEntities.count + sellerEntities.count
        guard p.slot.count == p.path.count, p.amount.count == p.path.count, p.weight.count == p.path.count else {
            return "payout records of unequal lengths"
        }
        for i in p.path.indices {
            guard (firstPath..<(firstPath + paths)).contains(p.path[i]) else { return "a payout on path \(p.path[i]), outside the shard" }
            guard (0..<providers).contains(Int(p.slot[i])) else { return "a payout to provider slot \(p.slot[i]) of \(providers)" }
            guard p.amount[i].isFinite, p.weight[i].isFinite, p.weight[i] > 0 else { return "a payout amount or weight that is not finite" }
            if i > 0 && p.path[i] < p.path[i - 1] { return "payouts out of path order" }
        }
        guard summary.contributions == nil else { return "contribution sums in a shard" }
        guard fullPremium.isFinite, fullPremium >= 0 else { return "premium \(fullPremium)" }
        return nil
    }
}
