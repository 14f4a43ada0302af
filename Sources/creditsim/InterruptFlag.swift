import Dispatch
import Foundation
import Synchronization

/// Turns Ctrl-C (SIGINT) into a flag the engine polls between blocks, so that an interrupted run
/// keeps its finished blocks and still writes a complete, clearly partial result.
/// (@unchecked: the signal source is only set up in `init` and cancelled in `deinit`.)
final class InterruptFlag: @unchecked Sendable {
    private let raised = Atomic<Bool>(false)
    private let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())

    init() {
        signal(SIGINT, SIG_IGN)
        source.setEventHandler { [weak self] in self?.raised.store(true, ordering: .relaxed) }
        source.resume()
    }

    var isRaised: Bool { raised.load(ordering: .relaxed) }

    deinit {
        source.cancel()
        signal(SIGINT, SIG_DFL)
    }
}
