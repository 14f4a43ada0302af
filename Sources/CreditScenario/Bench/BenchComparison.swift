/// A bench result against a saved one (`bench --against OLD.json`), measurement by measurement.
///
/// Measurements are matched by their key (portfolio | kind | method | valuation | threads). The
/// ratio is new ÷ old of the median rate (name-paths/s, uniforms/s, or evaluations/s for the
/// analytic model), so above 1 is faster. A difference is *beyond noise* only when the two
/// ranges of repeats do not overlap: every new repeat faster than every old one (new min rate >
/// old max rate) or every one slower (new max rate < old min rate). Otherwise it is *within
/// noise*: some old repeat was as fast as some new one. With fewer than three repeats on either
/// side the ranges show too little of the noise, and the verdict is *too few repeats*.
public struct BenchComparison: Codable, Sendable {
    public enum Verdict: String, Sendable, Codable {
        case faster = "faster, beyond noise"
        case slower = "slower, beyond noise"
        case withinNoise = "within noise"
        case tooFewRepeats = "too few repeats to judge"
    }

    public struct Row: Codable, Sendable {
        public var key: String
        /// The rate's unit: name-paths/s, uniforms/s, paths/s or evaluations/s.
        public var unit: String
        public var old: BenchRate
        public var new: BenchRate
        /// New median rate ÷ old median rate.
        public var ratio: Double
        public var verdict: Verdict
    }

    /// The saved file compared against, as given, and its date and revision.
    public var file: String
    public var oldDate: String
    public var oldRevision: String
    public var rows: [Row]
    /// Keys measured now but not in the old file, and the reverse.
    public var onlyNew: [String]
    public var onlyOld: [String]
    /// What differs between the machines or builds (then ratios mix code and machine).
    public var machineDifferences: [String]
    /// Workload settings that differ (paths, seed): rates stay comparable, results less so.
    public var workloadDifferences: [String]

    enum CodingKeys: String, CodingKey {
        case file, rows
        case oldDate = "old_date"
        case oldRevision = "old_revision"
        case onlyNew = "only_new"
        case onlyOld = "only_old"
        case machineDifferences = "machine_differences"
        case workloadDifferences = "workload_differences"
    }

    public init(old: BenchReport, new: BenchReport, oldPath: String) {
        file = oldPath
        oldDate = old.date
        oldRevision = old.machine.revision
        let oldByKey = Dictionary(old.measurements.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
        rows = new.measurements.compactMap { m -> Row? in
            guard let o = oldByKey[m.key] else { return nil }
            return Row(key: m.key, unit: m.primaryUnit, old: o.primaryRate, new: m.primaryRate,
                       ratio: m.primaryRate.median / o.primaryRate.median,
                       verdict: Self.verdict(old: o, new: m))
        }
        let newKeys = Set(new.measurements.map(\.key))
        onlyNew = new.measurements.map(\.key).filter { oldByKey[$0] == nil }
        onlyOld = old.measurements.map(\.key).filter { !newKeys.contains($0) }
        machineDifferences = new.machine.differences(from: old.machine)
        var w: [String] = []
        if old.workload.paths != new.workload.paths {
            w.append("paths: \(old.workload.paths.map(String.init) ?? "-") then \(new.workload.paths.map(String.init) ?? "-")")
        }
        if old.workload.seed != new.workload.seed { w.append("seed: \(old.workload.seed) then \(new.workload.seed)") }
        workloadDifferences = w
    }

    /// See the type's documentation.
    public static func verdict(old: BenchMeasurement, new: BenchMeasurement) -> Verdict {
        guard old.seconds.isJudgeable && new.seconds.isJudgeable else { return .tooFewRepeats }
        let o = old.primaryRate, n = new.primaryRate
        if n.min > o.max { return .faster }
        if n.max < o.min { return .slower }
        return .withinNoise
    }
}
