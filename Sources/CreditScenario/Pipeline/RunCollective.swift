import CreditRisk
import Foundation

/// The processes a run is split over (MPI ranks): rank r simulates the contiguous blocks
/// [r·B/N, (r+1)·B/N) of the B blocks, with its own threads, and keeps its own paths. Every rank
/// runs the same pipeline in lockstep; each statistic is a collective query over element-wise
/// integer sums (`SampleReducer`), so that no rank ever holds another's paths and every figure
/// is the same bits as one process's. Rank 0 reports. Only the collectives are asked of an
/// implementation (the CLI's MPI build provides them).
public protocol RunCollective: AnyObject, Sendable {
    var rank: Int { get }
    var size: Int { get }
    /// Rank 0's `bytes` on every rank (the argument is ignored on the others).
    func broadcast(_ bytes: [UInt8]) -> [UInt8]
    /// Element-wise sums and maxima over all ranks, on every rank.
    func allreduceSum(_ values: [Int64]) -> [Int64]
    func allreduceMax(_ values: [Int64]) -> [Int64]
}

/// A collective as the statistics see it.
struct CollectiveReducer: SampleReducer {
    let collective: any RunCollective
    func sum(_ values: [Int64]) -> [Int64] { collective.allreduceSum(values) }
    func max(_ values: [Int64]) -> [Int64] { collective.allreduceMax(values) }
}

extension RunCollective {
    /// Rank `rank`'s blocks of a run of `blocks` blocks.
    public func blocks(of blocks: Int, rank r: Int? = nil) -> Range<Int> {
        let r = r ?? rank
        return ShardSpec.boundary(r, of: size, blocks)..<ShardSpec.boundary(r + 1, of: size, blocks)
    }

    var isRoot: Bool { rank == 0 }

    var reducer: any SampleReducer { CollectiveReducer(collective: self) }

    /// Rank 0's flag on every rank.
    func broadcast(_ flag: Bool) -> Bool { broadcast([flag ? 1 : 0]).first == 1 }

    /// This rank's output as its part of the whole run. The run is the longest prefix of blocks
    /// the ranks finished (a stopped rank ends it): a rank after an incomplete one keeps no paths.
    /// The run's sums (premium, capacity) are reduced; the per-path arrays stay here.
    func split(_ local: SimulationOutput, settings: SimulationSettings, elapsedSeconds: Double) -> SimulationOutput {
        var mine = [Int](repeating: 0, count: size)
        mine[rank] = local.localPaths
        let done = reducer.sum(mine)
        var complete = true, total = 0, included = false
        for r in 0..<size where complete {
            total += done[r]
            if r == rank { included = true }
            complete = done[r] == pathCount(blocks(of: settings.blockCount, rank: r), settings)
        }
        let kept = included ? local : local.withoutPaths
        return kept.split(over: reducer, paths: total, tallies: kept.summary.reduced(over: reducer),
                          elapsedSeconds: elapsedSeconds)
    }

    private func pathCount(_ blocks: Range<Int>, _ settings: SimulationSettings) -> Int {
        let size = SimulationSettings.blockSize
        return max(0, min(blocks.upperBound * size, settings.paths) - min(blocks.lowerBound * size, settings.paths))
    }
}
