/// One-dimensional root finding: Newton steps safeguarded by bisection on a bracket.
///
/// The method is `rtsafe` of Press et al., *Numerical Recipes* (3rd ed., 2007), §9.4: keep a
/// bracket [lo, hi] around the root, take the Newton step x − f(x)/f′(x) when it lands strictly
/// inside the bracket and is at most half the step before last (so the steps shrink at least
/// geometrically), and bisect otherwise. Two additions make the answer definite in floating point:
///
/// - when Newton stalls near x at the accuracy of f (a correction below one ulp of x, or steps that
///   stop shrinking while small against the bracket), the next point is a probe on the root's side
///   at distance max(|correction|, ulp), doubling while the stall lasts, so that a converged iterate
///   closes the bracket around itself instead of the whole bracket being halved down to it;
/// - after `maxIterations` evaluations the solver bisects in the order of the doubles (the midpoint
///   of the two endpoints' ordered bit patterns), which halves the number of doubles in the bracket
///   per step and so closes any finite bracket within 64 further steps.
///
/// The solve therefore converges for every finite bracket and every function that returns
/// numbers; it reports failure only for an invalid bracket (not finite, lo > hi, or no sign change)
/// or a function that returned NaN. A failed ``Result`` has `root` NaN, so it cannot be mistaken
/// for an answer.
///
/// The functions are `@inlinable` and generic only over the closure's error type, so a call with a
/// non-throwing closure specialises to a plain loop: no existential, no allocation, and the
/// non-escaping closure inlines into the caller. That keeps them cheap enough for the per-draw
/// inversions in the simulation kernel (`Incomplete.betaInverse`).
public enum RootFinder {
    /// How f changes sign over the bracket.
    public enum Direction: Sendable, Hashable {
        /// f(lo) ≤ 0 ≤ f(hi), e.g. a CDF minus a target probability. No end is evaluated up front.
        case increasing
        /// f(lo) ≥ 0 ≥ f(hi).
        case decreasing
        /// Either: f(lo) is evaluated first to find out which.
        case signChange
    }

    /// Why the solve stopped.
    public enum Status: Sendable, Hashable {
        /// |f(root)| ≤ tolerance (an exact zero when the tolerance is 0).
        case withinTolerance
        /// The bracket shrank to neighbouring doubles (or below the relative width asked for), with
        /// the sign change at its ends verified; `root` is the end with the smaller |f|.
        case bracketClosed
        /// lo > hi, an end not finite, or f has the same strict sign at both ends.
        case invalidBracket
        /// f returned NaN.
        case notANumber
        /// The evaluation budget ran out. Cannot happen for a finite bracket (the final bisection
        /// closes one within 64 steps); kept so that the loop is bounded by construction.
        case iterationLimit
    }

    /// The outcome of a solve.
    public struct Result: Sendable, Hashable {
        /// The root when `converged`, NaN otherwise.
        public var root: Double
        /// f(root) as f returned it (NaN when not converged).
        public var value: Double
        /// The bracket at the end: [lower, upper] contains a root when `converged`; after a failure
        /// it is the bracket reached so far.
        public var lower: Double
        public var upper: Double
        /// Evaluations of f, including those that checked the bracket's ends.
        public var iterations: Int
        public var status: Status

        @inlinable public var converged: Bool { status == .withinTolerance || status == .bracketClosed }

        @inlinable
        public init(root: Double, value: Double, lower: Double, upper: Double, iterations: Int, status: Status) {
            self.root = root
            self.value = value
            self.lower = lower
            self.upper = upper
            self.iterations = iterations
            self.status = status
        }

        @inlinable
        static func failure(_ status: Status, _ lower: Double, _ upper: Double, _ iterations: Int) -> Result {
            Result(root: .nan, value: .nan, lower: lower, upper: upper, iterations: iterations, status: status)
        }
    }

    /// Newton-phase evaluations before the solver falls back to bisection in double order.
    public static let defaultIterations = 100

    /// Bisections in double order that close any finite bracket: the ordered keys of two finite
    /// doubles differ by less than 2⁶⁴, and each step halves the difference (rounding up).
    public static let closingBisections = 64

