import CBuildInfo
import CreditRisk
import Foundation

/// The machine and build a benchmark ran on: what must match for two results to be comparable.
public struct BenchMachine: Codable, Sendable, Hashable {
    /// `model name` of /proc/cpuinfo ("unknown" elsewhere).
    public var cpuModel: String
    /// Logical processors available to the process.
    public var cores: Int
    /// Physical memory, bytes.
    public var memoryBytes: Double
    /// The vector extensions the CPU reports among those the core can use (avx2, fma, avx512f…).
    public var cpuVectorExtensions: [String]
    /// The `-target-cpu` the core was compiled for (`CREDITSIM_TARGET_CPU`), or "portable".
    public var vectorTarget: String
    /// The kernel set OpenBLAS chose (see `BLASCore`).
    public var openBLASCore: String
    /// "release" or "debug" (a debug build is many times slower and says nothing of speed).
    public var buildConfiguration: String
    public var toolVersion: String
    /// The git revision the binary was built from (see `CreditSimVersion.revision`).
    public var revision: String
    /// Operating system and kernel release.
    public var system: String

    enum CodingKeys: String, CodingKey {
        case cores, revision, system
        case cpuModel = "cpu_model"
        case memoryBytes = "memory_bytes"
        case cpuVectorExtensions = "cpu_vector_extensions"
        case vectorTarget = "vector_target"
        case openBLASCore = "openblas_core"
        case buildConfiguration = "build_configuration"
        case toolVersion = "tool_version"
    }

    public init(cpuModel: String, cores: Int, memoryBytes: Double, cpuVectorExtensions: [String], vectorTarget: String,
                openBLASCore: String, buildConfiguration: String, toolVersion: String, revision: String, system: String) {
        self.cpuModel = cpuModel
        self.cores = cores
        self.memoryBytes = memoryBytes
        self.cpuVectorExtensions = cpuVectorExtensions
        self.vectorTarget = vectorTarget
        self.openBLASCore = openBLASCore
        self.buildConfiguration = buildConfiguration
        self.toolVersion = toolVersion
        self.revision = revision
        self.system = system
    }

    /// This process's machine and build.
    public static var current: BenchMachine {
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let target = String(cString: creditsim_target_cpu())
        #if DEBUG
        let configuration = "debug"
        #else
        let configuration = "release"
        #endif
        let info = ProcessInfo.processInfo
        return BenchMachine(cpuModel: field("model name", in: cpuinfo) ?? "unknown", cores: info.activeProcessorCount,
                            memoryBytes: Double(info.physicalMemory), cpuVectorExtensions: vectorExtensions(cpuinfo),
                            vectorTarget: target.isEmpty ? "portable" : target, openBLASCore: BLASCore.name,
                            buildConfiguration: configuration, toolVersion: CreditSimVersion.version,
                            revision: CreditSimVersion.revision, system: system())
    }

    /// The first `key : value` line of a /proc/cpuinfo text.
    static func field(_ key: String, in text: String) -> String? {
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            if parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == key {
                return parts[1].trimmingCharacters(in: .whitespaces)
            }
        }
        return nil
    }

    static func vectorExtensions(_ cpuinfo: String) -> [String] {
        let flags = Set((field("flags", in: cpuinfo) ?? "").split(separator: " ").map(String.init))
        return ["sse4_2", "avx", "avx2", "fma", "avx512f", "avx512dq", "avx512bw", "avx512vl"].filter(flags.contains)
    }

    static func system() -> String {
        var u = utsname()
        guard uname(&u) == 0 else { return "unknown" }
        func text<T>(_ field: T) -> String {
            withUnsafeBytes(of: field) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        }
        return "\(text(u.sysname)) \(text(u.release)) \(text(u.machine))"
    }

    /// What differs between two machines in a way that moves speed (CPU, cores, vector target,
    /// OpenBLAS kernels, build configuration), as readable phrases; empty when comparable.
    public func differences(from other: BenchMachine) -> [String] {
        var d: [String] = []
        func check(_ what: String, _ a: String, _ b: String) { if a != b { d.append("\(what): \(b) then \(a)") } }
        check("CPU", cpuModel, other.cpuModel)
        check("cores", "\(cores)", "\(other.cores)")
        check("vector target", vectorTarget, other.vectorTarget)
        check("OpenBLAS core", openBLASCore, other.openBLASCore)
        check("build", buildConfiguration, other.buildConfiguration)
        return d
    }
}
