import Foundation
import Synchronization

/// A one-line progress bar with ETA on stderr, only when stderr is a terminal and the run lasts
/// long enough to need one. Called from worker threads.
final class ProgressReporter: Sendable {
    let total: Int
    let start = Date()
    let lastDraw = Mutex<Double>(0)
    let enabled = StdErr.isTerminal

    init(total: Int) { self.total = total }

    func update(_ done: Int) {
        guard enabled else { return }
        let elapsed = Date().timeIntervalSince(start)
        guard elapsed > 1 else { return }
        let draw = lastDraw.withLock { last -> Bool in
            guard elapsed - last >= 0.2 else { return false }
            last = elapsed
            return true
        }
        guard draw else { return }
        let fraction = Double(done) / Double(max(total, 1))
        let width = 30
        let filled = Int(fraction * Double(width))
        let eta = fraction > 0 ? elapsed * (1 - fraction) / fraction : 0
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        StdErr.write(String(format: "\r[%@] %5.1f%%  %d/%d paths  ETA %.0fs ", bar, fraction * 100, done, total, eta))
    }

    func finish() {
        guard enabled, Date().timeIntervalSince(start) > 1 else { return }
        StdErr.write("\r\u{1B}[K")
    }
}
