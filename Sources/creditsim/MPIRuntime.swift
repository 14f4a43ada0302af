import CreditScenario
import Foundation
#if MPI
import CMPIShim
#endif

/// The MPI side of `creditsim run` (built with `--traits MPI`): started under `mpirun -np N`
/// with N > 1, the run's blocks are split over the ranks (see `RunCollective`); rank 0 alone
/// prints and writes. Without the trait, or with one rank, there is no collective.
enum MPIRuntime {
    /// The world communicator when this process is one of several MPI ranks.
    nonisolated(unsafe) static var world: (any RunCollective)?

    /// Whether this process prints and writes (rank 0, or no MPI).
    static var isRoot: Bool { (world?.rank ?? 0) == 0 }

    /// Initialises MPI when built with it and launched by an MPI starter (mpirun, srun): a plain
    /// `creditsim` never touches MPI, so that it also runs where no MPI runtime is set up.
    static func start() {
        #if MPI
        let env = ProcessInfo.processInfo.environment
        let launched = ["OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "SLURM_PROCID"].contains { env[$0] != nil }
        guard launched, cmpi_init() == 0 else { return }
        let size = Int(cmpi_size())
        if size > 1 {
            world = MPIWorld(rank: Int(cmpi_rank()), size: size)
        }
        #endif
    }

    /// Ends MPI (every exit path of the tool goes through here) and, with CREDITSIM_MPI_REPORT
    /// set, prints each rank's peak resident memory and bytes sent on stderr.
    static func finish() {
        #if MPI
        if let world = world as? MPIWorld, ProcessInfo.processInfo.environment["CREDITSIM_MPI_REPORT"] != nil {
            let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
            let hwm = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") }
                .flatMap { Int($0.split(separator: " ").dropFirst().first ?? "") } ?? 0
            StdErr.write("mpi report: rank \(world.rank) of \(world.size) peak_resident_kib \(hwm) bytes_sent \(world.bytesSent) reductions \(world.reductions)\n")
        }
        if cmpi_active() != 0 { _ = cmpi_finalize() }
        #endif
    }

    /// A failure on one rank ends all of them (the others would wait for it forever).
    static func abortIfParallel(_ code: Int32) {
        #if MPI
        if world != nil, cmpi_active() != 0 { cmpi_abort(code) }
        #endif
    }
}

#if MPI
/// MPI_COMM_WORLD through the C shim. Only the main thread calls MPI (MPI_THREAD_FUNNELED).
final class MPIWorld: RunCollective, @unchecked Sendable {
    let rank: Int
    let size: Int
    /// Bytes this rank sent (reductions, and its share of broadcasts as their root).
    private(set) var bytesSent = 0
    /// Collective reductions made (each one a round of latency on a cluster).
    private(set) var reductions = 0
    /// Messages go in pieces below MPI's 2³¹-element count limit.
    private static let piece = 1 << 30

    init(rank: Int, size: Int) {
        self.rank = rank
        self.size = size
    }

    func allreduceSum(_ values: [Int64]) -> [Int64] { allreduce(values, cmpi_allreduce_sum_int64) }
    func allreduceMax(_ values: [Int64]) -> [Int64] { allreduce(values, cmpi_allreduce_max_int64) }

    /// In place, in pieces below MPI's 2³¹-element count limit. An allreduce sends about twice
    /// its bytes per rank (reduce-scatter and allgather); that is what is counted.
    private func allreduce(_ values: [Int64], _ op: (UnsafeMutablePointer<Int64>?, Int32) -> Int32) -> [Int64] {
        var out = values
        out.withUnsafeMutableBufferPointer { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = min(Self.piece / 8, buffer.count - offset)
                _ = op(buffer.baseAddress.map { $0 + offset }, Int32(n))
                offset += n
            }
        }
        bytesSent += 2 * 8 * values.count
        reductions += 1
        return out
    }

    func broadcast(_ bytes: [UInt8]) -> [UInt8] {
        var length = Int64(rank == 0 ? bytes.count : 0)
        withUnsafeMutableBytes(of: &length) { _ = cmpi_bcast($0.baseAddress, 8, 0) }
        var data = rank == 0 ? bytes : [UInt8](repeating: 0, count: Int(length))
        if length > 0 { data.withUnsafeMutableBytes { _ = cmpi_bcast($0.baseAddress, Int64($0.count), 0) } }
        if rank == 0 { bytesSent += (8 + data.count) * (size - 1) }
        return data
    }
}
#endif
