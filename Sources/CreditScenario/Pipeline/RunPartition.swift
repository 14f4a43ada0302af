import CreditRisk

/// Which of a run's blocks of paths this process simulates, and what it does with them.
public enum RunPartition: Sendable {
    /// Every block, in this process: the statistics and files of the whole run.
    case whole
    /// Shard K of N: only its contiguous range of blocks, kept raw for `merge`.
    case shard(ShardSpec)
    /// MPI ranks: each rank its own contiguous range, statistics as collective queries.
    case ranks(any RunCollective)

    /// The blocks this process simulates of a run of `count` blocks (nil: all of them).
    func blocks(of count: Int) -> Range<Int>? {
        switch self {
        case .whole: return nil
        case let .shard(spec): return spec.blocks(of: count)
        case let .ranks(collective): return collective.blocks(of: count)
        }
    }

    /// The most blocks any one process of the partition holds (what the memory guard prices).
    func largestShare(of count: Int) -> Int {
        switch self {
        case .whole: return count
        case let .shard(spec): return spec.blocks(of: count).count
        case let .ranks(c): return (0..<c.size).map { c.blocks(of: count, rank: $0).count }.max() ?? 0
        }
    }

    var collective: (any RunCollective)? {
        if case let .ranks(c) = self, c.size > 1 { return c }
        return nil
    }

    var isShard: Bool {
        if case .shard = self { return true }
        return false
    }
}
