import Foundation

/// When a benchmark's figures should not be trusted: repeats that disagree, or a busy machine.
public enum NoiseWarnings {
    /// A relative spread (max − min) / median above this is noise, not a property of the code.
    public static let spreadLimit = 0.10

    /// One sentence per problem, each ending with what to do.
    public static func warnings(_ measurements: [BenchMeasurement], load: LoadSummary) -> [String] {
        var w: [String] = []
        let single = measurements.filter { !$0.seconds.isJudgeable }
        if let first = single.first {
            w.append("\(first.seconds.runs.count) repeat(s) per measurement: too few to see the noise; rerun with --repeat 3 or more")
        }
        for m in measurements where m.seconds.isJudgeable && m.seconds.relativeSpread > spreadLimit {
            w.append(String(format: "%@: the repeats spread %.0f %% (%.4g to %.4g s), more than %.0f %%: the machine was noisy; rerun, with more --repeat or on a quieter machine",
                            label(m), 100 * m.seconds.relativeSpread, m.seconds.min, m.seconds.max, 100 * spreadLimit))
        }
        if let before = load.before, before > load.threshold {
            w.append(String(format: "the 1-minute load average was %.2f before the measurements, above half the cores (%.1f): other work competed; rerun when the machine is quiet",
                            before, load.threshold))
        }
        if let mean = load.othersDuringMean, mean > load.threshold {
            w.append(String(format: "other processes kept %.2f threads runnable on average during the measurements (at most %.0f), above half the cores (%.1f): rerun when the machine is quiet",
                            mean, load.othersDuringMax ?? mean, load.threshold))
        }
        return w
    }

    /// "engine, 2 threads".
    static func label(_ m: BenchMeasurement) -> String {
        m.kind.rawValue + (m.threads.map { ", \($0) thread\($0 == 1 ? "" : "s")" } ?? "")
    }
}
