/// The search for the importance shift of a target loss (Glasserman & Li 2005, §4); the pilots
/// that choose the target are statistics of the engine's sample (`Engine.importanceShift`, in
/// CreditStatistics).
import CreditMath
import CreditModel
import Foundation

extension Engine {
    /// Paths a pilot must have beyond a level for its quantile to count as resolved.
    public static let resolvedTailPaths = 100

    /// The factor shift μ for the target loss x; nil without a factor model (the shift is then zero).
    public func optimalShift(target x: Double) -> [Double]? {
        guard case let .factors(latent) = plan.latent, latent.inputDimension > 0 else { return nil }
        return optimalShift(latent, target: x)
    }

    /// What a twisted path costs against a shifted-only one, rounded up: the twist reads p for
    /// every issuer, solves for θ (a few vector passes over the issuers) and sums ψ. Measured on
    /// the bundled technology-bond book, 1.7× (Benchmarks/README.md, 2026-12-07).
    public static let twistCostRatio = 3.0

    /// Whether the exponential twist pays for itself at the shift μ toward x. Given the factors ξ,
    /// the twist bounds the conditional second moment of the tail estimator by exp(2F(ξ)), where
    /// F(ξ) = −θx + ψ(θ) ≤ 0 is the log of the Chernoff bound on P(L > x | ξ); without it the
    /// second moment is P(L > x | ξ) itself, of the order exp(F(ξ)). So at the shift, where the
    /// importance paths concentrate, the twist divides the variance by about exp(−F(μ)), and it is
    /// kept only when that exceeds its cost, `twistCostRatio`. In a large portfolio the
    /// conditional loss concentrates on its mean, F(μ) → 0 at the shift, and the factor shift
    /// alone does the work (Glasserman & Li 2005, who show the twist matters less as the number of
    /// names grows). Either way every estimate stays unbiased: the choice moves only the variance.
    ///
    /// The estimate looks at one point, μ, with a Chernoff bound that is sharp only when the
    /// conditional loss is a sum of many terms; a book with fewer than `twistMinimumIssuers`
    /// loss-bearing issuers always keeps the twist (measured: a 20-name pool at 99.8 % scores
    /// −F(μ) ≈ 0.6, yet its error bars need the twist to be honest at 2000 paths).
    ///
    /// In a larger book, a twist that would move no issuer (θ_μ c_e below `TwistSelection`'s κ
    /// for every one) is dropped as well.
    public func twistPays(mu: [Double], target x: Double) -> Bool {
        twistPays(mu: mu, target: x, selection: twistSelection(for: ImportanceShift(mu: mu, target: x)))
    }

    /// `twistPays` given the issuers the twist would move at the shift.
    func twistPays(mu: [Double], target x: Double, selection: TwistSelection) -> Bool {
        guard !selection.members.isEmpty else { return false }
        return plan.twistEntities.count < Self.twistMinimumIssuers || twistGain(mu: mu, target: x) > log(Self.twistCostRatio)
    }

    /// Books with fewer loss-bearing issuers than this always twist (see `twistPays`).
    public static let twistMinimumIssuers = 100

    /// −F(μ), the log of the variance the twist saves at the shift (∞ without a factor model,
    /// where the question does not arise).
    package func twistGain(mu: [Double], target x: Double) -> Double {
        guard case let .factors(latent) = plan.latent, latent.inputDimension > 0, mu.count == latent.inputDimension,
              x > 0 else { return .infinity }
        return -twistBound(latent, at: mu, target: x)
    }

    /// F(ξ) = −θ_x(ξ)·x + ψ(θ_x(ξ), ξ), the log of the twisted bound on P(L > x | ξ), with the
    /// Gaussian conditional probabilities.
    func twistBound(_ latent: FactorLatent, at xi: [Double], target x: Double) -> Double {
        let p = conditionalProbabilities(latent, at: xi), costs = ExponentialTwist.padded(plan.twistCosts)
        let (theta, psi) = p.withUnsafeBufferPointer { pb in
            costs.withUnsafeBufferPointer { cb in ExponentialTwist.solve(p: pb, c: cb, target: x) }
        }
        return -theta * x + psi
    }

    /// The length of a shift: the factors of a factor model that can be importance-sampled, else 0.
    public var shiftDimension: Int { supportsImportanceSampling ? plan.latentDimension : 0 }

    /// μ maximising F(μ) − ½|μ|², where F(ξ) = −θ_x(ξ)·x + ψ(θ_x(ξ), ξ) is the log of the
    /// twisted bound on P(L > x | ξ): a golden-section search along the direction in which
    /// expected losses grow fastest, then gradient steps. For the Student-t copula the search
    /// uses the Gaussian conditional probabilities (the twist itself is exact).
    func optimalShift(_ latent: FactorLatent, target x: Double) -> [Double] {
        let k = latent.inputDimension
        let entities = plan.twistEntities, costs = plan.twistCosts, thresholds = plan.twistThresholds
        let m = entities.count
        func objective(_ xi: [Double]) -> Double {
            twistBound(latent, at: xi, target: x) - 0.5 * xi.reduce(0) { $0 + $1 * $1 }
        }
        // Direction: −Σ c_e φ(c_e threshold) a_e, along which defaults become likelier.
        var direction = [Double](repeating: 0, count: k)
        for i in 0..<m {
            let e = entities[i]
            let density = Normal.pdf(thresholds[i]) * costs[i]
            for j in 0..<k { direction[j] -= density * latent.loadings[e * k + j] }
        }
        let norm = direction.reduce(0) { $0 + $1 * $1 }.squareRoot()
        guard norm > 0 else { return [Double](repeating: 0, count: k) }
        direction = direction.map { $0 / norm }
        // Golden-section search for the best multiple of the direction on [0, 10].
        var lo = 0.0, hi = 10.0
        let golden = (5.0.squareRoot() - 1) / 2
        for _ in 0..<60 {
            let a = hi - golden * (hi - lo), b = lo + golden * (hi - lo)
            if objective(direction.map { $0 * a }) < objective(direction.map { $0 * b }) { lo = a } else { hi = b }
        }
        var mu = direction.map { $0 * 0.5 * (lo + hi) }
        // Gradient refinement with central differences and step halving.
        var value = objective(mu)
        var step = 0.5
        for _ in 0..<30 where step > 1e-4 {
            var gradient = [Double](repeating: 0, count: k)
            for j in 0..<k {
                var up = mu, down = mu
                up[j] += 1e-4
                down[j] -= 1e-4
                gradient[j] = (objective(up) - objective(down)) / 2e-4
            }
            let size = gradient.reduce(0) { $0 + $1 * $1 }.squareRoot()
            guard size > 1e-9 else { break }
            let candidate = zip(mu, gradient).map { $0 + step * $1 / size }
            let next = objective(candidate)
            if next > value { mu = candidate; value = next } else { step /= 2 }
        }
        return mu
    }
}

extension SimulationPlan {
    /// Columns of the latent model's product.
    var latentDimension: Int {
        switch latent {
        case let .factors(f): return f.inputDimension
        case let .correlated(c): return c.inputDimension
        }
    }
}
