import CreditRisk
import Foundation
import Testing

@Suite struct RootFinderTests {
    /// Evaluations that always suffice on a finite bracket: the Newton budget, the closing
    /// bisection, and at most two checks of the bracket's ends.
    static let evaluationBound = RootFinder.defaultIterations + RootFinder.closingBisections + 3

    @Test func knownRoots() {
        let sqrt2 = RootFinder.newton(lower: 0, upper: 2) { x in (x * x - 2, 2 * x) }
        #expect(sqrt2.converged)
        #expect(abs(sqrt2.root - 2.0.squareRoot()) <= 2.0.squareRoot().ulp)
        #expect(sqrt2.iterations <= 10, "Newton converges quadratically: \(sqrt2.iterations)")

        let ln10 = RootFinder.newton(lower: -5, upper: 50, start: 1) { x in (exp(x) - 10, exp(x)) }
        #expect(ln10.converged)
        #expect(abs(ln10.root - log(10.0)) <= 2 * log(10.0).ulp)

        // cos x − x falls through its root (the Dottie number): both the declared and the detected
        // orientation find it.
        let dottie = 0.7390851332151607
        let declared = RootFinder.newton(lower: 0, upper: 1, direction: .decreasing) { x in (cos(x) - x, -sin(x) - 1) }
        let detected = RootFinder.newton(lower: 0, upper: 1, direction: .signChange) { x in (cos(x) - x, -sin(x) - 1) }
        for r in [declared, detected] {
            #expect(r.converged)
            #expect(abs(r.root - dottie) <= 2 * dottie.ulp, "\(r)")
        }

        // A root at an end of the bracket.
        let atEnd = RootFinder.newton(lower: 1, upper: 3) { x in (x - 1, 1) }
        #expect(atEnd.converged && atEnd.root == 1)
    }

    @Test func toleranceAndWidthStopEarly() {
        let loose = RootFinder.bisection(lower: 0, upper: 2, tolerance: 1e-3) { x in x * x - 2 }
        #expect(loose.status == .withinTolerance)
        #expect(abs(loose.root * loose.root - 2) <= 1e-3)
        let wide = RootFinder.bisection(lower: 1, upper: 2, relativeWidth: 1e-6) { x in x * x - 2 }
        #expect(wide.status == .bracketClosed)
        #expect(wide.upper - wide.lower <= 2e-6)
        #expect(wide.lower <= 2.0.squareRoot() && 2.0.squareRoot() <= wide.upper)
        #expect(wide.iterations < 30)
    }

    /// atan: plain Newton from |x₀| > 1.3917… overshoots further every step; the cube root: plain
    /// Newton maps x to −2x from any start. The safeguarded solver still finds 0 in both.
    @Test func badDerivativeStillConverges() {
        var plain = 2.0
        for _ in 0..<5 { plain -= atan(plain) * (1 + plain * plain) }
        #expect(abs(plain) > 1e6, "plain Newton diverges: \(plain)")

        let arctan = RootFinder.newton(lower: -10, upper: 30, start: 2) { x in (atan(x), 1 / (1 + x * x)) }
        #expect(arctan.converged)
        #expect(abs(arctan.root) < 1e-300)

        let cubeRoot = RootFinder.newton(lower: -1, upper: 2, start: 0.5) { x in (cbrt(x), 1 / (3 * cbrt(x * x))) }
        #expect(cubeRoot.converged)
        #expect(abs(cubeRoot.root) < 1e-300)
        #expect(cubeRoot.iterations <= Self.evaluationBound)

        // A derivative that is plainly wrong (far too small, then of the wrong sign).
        let wallis = 2.0945514815423265  // x³ − 2x − 5 = 0
        for slope in [1e-9, -3.0, 0, .infinity] {
            let r = RootFinder.newton(lower: 0, upper: 4) { x in (x * x * x - 2 * x - 5, slope) }
            #expect(r.converged)
            #expect(abs(r.root - wallis) <= 2 * wallis.ulp, "slope \(slope): \(r)")
            #expect(r.iterations <= Self.evaluationBound)
        }
    }

