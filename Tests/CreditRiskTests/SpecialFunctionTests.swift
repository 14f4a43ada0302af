import CreditRisk
import Testing

/// Reference values from SciPy 1.17 (scipy.stats.norm, scipy.stats.t, scipy.special.gammainc).
@Suite struct SpecialFunctionTests {
    @Test func normalQuantileKnownValues() {
        #expect(abs(Normal.quantile(0.975) - 1.959963984540054) < 1e-14)
        #expect(abs(Normal.quantile(0.3) - -0.5244005127080409) < 1e-14)
        #expect(abs(Normal.quantile(1e-10) / -6.361340902404056 - 1) < 1e-14)
        #expect(Normal.quantile(0.5) == 0)
    }

    @Test func normalQuantileInvertsCDF() {
        // Round trip over 1e-300 … 1 − 1e-16, covering all three branches of AS 241. A relative
        // error δ in x becomes about x²δ relative error in Φ(x) in the tail (d ln Φ/dx ≈ −x), so the
        // bound scales with x² (x ≈ −37 at 1e-300).
        var p = 1e-300
        while p < 0.5 {
            let x = Normal.quantile(p)
            let back = Normal.cdf(x)
            #expect(abs(back / p - 1) < 2e-15 * (8 + x * x), "p = \(p)")
            let q = 1 - p
            if q < 1 { #expect(abs(Normal.cdf(Normal.quantile(q)) - q) < 1e-15) }
            p *= 3.7
        }
    }

    @Test func studentTKnownValues() {
        #expect(abs(StudentT(degreesOfFreedom: 5).cdf(2.015048372669157) - 0.9499999999576474) < 1e-13)
        #expect(abs(StudentT(degreesOfFreedom: 4).quantile(0.01) - -3.746947387979197) < 1e-11)
        #expect(abs(StudentT(degreesOfFreedom: 3.5).cdf(-3.2) - 0.019870029683993682) < 1e-13)
        for p in [1e-9, 1e-4, 0.02, 0.4, 0.5, 0.77, 0.999] {
            let t = StudentT(degreesOfFreedom: 2.5)
            #expect(abs(t.cdf(t.quantile(p)) / p - 1) < 1e-11, "p = \(p)")
        }
    }

    @Test func incompleteGamma() {
        #expect(abs(Incomplete.gammaP(2.5, 1.7) - 0.36143007689620493) < 1e-14)
        for a in [0.3, 1.75, 2.5, 40] {
            for p in [1e-8, 0.01, 0.5, 0.93, 1 - 1e-9] {
                let x = Incomplete.gammaPInverse(a, p)
                #expect(abs(Incomplete.gammaP(a, x) - p) < 1e-12 * max(1, p / 1e-3), "a = \(a), p = \(p)")
            }
        }
    }

    @Test func uniformsStayInsideTheOpenInterval() {
        var r = Xoshiro256Plus(seed: 1, block: 0)
        for _ in 0..<100_000 {
            let u = r.nextUniform()
            #expect(u > 0 && u < 1)
        }
        #expect(Xoshiro256Plus(seed: 1, block: 0).nextUniformCopy != Xoshiro256Plus(seed: 2, block: 0).nextUniformCopy)
        #expect(Xoshiro256Plus(seed: 1, block: 1).nextUniformCopy != Xoshiro256Plus(seed: 2, block: 0).nextUniformCopy)
    }
}

extension Xoshiro256Plus {
    var nextUniformCopy: Double {
        var c = self
        return c.nextUniform()
    }
}
