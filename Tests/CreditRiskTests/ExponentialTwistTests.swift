@testable import CreditEngine
@testable import CreditMath
@testable import CreditModel
import CreditStatistics
import Foundation
import Testing

/// The twist's vector arithmetic against the math library, and the choice to twist at all.
@Suite struct ExponentialTwistTests {
    /// e^x for x ≤ 0 within 4 units in the last place of libm's `exp`, down to −700.
    @Test func decayMatchesExp() {
        var rng = Xoshiro256Plus(key: 11)
        var worst = 0.0
        for _ in 0..<20_000 {
            var x = SIMD8<Double>()
            for j in 0..<8 { x[j] = -700 * pow(rng.nextUniform(), 3) }
            let y = ExponentialTwist.decay(x)
            for j in 0..<8 {
                let exact = exp(x[j])
                worst = max(worst, abs(y[j] - exact) / exact.ulp)
            }
        }
        #expect(worst <= 4, "largest error \(worst) ulp")
        let edges = ExponentialTwist.decay(SIMD8(0, -0.5 * M_LN2, -M_LN2, -1e-300, -700, -800, -1, -20))
        #expect(edges[0] == 1 && edges[3] == 1)
        #expect(abs(edges[1] - 0.5.squareRoot()) <= 2 * 0.5.squareRoot().ulp && abs(edges[2] - 0.5) <= 0.5.ulp)
        #expect(edges[5] == edges[4])   // clamped at −700
    }

    /// θ solves Σ c q(θ) = x to the solver's tolerance, and ψ equals Σ log1p(p expm1(θc)), from any
    /// start; zero-padded lanes change nothing.
    @Test func solveMatchesScalarFormulas() {
        var rng = Xoshiro256Plus(key: 12)
        for trial in 0..<200 {
            let m = 1 + trial % 37
            let padded = (m + 7) / 8 * 8
            var p = [Double](repeating: 0, count: padded), c = [Double](repeating: 0, count: padded)
            for i in 0..<m {
                p[i] = pow(rng.nextUniform(), 4) * 0.3
                c[i] = 0.5 + 100 * rng.nextUniform()
            }
            let mean = zip(p, c).reduce(0) { $0 + $1.0 * $1.1 }, total = c.reduce(0, +)
            let x = mean + (total - mean) * (0.05 + 0.6 * rng.nextUniform())
            for start in [0.0, 1e-3, 0.5, 40] {
                // A guess as a previous path leaves it (log ratio 1: started at `start` times log(x/Σcp)).
                var guess = ExponentialTwist.Guess(theta: start, logRatio: 1)
                let (theta, psi) = p.withUnsafeBufferPointer { pb in
                    c.withUnsafeBufferPointer { cb in
                        let theta = ExponentialTwist.root(p: pb, c: cb, target: x, guess: &guess)
                        return (theta, ExponentialTwist.psi(p: pb, c: cb, theta: theta))
                    }
                }
                #expect(theta > 0)
                var sum = 0.0, slope = 0.0, exactPsi = 0.0
                for i in 0..<m {
                    let q = p[i] * exp(theta * c[i]) / (1 + p[i] * expm1(theta * c[i]))
                    sum += c[i] * q
                    slope += c[i] * c[i] * q * (1 - q)
                    exactPsi += log1p(p[i] * expm1(theta * c[i]))
                }
                // |log(Σcq/x)| ≤ 1e-10 as the solver computes it; the math library's sum differs by rounding.
                #expect(abs(sum - x) <= 1e-9 * x, "trial \(trial), start \(start): Σcq \(sum) vs x \(x)")
                #expect(abs(psi - exactPsi) <= 1e-12 * max(1, exactPsi), "trial \(trial): ψ \(psi) vs \(exactPsi)")
            }
        }
        // The conditional mean already at x, or x beyond every loss: no twist.
        let p = [0.5, 0.5, 0, 0, 0, 0, 0, 0], c = [1.0, 1, 0, 0, 0, 0, 0, 0]
        for x in [0.9, 2.5] {
            let r = p.withUnsafeBufferPointer { pb in c.withUnsafeBufferPointer { ExponentialTwist.solve(p: pb, c: $0, target: x) } }
            #expect(r.theta == 0 && r.psi == 0)
        }
    }

