/// A monotone table of Φ that screens out, with one load and one compare, the name-paths that
/// cannot default.
///
/// In factor mode name e defaults (by its longest window) iff ε_e ≤ t = c_e·s − m_e, i.e. iff
/// u_e ≤ Φ(t) for the uniform u_e behind ε_e = Φ⁻¹(u_e). Φ is increasing, so u_e > Φ(t⁺) for a
/// grid point t⁺ ≥ t proves survival; only the rare rest (≈ pd plus a sliver of width one grid
/// step) takes the exact path, which computes ε, X and τ in full. The screen therefore changes
/// no result, it only avoids an inverse normal per name and path.
import CreditMath
import CreditModel

struct DefaultScreen: Sendable {
    static let lower = -9.0
    static let upper = 9.0
    static let steps = 4096
    static let inverseStep = Double(steps) / (upper - lower)
    /// Largest table position before the +1 look-up.
    static let lastPosition = Double(steps)

    /// bound[j] ≥ Φ(lower + j·step), nudged up so that rounding in the position computation
    /// can never make a bound too small; beyond the grid the bound is 1.
    let bound: [Double]
    /// lowerBound[j] ≤ Φ(lower + (j − 2)·step), nudged down; 0 below the grid. At `slot(t)`
    /// it bounds Φ(t) from below, two grid steps under the upper bound.
    let lowerBound: [Double]
    /// center[j] = Φ(lower + (j − 1)·step), Φ at the grid point nearest t for j = `slot(t)`
    /// (t clamped to [lower, upper]): importance sampling's twisted probability, which need not
    /// be Φ(t) itself (see `ImportanceSampler`).
    let center: [Double]

    init() {
        var b = [Double](repeating: 1, count: Self.steps + 2)
        var lo = [Double](repeating: 0, count: Self.steps + 2)
        let step = (Self.upper - Self.lower) / Double(Self.steps)
        for j in 0...Self.steps {
            let t = Self.lower + Double(j) * step
            b[j] = min(1, Normal.cdf(t + 1e-9) * (1 + 1e-12) + 1e-300)
            if j + 2 <= Self.steps + 1 { lo[j + 2] = max(0, Normal.cdf(t - 1e-9) * (1 - 1e-12)) }
        }
        b[Self.steps + 1] = 1
        bound = b
        lowerBound = lo
        center = (0...(Self.steps + 1)).map { $0 == 0 ? 0 : Normal.cdf(Self.lower + Double($0 - 1) * step) }
    }

    /// Table slot whose bounds bracket Φ(t): `bound[slot] ≥ Φ(t) ≥ lowerBound[slot]`. It is one past the grid position of t rounded to nearest.
    /// Adding 2⁵² to a position in [0, 2²⁰) leaves round(position) in the low mantissa bits, which
    /// avoids a checked Double → Int conversion; rounding up instead of down only picks a larger,
    /// still valid, bound.
    @inline(__always)
    static func slot(_ t: Double) -> Int {
        let position = min(max((t - lower) * inverseStep, 0), lastPosition)
        return Int(truncatingIfNeeded: (position + 0x1.0p52).bitPattern & 0xF_FFFF) &+ 1
    }
}
