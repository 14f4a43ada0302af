import COpenBLAS

/// The CPU kernel set OpenBLAS chose at load time.
///
/// Debian 12's OpenBLAS 0.3.21 falls back to its SSE3 "Prescott" kernels on CPUs it does not
/// recognise (newer Xeons among them), even when they have AVX-512 or AVX2 with FMA. Measured on
/// this project's machines (one thread, the engine's 64 × 1000 × 10 product): Prescott 11.8,
/// Haswell 14.5, SkylakeX 35.5 GFLOP/s; 2000³ on two threads: SkylakeX 148 GFLOP/s. The choice
/// is read from OPENBLAS_CORETYPE when the library loads, so it can only change by restarting.
public enum BLASCore {
    public static var name: String {
        guard let p = openblas_get_corename() else { return "unknown" }
        return String(cString: p)
    }

    /// The core type worth restarting with, if any, when OpenBLAS fell back to Prescott and the
    /// user chose no core type: SkylakeX when the CPU reports AVX-512 F, DQ, BW and VL (what
    /// those kernels use), else Haswell when it reports AVX2 and FMA. The caller reads the CPU's
    /// flags (on Linux, the `flags` line of /proc/cpuinfo): the library reads no system files.
    public static func preferredCoreType(cpuFlags flags: Set<String>, environment: [String: String]) -> String? {
        guard environment["OPENBLAS_CORETYPE"] == nil, name.lowercased() == "prescott" else { return nil }
        if ["avx512f", "avx512dq", "avx512bw", "avx512vl"].allSatisfy(flags.contains) { return "SkylakeX" }
        return flags.contains("avx2") && flags.contains("fma") ? "Haswell" : nil
    }
}
