import COpenBLAS
import Foundation

/// The CPU kernel set OpenBLAS chose at load time.
///
/// Debian 12's OpenBLAS 0.3.21 falls back to its SSE3 "Prescott" kernels on CPUs it does not
/// recognise (newer Xeons among them), even when they have AVX2 and FMA; its dgemm is then about
/// twice as slow for the engine's tall, thin products. The choice is made from the environment
/// variable OPENBLAS_CORETYPE when the library loads, so it can only be changed by restarting.
public enum BLASCore {
    public static var name: String {
        guard let p = openblas_get_corename() else { return "unknown" }
        return String(cString: p)
    }

    /// The core type worth restarting with, if any: Haswell (AVX2 + FMA kernels) when OpenBLAS
    /// fell back to Prescott, the CPU reports both features, and the user chose no core type.
    public static func preferredCoreType(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        guard environment["OPENBLAS_CORETYPE"] == nil, name.lowercased() == "prescott" else { return nil }
        guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let flagsLine = info.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return nil }
        let flags = Set(flagsLine.split(separator: " ").map(String.init))
        return flags.contains("avx2") && flags.contains("fma") ? "Haswell" : nil
    }
}
