/// The exact sum of any number of finite doubles, rounded to the nearest double only when read.
///
/// Floating-point addition is not associative, so sums merged in a different grouping (blocks
/// merged by threads, shards, MPI ranks, or a run grown block range by block range) would differ
/// in their last bits. An `ExactSum` holds the sum as a 2176-bit two's-complement fixed-point
/// number whose unit is 2⁻¹⁰⁷⁴, the smallest subnormal, which represents every double and every
/// sum of up to 2⁶⁰ of them exactly (a "long accumulator", Kulisch & Miranker 1981). Addition
/// is therefore exact, associative and commutative, and `value` is the correctly rounded
/// (to nearest, ties to even) double of the true sum.
public struct ExactSum: Sendable, Hashable, Codable {
    /// Little-endian 64-bit limbs of the two's-complement fixed-point value, unit 2⁻¹⁰⁷⁴.
    private var limbs: [UInt64]
    static let limbCount = 34

    public init() { limbs = [UInt64](repeating: 0, count: Self.limbCount) }

    /// Decoded limbs must be exactly `limbCount` (a damaged shard must not reach the arithmetic).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let limbs = try c.decode([UInt64].self, forKey: .limbs)
        guard limbs.count == Self.limbCount else {
            throw DecodingError.dataCorruptedError(forKey: .limbs, in: c,
                                                   debugDescription: "an exact sum has \(Self.limbCount) limbs, not \(limbs.count)")
        }
        self.limbs = limbs
    }

    private enum CodingKeys: String, CodingKey { case limbs }

    public init(_ x: Double) {
        self.init()
        add(x)
    }

    /// Adds a finite double exactly (non-finite values are a programming error).
    public mutating func add(_ x: Double) {
        precondition(x.isFinite, "ExactSum adds finite values only")
        if x == 0 { return }
        let bits = x.bitPattern
        let biased = Int((bits >> 52) & 0x7FF)
        let fraction = bits & ((1 << 52) - 1)
        // x = m · 2^(shift − 1074) with m < 2⁵³.
        let m = biased == 0 ? fraction : fraction | (1 << 52)
        let shift = biased == 0 ? 0 : biased - 1
        let limb = shift / 64, offset = shift % 64
        let low = m << offset
        let high = offset == 0 ? 0 : m >> (64 - offset)
        if x > 0 { addMagnitude(low, high, at: limb) } else { subtractMagnitude(low, high, at: limb) }
    }

    public mutating func add(_ other: ExactSum) {
        var carry: UInt64 = 0
        for i in 0..<Self.limbCount {
            let (a, o1) = limbs[i].addingReportingOverflow(other.limbs[i])
            let (b, o2) = a.addingReportingOverflow(carry)
            limbs[i] = b
            carry = (o1 ? 1 : 0) + (o2 ? 1 : 0)
        }
    }

    /// The negative of this sum (two's-complement negation, exact).
    public var negated: ExactSum {
        var n = self
        var carry: UInt64 = 1
        for i in 0..<Self.limbCount {
            let (v, o) = (~n.limbs[i]).addingReportingOverflow(carry)
            n.limbs[i] = v
            carry = o ? 1 : 0
        }
        return n
    }

    /// Subtracts `other` exactly.
    public mutating func subtract(_ other: ExactSum) {
        add(other.negated)
    }

    public static func - (a: ExactSum, b: ExactSum) -> ExactSum {
        var d = a
        d.subtract(b)
        return d
    }

    public static func + (a: ExactSum, b: ExactSum) -> ExactSum {
        var s = a
        s.add(b)
        return s
    }

    /// Digits for an element-wise integer sum across processes (MPI_SUM on int64): the value's
    /// 2176 bits as 68 unsigned 32-bit digits, each in an Int64, so that up to 2³¹ of them add
    /// without overflow; `init(digitSums:)` then propagates the carries, modulo 2²¹⁷⁶, which is
    /// exact two's-complement addition of the sums.
    public static let digitCount = 2 * limbCount

    public func appendDigits(to digits: inout [Int64]) {
        for limb in limbs {
            digits.append(Int64(limb & 0xFFFF_FFFF))
            digits.append(Int64(limb >> 32))
        }
    }

    /// The sum whose digits, added element-wise over several sums, are `digits`.
    public init<C: Collection>(digitSums digits: C) where C.Element == Int64 {
        precondition(digits.count == Self.digitCount)
        self.init()
        var carry: Int64 = 0
        var i = 0
        var low: UInt64 = 0
        for d in digits {
            // d ≥ 0 and d + carry < 2⁶³: the digit is the low 32 bits, the rest carries on.
            let t = d + carry
            let digit = UInt64(t & 0xFFFF_FFFF)
            carry = t >> 32
            if i % 2 == 0 { low = digit } else { limbs[i / 2] = low | (digit << 32) }
            i += 1
        }
    }

    private mutating func addMagnitude(_ low: UInt64, _ high: UInt64, at limb: Int) {
        propagate(low, high, at: limb) { $0.addingReportingOverflow($1) }
    }

    private mutating func subtractMagnitude(_ low: UInt64, _ high: UInt64, at limb: Int) {
        propagate(low, high, at: limb) { $0.subtractingReportingOverflow($1) }
    }

    /// Applies `step` (an add or a subtract with its overflow) to the two limbs from `limb` and
    /// carries (or borrows) through the limbs above.
    @inline(__always)
    private mutating func propagate(_ low: UInt64, _ high: UInt64, at limb: Int,
                                    _ step: (UInt64, UInt64) -> (partialValue: UInt64, overflow: Bool)) {
        var (v, overflow) = step(limbs[limb], low)
        limbs[limb] = v
        var carry: UInt64 = overflow ? 1 : 0
        var i = limb + 1
        if i < Self.limbCount {
            let (a, o1) = step(limbs[i], high)
            (v, overflow) = step(a, carry)
            limbs[i] = v
            carry = (o1 ? 1 : 0) + (overflow ? 1 : 0)
            i += 1
        }
        while carry != 0 && i < Self.limbCount {
            (limbs[i], overflow) = step(limbs[i], carry)
            carry = overflow ? 1 : 0
            i += 1
        }
    }

    /// The sum rounded to the nearest double (ties to even); ±infinity beyond the double range.
    public var value: Double {
        let negative = limbs[Self.limbCount - 1] >> 63 == 1
        let magnitude = negative ? negated.limbs : limbs
        guard let top = magnitude.lastIndex(where: { $0 != 0 }) else { return 0 }
        let h = top * 64 + (63 - magnitude[top].leadingZeroBitCount)   // highest set bit
        let result: Double
        if h < 64 {
            // m · 2⁻¹⁰⁷⁴ with m < 2⁶⁴: Double(m) rounds once (exactly when m < 2⁵³); the scaling
            // is then exact, into the subnormals too, since the result is a multiple of 2⁻¹⁰⁷⁴.
            result = Double(sign: .plus, exponent: -1074, significand: Double(magnitude[0]))
        } else {
            // The 64 bits from h down, with a sticky bit for anything below: Double(UInt64)
            // then rounds to nearest even exactly as the full value would.
            let shift = h - 63
            let limb = shift / 64, offset = shift % 64
            var top64 = magnitude[limb] >> offset
            if offset != 0, limb + 1 < Self.limbCount { top64 |= magnitude[limb + 1] << (64 - offset) }
            var sticky = offset != 0 && magnitude[limb] & ((1 << offset) - 1) != 0
            if !sticky { sticky = magnitude[0..<limb].contains { $0 != 0 } }
            if sticky { top64 |= 1 }
            result = Double(sign: .plus, exponent: shift - 1074, significand: Double(top64))
        }
        return negative ? -result : result
    }
}
