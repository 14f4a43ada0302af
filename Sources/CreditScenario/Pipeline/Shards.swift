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

    /// This shard's blocks of a run of `blocks` blocks (products in 128 bits: K and N may be
    /// as large as an Int).
    public func blocks(of blocks: Int) -> Range<Int> {
        Self.boundary(index - 1, of: count, blocks)..<Self.boundary(index, of: count, blocks)
    }

    /// ⌊k · blocks / n⌋ without overflow (0 ≤ k ≤ n): the first block of part k + 1 of n.
    static func boundary(_ k: Int, of n: Int, _ blocks: Int) -> Int {
        Int(Int128(k) * Int128(blocks) / Int128(n))
    }
}

/// One portfolio's share of a shard: its raw output and the importance shift it used.
public struct ShardPiece: Sendable {
    public var stress: Stress?
    public var output: SimulationOutput
    public var shift: ImportanceShift?
    /// With `--contributions`: what the merge needs for the one-process contributions.
    public var contributions: ShardContributions?

    public init(stress: Stress?, output: SimulationOutput, shift: ImportanceShift?, contributions: ShardContributions? = nil) {
        self.stress = stress
        self.output = output
        self.shift = shift
        self.contributions = contributions
    }
}
