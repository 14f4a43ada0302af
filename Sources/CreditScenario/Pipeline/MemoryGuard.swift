import CreditRisk
import Foundation

extension RunPipeline {
    /// A quick bound before any portfolio exists (`bench`): the per-path net and gross losses
    /// (16 B a path, 24 with importance weights) and their sorted copies with tail sums (up to
    /// 48 B, 112 weighted). Runs use `memoryEstimate(_:partition:)`, which counts everything they hold.
    public static func estimatedBytes(paths: Int, method: SamplingMethod) -> Double {
        Double(paths) * Double(method == .importance ? 24 + 112 : 16 + 48)
    }

    /// Refuses `paths` whose per-path results would take more than 80 % of physical memory.
    public static func checkMemory(paths: Int, method: SamplingMethod,
                                   available: Double = Double(ProcessInfo.processInfo.physicalMemory)) throws(RunError) {
        let needed = estimatedBytes(paths: paths, method: method)
        if needed > 0.8 * available {
            throw .tooManyPaths(paths: paths, neededBytes: needed, availableBytes: available)
        }
    }

    /// What `request` will hold at its peak in the busiest process of `partition` (see
    /// ``MemoryEstimate``): under MPI or as a shard, a process holds its own blocks' paths only.
    public func memoryEstimate(_ request: RunRequest, partition: RunPartition = .whole) throws(RunError) -> MemoryEstimate {
        var portfolios = [scenario.portfolio]
        for stress in request.stresses { portfolios.append(try portfolio(under: stress)) }
        let sectors = Set(scenario.portfolio.entities.map { $0.sector ?? "" }).count
        let blocks = partition.largestShare(of: request.settings.blockCount)
        let paths = min(blocks * SimulationSettings.blockSize, request.settings.paths)
        var estimate = MemoryEstimate(portfolios: portfolios, paths: paths, threads: request.settings.threads,
                                      method: request.method,
                                      contributionLevels: request.contributions ? scenario.levels.count : nil,
                                      recordedPerPath: scenario.factorIDs.count + sectors)
        if request.exportPaths || partition.isShard {
            estimate.addExport(portfolios: portfolios, paths: paths, method: request.method,
                               factors: scenario.factorIDs.count, sectors: sectors)
        }
        if request.exportPaths { estimate.addEvents(portfolios: portfolios, paths: paths, method: request.method) }
        if request.contributions && partition.isShard {
            // The bond losses a shard keeps for its merge (16 B a booking, with growth): at most
            // every booking of its paths, as many as their events.
            estimate.contributions += portfolios.reduce(0) {
                $0 + Double(paths) * MemoryEstimate.eventsPerPath($1, method: request.method) * MemoryEstimate.eventSafetyFactor * 32
            }
        }
        return estimate
    }

    /// The most paths, at most `limit`, that `request` can run within 80 % of physical memory: a
    /// precision run's default maximum is priced on the paths it can reach, not refused for
    /// paths it would never hold.
    public func largestPaths(_ request: RunRequest, upTo limit: Int,
                             available: Double = Double(ProcessInfo.processInfo.physicalMemory)) -> Int {
        func fits(_ paths: Int) -> Bool {
            var r = request
            r.settings.paths = paths
            return ((try? memoryEstimate(r))?.total ?? .infinity) <= 0.8 * available
        }
        if fits(limit) { return limit }
        var lo = 0, hi = limit
        while hi - lo > SimulationSettings.blockSize {
            let mid = lo + (hi - lo) / 2
            if fits(mid) { lo = mid } else { hi = mid }
        }
        return lo / SimulationSettings.blockSize * SimulationSettings.blockSize
    }

    /// Refuses a run whose estimated peak memory exceeds 80 % of physical memory.
    public func checkMemory(_ request: RunRequest, partition: RunPartition = .whole,
                            available: Double = Double(ProcessInfo.processInfo.physicalMemory)) throws(RunError) {
        try Self.refuse(try memoryEstimate(request, partition: partition), paths: request.settings.paths, available: available)
    }

    static func refuse(_ estimate: MemoryEstimate, paths: Int,
                       available: Double = Double(ProcessInfo.processInfo.physicalMemory)) throws(RunError) {
        if estimate.total > 0.8 * available {
            throw .tooManyPaths(paths: paths, neededBytes: estimate.total, availableBytes: available)
        }
    }
}
