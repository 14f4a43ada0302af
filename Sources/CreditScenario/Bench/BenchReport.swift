import Foundation

/// What `bench` measured, where and when: the document of `bench --json`, and the file
/// `bench --against` reads back. Keys are stable (see Benchmarks/README.md); figures that do not
/// apply are left out rather than written as null.
public struct BenchReport: Codable, Sendable {
    /// Always "creditsim-bench".
    public var format = "creditsim-bench"
    /// Bumped when a key changes meaning.
    public var formatVersion = 1
    /// When the measurements ended, UTC, ISO 8601.
    public var date: String
    public var machine: BenchMachine
    public var workload: BenchWorkload
    public var load: LoadSummary
    public var measurements: [BenchMeasurement]
    public var peer: PeerSummary?
    /// The process's peak resident memory (VmHWM) when the measurements ended: the largest
    /// of everything measured, setup included, not of one measurement.
    public var peakResidentBytes: Double?
    public var warnings: [String]
    /// With `--against`: this result against the saved one.
    public var against: BenchComparison?

    enum CodingKeys: String, CodingKey {
        case format, date, machine, workload, load, measurements, peer, warnings, against
        case formatVersion = "format_version"
        case peakResidentBytes = "peak_resident_bytes"
    }

    public init(date: Date, machine: BenchMachine, workload: BenchWorkload, load: LoadSummary,
                measurements: [BenchMeasurement], peer: PeerSummary?, peakResidentBytes: Double?) {
        self.date = Manifest.timestamp(date)
        self.machine = machine
        self.workload = workload
        self.load = load
        self.measurements = measurements
        self.peer = peer
        self.peakResidentBytes = peakResidentBytes
        warnings = NoiseWarnings.warnings(measurements, load: load)
        if let z = peer?.z, abs(z) > 4 {
            warnings.append(String(format: "the peer's expected loss differs from creditsim's by %.1f standard errors: they did not simulate the same model; check the peer script", z))
        }
    }

    /// Pretty, key-sorted JSON with a final newline.
    public func json() throws -> String { try encodeJSON(self) }

    /// Reads a saved `bench --json` file.
    public static func load(path: String) throws(BenchFileError) -> BenchReport {
        guard let data = FileManager.default.contents(atPath: path) else { throw .unreadable(path: path) }
        // The format first, so that another JSON file (a summary.json) is named as such.
        struct Header: Decodable {
            var format: String?
            var formatVersion: Int?
            enum CodingKeys: String, CodingKey {
                case format
                case formatVersion = "format_version"
            }
        }
        let header: Header
        do { header = try JSONDecoder().decode(Header.self, from: data) } catch { throw .invalid(path: path, reason: Self.describe(error)) }
        guard let format = header.format, format == "creditsim-bench" else {
            throw .invalid(path: path, reason: (header.format.map { "format is \"\($0)\"" } ?? "key \"format\" is missing")
                + ", not \"creditsim-bench\" (a file of `creditsim bench --json`)")
        }
        guard header.formatVersion == 1 else {
            throw .invalid(path: path, reason: "format_version \(header.formatVersion.map(String.init) ?? "missing") is not supported (this creditsim reads 1)")
        }
        do {
            return try JSONDecoder().decode(BenchReport.self, from: data)
        } catch {
            throw .invalid(path: path, reason: Self.describe(error))
        }
    }

    static func describe(_ error: Error) -> String {
        switch error {
        case let DecodingError.keyNotFound(key, context):
            return "key \"\(path(context.codingPath + [key]))\" is missing"
        case let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context):
            return "key \"\(path(context.codingPath))\": \(context.debugDescription)"
        case let DecodingError.dataCorrupted(context):
            return context.codingPath.isEmpty ? "not JSON" : "key \"\(path(context.codingPath))\": \(context.debugDescription)"
        default:
            return "\(error)"
        }
    }

    static func path(_ keys: [CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().trimmingCharacters(in: ["."])
    }
}

/// A saved bench file that cannot be used.
public enum BenchFileError: Error, CustomStringConvertible, Sendable {
    case unreadable(path: String)
    case invalid(path: String, reason: String)

    public var description: String {
        switch self {
        case let .unreadable(path): return "\(path): file not found or unreadable"
        case let .invalid(path, reason): return "\(path): not a creditsim bench result: \(reason)"
        }
    }
}

/// What was measured: the portfolio (synthetic or a scenario file) and the settings.
public struct BenchWorkload: Codable, Sendable {
    /// "synthetic" or "scenario".
    public var kind: String
    /// The portfolio's part of every measurement key.
    public var portfolio: String
    /// A sentence for people.
    public var description: String
    /// The scenario file, for `--scenario`.
    public var scenario: String?
    /// "copula" or "creditriskplus".
    public var model: String
    public var copula: String?
    public var names: Int
    public var bonds: Int
    public var factors: Int?
    /// Paths per repeat; nil for the analytic model.
    public var paths: Int?
    public var seed: UInt64
    public var method: String
    public var valuation: String
    public var repeats: Int
    public var threads: [Int]
    /// Building the portfolio (or loading the scenario) and compiling the engine, untimed by the
    /// measurements.
    public var setupSeconds: Double

    enum CodingKeys: String, CodingKey {
        case kind, portfolio, description, scenario, model, copula, names, bonds, factors, paths, seed, method, valuation, repeats, threads
        case setupSeconds = "setup_seconds"
    }
}
