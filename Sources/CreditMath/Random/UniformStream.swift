/// Four interleaved xoshiro256+ generators: the random stream of one block of paths.
///
/// Lane j of block b is seeded from the key hash(hash(seed, b), j), so blocks and lanes never share
/// a sequence and no stream is `seed + k`. Four independent state chains give the CPU four
/// generators' worth of instruction-level parallelism; the lanes are plain integer SIMD code.
///
/// Uniforms are formed from the top 52 bits x of each word as 1.x (an exact double in [1, 2))
/// minus 1, plus 2⁻⁵³: values k·2⁻⁵² + 2⁻⁵³, strictly inside (0, 1), so Φ⁻¹ is always finite.
@frozen
public struct UniformStream: Sendable {
    @usableFromInline var s0: SIMD4<UInt64>
    @usableFromInline var s1: SIMD4<UInt64>
    @usableFromInline var s2: SIMD4<UInt64>
    @usableFromInline var s3: SIMD4<UInt64>
    /// 45 and 19, held as data: with literal counts LLVM fuses the two shifts into a rotate,
    /// which SSE2 lacks, and moves every lane to scalar registers for `rol`.
    @usableFromInline let rotateLeft: UInt64
    @usableFromInline let rotateRight: UInt64

    public init(seed: UInt64, block: UInt64) {
        let key = StreamKey.hash(seed, block)
        var a = SIMD4<UInt64>(), b = a, c = a, d = a
        for lane in 0..<4 {
            let g = Xoshiro256Plus(key: StreamKey.hash(key, UInt64(lane)))
            a[lane] = g.s0
            b[lane] = g.s1
            c[lane] = g.s2
            d[lane] = g.s3
        }
        s0 = a
        s1 = b
        s2 = c
        s3 = d
        rotateLeft = 45
        rotateRight = 19
    }

    @inlinable @inline(__always)
    public mutating func next() -> SIMD4<UInt64> {
        let result = s0 &+ s3
        let t = s1 &<< 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = (s3 &<< rotateLeft) | (s3 &>> rotateRight)
        return result
    }

    @inlinable @inline(__always)
    public mutating func nextUniforms() -> SIMD4<Double> {
        let bits = (next() &>> 12) | SIMD4<UInt64>(repeating: 0x3FF0_0000_0000_0000)
        let oneToTwo = unsafeBitCast(bits, to: SIMD4<Double>.self)
        return oneToTwo - SIMD4<Double>(repeating: 1 - 0x1.0p-53)
    }

    /// Fills `count` uniforms at `buffer`, consuming ⌈count/4⌉ draws of the four lanes.
    @inlinable
    public mutating func fill(_ buffer: UnsafeMutablePointer<Double>, count: Int) {
        var i = 0
        while i + 4 <= count {
            let u = nextUniforms()
            UnsafeMutableRawPointer(buffer + i).storeBytes(of: u, as: SIMD4<Double>.self)
            i += 4
        }
        if i < count {
            let u = nextUniforms()
            for j in 0..<(count - i) { buffer[i + j] = u[j] }
        }
    }
}
