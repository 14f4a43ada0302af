import CreditRisk
import Foundation

/// Restarts the tool once with OPENBLAS_CORETYPE set when OpenBLAS picked its generic SSE3
/// kernels on a CPU with AVX2 and FMA (see `BLASCore`). Results keep their meaning; only the
/// speed of `dgemm` changes. Set OPENBLAS_CORETYPE yourself to choose, or
/// CREDITSIM_KEEP_OPENBLAS_CORE=1 to keep whatever OpenBLAS chose.
enum OpenBLASRestart {
    static let guardVariable = "CREDITSIM_KEEP_OPENBLAS_CORE"

    static func restartIfWorthwhile() {
        let env = ProcessInfo.processInfo.environment
        guard env[guardVariable] == nil,
              let core = BLASCore.preferredCoreType(cpuFlags: cpuFlags(), environment: env) else { return }
        setenv("OPENBLAS_CORETYPE", core, 1)
        setenv(guardVariable, "1", 1)
        execv("/proc/self/exe", CommandLine.unsafeArgv)
        // exec failed: carry on with the kernels already loaded.
        unsetenv("OPENBLAS_CORETYPE")
    }

    /// The CPU's feature flags from the first `flags` line of /proc/cpuinfo (empty elsewhere).
    static func cpuFlags() -> Set<String> {
        guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let line = info.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return [] }
        return Set(line.split(separator: " ").map(String.init))
    }
}