    /// A root of f in [lower, upper] by Newton steps safeguarded by bisection.
    ///
    /// - Parameters:
    ///   - lower: the lower end of a finite bracket.
    ///   - upper: the upper end, ≥ lower.
    ///   - direction: how f changes sign over [lower, upper].
    ///   - start: the first point (the midpoint when nil or not strictly inside).
    ///   - tolerance: stop as soon as |f(x)| ≤ tolerance (0: only at an exact zero).
    ///   - relativeWidth: stop once upper − lower ≤ relativeWidth · max(|lower|, |upper|);
    ///     0 runs to neighbouring doubles.
    ///   - maxIterations: evaluations of safeguarded Newton before the closing bisection.
    ///   - f: returns f(x) and f′(x). A derivative that is 0, infinite or NaN just means a bisection
    ///     step, so a function without one can pass `.nan` (see ``bisection(lower:upper:direction:tolerance:relativeWidth:maxIterations:_:)``).
    ///
    /// For an increasing g with g(lo) ≤ 0 ≤ g(hi), e.g. θ ↦ Σ c_e q_e(θ) − x:
    ///
    /// ```swift
    /// let r = RootFinder.newton(lower: 0, upper: hi, tolerance: 1e-10 * x) { theta in
    ///     let (value, slope) = g(theta)
    ///     return (value, slope)
    /// }
    /// guard r.converged else { … }   // only for NaN values or a bracket without sign change
    /// ```
    @inlinable
    public static func newton<E: Error>(
        lower: Double, upper: Double, start: Double? = nil, direction: Direction = .increasing,
        tolerance: Double = 0, relativeWidth: Double = 0, maxIterations: Int = defaultIterations,
        _ f: (Double) throws(E) -> (value: Double, derivative: Double)
    ) throws(E) -> Result {
        var lo = lower, hi = upper
        guard lo <= hi, lo.isFinite, hi.isFinite else { return .failure(.invalidBracket, lo, hi, 0) }
        // The solver works with g = s·f, increasing across the bracket. gLo and gHi are g at the
        // ends, NaN until evaluated: an end that is still the caller's is checked only if the
        // bracket closes onto it, so a valid call with `.increasing` costs no extra evaluations.
        var s = 1.0
        var gLo = Double.nan, gHi = Double.nan
        var iterations = 0
        switch direction {
        case .increasing: break
        case .decreasing: s = -1
        case .signChange:
            let v = try f(lo).value
            iterations = 1
            if v.isNaN { return .failure(.notANumber, lo, hi, iterations) }
            if abs(v) <= tolerance {
                return Result(root: lo, value: v, lower: lo, upper: hi, iterations: iterations, status: .withinTolerance)
            }
            s = v < 0 ? 1 : -1
            gLo = s * v
        }
        let newtonBudget = max(0, min(maxIterations, Int.max / 2))
        let budget = iterations + newtonBudget + closingBisections + 1
        var x = start ?? midpoint(lo, hi)
        if !(x > lo && x < hi) { x = midpoint(lo, hi) }
        // Last step and the one before it (rtsafe's dx and dxold).
        var step = hi - lo, stepBefore = hi - lo
        var probe = 0.0
        while true {
            if !(lo.nextUp < hi) || hi - lo <= relativeWidth * max(abs(lo), abs(hi)) {
                if gLo.isNaN {
                    let v = try f(lo).value
                    iterations += 1
                    if v.isNaN { return .failure(.notANumber, lo, hi, iterations) }
                    gLo = s * v
                }
                if gHi.isNaN {
                    let v = try f(hi).value
                    iterations += 1
                    if v.isNaN { return .failure(.notANumber, lo, hi, iterations) }
                    gHi = s * v
                }
                guard gLo <= 0, gHi >= 0 else { return .failure(.invalidBracket, lo, hi, iterations) }
                let takeLower = -gLo <= gHi
                return Result(root: takeLower ? lo : hi, value: s * (takeLower ? gLo : gHi),
                              lower: lo, upper: hi, iterations: iterations, status: .bracketClosed)
            }
            if iterations >= budget { return .failure(.iterationLimit, lo, hi, iterations) }
            let (value, derivative) = try f(x)
            iterations += 1
            if value.isNaN { return .failure(.notANumber, lo, hi, iterations) }
            if abs(value) <= tolerance {
                return Result(root: x, value: value, lower: lo, upper: hi, iterations: iterations, status: .withinTolerance)
            }
            let g = s * value
            if g < 0 { lo = x; gLo = g } else { hi = x; gHi = g }

            if iterations >= newtonBudget {
                x = orderedMidpoint(lo, hi)
                continue
            }
            let correction = value / derivative
            let next = x - correction
            let usable = correction.isFinite && derivative.isFinite
            let inside = usable && next > lo && next < hi
            let shrinking = abs(2 * correction) <= abs(stepBefore)
            if usable && (next == x || (inside && !shrinking)) && 64 * abs(correction) < hi - lo {
                // Newton has stalled close to x, at the accuracy of f (a step below one ulp, or
                // steps that no longer shrink because f's rounding noise decides their size). Probe
                // towards the root by max(|correction|, ulp), doubling while the stall goes on, so
                // the sign change is bracketed within a few evaluations of x instead of by
                // halving the whole bracket.
                probe = probe == 0 ? max(abs(correction), x.ulp) : 2 * probe
                let target = g < 0 ? x + probe : x - probe
                stepBefore = step
                if target > lo && target < hi {
                    step = probe
                    x = target
                } else {
                    step = 0.5 * (hi - lo)
                    x = midpoint(lo, hi)
                    probe = 0
                }
            } else if inside && shrinking {
                stepBefore = step
                step = correction
                x = next
                probe = 0
            } else {
                stepBefore = step
                step = 0.5 * (hi - lo)
                x = midpoint(lo, hi)
                probe = 0
            }
        }
    }

