import CreditRisk
import Foundation

/// The tool's version, shown by `--version` and written into every manifest.
public enum CreditSimVersion {
    public static let version = "0.2.0"
    /// The git revision the binary was built from: `HEAD`'s short hash when it was built, with
    /// `-dirty` when `Package.swift` or `Sources/` differed from it (recorded by the BuildRevision
    /// plugin). A build from a source archive records "unknown"; only then does the environment's
    /// `CREDITSIM_REVISION` fill in, as the user's claim.
    public static var revision: String {
        if buildRevision != "unknown" { return buildRevision }
        return ProcessInfo.processInfo.environment["CREDITSIM_REVISION"].flatMap { $0.isEmpty ? nil : $0 } ?? "unknown"
    }
}

/// `manifest.json` of a result folder: what produced it, from which inputs, and when.
public struct Manifest: Codable, Sendable {
    public struct Input: Codable, Sendable, Hashable {
        public var path: String
        public var sha256: String
        public var bytes: Int
    }

    public var tool = "creditsim"
    public var version = CreditSimVersion.version
    public var revision = CreditSimVersion.revision
    public var commandLine: [String]
    public var scenario: String
    public var seed: UInt64
    public var paths: Int
    public var threads: Int
    public var ranks: Int = 1
    /// `K/N` for a shard, nil for a whole run.
    public var shard: String?
    /// The subfolder this manifest describes ("stress-NAME", "gaussian", …); nil at the top.
    public var folder: String?
    public var method: String
    public var inputs: [Input]
    /// UTC, ISO 8601.
    public var started: String
    public var finished: String
    public var openBLASCore: String

    enum CodingKeys: String, CodingKey {
        case tool, version, revision, scenario, seed, paths, threads, ranks, shard, folder, method, inputs, started, finished
        case commandLine = "command_line"
        case openBLASCore = "openblas_core"
    }

    public init(commandLine: [String], scenario: Scenario, seed: UInt64, paths: Int, threads: Int, method: String,
                shard: String? = nil, started: Date, finished: Date) {
        self.commandLine = commandLine
        self.scenario = scenario.name
        self.seed = seed
        self.paths = paths
        self.threads = threads
        self.method = method
        self.shard = shard
        // Paths relative to the scenario's folder: a manifest names the inputs, not the host's layout.
        let base = URL(fileURLWithPath: scenario.path).standardizedFileURL.deletingLastPathComponent().path
        inputs = Self.fingerprints(scenario.inputFiles).map { input in
            var relative = input
            relative.path = Self.relativePath(URL(fileURLWithPath: input.path).standardizedFileURL.path, from: base)
            return relative
        }
        self.started = Self.timestamp(started)
        self.finished = Self.timestamp(finished)
        openBLASCore = BLASCore.name
    }

    /// SHA-256 and size of each input file, as read now.
    public static func fingerprints(_ paths: [String]) -> [Input] {
        paths.map { path in
            let data = FileManager.default.contents(atPath: path) ?? Data()
            return Input(path: path, sha256: SHA256.hex(data), bytes: data.count)
        }
    }

    /// `path` relative to the folder `base` (both absolute), with `..` where it lies outside.
    static func relativePath(_ path: String, from base: String) -> String {
        let p = path.split(separator: "/"), b = base.split(separator: "/")
        var common = 0
        while common < min(p.count, b.count) && p[common] == b[common] { common += 1 }
        let up = [Substring](repeating: "..", count: b.count - common)
        return (up + p[common...]).joined(separator: "/")
    }

    static func timestamp(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        f.timeZone = TimeZone(identifier: "UTC")
        return f.string(from: date)
    }

    /// The differences that make two runs' figures incomparable as paired, or suspect as a
    /// comparison at all: seed, paths, inputs (by content), tool version.
    public func differences(from other: Manifest) -> [String] {
        var d: [String] = []
        if seed != other.seed { d.append("seeds differ (\(seed) and \(other.seed)): differences mix effect and noise") }
        if paths != other.paths { d.append("path counts differ (\(paths) and \(other.paths))") }
        let mine = Set(inputs.map(\.sha256)), theirs = Set(other.inputs.map(\.sha256))
        if mine != theirs { d.append("input files differ in content") }
        if version != other.version || revision != other.revision {
            d.append("tool versions differ (\(version) \(revision) and \(other.version) \(other.revision))")
        }
        return d
    }
}
