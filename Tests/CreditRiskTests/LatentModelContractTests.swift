@testable import CreditEngine
import CreditMath
import CreditModel
import CreditTestSupport
import Testing

/// Both latent models against the contract every latent model keeps (`LatentModelContract`):
/// a screen that misses no defaulter, decisions that agree with the latent value, and marginal
/// default frequencies equal to the names' probabilities (4.5 SE at 20 000 paths). The names
/// include a probability of 0 (no bonds: cut −∞) and of 1 (a forced default: cut +∞).
@Suite struct LatentModelContractTests {
    static let probabilities = [0.001, 0.02, 0.15, 0.4, 0, 1, 0.0005, 0.07]

    static func cuts() -> [Double] {
        probabilities.map { $0 <= 0 ? -.infinity : ($0 >= 1 ? .infinity : Normal.quantile($0)) }
    }

    @Test func factorModelKeepsTheContract() throws {
        // Two correlated factors; loadings from none to heavy.
        let correlation = SymmetricMatrix(rows: [[1, 0.3], [0.3, 1]])
        let model = FactorModel(factorIDs: ["a", "b"], correlation: correlation)
        let loadings: [[Double]] = [[0.3, 0.1], [0.5, 0], [0, 0.6], [0.2, 0.2], [0.4, 0.4], [0.1, 0], [0, 0], [0.7, -0.2]]
        let entities = zip(Self.probabilities, loadings).enumerated().map { i, pair in
            Entity(id: "e\(i)", pd: min(max(pair.0, 0.0001), 0.9999), loadings: pair.1)
        }
        let factor = try #require(CorrelationFactor.cholesky(correlation))
        let latent = FactorLatent(entities: entities, model: model, factor: factor, threshold: Self.cuts(), table: DefaultScreen())
        let problems = LatentModelContract.violations(of: latent, probabilities: Self.probabilities)
        #expect(problems.isEmpty, "\(problems)")
    }

    @Test func fullCorrelationKeepsTheContract() throws {
        let n = Self.probabilities.count
        var rows = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
        for i in 0..<n {
            for j in 0..<n { rows[i][j] = i == j ? 1 : 0.25 + 0.05 * Double((i + j) % 3) }
        }
        let factor = try CorrelationFactor(SymmetricMatrix(rows: rows))
        let latent = CorrelatedLatent(factor: factor, threshold: Self.cuts())
        let problems = LatentModelContract.violations(of: latent, probabilities: Self.probabilities)
        #expect(problems.isEmpty, "\(problems)")
    }

    /// The checker itself can fail: a model whose screen drops a name is caught.
    @Test func aScreenThatMissesANameIsCaught() throws {
        let factor = try CorrelationFactor(SymmetricMatrix(rows: [[1, 0.2], [0.2, 1]]))
        let latent = DroppingScreen(inner: CorrelatedLatent(factor: factor, threshold: [0, 0]))
        let problems = LatentModelContract.violations(of: latent, probabilities: [0.5, 0.5], paths: 2000)
        #expect(problems.contains { $0.contains("the screen missed it") })
    }
}

/// A broken model for the checker's own test: its screen never reports the last name.
private struct DroppingScreen: LatentModel {
    let inner: CorrelatedLatent
    var entityCount: Int { inner.entityCount }
    var inputDimension: Int { inner.inputDimension }
    var drawsIdiosyncraticUniforms: Bool { inner.drawsIdiosyncraticUniforms }
    func systematic(input: UnsafeMutablePointer<Double>, rows: Int, into sys: UnsafeMutablePointer<Double>) {
        inner.systematic(input: input, rows: rows, into: sys)
    }
    func screen(sys: UnsafePointer<Double>, uniforms: UnsafePointer<Double>, scale: Double,
                into candidates: UnsafeMutablePointer<Int>) -> Int {
        let count = inner.screen(sys: sys, uniforms: uniforms, scale: scale, into: candidates)
        return count > 0 && candidates[count - 1] == entityCount - 1 ? count - 1 : count
    }
    func screenMovers(lower: UnsafePointer<Double>, upper: UnsafePointer<Double>, sys: UnsafePointer<Double>,
                      uniforms: UnsafePointer<Double>, scale: Double, into candidates: UnsafeMutablePointer<Int>) -> Int {
        inner.screenMovers(lower: lower, upper: upper, sys: sys, uniforms: uniforms, scale: scale, into: candidates)
    }
    func defaultsByLongestWindow(_ e: Int, sys: UnsafePointer<Double>, uniforms: UnsafePointer<Double>, scale: Double) -> Bool {
        inner.defaultsByLongestWindow(e, sys: sys, uniforms: uniforms, scale: scale)
    }
    func latentValue(_ e: Int, sys: UnsafePointer<Double>, uniforms: UnsafePointer<Double>) -> Double {
        inner.latentValue(e, sys: sys, uniforms: uniforms)
    }
    func twistProbability(_ e: Int, below cut: Double, sys: UnsafePointer<Double>, scale: Double) -> Double {
        inner.twistProbability(e, below: cut, sys: sys, scale: scale)
    }
    func migrationState(_ e: Int, cuts: UnsafePointer<Double>, count: Int, stay: Int,
                        sys: UnsafePointer<Double>, uniforms: UnsafePointer<Double>, scale: Double) -> Int {
        inner.migrationState(e, cuts: cuts, count: count, stay: stay, sys: sys, uniforms: uniforms, scale: scale)
    }
}
