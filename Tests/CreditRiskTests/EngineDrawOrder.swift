@testable import CreditEngine
@testable import CreditMath
@testable import CreditModel

/// The engine's order of draws, for the naive replays that check the kernel (`NaiveReplay`,
/// `KernelEquivalenceTests`, `MarketKernelEquivalenceTests`): per block of
/// `SimulationSettings.blockSize` paths a stream of its own, per chunk of
/// `SimulationSettings.chunkSize` rows the Student-t mixing uniforms of each row, then the
/// rows × dimension normals, then per path the names' uniforms.
enum EngineDrawOrder {
    /// Calls `chunk` for each chunk of `paths` in order, with its block's stream, its first path
    /// and its rows.
    static func forEachChunk(paths: Int, seed: UInt64,
                             _ chunk: (_ rng: inout UniformStream, _ firstPath: Int, _ rows: Int) -> Void) {
        var blockStart = 0, block: UInt64 = 0
        while blockStart < paths {
            let blockPaths = min(SimulationSettings.blockSize, paths - blockStart)
            var rng = UniformStream(seed: seed, block: block)
            var chunkStart = 0
            while chunkStart < blockPaths {
                let rows = min(SimulationSettings.chunkSize, blockPaths - chunkStart)
                chunk(&rng, blockStart + chunkStart, rows)
                chunkStart += rows
            }
            blockStart += blockPaths
            block += 1
        }
    }

    /// The next `count` uniforms.
    static func uniforms(_ rng: inout UniformStream, _ count: Int) -> [Double] {
        var u = [Double](repeating: 0, count: count)
        u.withUnsafeMutableBufferPointer { rng.fill($0.baseAddress!, count: count) }
        return u
    }

    /// The next `count` standard normals, Φ⁻¹ of uniforms.
    static func normals(_ rng: inout UniformStream, _ count: Int) -> [Double] {
        uniforms(&rng, count).map(Normal.quantile)
    }

    /// A chunk's scales √(W/ν), W ~ χ²_ν, one per row under a Student-t copula (all 1 under the
    /// Gaussian copula, which draws none).
    static func scales(_ copula: Copula, rows: Int, _ rng: inout UniformStream) -> [Double] {
        guard case let .studentT(nu) = copula else { return [Double](repeating: 1, count: rows) }
        return (0..<rows).map { _ in
            let w = uniforms(&rng, ChiSquare.drawsPerVariate(nu))
            return (w.withUnsafeBufferPointer { ChiSquare.variate(nu, uniforms: $0) } / nu).squareRoot()
        }
    }
}