    /// A root of f in [lower, upper] by bisection alone (no derivative): the arithmetic midpoint
    /// for `maxIterations` steps, then the closing bisection in double order.
    @inlinable
    public static func bisection<E: Error>(
        lower: Double, upper: Double, direction: Direction = .increasing,
        tolerance: Double = 0, relativeWidth: Double = 0, maxIterations: Int = defaultIterations,
        _ f: (Double) throws(E) -> Double
    ) throws(E) -> Result {
        try newton(lower: lower, upper: upper, direction: direction, tolerance: tolerance,
                   relativeWidth: relativeWidth, maxIterations: maxIterations) { (x: Double) throws(E) -> (value: Double, derivative: Double) in
            (try f(x), .nan)
        }
    }

    /// A double strictly between lo and hi (which are finite and not neighbours): their midpoint,
    /// computed without overflow.
    @inlinable
    static func midpoint(_ lo: Double, _ hi: Double) -> Double {
        let m = 0.5 * lo + 0.5 * hi
        return m > lo && m < hi ? m : lo.nextUp
    }

    /// The double halfway between lo and hi in the order of the doubles: bisecting on these keys
    /// halves the count of doubles in the bracket, so it reaches neighbouring doubles within 64
    /// steps whatever the bracket's span.
    @inlinable
    static func orderedMidpoint(_ lo: Double, _ hi: Double) -> Double {
        let a = orderedKey(lo), b = orderedKey(hi)
        // ⌊(a + b)/2⌋ without overflow.
        let m = (a >> 1) + (b >> 1) + (a & b & 1)
        let x = fromOrderedKey(m)
        return x > lo && x < hi ? x : lo.nextUp
    }

    /// Signed magnitude of the bit pattern: increasing in x, ±0 both map to 0, and neighbouring
    /// doubles have neighbouring keys.
    @inlinable
    static func orderedKey(_ x: Double) -> Int64 {
        let magnitude = Int64(bitPattern: x.bitPattern & 0x7FFF_FFFF_FFFF_FFFF)
        return x.sign == .minus ? -magnitude : magnitude
    }

    @inlinable
    static func fromOrderedKey(_ k: Int64) -> Double {
        k >= 0 ? Double(bitPattern: UInt64(k)) : -Double(bitPattern: UInt64(-k))
    }
}
