import Dispatch
import Foundation
import Synchronization

/// Where the machine's load is read from: the system (`SystemLoad`), or fixed figures in tests.
public protocol LoadProbe: Sendable {
    /// The 1-minute load average.
    func loadAverage() -> Double?
    /// Threads of other processes that are runnable right now: the system's runnable threads
    /// minus this process's own running ones.
    func othersRunnable() -> Double?
}

/// Linux: /proc/loadavg (the 1-minute average, and "running/total" threads right now) and the
/// states of this process's threads in /proc/self/task/*/stat. Nil where /proc is missing.
public struct SystemLoad: LoadProbe {
    public init() {}

    public func loadAverage() -> Double? {
        fields().flatMap { $0.first }.flatMap(Double.init)
    }

    public func othersRunnable() -> Double? {
        guard let f = fields(), f.count >= 4, let running = f[3].split(separator: "/").first.flatMap({ Double($0) }) else {
            return nil
        }
        return max(0, running - Double(Self.ownRunningThreads()))
    }

    private func fields() -> [String]? {
        guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return nil }
        return text.split(separator: " ").map(String.init)
    }

    /// Threads of this process in state R (the state follows the parenthesised command name).
    static func ownRunningThreads() -> Int {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
        var running = 0
        for task in tasks {
            guard let stat = try? String(contentsOfFile: "/proc/self/task/\(task)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { continue }
            if stat[close...].dropFirst().trimmingCharacters(in: .whitespaces).first == "R" { running += 1 }
        }
        return running
    }
}

/// The machine's load around and during a benchmark.
public struct LoadSummary: Codable, Sendable, Hashable {
    /// The 1-minute load average just before the measurements: other work only.
    public var before: Double?
    /// The 1-minute load average just after: includes this run's own threads, so it is shown,
    /// not judged.
    public var after: Double?
    /// Mean and largest number of other processes' runnable threads, sampled every 0.25 s
    /// during the measurements.
    public var othersDuringMean: Double?
    public var othersDuringMax: Double?
    public var samples: Int
    /// Half the cores: above it, other work competed with the measurement.
    public var threshold: Double

    public init(before: Double?, after: Double?, othersDuring: [Double], threshold: Double) {
        self.before = before
        self.after = after
        samples = othersDuring.count
        othersDuringMean = othersDuring.isEmpty ? nil : othersDuring.reduce(0, +) / Double(othersDuring.count)
        othersDuringMax = othersDuring.max()
        self.threshold = threshold
    }

    enum CodingKeys: String, CodingKey {
        case before, after, samples, threshold
        case othersDuringMean = "others_runnable_mean"
        case othersDuringMax = "others_runnable_max"
    }
}

/// Samples a `LoadProbe` on a background thread while the measurements run.
public final class LoadMonitor: Sendable {
    private let probe: any LoadProbe
    private let threshold: Double
    private let before: Double?
    private let samples = Mutex<[Double]>([])
    private let stopSignal = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)

    /// Reads the load average at once and starts sampling.
    public init(probe: any LoadProbe, cores: Int, interval: Double = 0.25) {
        self.probe = probe
        threshold = Double(cores) / 2
        before = probe.loadAverage()
        let thread = Thread { [self] in
            repeat {
                if let n = self.probe.othersRunnable() { self.samples.withLock { $0.append(n) } }
            } while self.stopSignal.wait(timeout: .now() + interval) == .timedOut
            self.finished.signal()
        }
        thread.start()
    }

    /// Stops sampling (waits for the sampler to end) and summarises.
    public func stop() -> LoadSummary {
        stopSignal.signal()
        finished.wait()
        return LoadSummary(before: before, after: probe.loadAverage(), othersDuring: samples.withLock { $0 },
                           threshold: threshold)
    }
}
