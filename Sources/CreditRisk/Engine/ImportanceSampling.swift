import Foundation

/// Importance sampling after Glasserman & Li (2005, Management Science 51(11)): the factors are
/// drawn with mean μ instead of 0, and given the factors each issuer's default (by its longest
/// window) is drawn with the exponentially twisted probability
/// q_e = p_e e^{θ c_e} / (1 + p_e (e^{θ c_e} − 1)), where c_e is its gross loss and θ ≥ 0 solves
/// Σ c_e q_e(θ) = x for the target loss x (θ = 0 when the conditional mean already reaches x).
/// The importance density q has likelihood ratio
/// p/q = exp(−μᵀξ + ½|μ|²) · exp(−θ Σ D_e c_e + ψ(θ)), ψ(θ) = Σ log(1 + p_e (e^{θ c_e} − 1)).
/// Paths are drawn from the defensive mixture α p + (1 − α) q (Hesterberg 1995), each carrying
/// the weight 1/(α + (1 − α) q/p), so every estimate stays unbiased; only its variance changes.
///
/// Given the twisted default indicator, the latent ε_e keeps its original conditional law
/// (uniform u ↦ u p/q below q, and p + (u − q)(1 − p)/(1 − q) above), so default times,
/// guarantees and protection are computed exactly as without importance sampling.
public struct ImportanceShift: Sendable, Hashable {
    /// Share α of paths drawn from the original density (a defensive mixture): it bounds every
    /// weight by 1/α, so EL and the body of the distribution keep honest errors while the
    /// remaining 1 − α of the paths explore the tail.
    public static let defensiveShare = 0.1

    /// Mean of the independent factor normals ξ (Z = L ξ).
    public let mu: [Double]
    /// Target gross loss x of the twist (the pilot's VaR at the highest level).
    public let target: Double

    public init(mu: [Double], target: Double) {
        self.mu = mu
        self.target = target
    }
}

extension SimulationPlan {
    /// θ with Σ c q(θ) = x (Newton on a bracket), and ψ(θ); θ = 0 when Σ c p ≥ x.
    static func twist(p: UnsafePointer<Double>, c: UnsafePointer<Double>, count: Int, target x: Double) -> (theta: Double, psi: Double) {
        var mean = 0.0, maxCost = 0.0
        for i in 0..<count {
            mean += c[i] * p[i]
            maxCost = max(maxCost, c[i])
        }
        guard mean < x, maxCost > 0 else { return (0, 0) }
        var total = 0.0
        for i in 0..<count { total += c[i] }
        if total <= x { return (0, 0) }  // x unreachable: no useful twist
        var lo = 0.0, hi = 1.0
        func g(_ theta: Double) -> (value: Double, slope: Double) {
            var v = -x, d = 0.0
            for i in 0..<count where c[i] > 0 {
                let e = exp(min(theta * c[i], 700))
                let q = p[i] * e / (1 + p[i] * (e - 1))
                v += c[i] * q
                d += c[i] * c[i] * q * (1 - q)
            }
            return (v, d)
        }
        while g(hi).value < 0 && hi < 1e6 { lo = hi; hi *= 2 }
        var theta = 0.5 * (lo + hi)
        for _ in 0..<100 {
            let (v, d) = g(theta)
            if v < 0 { lo = theta } else { hi = theta }
            if abs(v) <= 1e-10 * x || hi - lo <= 1e-14 * hi { break }
            var next = theta - v / d
            if !(next > lo && next < hi) || !next.isFinite { next = 0.5 * (lo + hi) }
            theta = next
        }
        var psi = 0.0
        for i in 0..<count where c[i] > 0 { psi += log1p(p[i] * expm1(min(theta * c[i], 700))) }
        return (theta, psi)
    }
}

extension Engine {
    /// Chooses the importance-sampling parameters for the level `level` (Glasserman & Li 2005,
    /// §4): a plain pilot run of `pilotPaths` gives the target x, the pilot's gross VaR at that
    /// level; the factor shift μ then maximises F(μ) − ½|μ|², where F(ξ) = −θ_x(ξ)·x + ψ(θ_x(ξ), ξ)
    /// is the log of the twisted bound on P(L > x | ξ). The search runs along the direction in
    /// which expected losses grow fastest, then refines by gradient steps. For the Student-t
    /// copula the search uses the Gaussian conditional probabilities (the twist itself is exact).
    public func importanceShift(level: Double, pilotPaths: Int, seed: UInt64, threads: Int) -> ImportanceShift {
        let pilot = run(SimulationSettings(paths: pilotPaths, seed: seed ^ 0x5049_4C4F_5452_554E, threads: threads))
        let x = RiskMeasures.measure(EmpiricalLoss(values: pilot.gross), level: level).valueAtRisk
        let k = plan.mode == .factors ? plan.inputDimension : 0
        guard x > 0, k > 0 else { return ImportanceShift(mu: [Double](repeating: 0, count: k), target: x) }
        let m = plan.twistEntities.count
        var p = [Double](repeating: 0, count: m)
        func objective(_ xi: [Double]) -> Double {
            for i in 0..<m {
                let e = plan.twistEntities[i]
                var dot = 0.0
                for j in 0..<k { dot += plan.loadings[e * k + j] * xi[j] }
                p[i] = Normal.cdf(plan.threshold[e] - dot)
            }
            let (theta, psi) = p.withUnsafeBufferPointer { pb in
                plan.twistCosts.withUnsafeBufferPointer { cb in
                    SimulationPlan.twist(p: pb.baseAddress!, c: cb.baseAddress!, count: m, target: x)
                }
            }
            return -theta * x + psi - 0.5 * xi.reduce(0) { $0 + $1 * $1 }
        }
        // Direction: −Σ c_e φ(c_e threshold) a_e, along which defaults become likelier.
        var direction = [Double](repeating: 0, count: k)
        for i in 0..<m {
            let e = plan.twistEntities[i]
            let density = Normal.pdf(plan.threshold[e]) * plan.twistCosts[i]
            for j in 0..<k { direction[j] -= density * plan.loadings[e * k + j] }
        }
        let norm = direction.reduce(0) { $0 + $1 * $1 }.squareRoot()
        guard norm > 0 else { return ImportanceShift(mu: [Double](repeating: 0, count: k), target: x) }
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
        return ImportanceShift(mu: mu, target: x)
    }
}
