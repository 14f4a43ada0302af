import CreditRisk
import Foundation
import Testing

/// Φ₂(h, k; ρ) against values computed independently: the 40-digit integral
/// ∫_{−∞}^{h} φ(x) Φ((k − ρx)/√(1 − ρ²)) dx of mpmath 1.3 (a different integral from the
/// implementation's θ-form), agreeing with SciPy 1.17's Owen's T decomposition
/// (½Φ(h) + ½Φ(k) − T(h, a_h) − T(k, a_k) − β) wherever that one does not cancel.
/// (`CreditRisk.` because this test target has its own Simpson-rule `BivariateNormal` for other tests.)
@Suite struct BivariateNormalTests {
    static let reference: [(h: Double, k: Double, rho: Double, value: Double)] = [
        (0, 0, 0.5, 0.33333333333333333333),
        (0, 0, -0.3, 0.2015066579896608566),
        (-1.5, 0.7, 0.0, 0.050642286855043249764),
        (-4.753424308822899, -4.753424308822899, 0.2, 6.1951612635407719319e-11),  // PD 10⁻⁶ each
        (-3.090232306167813, -2.326347874040841, 0.45, 0.00018384413537732335007),  // PDs 0.1 %, 1 %
        (-2.0, -1.0, 0.999999, 0.0227501319481792072),
        (-2.0, -2.0, 0.999999, 0.022719670814881638993),
        (-1.0, 2.0, -0.7, 0.14021985419403971253),
        (-3.0, -3.0, -0.5, 7.1475021812707899727e-11),
        (1.2, -0.4, 0.93, 0.34457797504569144116),
        (-0.3, -2.5, -0.95, 3.186191202440562253e-21),
        (2.5, 3.0, 0.6, 0.99278786972966821454),
        (-5.0, -4.0, 0.7, 8.7355918939350772807e-8),
        (-3.5, -3.49, 0.9999, 0.00023085639112167485715),
    ]

    @Test func knownValues() {
        for r in Self.reference {
            let v = CreditRisk.BivariateNormal.cdf(r.h, r.k, correlation: r.rho)
            #expect(abs(v / r.value - 1) < 1e-13, "Φ₂(\(r.h), \(r.k); \(r.rho)) = \(v), reference \(r.value)")
        }
    }

    /// Φ₂(0, 0; ρ) = ¼ + asin(ρ)/(2π) (Sheppard), over the whole range of ρ.
    @Test func closedFormAtTheOrigin() {
        for i in -20...20 {
            let rho = Double(i) / 20 * 0.999999
            let v = CreditRisk.BivariateNormal.cdf(0, 0, correlation: rho)
            #expect(abs(v - (0.25 + asin(rho) / (2 * Double.pi))) < 1e-15, "ρ = \(rho)")
        }
    }

    @Test func limitsAndIdentities() {
        #expect(CreditRisk.BivariateNormal.cdf(-1, 0.5, correlation: 0) == Normal.cdf(-1) * Normal.cdf(0.5))
        #expect(CreditRisk.BivariateNormal.cdf(-1, 0.5, correlation: 1) == Normal.cdf(-1))
        #expect(abs(CreditRisk.BivariateNormal.cdf(-1, 1.5, correlation: -1) - (Normal.cdf(-1) - Normal.cdf(-1.5))) < 1e-16)
        #expect(CreditRisk.BivariateNormal.cdf(-1, -1.5, correlation: -1) == 0)
        #expect(CreditRisk.BivariateNormal.cdf(-.infinity, 2, correlation: 0.3) == 0)
        #expect(CreditRisk.BivariateNormal.cdf(.infinity, 0.7, correlation: 0.3) == Normal.cdf(0.7))
        #expect(CreditRisk.BivariateNormal.cdf(0.1, 0.2, correlation: 1.5).isNaN)
        #expect(CreditRisk.BivariateNormal.cdf(.nan, 0.2, correlation: 0.5).isNaN)
        for (h, k) in [(-2.0, 1.0), (-3.3, -0.2), (0.4, 1.9), (-4.0, -4.5)] {
            var previous = 0.0
            for i in -19...19 {
                let rho = Double(i) / 20
                let v = CreditRisk.BivariateNormal.cdf(h, k, correlation: rho)
                // Symmetric in (h, k); Φ₂(h, k; ρ) + Φ₂(h, −k; −ρ) = Φ(h); increasing in ρ.
                #expect(v == CreditRisk.BivariateNormal.cdf(k, h, correlation: rho))
                #expect(abs(v + CreditRisk.BivariateNormal.cdf(h, -k, correlation: -rho) - Normal.cdf(h)) < 1e-15)
                #expect(v >= previous)
                previous = v
                // The Fréchet bounds.
                #expect(v <= min(Normal.cdf(h), Normal.cdf(k)) * (1 + 1e-15) && v >= max(0, Normal.cdf(h) + Normal.cdf(k) - 1) - 1e-16)
            }
            // Continuous at ρ → ±1.
            #expect(abs(CreditRisk.BivariateNormal.cdf(h, k, correlation: 1 - 1e-13) - Normal.cdf(min(h, k))) < 1e-6)
            #expect(abs(CreditRisk.BivariateNormal.cdf(h, k, correlation: -1 + 1e-13) - max(0, Normal.cdf(h) - Normal.cdf(-k))) < 1e-6)
        }
    }
}