    /// Whatever the span of a finite bracket, the solve ends within the Newton budget plus 64
    /// bisections in double order.
    @Test func widestBracketClosesWithinTheBound() {
        for target in [1e-300, -Double.leastNonzeroMagnitude, 0, 3.5e200, -1.0] {
            let r = RootFinder.bisection(lower: -.greatestFiniteMagnitude, upper: .greatestFiniteMagnitude) { x in x - target }
            #expect(r.converged, "\(target): \(r)")
            #expect(r.root == target, "\(target): \(r)")
            #expect(r.iterations <= Self.evaluationBound)
            let quick = RootFinder.bisection(lower: -.greatestFiniteMagnitude, upper: .greatestFiniteMagnitude,
                                             maxIterations: 0) { x in x - target }
            #expect(quick.root == target && quick.iterations <= RootFinder.closingBisections + 3)
        }
    }

    @Test func invalidBracketsAreReported() {
        // No sign change: x² + 1 > 0 on [0, 1]; x − 5 < 0 on [0, 1]; orientation declared wrongly.
        let cases: [RootFinder.Result] = [
            RootFinder.newton(lower: 0, upper: 1) { x in (x * x + 1, 2 * x) },
            RootFinder.newton(lower: 0, upper: 1) { x in (x - 5, 1) },
            RootFinder.newton(lower: 0, upper: 1, direction: .decreasing) { x in (x - 0.3, 1) },
            RootFinder.newton(lower: 0, upper: 1, direction: .signChange) { x in (x + 1, 1) },
            RootFinder.newton(lower: 2, upper: 1) { x in (x, 1) },
            RootFinder.newton(lower: 0, upper: .infinity) { x in (x - 1, 1) },
            RootFinder.newton(lower: .nan, upper: 1) { x in (x, 1) },
        ]
        for r in cases {
            #expect(!r.converged)
            #expect(r.status == .invalidBracket, "\(r)")
            #expect(r.root.isNaN)
        }
    }

    @Test func notANumberIsReported() {
        let everywhere = RootFinder.newton(lower: 0, upper: 1) { _ in (.nan, 1) }
        #expect(everywhere.status == .notANumber && everywhere.root.isNaN && !everywhere.converged)
        // NaN only near the root, reached after some honest steps.
        let nearRoot = RootFinder.newton(lower: 0, upper: 1) { x in (abs(x - 0.3) < 1e-3 ? .nan : x - 0.3, 1) }
        #expect(nearRoot.status == .notANumber && nearRoot.root.isNaN)
        #expect(nearRoot.lower <= 0.3 && 0.3 <= nearRoot.upper)
        let atEnd = RootFinder.bisection(lower: 0, upper: 1) { x in x < 1e-300 ? .nan : x }
        #expect(atEnd.status == .notANumber)
    }

    struct Stop: Error, Equatable {}

    @Test func typedErrorsPropagate() {
        var calls = 0
        #expect(throws: Stop.self) {
            _ = try RootFinder.newton(lower: 0, upper: 1) { (x: Double) throws(Stop) -> (value: Double, derivative: Double) in
                calls += 1
                if calls == 3 { throw Stop() }
                return (x - 0.3, 1e-9)
            }
        }
        #expect(calls == 3)
    }

    /// The special functions that solve with it keep their accuracy at awkward arguments.
    @Test func inversionsUseTheSolver() {
        #expect(Incomplete.betaInverse(.nan, 2, 0.5).isNaN)
        #expect(abs(Incomplete.betaInverse(0.5, 0.5, 0.5) - 0.5) < 1e-15)
        for (a, b, p) in [(0.05, 3.0, 1e-12), (40.0, 0.3, 1 - 1e-9), (1.0, 1.0, 0.123)] {
            let x = Incomplete.betaInverse(a, b, p)
            let bracketed = (Incomplete.betaI(a, b, x.nextDown) - p) * (Incomplete.betaI(a, b, x.nextUp) - p) <= 0
            #expect(abs(Incomplete.betaI(a, b, x) - p) < 1e-12 * max(p, 1e-3) || bracketed, "a \(a) b \(b) p \(p)")
        }
        #expect(abs(Incomplete.gammaPInverse(1, 0.5) - log(2.0)) < 1e-15)
        #expect(abs(StudentT(degreesOfFreedom: 1).quantile(0.25) - -1) < 1e-14)  // Cauchy: tan(π(p − ½))
    }
}
