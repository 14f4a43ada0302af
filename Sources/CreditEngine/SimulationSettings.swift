/// How many paths to simulate, from which seed, on how many threads.
import CreditMath
import CreditModel

public struct SimulationSettings: Sendable, Hashable, Codable {
    public var paths: Int
    public var seed: UInt64
    /// Worker threads; results do not depend on it.
    public var threads: Int

    /// Paths per block, the unit of random streams and of parallel work. Fixed, so that the
    /// same seed gives the same bits on any number of threads.
    public static let blockSize = 1024
    /// Rows per `dgemm` inside a block: small enough that the B × N systematic part stays in L2.
    public static let chunkSize = 64

    public init(paths: Int, seed: UInt64, threads: Int) {
        self.paths = paths
        self.seed = seed
        self.threads = threads
    }

    public var blockCount: Int { (paths + Self.blockSize - 1) / Self.blockSize }
}