    /// In a book of at least `twistMinimumIssuers` loss-bearing issuers the twisted ones are those
    /// left after the least-moved (θ_μ c_e < κ) are left out within the variance budget, as
    /// `NaiveReplay.referenceSelection` chooses them independently (θ_μ by bisection), aiming at x
    /// less the others' mean loss at μ; a twist that would move no issuer is dropped; the choice
    /// travels with the shift to a stressed book; a smaller book twists every issuer.
    @Test func twistSelectsTheIssuersItMoves() throws {
        let p = try KernelEquivalenceTests.factorPortfolio(.gaussian, capacity: 2, lgdSD: 0.2, lgdCorrelation: 0.3,
                                                           issuers: 120)
        let engine = Engine(portfolio: p)
        guard case let .factors(latent) = engine.plan.latent else { Issue.record("factor model expected"); return }
        let mu = [-1.0, -0.4]
        let atShift = Array(engine.conditionalProbabilities(latent, at: mu).prefix(engine.plan.twistCosts.count))
        let costs = engine.plan.twistCosts
        // Measured: 6 of the 120 twisted at 20, 78 at 35.
        for x in [20.0, 25, 35, 60] {
            let reference = NaiveReplay.referenceSelection(atShift: atShift, costs: costs, target: x)
            let selection = engine.twistSelection(for: ImportanceShift(mu: mu, target: x))
            #expect(selection.members == (reference?.members ?? Array(costs.indices)), "x = \(x)")
            #expect(abs(selection.target - (reference?.target ?? x)) <= 1e-9 * x, "x = \(x)")
            if reference?.members.isEmpty == true { #expect(!engine.twistPays(mu: mu, target: x), "x = \(x)") }
        }
        // Many small issuers whose moves add up are not all left out: 1000 independent issuers at
        // cost 1 with p = 0.05 and one at cost 20, toward x = 90 (θ_μ ≈ 0.36 moves each small one
        // by e^0.36 only, but leaving them all out would give up a variance budget of 3.3).
        let entities = (0...1000).map { Entity(id: "e\($0)", pd: 0.05, loadings: [0]) }
        let bonds = (0...1000).map { Bond(id: "b\($0)", issuer: $0, notional: $0 == 1000 ? 20 : 1, maturity: 1, lgd: 1) }
        let manyEngine = Engine(portfolio: try Portfolio(entities: entities, bonds: bonds,
                                                         dependence: .factors(FactorModel(factorIDs: ["m"]))))
        let manyShift = ImportanceShift(mu: [-1], target: 90)
        let many = manyEngine.twistSelection(for: manyShift)
        let manyCosts = manyEngine.plan.twistCosts
        let manyReference = NaiveReplay.referenceSelection(atShift: [Double](repeating: 0.05, count: manyCosts.count),
                                                           costs: manyCosts, target: 90)
        #expect(many.members == (manyReference?.members ?? Array(manyCosts.indices)))
        #expect(many.members.count > 900 && many.members.contains(1000), "\(many.members.count) twisted")
        // The base's choice travels with the shift: a stressed book (every PD doubled, which moves
        // θ_μ) twists the issuers at or above the base's floor, aiming at the base's target.
        let chosen = engine.choosingTwist(ImportanceShift(mu: mu, target: 35))
        let floor = try #require(chosen.twistFloor), chosenTarget = try #require(chosen.twistTarget)
        #expect(engine.twistSelection(for: chosen).members == engine.twistSelection(for: ImportanceShift(mu: mu, target: 35)).members)
        let stressedEntities = p.entities.map { Entity(id: $0.id, pd: min(2 * $0.pd, 0.5), loadings: $0.loadings, capacity: $0.capacity) }
        let stressed = Engine(portfolio: try Portfolio(entities: stressedEntities, bonds: p.bonds, dependence: p.dependence,
                                                       copula: p.copula, lgdCorrelation: p.lgdCorrelation))
        let kept = stressed.twistSelection(for: chosen)
        #expect(kept.members == stressed.plan.twistCosts.indices.filter { stressed.plan.twistCosts[$0] >= floor })
        #expect(kept.target == chosenTarget)
        #expect(stressed.twistSelection(for: ImportanceShift(mu: mu, target: 35)).members != kept.members)
        // 36 issuers: every one, even where θ_μ c_e < κ for all (target 6), and the twist is kept.
        let small = Engine(portfolio: try KernelEquivalenceTests.factorPortfolio(.gaussian, capacity: 2, lgdSD: 0.2,
                                                                                 lgdCorrelation: 0.3))
        let all = small.twistSelection(for: ImportanceShift(mu: mu, target: 6))
        #expect(all.members == Array(small.plan.twistEntities.indices) && all.target == 6)
        #expect(small.twistPays(mu: mu, target: 6))
    }

    /// The twist is kept where the conditional loss at the shift is still spread around the
    /// target (40 weakly correlated names: −F(μ) ≈ 2.8), and dropped where the shift alone reaches
    /// it (2000 names with ρ = 0.25, where the loss given the factor concentrates on its mean);
    /// a small book keeps it regardless.
    @Test func twistPaysOnlyWhereTheLossIsSpread() throws {
        func pool(_ names: Int, rho: Double) throws -> Engine {
            let entities = oneFactorEntities([Double](repeating: 0.02, count: names), rho: rho)
            let bonds = (0..<names).map { Bond(id: "b\($0)", issuer: $0, notional: 1, maturity: 1, lgd: 1) }
            return Engine(portfolio: try Portfolio(entities: entities, bonds: bonds,
                                                   dependence: .factors(FactorModel(factorIDs: ["m"]))))
        }
        let small = try pool(40, rho: 0.05), large = try pool(2000, rho: 0.25), few = try pool(40, rho: 0.25)
        let smallShift = small.importanceShift(level: 0.999, pilotPaths: 10_000, seed: 5, threads: 2)
        let largeShift = large.importanceShift(level: 0.999, pilotPaths: 10_000, seed: 5, threads: 2)
        let smallGain = small.twistGain(mu: smallShift.mu, target: smallShift.target)
        let largeGain = large.twistGain(mu: largeShift.mu, target: largeShift.target)
        #expect(smallShift.twists && smallGain > log(Engine.twistCostRatio), "gain \(smallGain)")
        #expect(!largeShift.twists && largeGain < log(Engine.twistCostRatio), "gain \(largeGain)")
        // Fewer than 100 issuers: twisted whatever the one-point estimate says (here −F(μ) ≈ 0.6).
        let fewShift = few.importanceShift(level: 0.999, pilotPaths: 10_000, seed: 5, threads: 2)
        #expect(fewShift.twists && few.twistGain(mu: fewShift.mu, target: fewShift.target) < log(Engine.twistCostRatio))
        // A shift written before the choice existed reads as twisted.
        let old = try JSONDecoder().decode(ImportanceShift.self, from: Data(#"{"mu":[-1],"target":3}"#.utf8))
        #expect(old.twists && old.mu == [-1] && old.target == 3)
        let encoded = try JSONEncoder().encode(largeShift)
        #expect(try JSONDecoder().decode(ImportanceShift.self, from: encoded) == largeShift)
    }
}
