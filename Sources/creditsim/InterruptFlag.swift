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
        signal(SIGINT, SIG_IGN)
        source.setEventHandler { [weak self] in self?.raised.store(true, ordering: .relaxed) }
        source.resume()
        #if MPI
        signal(SIGUSR1, SIG_IGN)
        user1.setEventHandler { [weak self] in self?.raised.store(true, ordering: .relaxed) }
        user1.resume()
        #endif
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
