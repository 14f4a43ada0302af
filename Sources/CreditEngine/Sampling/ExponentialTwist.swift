import CreditMath
import CreditModel
import Foundation

/// The exponential twist of independent default indicators (Glasserman & Li 2005, §3): for
/// conditional default probabilities p_e and losses c_e, q_e(θ) = p_e e^{θc_e}/(1 + p_e(e^{θc_e} − 1))
/// and ψ(θ) = Σ log(1 + p_e(e^{θc_e} − 1)), with θ ≥ 0 solving Σ c_e q_e(θ) = x.
///
/// Eight names a vector: q_e = p_e/(p_e + (1 − p_e) e^{−θc_e}) with e^{−θc} from `decay` (no call
/// into libm per name), and ψ(θ) = θ Σ c_e + log Π (p_e + (1 − p_e) e^{−θc_e}), the product kept
/// in range by moving its binary exponent out after every step, so one `log` per lane and path.
/// The buffers hold `count` values padded to a multiple of 8 with p = c = 0 (which add nothing).
enum ExponentialTwist {
    /// Width of the vectors; buffers are padded to a multiple of it.
    static let lanes = 8

    /// `values` followed by zeros up to a multiple of `lanes` (a zero p or c adds nothing).
    static func padded(_ values: [Double]) -> [Double] {
        values + [Double](repeating: 0, count: (lanes - values.count % lanes) % lanes)
    }

    /// θ with |log(Σ c q(θ)/x)| ≤ `tolerance` (safeguarded Newton), and ψ(θ); θ = 0 when Σ c p ≥ x
    /// or x is unreachable.
    static func solve(p: UnsafeBufferPointer<Double>, c: UnsafeBufferPointer<Double>, target x: Double,
                      tolerance: Double = 1e-10) -> (theta: Double, psi: Double) {
        var guess = Guess()
        let theta = root(p: p, c: c, target: x, guess: &guess, tolerance: tolerance)
        return theta > 0 ? (theta, psi(p: p, c: c, theta: theta)) : (0, 0)
    }

    /// Where Newton begins on the next path: the last root θ and log(x/Σcp) of its path. While
    /// the q are small, Σ c q ≈ Σ c p e^{θc} gives θ ≈ log(x/Σcp)/c̄ for an effective cost c̄, so
    /// the next path starts at θ·log(x/Σcp)'/log(x/Σcp). Callers reset it per block, so a
    /// block's bits never depend on the blocks its worker ran before.
    struct Guess {
        var theta = 0.0
        var logRatio = 0.0
    }

