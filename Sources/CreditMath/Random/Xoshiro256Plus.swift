/// xoshiro256+ (Blackman & Vigna, "Scrambled linear pseudorandom number generators", 2018/2021).
///
/// Used only for floating-point output: the top 53 bits of each 64-bit word become one uniform
/// double, which sidesteps the weak low bits of the `+` scrambler. Period 2²⁵⁶ − 1.
@frozen
public struct Xoshiro256Plus: Sendable {
    @usableFromInline var s0: UInt64
    @usableFromInline var s1: UInt64
    @usableFromInline var s2: UInt64
    @usableFromInline var s3: UInt64

    /// Seeds the state from a 64-bit key by SplitMix64, as the authors recommend; the state
    /// can never be all zero because SplitMix64 is a bijection of a non-repeating counter.
    @inlinable
    public init(key: UInt64) {
        var sm = SplitMix64(state: key)
        s0 = sm.next()
        s1 = sm.next()
        s2 = sm.next()
        s3 = sm.next()
    }

    /// The stream of block `block` of a run seeded with `seed`: the key is a hash of the pair,
    /// never `seed + block`, so neighbouring seeds do not share overlapping streams.
    @inlinable
    public init(seed: UInt64, block: UInt64) {
        self.init(key: StreamKey.hash(seed, block))
    }

    @inlinable @inline(__always)
    public mutating func next() -> UInt64 {
        let result = s0 &+ s3
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = (s3 << 45) | (s3 >> 19)
        return result
    }

    /// A uniform double strictly inside (0, 1): (k + ½)·2⁻⁵³ for the top 53 bits k, so neither
    /// 0 nor 1 is ever returned and Φ⁻¹ of it is always finite.
    @inlinable @inline(__always)
    public mutating func nextUniform() -> Double {
        Double(next() >> 11) * 0x1.0p-53 + 0x1.0p-54
    }
}

/// SplitMix64 (Steele, Lea & Flood 2014), the seeding generator recommended for xoshiro.
@frozen
public struct SplitMix64: Sendable {
    @usableFromInline var state: UInt64

    @inlinable
    public init(state: UInt64) { self.state = state }

    @inlinable
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return StreamKey.mix(state)
    }
}

/// Keys of random streams.
public enum StreamKey {
    /// The SplitMix64 finaliser (a bijective 64-bit mixer).
    @inlinable @inline(__always)
    public static func mix(_ x: UInt64) -> UInt64 {
        var z = x
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Hash of an ordered pair: both words pass through the mixer, so (seed, b) and
    /// (seed + 1, b − 1) give unrelated keys.
    @inlinable
    public static func hash(_ a: UInt64, _ b: UInt64) -> UInt64 {
        mix(mix(a ^ 0x6A09_E667_F3BC_C909) &+ b &* 0x9E37_79B9_7F4A_7C15)
    }
}
