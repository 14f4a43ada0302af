import COpenBLAS

/// The engine's use of OpenBLAS's thread pool. OpenBLAS keeps one thread count for the whole
/// process, so CreditRisk sets it in exactly these two places, both owned by the engine: one
/// thread while Dispatch workers run many small products in parallel (two pools would
/// oversubscribe the cores), and all cores for one large factorisation.
package enum BLASThreadPolicy {
    /// Runs the simulation's workers with OpenBLAS held to one thread, restoring the count after.
    package static func simulation<T>(_ body: () -> T) -> T {
        with(threads: 1, body)
    }

    /// Runs a factorisation of an n × n matrix: all `cores` for n ≥ 256; below that, waking the
    /// pool costs more than it saves and leaves its threads spinning into the simulation.
    package static func factorisation<T, E: Error>(dimension n: Int, cores: Int, _ body: () throws(E) -> T) throws(E) -> T {
        try with(threads: n >= 256 ? max(cores, 1) : 1, body)
    }

    private static func with<T, E: Error>(threads: Int, _ body: () throws(E) -> T) throws(E) -> T {
        let previous = openblas_get_num_threads()
        openblas_set_num_threads(Int32(threads))
        defer { openblas_set_num_threads(previous) }
        return try body()
    }
}
