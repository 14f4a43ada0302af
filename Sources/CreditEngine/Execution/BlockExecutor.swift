import CreditMath
import CreditModel
import Dispatch
import Synchronization

/// Runs the blocks of a simulation on some set of workers. Each block runs exactly once, on one
/// worker, which writes only that block's slices and result slot; results are joined in block
/// order afterwards, so the bits never depend on how blocks were scheduled. Dispatch threads
/// here; MPI ranks or shards take a subset of the blocks in the same way.
public protocol BlockExecutor: Sendable {
    /// Calls `body(worker, block)` for blocks `0..<blocks` until all ran or `shouldStop` says so
    /// (checked between blocks). `makeWorker` is called once per worker, on that worker.
    func execute<Worker>(blocks: Int, makeWorker: @Sendable () -> Worker,
                         body: @Sendable (Worker, Int) -> Void, shouldStop: (@Sendable () -> Bool)?)
}

/// Dynamic scheduling over `threads` Dispatch workers: each takes the next block in turn.
public struct DispatchExecutor: BlockExecutor {
    public let threads: Int

    public init(threads: Int) { self.threads = max(1, threads) }

    public func execute<Worker>(blocks: Int, makeWorker: @Sendable () -> Worker,
                                body: @Sendable (Worker, Int) -> Void, shouldStop: (@Sendable () -> Bool)?) {
        let nextBlock = Atomic<Int>(0)
        let stopped = Atomic<Bool>(false)
        DispatchQueue.concurrentPerform(iterations: max(1, min(threads, blocks))) { _ in
            let worker = makeWorker()
            while true {
                if stopped.load(ordering: .relaxed) { return }
                if let shouldStop, shouldStop() {
                    stopped.store(true, ordering: .relaxed)
                    return
                }
                let b = nextBlock.wrappingAdd(1, ordering: .relaxed).oldValue
                if b >= blocks { return }
                body(worker, b)
            }
        }
    }
}

/// One result slot per block, each written by exactly one worker and read after all have joined.
final class BlockSlots<Value>: @unchecked Sendable {
    private let slots: UnsafeMutableBufferPointer<Value?>

    init(count: Int) {
        slots = .allocate(capacity: max(count, 1))
        slots.initialize(repeating: nil)
    }

    deinit {
        _ = slots.deinitialize()
        slots.deallocate()
    }

    func store(_ value: Value, at index: Int) { slots[index] = value }
    func take(_ index: Int) -> Value? {
        let v = slots[index]
        slots[index] = nil
        return v
    }
}

/// A pointer handed to workers that write disjoint slices of it.
struct SendablePointer<T>: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<T>
    init(_ pointer: UnsafeMutablePointer<T>) { self.pointer = pointer }
}
