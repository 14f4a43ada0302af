import COpenBLAS

/// OpenBLAS's own thread pool. The engine runs many small `dgemm`s in parallel from Dispatch
/// workers, so OpenBLAS must stay single-threaded there or the two pools oversubscribe the cores.
public enum BLASThreads {
    /// Runs `body` with OpenBLAS held to `count` threads, restoring the previous count after.
    public static func with<T, E: Error>(_ count: Int, _ body: () throws(E) -> T) throws(E) -> T {
        let previous = openblas_get_num_threads()
        openblas_set_num_threads(Int32(count))
        defer { openblas_set_num_threads(previous) }
        return try body()
    }
}
