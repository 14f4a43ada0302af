/// Bounds on ε = Φ⁻¹(u) read from u alone, so that market mode compares a name's latent value with
/// its rating cuts in latent space without computing Φ⁻¹ (or Φ of a path-dependent threshold).
///
/// Grid point c = round(u·G) owns the cell [(c − ½)/G, (c + ½)/G] of u; `packed[c]` holds
/// lo_c ≤ Φ⁻¹((c − ½)/G) and hi_c ≥ Φ⁻¹((c + ½)/G) as two Float32 rounded outwards (with a margin
/// far above `Normal.quantile`'s rounding), so lo_c ≤ Normal.quantile(u) ≤ hi_c for every u in
/// the cell. A u on a cell edge may round either way: both cells contain it. The end cells are
/// closed by ∓9, beyond Φ⁻¹ of the stream's smallest and largest uniforms (±8.2).
///
/// Because u is uniform, a cut falls inside the bracket of a name with probability 1/G, whatever
/// its place: with G = 2048 about 0.05 % of the name-paths per cut need the exact Φ⁻¹. The table
/// is 16 KiB, so it stays in L1 next to the streamed inputs, and one 8-byte load gives both bounds.
import CreditMath
import CreditModel

struct QuantileBracket: Sendable {
    static let cells = 2048
    static let scale = Double(cells)
    /// Adding 1.5·2⁵² to a value in [0, 2⁵¹) rounds it to the nearest integer into the low
    /// mantissa bits; the mask keeps any input (even NaN) inside the table.
    static let magic = 0x1.8p52
    static let mask: UInt64 = 4095

    /// Per grid point, lo in the low and hi in the high 32 bits (Float32 bit patterns); 4096
    /// entries so that `mask` bounds every index, the first G + 1 used.
    let packed: [UInt64]

    init() {
        let g = Self.cells
        var packed = [UInt64](repeating: 0, count: Int(Self.mask) + 1)
        func bounded(_ p: Double, edge: Double) -> Double {
            p <= 0 || p >= 1 ? edge : Normal.quantile(p)
        }
        for c in 0...g {
            let q0 = bounded((Double(c) - 0.5) / Double(g), edge: -9)
            let q1 = bounded((Double(c) + 0.5) / Double(g), edge: 9)
            // Never ±0, so that `FactorLatent.migrationState` may compare by sign bits.
            var lo = Float(q0 - 1e-9 * (1 + abs(q0))).nextDown
            var hi = Float(q1 + 1e-9 * (1 + abs(q1))).nextUp
            if lo == 0 { lo = -.leastNonzeroMagnitude }
            if hi == 0 { hi = .leastNonzeroMagnitude }
            packed[c] = UInt64(lo.bitPattern) | UInt64(hi.bitPattern) << 32
        }
        // Unused entries (reachable only through a corrupt u) bracket everything.
        for c in (g + 1)..<packed.count {
            packed[c] = UInt64((-Float.infinity).bitPattern) | UInt64(Float.infinity.bitPattern) << 32
        }
        self.packed = packed
    }

    /// Grid point of u ∈ (0, 1).
    @inline(__always)
    static func index(_ u: Double) -> Int {
        Int(truncatingIfNeeded: (u * scale + magic).bitPattern & mask)
    }

    @inline(__always)
    static func index(_ u: SIMD8<Double>) -> SIMD8<UInt64> {
        unsafeBitCast(u * scale + SIMD8(repeating: magic), to: SIMD8<UInt64>.self) & SIMD8(repeating: mask)
    }

    /// (lo, hi) of an entry.
    @inline(__always)
    static func bounds(_ entry: UInt64) -> (lo: Double, hi: Double) {
        (Double(Float(bitPattern: UInt32(truncatingIfNeeded: entry))),
         Double(Float(bitPattern: UInt32(truncatingIfNeeded: entry >> 32))))
    }

    @inline(__always)
    static func bounds(_ entry: SIMD8<UInt64>) -> (lo: SIMD8<Double>, hi: SIMD8<Double>) {
        let lo = unsafeBitCast(SIMD8<UInt32>(truncatingIfNeeded: entry), to: SIMD8<Float>.self)
        let hi = unsafeBitCast(SIMD8<UInt32>(truncatingIfNeeded: entry &>> 32), to: SIMD8<Float>.self)
        return (SIMD8<Double>(lo), SIMD8<Double>(hi))
    }
}

/// Turns the set lanes of an 8-lane mask into their indices, ascending, so that a screen writes
/// its candidates with one vector store and no branch per name (Swift reaches no compress
/// instruction).
struct LaneCompaction: Sendable {
    /// Per 8-bit mask, the indices of its set bits in its low bytes, ascending; 2 KiB.
    let table: [UInt64]

    init() {
        table = (0..<256).map { bits in
            var packed: UInt64 = 0, k: UInt64 = 0
            for j in 0..<8 where bits >> j & 1 == 1 {
                packed |= UInt64(j) << (8 * k)
                k += 1
            }
            return packed
        }
    }

    /// Lanes of 0 or 1 as 8 bits, lane j in bit j: narrowed to bytes, then one multiply moves
    /// byte j's bit to bit 56 + j (the shifts 56 − 7j of the constant put no two products on one
    /// bit, so nothing carries), where a reduction over the lanes would take several shuffles.
    @inline(__always)
    static func bits(_ lanes: SIMD8<UInt64>) -> Int {
        let bytes = unsafeBitCast(SIMD8<UInt8>(truncatingIfNeeded: lanes), to: UInt64.self)
        return Int(truncatingIfNeeded: (bytes &* 0x0102_0408_1020_4080) &>> 56)
    }

    /// A table entry's eight indices.
    @inline(__always)
    static func indices(_ entry: UInt64) -> SIMD8<Int64> {
        SIMD8<Int64>(truncatingIfNeeded: unsafeBitCast(entry, to: SIMD8<UInt8>.self))
    }
}