    /// θ of `solve` alone, for a caller that gets ψ from `fill`, Newton starting from `guess`
    /// (updated to this root).
    ///
    /// Any θ ≥ 0 settled before the path's idiosyncratic draws gives an unbiased estimator as long
    /// as the weight uses the same θ and ψ(θ) (the warm start makes θ depend on the block's earlier
    /// factors, never on their idiosyncratic draws), so a
    /// sampler can stop far short of the root: near it the second moment is flat in θ
    /// (Glasserman & Li 2005, §3), and each Newton step costs an e^x per name.
    static func root(p: UnsafeBufferPointer<Double>, c: UnsafeBufferPointer<Double>, target x: Double,
                     guess: inout Guess, tolerance: Double = 1e-10) -> Double {
        let count = p.count
        precondition(count % lanes == 0 && c.count == count, "padded buffers")
        // Sums over the names with p > 0 and c > 0 (a name with p = 0 keeps q = 0 whatever θ).
        var mean = 0.0, slope = 0.0, total = 0.0, minP = 1.0, minCost = Double.infinity
        for i in 0..<count where p[i] > 0 && c[i] > 0 {
            mean += c[i] * p[i]
            slope += c[i] * c[i] * p[i] * (1 - p[i])
            total += c[i]
            minP = min(minP, p[i])
            minCost = min(minCost, c[i])
        }
        // θ = 0 when the conditional mean reaches x, or x is unreachable (no useful twist).
        guard mean > 0, mean < x, total > x else { return 0 }
        // Safe: p and c hold `count` values, a multiple of 8 (and count > 0 here).
        let rawP = UnsafeRawPointer(p.baseAddress!), rawC = UnsafeRawPointer(c.baseAddress!)
        // Newton on F(θ) = log(Σ c q(θ)/x), F' = Σ c²q(1 − q)/Σ c q. While the q are small, Σ c q is
        // close to Σ c p e^{θc}, whose log is convex (a log-sum-exp of lines), and Newton on a
        // convex increasing function lands at or above the root from either side and then
        // descends to it: one or two steps from a nearby start, where Newton on Σ c q − x (an
        // S-curve) overshoots into bisection.
        func g(_ theta: Double) -> (value: Double, derivative: Double) {
            var v = SIMD8<Double>(), d = SIMD8<Double>()
            var i = 0
            while i < count {
                let pv = rawP.loadUnaligned(fromByteOffset: i &* 8, as: SIMD8<Double>.self)
                let cv = rawC.loadUnaligned(fromByteOffset: i &* 8, as: SIMD8<Double>.self)
                let q = twisted(pv, cv, theta: theta)
                v += cv * q
                d += cv * cv * q * (1 - q)
                i &+= lanes
            }
            let sum = v.sum()
            return (log(sum / x), d.sum() / sum)
        }
        // A bracket that costs no evaluation: F(0) < 0, and with δ = (Σc − x)/(2Σc) every name
        // has q ≥ 1 − δ, so Σ c q > x, once θc ≥ log((1 − δ)(1 − p)/(δp)); the smallest p and
        // cost bound that for all (the log is positive, else Σ c p ≥ (1 − δ)Σc > x at θ = 0).
        let delta = (total - x) / (2 * total)
        let hi = 2 * max(log((1 - delta) / (delta * minP)) / minCost, 1e-300)
        // Without a guess, the first step from 0: log(x/Σcp)·Σcp/Σc²p(1 − p).
        let logRatio = log(x / mean)
        let first = guess.theta > 0 && guess.logRatio > 0 ? guess.theta * logRatio / guess.logRatio
                                                          : logRatio * mean / slope
        let solved = RootFinder.newton(lower: 0, upper: hi, start: first > 0 && first < hi ? first : nil,
                                       tolerance: tolerance, relativeWidth: 1e-14) { g($0) }
        // Not converged only for NaN values (costs tiny against x): the path is drawn untwisted.
        guard solved.converged, solved.root > 0 else { return 0 }
        guess = Guess(theta: solved.root, logRatio: logRatio)
        return solved.root
    }

    /// q_e(θ) of each name into `q` (padded like p), and ψ(θ) as `psi` gives it, from the same
    /// e^{−θc} (one pass, one e^x per name).
    static func fill(p: UnsafeBufferPointer<Double>, c: UnsafeBufferPointer<Double>, theta: Double,
                     into q: UnsafeMutableBufferPointer<Double>) -> Double {
        // Safe: p, c and q hold the same padded count (nothing is read when it is 0).
        guard let p0 = p.baseAddress, let c0 = c.baseAddress, let q0 = q.baseAddress else { return 0 }
        let rawP = UnsafeRawPointer(p0), rawC = UnsafeRawPointer(c0), rawQ = UnsafeMutableRawPointer(q0)
        var log = LogProduct()
        var i = 0
        while i < p.count {
            let pv = rawP.loadUnaligned(fromByteOffset: i &* 8, as: SIMD8<Double>.self)
            let cv = rawC.loadUnaligned(fromByteOffset: i &* 8, as: SIMD8<Double>.self)
            let denominator = log.add(p: pv, exponent: theta * cv)
            rawQ.storeBytes(of: pv / denominator, toByteOffset: i &* 8, as: SIMD8<Double>.self)
            i &+= lanes
        }
        return log.value
    }

    /// ψ(θ) = Σ min(θc_e, 700) + Σ log(p_e + (1 − p_e) e^{−θc_e}), with e^{−θc} as `decay` clamps
    /// it, so that exp(ψ − Σ_{D} min(θc, 700)) is exactly the product of the names' ratios
    /// p/q (event) and (1 − p)/(1 − q) (none) for the q that `fill` gives (θc ≤ 700 in practice).
    static func psi(p: UnsafeBufferPointer<Double>, c: UnsafeBufferPointer<Double>, theta: Double) -> Double {
        guard let p0 = p.baseAddress, let c0 = c.baseAddress else { return 0 }
        let rawP = UnsafeRawPointer(p0), rawC = UnsafeRawPointer(c0)
        var log = LogProduct()
        var i = 0
        while i < p.count {
            let pv = rawP.loadUnaligned(fromByteOffset: i &* 8, as: SIMD8<Double>.self)
            let cv = rawC.loadUnaligned(fromByteOffset: i &* 8, as: SIMD8<Double>.self)
            _ = log.add(p: pv, exponent: theta * cv)
            i &+= lanes
        }
        return log.value
    }

