import CreditScenario
import Synchronization

/// The command line's view of a run: a progress bar per phase on a terminal, and Ctrl-C as the
/// stop signal polled between blocks.
final class CommandLineMonitor: RunMonitor {
    private let quiet: Bool
    private let interrupt = InterruptFlag()
    private let bar = Mutex<ProgressReporter?>(nil)
    /// The phase running, until its first block finishes (for `TestHook.mark`).
    private let unmarked = Mutex<String?>(nil)

    init(quiet: Bool) {
        self.quiet = quiet
        TestHook.interruptAtStart { [interrupt] in interrupt.isRaised }
    }

    func phaseStarted(_ phase: String, paths: Int) {
        if phase.hasSuffix(" contributions") { TestHook.pause(at: "contributions") }
        unmarked.withLock { $0 = phase }
        guard !quiet else { return }
        bar.withLock { $0 = ProgressReporter(total: paths) }
    }

    func pathsFinished(_ done: Int) {
        if let phase = unmarked.withLock({ p -> String? in defer { p = nil }; return p }) {
            TestHook.mark("first block of \(phase) finished")
        }
        bar.withLock { $0 }?.update(done)
    }

    func phaseFinished() {
        bar.withLock { reporter in
            reporter?.finish()
            reporter = nil
        }
    }

    var shouldStop: Bool { interrupt.isRaised }
}
