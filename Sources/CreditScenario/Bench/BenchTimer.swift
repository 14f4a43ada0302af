import Dispatch

/// Where a benchmark's seconds come from: the test seam of `bench`.
///
/// The real timer (`RunningTimer`) runs the work; a test supplies fixed seconds per measurement
/// and repeat without running anything, so warnings, JSON and comparisons can be checked on
/// known figures without loading the machine.
public protocol BenchTimer: Sendable {
    /// The seconds of repeat `index` of the measurement `key`. `run` does the work once and
    /// returns the seconds it measured itself.
    func seconds(of key: String, repeat index: Int, run: () throws -> Double) rethrows -> Double
    /// The untimed warm-up before the measurements (a test timer skips it).
    func warmUp(_ work: () throws -> Void) rethrows
}

/// Runs the work and takes its own measurement (never below a nanosecond, so rates stay finite).
public struct RunningTimer: BenchTimer {
    public init() {}
    public func seconds(of key: String, repeat index: Int, run: () throws -> Double) rethrows -> Double {
        max(try run(), 1e-9)
    }

    public func warmUp(_ work: () throws -> Void) rethrows { try work() }
}

/// Wall-clock seconds of `body` on the monotonic clock.
func wallSeconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}
