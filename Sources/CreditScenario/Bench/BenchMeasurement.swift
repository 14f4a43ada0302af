/// One thing `bench` timed, over its repeats, with the rates that follow from its work.
///
/// Its `key` (portfolio | kind | method | valuation | threads) is what `bench --against` matches
/// on, so it stays stable across runs, builds and machines for the same workload.
public struct BenchMeasurement: Codable, Sendable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// `Engine.run` alone: the simulation of the paths, no statistics or files.
        case engine
        /// The random-number generator alone, one uniform per name-path (the engine's bound).
        case generator
        /// The whole `run` pipeline: pilots, simulation, statistics, result files built in memory.
        case wholeRun = "whole-run"
        /// The CreditRisk+ analytic evaluation (`model: creditriskplus`).
        case analytic
        /// The numpy peer (Benchmarks/peer/npmc_peer.py), its simulation loop alone.
        case peer
    }

    /// The engine's fraction of the generator's rate at the same thread count.
    public struct Bound: Codable, Sendable, Hashable {
        /// The generator measurement it refers to.
        public var generatorKey: String
        /// Median uniforms per second of the generator.
        public var uniformsPerSecond: Double
        /// Median name-paths/s ÷ median uniforms/s: the share of the generator's speed reached.
        public var fraction: Double

        enum CodingKeys: String, CodingKey {
            case fraction
            case generatorKey = "generator_key"
            case uniformsPerSecond = "uniforms_per_second"
        }
    }

    public var key: String
    public var kind: Kind
    public var portfolio: String
    public var method: String
    public var valuation: String
    /// Worker threads; nil for the peer (numpy's own BLAS threads).
    public var threads: Int?
    /// Paths of each repeat; nil for the analytic model.
    public var paths: Int?
    /// Names (entities) simulated per path; nil for the analytic model.
    public var names: Int?
    public var seconds: BenchSpread
    public var pathsPerSecond: BenchRate?
    public var namePathsPerSecond: BenchRate?
    public var uniformsPerSecond: BenchRate?
    public var bound: Bound?
    /// Median seconds on one thread ÷ median seconds here (same kind, one-thread run present).
    public var speedupVsOneThread: Double?
    /// This measurement's median name-paths/s ÷ the peer's.
    public var ratioToPeer: Double?
    public var note: String?

    public init(kind: Kind, portfolio: String, method: String, valuation: String, threads: Int?,
                paths: Int?, names: Int?, seconds: BenchSpread, note: String? = nil) {
        self.kind = kind
        self.portfolio = portfolio
        self.method = method
        self.valuation = valuation
        self.threads = threads
        self.paths = paths
        self.names = names
        self.seconds = seconds
        self.note = note
        key = Self.key(kind: kind, portfolio: portfolio, method: method, valuation: valuation, threads: threads)
        computeRates()
    }

    /// The rates follow from the work (paths, names) and the seconds; never stored independently.
    private mutating func computeRates() {
        pathsPerSecond = nil
        namePathsPerSecond = nil
        uniformsPerSecond = nil
        guard let paths else { return }
        if kind == .generator {
            uniformsPerSecond = BenchRate(work: Double(paths) * Double(names ?? 1), seconds: seconds)
        } else {
            pathsPerSecond = BenchRate(work: Double(paths), seconds: seconds)
            if let names { namePathsPerSecond = BenchRate(work: Double(paths) * Double(names), seconds: seconds) }
        }
    }

    /// Reads a saved measurement; its rates are recomputed from its paths, names and seconds, so
    /// an edited file cannot contradict itself.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        key = try c.decode(String.self, forKey: .key)
        kind = try c.decode(Kind.self, forKey: .kind)
        portfolio = try c.decode(String.self, forKey: .portfolio)
        method = try c.decode(String.self, forKey: .method)
        valuation = try c.decode(String.self, forKey: .valuation)
        threads = try c.decodeIfPresent(Int.self, forKey: .threads)
        paths = try c.decodeIfPresent(Int.self, forKey: .paths)
        names = try c.decodeIfPresent(Int.self, forKey: .names)
        seconds = try c.decode(BenchSpread.self, forKey: .seconds)
        bound = try c.decodeIfPresent(Bound.self, forKey: .bound)
        speedupVsOneThread = try c.decodeIfPresent(Double.self, forKey: .speedupVsOneThread)
        ratioToPeer = try c.decodeIfPresent(Double.self, forKey: .ratioToPeer)
        note = try c.decodeIfPresent(String.self, forKey: .note)
        if let p = paths, p < 1 { throw DecodingError.dataCorruptedError(forKey: .paths, in: c, debugDescription: "must be at least 1") }
        if let n = names, n < 1 { throw DecodingError.dataCorruptedError(forKey: .names, in: c, debugDescription: "must be at least 1") }
        computeRates()
    }

    public static func key(kind: Kind, portfolio: String, method: String, valuation: String, threads: Int?) -> String {
        [portfolio, kind.rawValue, method, valuation, threads.map { "\($0) thread\($0 == 1 ? "" : "s")" } ?? "-"].joined(separator: " | ")
    }

    /// The rate `--against` compares: name-paths/s, uniforms/s, or evaluations per second
    /// (1 / seconds) for the analytic model.
    public var primaryRate: BenchRate {
        namePathsPerSecond ?? uniformsPerSecond ?? pathsPerSecond ?? BenchRate(work: 1, seconds: seconds)
    }

    /// The unit of `primaryRate`.
    public var primaryUnit: String {
        namePathsPerSecond != nil ? "name-paths/s" : uniformsPerSecond != nil ? "uniforms/s"
            : pathsPerSecond != nil ? "paths/s" : "evaluations/s"
    }

    enum CodingKeys: String, CodingKey {
        case key, kind, portfolio, method, valuation, threads, paths, names, seconds, bound, note
        case pathsPerSecond = "paths_per_second"
        case namePathsPerSecond = "name_paths_per_second"
        case uniformsPerSecond = "uniforms_per_second"
        case speedupVsOneThread = "speedup_vs_one_thread"
        case ratioToPeer = "ratio_to_peer"
    }
}
