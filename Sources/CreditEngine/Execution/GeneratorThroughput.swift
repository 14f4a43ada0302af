import CreditMath
import Dispatch

/// The random-number generator alone, run as the engine runs it: the bound on the engine's speed.
///
/// Plain sampling draws one uniform per name and path, so no run can exceed the generator's rate
/// of uniforms. This fills `perPath` uniforms per path into a per-worker buffer, block by block
/// (`SimulationSettings.blockSize` paths, each block its own `UniformStream` keyed by (seed, block))
/// on the same Dispatch workers, as the path kernel fills its idiosyncratic uniforms. It lives in
/// the core so that it is compiled with the core's CPU target, like the kernel it bounds.
public enum GeneratorThroughput {
    /// What one run did.
    public struct Result: Sendable {
        /// Wall-clock seconds of the fill (workers started and joined included).
        public var seconds: Double
        /// Uniforms drawn: `paths × perPath`.
        public var uniforms: Double
        /// The sum of the last uniform of each path: consumed so the fills cannot be optimised away.
        public var checksum: Double
    }

    public static func run(paths: Int, perPath: Int, seed: UInt64, threads: Int) -> Result {
        let settings = SimulationSettings(paths: paths, seed: seed, threads: threads)
        let width = max(perPath, 1)
        let slots = BlockSlots<Double>(count: settings.blockCount)
        let start = DispatchTime.now().uptimeNanoseconds
        DispatchExecutor(threads: threads).execute(blocks: settings.blockCount, makeWorker: {
            UniformBuffer(count: width)
        }, body: { buffer, block in
            var stream = UniformStream(seed: seed, block: UInt64(block))
            let first = block * SimulationSettings.blockSize
            var sum = 0.0
            for _ in 0..<min(SimulationSettings.blockSize, paths - first) {
                stream.fill(buffer.pointer, count: width)
                sum += buffer.pointer[width - 1]
            }
            slots.store(sum, at: block)
        }, shouldStop: nil)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        var checksum = 0.0
        for b in 0..<settings.blockCount { checksum += slots.take(b) ?? 0 }
        return Result(seconds: seconds, uniforms: Double(paths) * Double(width), checksum: checksum)
    }
}

/// One worker's buffer of uniforms (the kernel's row of idiosyncratic uniforms).
private final class UniformBuffer: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Double>
    init(count: Int) {
        pointer = .allocate(capacity: count)
        pointer.initialize(repeating: 0, count: count)
    }
    deinit { pointer.deallocate() }
}
