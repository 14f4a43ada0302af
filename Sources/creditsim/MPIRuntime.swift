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
            StdErr.write("mpi report: rank \(world.rank) of \(world.size) peak_resident_kib \(hwm) bytes_sent \(world.bytesSent)\n")
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
    /// Bytes this rank sent (point to point, and its share of broadcasts as their root).
    private(set) var bytesSent = 0
    private static let tag: Int32 = 17
    /// Messages go in pieces below MPI's 2³¹-element count limit.
    private static let piece = 1 << 30

    init(rank: Int, size: Int) {
        self.rank = rank
        self.size = size
    }

    func sendToRoot(_ bytes: [UInt8]) {
        var length = Int64(bytes.count)
        withUnsafeBytes(of: &length) { _ = cmpi_send($0.baseAddress, 8, 0, Self.tag) }
        bytesSent += 8
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = min(Self.piece, raw.count - offset)
                _ = cmpi_send(raw.baseAddress! + offset, Int64(n), 0, Self.tag)
                offset += n
            }
        }
        bytesSent += bytes.count
    }

    func receive(from source: Int) -> [UInt8] {
        var length: Int64 = 0
        withUnsafeMutableBytes(of: &length) { _ = cmpi_recv($0.baseAddress, 8, Int32(source), Self.tag) }
        let count = Int(length)
        return [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            var offset = 0
            while offset < count {
                let n = min(Self.piece, count - offset)
                _ = cmpi_recv(buffer.baseAddress! + offset, Int64(n), Int32(source), Self.tag)
                offset += n
            }
            initialized = count
        }
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
