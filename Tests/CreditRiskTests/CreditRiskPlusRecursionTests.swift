@testable import CreditEngine
@testable import CreditMath
@testable import CreditModel
@testable import CreditStatistics
import Foundation
import Testing

/// The sparse positive recursion (`distribution()`) against the nested log–exp recursion it
/// replaced (`logExpDistribution()`, O(N²)), on the portfolios of the CreditRisk+ tests: both are
/// sums of non-negative terms in different orders, so they must agree to a few rounding errors
/// per lattice step, in the far tail as well as in the body.
@Suite struct CreditRiskPlusRecursionTests {
    /// Largest relative difference over the lattice points where the reference is above `floor`,
    /// and the lattice lengths.
    static func compare(_ model: CreditRiskPlus, floor: Double = 1e-300) throws -> (relative: Double, count: Int, reference: Int) {
        let fast = try model.distribution()
        let reference = try model.logExpDistribution()
        var worst = 0.0
        for (n, r) in reference.probabilities.enumerated() where r > floor {
            let f = n < fast.probabilities.count ? fast.probabilities[n] : 0
            worst = max(worst, abs(f - r) / r)
        }
        return (worst, fast.probabilities.count, reference.probabilities.count)
    }

    @Test(arguments: CreditRiskPlusTests.Layout.allCases)
    func csfbLayouts(layout: CreditRiskPlusTests.Layout) throws {
        let (obligors, k) = CreditRiskPlusTests.obligors(layout)
        let model = try CreditRiskPlus(obligors: obligors, sectorCount: k)
        let (worst, count, reference) = try Self.compare(model)
        #expect(count == reference)
        #expect(worst < 1e-12, "\(layout): relative difference \(worst)")
    }

    @Test(arguments: CreditRiskPlusPublishedTests.Example.allCases)
    func publishedExamples(example: CreditRiskPlusPublishedTests.Example) throws {
        let model = try CreditRiskPlusPublishedTests.model(example)
        let (worst, count, reference) = try Self.compare(model)
        #expect(count == reference)
        #expect(worst < 1e-12, "\(example): relative difference \(worst)")
    }

    /// 10⁴ obligors in 3 sectors with specific risk, 40 bands (the Monte Carlo test's portfolio):
    /// a lattice of about 3 000 points, probabilities down to 10⁻¹⁸.
    @Test func tenThousandObligors() throws {
        let obligors = tenThousandCreditRiskPlusObligors()
        let model = try CreditRiskPlus(obligors: obligors, sectorCount: 3, lossUnit: 1)
        let (worst, count, reference) = try Self.compare(model)
        #expect(count == reference)
        #expect(worst < 1e-12, "relative difference \(worst) over \(count) points")
    }

    /// P(L = 0) underflows (≈ 2 000 expected defaults): both run on a logarithmic scale.
    @Test func underflowingZeroProbability() throws {
        let obligors = (0..<20_000).map {
            CreditRiskPlus.Obligor(id: "o\($0)", exposure: Double(1 + $0 % 5), expectedDefaults: 0.1, defaultRateSD: 0.02, sectorWeights: [0.6])
        }
        let model = try CreditRiskPlus(obligors: obligors, sectorCount: 1, lossUnit: 1)
        let (worst, count, reference) = try Self.compare(model)
        #expect(count == reference)
        #expect(worst < 1e-12, "relative difference \(worst) over \(count) points")
    }

    /// Closed form: one sector, one band of size 1 — a negative binomial,
    /// g_n = (1 − p)^α · Γ(α + n)/(Γ(α) n!) · pⁿ.
    @Test func negativeBinomial() throws {
        let obligors = (0..<50).map { CreditRiskPlus.Obligor(id: "o\($0)", exposure: 1, expectedDefaults: 0.04, defaultRateSD: 0.1, sectorWeights: [1]) }
        let model = try CreditRiskPlus(obligors: obligors, sectorCount: 1, lossUnit: 1)
        let loss = try model.distribution()
        let v = model.sectors[0].relativeVariance, mu = model.sectors[0].meanDefaults
        let alpha = 1 / v, beta = v * mu, p = beta / (1 + beta)
        for (n, g) in loss.probabilities.enumerated() {
            let x = Double(n)
            var logExact = alpha * Foundation.log1p(-p)
            logExact += Foundation.lgamma(alpha + x) - Foundation.lgamma(alpha)
            logExact += x * Foundation.log(p) - Foundation.lgamma(x + 1)
            let exact = Foundation.exp(logExact)
            #expect(abs(g - exact) <= 1e-12 * exact, "g_\(n): \(g) vs \(exact)")
        }
    }
}