    /// ψ's running sums, eight lanes: Σ min(θc, 700) and Π (p + (1 − p) e^{−θc}), the product kept
    /// in [1, 2) by moving its binary exponent out after every step (each factor lies in
    /// [e^{−700}, 1], so nothing underflows), and one `log` per lane at the end.
    struct LogProduct {
        private var product = SIMD8<Double>(repeating: 1), exponent = SIMD8<Int64>(), total = SIMD8<Double>()

        /// Multiplies in p + (1 − p) e^{−θc} for θc = `exponent`, and returns that factor.
        @inline(__always)
        mutating func add(p: SIMD8<Double>, exponent theta: SIMD8<Double>) -> SIMD8<Double> {
            let ceiling = SIMD8<Double>(repeating: 700)
            total += theta.replacing(with: ceiling, where: theta .> ceiling)
            let factor = p + (1 - p) * ExponentialTwist.decay(-theta)
            product *= factor
            let mantissa: UInt64 = (1 << 52) - 1, one: UInt64 = 1023 << 52
            let bits = unsafeBitCast(product, to: SIMD8<UInt64>.self)
            exponent &+= SIMD8<Int64>(truncatingIfNeeded: bits &>> 52) &- 1023
            product = unsafeBitCast(bits & mantissa | one, to: SIMD8<Double>.self)
            return factor
        }

        var value: Double {
            var logProduct = 0.0
            for j in 0..<ExponentialTwist.lanes { logProduct += log(product[j]) + Double(exponent[j]) * M_LN2 }
            return total.sum() + logProduct
        }
    }

    /// p/(p + (1 − p) e^{−θc}) lane-wise: 0 where p = 0.
    @inline(__always)
    static func twisted(_ p: SIMD8<Double>, _ c: SIMD8<Double>, theta: Double) -> SIMD8<Double> {
        let denominator = p + (1 - p) * decay(-theta * c)
        return p / denominator
    }

    /// e^x lane-wise for x ≤ 0 (the callers' −θc), x clamped at −700 (e^{−700} ≈ 10⁻³⁰⁴ stands for anything
    /// smaller): x = k ln 2 + r with |r| ≤ ln 2/2 (Cody–Waite, ln 2 in two parts), e^r by its
    /// Taylor polynomial to r¹³ (truncation below 10⁻¹⁷ relative), and 2^k put into the exponent
    /// bits. Relative error a few units in the last place, like libm's `exp`.
    @inline(__always)
    static func decay(_ x: SIMD8<Double>) -> SIMD8<Double> {
        // Lane-wise max(x, −700) by a mask (the generic pointwiseMax is not inlined here).
        let floor = SIMD8<Double>(repeating: -700)
        let y = x.replacing(with: floor, where: x .< floor)
        let magic = SIMD8<Double>(repeating: 0x1.8p52)
        let shifted = y * SIMD8(repeating: 1.4426950408889634) + magic   // round(y / ln 2) in the low bits
        let k = shifted - magic
        let r = (y - k * SIMD8(repeating: 0x1.62e42fee00000p-1)) - k * SIMD8(repeating: 0x1.a39ef35793c76p-33)
        @inline(__always) func step(_ poly: SIMD8<Double>, _ coefficient: Double) -> SIMD8<Double> {
            poly * r + SIMD8(repeating: coefficient)
        }
        var poly = SIMD8<Double>(repeating: 1.0 / 6_227_020_800)                 // 1/13!
        poly = step(poly, 1.0 / 479_001_600)
        poly = step(poly, 1.0 / 39_916_800)
        poly = step(poly, 1.0 / 3_628_800)
        poly = step(poly, 1.0 / 362_880)
        poly = step(poly, 1.0 / 40_320)
        poly = step(poly, 1.0 / 5_040)
        poly = step(poly, 1.0 / 720)
        poly = step(poly, 1.0 / 120)
        poly = step(poly, 1.0 / 24)
        poly = step(poly, 1.0 / 6)
        poly = step(poly, 0.5)
        poly = step(poly, 1)
        poly = step(poly, 1)
        // 2^k: k + 1023 in [13, 1023] lands in the exponent field (the low 12 bits of the sum).
        let scale = (unsafeBitCast(shifted, to: SIMD8<UInt64>.self) &+ 1023) &<< 52
        return poly * unsafeBitCast(scale, to: SIMD8<Double>.self)
    }
}
