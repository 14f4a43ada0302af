import Dispatch
import Foundation
import Synchronization

/// Turns Ctrl-C (SIGINT) into a flag the engine polls between blocks, so that an interrupted run
/// keeps its finished blocks and still writes a complete, clearly partial result.
/// (@unchecked: the signal source is only set up in `init` and cancelled in `deinit`.)
final class InterruptFlag: @unchecked Sendable {
    private let raised = Atomic<Bool>(false)
    private let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
    #if MPI
    /// mpirun ends a job on SIGINT (SIGTERM, then SIGKILL to every rank) but forwards SIGUSR1 to
    /// all ranks: `kill -USR1 <mpirun>` is the MPI build's Ctrl-C.
    private let user1 = DispatchSource.makeSignalSource(signal: SIGUSR1, queue: .global())
    #endif

    init() {
        // The signal is ignored from here on, but a source hears it only once Dispatch has
        // registered it (asynchronously): a Ctrl-C in between was lost, every time in a probe that
        // signalled itself right after `resume()`, and sometimes in a test on a loaded machine.
        // So wait for the registration (at most a few seconds, normally microseconds).
        let registered = DispatchGroup()
        signal(SIGINT, SIG_IGN)
        Self.start(source, registered) { [weak self] in self?.raised.store(true, ordering: .relaxed) }
        #if MPI
        signal(SIGUSR1, SIG_IGN)
        Self.start(user1, registered) { [weak self] in self?.raised.store(true, ordering: .relaxed) }
        #endif
        // A Dispatch that never registers costs this wait once, silently; Ctrl-C then may not stop
        // the run (SIGTERM still does).
        _ = registered.wait(timeout: .now() + Self.registrationWait)
    }

    /// How long `init` waits for Dispatch to register the signal sources.
    static let registrationWait = DispatchTimeInterval.seconds(5)

    private static func start(_ source: any DispatchSourceSignal, _ registered: DispatchGroup,
                              handler: @escaping @Sendable () -> Void) {
        registered.enter()
        source.setRegistrationHandler { registered.leave() }
        source.setEventHandler(handler: handler)
        source.resume()
    }

    var isRaised: Bool { raised.load(ordering: .relaxed) }

    deinit {
        #if MPI
        user1.cancel()
        #endif
        source.cancel()
        signal(SIGINT, SIG_DFL)
    }
}
