import CreditMath
import CreditModel
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One worker's importance sampler (see `ImportanceShift` for the method): per chunk it picks each
/// path's mixture component and shifts the factor normals of the paths drawn from q; per path it
/// tilts the issuers' loss-bearing events (a credit event, D or E) and returns the path's weight
/// 1/(α + (1 − α)·q/p).
struct ImportanceSampler {
    let shift: ImportanceShift
    /// Entities with a positive cost c_e if their event happens, not forced; the event is
    /// X_e/σ_e ≤ `thresholds[i]`·s.
    let entities: [Int]
    let thresholds: [Double]
    /// c_e, padded with zeros to a multiple of `ExponentialTwist.lanes` (as are the p and q buffers).
    let costs: [Double]
    private var fromImportance = [Bool](repeating: false, count: SimulationSettings.chunkSize)
    private var componentUniforms = [Double](repeating: 0, count: SimulationSettings.chunkSize)
    private var shiftLogWeight = [Double](repeating: 0, count: SimulationSettings.chunkSize)
    /// p_e and q_e(θ) of the path, padded.
    private var conditional: [Double]
    private var twisted: [Double]
    /// How close Σ c q(θ) comes to the target before Newton stops, as |log(Σ c q(θ)/x)|. The weight
    /// uses the θ it stops at, so the estimator is unbiased whatever this is; near the root the
    /// variance is flat in θ, and every further step costs an e^x per issuer.
    static let thetaTolerance = 0.02
    /// Newton's start on the next path, from the last twisted path of this block.
    private var guess = ExponentialTwist.Guess()

    /// Target of the twisted issuers (see `TwistSelection`).
    let target: Double
    /// θ's tolerance on this run's paths (`thetaTolerance` unless a test tightens it).
    let tolerance: Double

    /// Twists the `selection`'s members of the plan's twist lists (`entities`, `thresholds`, `costs`).
    init(shift: ImportanceShift, selection: TwistSelection, tolerance: Double = thetaTolerance,
         entities: [Int], thresholds: [Double], costs: [Double]) {
        self.shift = shift
        self.tolerance = tolerance
        self.entities = selection.members.map { entities[$0] }
        self.thresholds = selection.members.map { thresholds[$0] }
        target = selection.target
        self.costs = ExponentialTwist.padded(selection.members.map { costs[$0] })
        conditional = [Double](repeating: 0, count: self.costs.count)
        twisted = [Double](repeating: 0, count: self.costs.count)
    }

    /// One uniform per path picks its mixture component: q with probability 1 − α.
    mutating func drawComponents(rows: Int, rng: inout UniformStream) {
        componentUniforms.withUnsafeMutableBufferPointer { rng.fill($0.baseAddress!, count: rows) }
        for r in 0..<rows { fromImportance[r] = componentUniforms[r] >= ImportanceShift.defensiveShare }
    }

    /// ξ ~ N(μ, I) for paths drawn from q, and log p/q of the shift, exp(−μᵀξ + ½|μ|²), at the
    /// realised ξ of every path, whichever component drew it.
    mutating func shiftNormals(_ input: UnsafeMutablePointer<Double>, rows: Int, dimension k: Int) {
        let mu = shift.mu
        guard !mu.isEmpty, k == mu.count else { return }
        let half = 0.5 * mu.reduce(0) { $0 + $1 * $1 }
        for r in 0..<rows {
            var dot = 0.0
            for j in 0..<k {
                if fromImportance[r] { input[r * k + j] += mu[j] }
                dot += mu[j] * input[r * k + j]
            }
            shiftLogWeight[r] = -dot + half
        }
    }

    /// Twists the event indicators of path `r` toward the target by remapping the uniforms in
    /// place (u ↦ u·p/q below q, p + (u − q)(1 − p)/(1 − q) above, so ε keeps its conditional law
    /// on each side, and the states inside the event, D and E, or outside it, the ratings, keep
    /// their relative probabilities)
    /// and returns the path's weight under the defensive mixture (Hesterberg 1995):
    /// p/(αp + (1 − α)q) = 1/(α + (1 − α)·q/p) ≤ 1/α. Without the twist the uniforms stay as
    /// drawn and q/p is the shift's ratio alone: no Φ, θ or ψ on the path.
    mutating func weight<Latent: LatentModel>(row r: Int, latent: Latent, sys: UnsafePointer<Double>,
                                              uniforms: UnsafeMutablePointer<Double>, scale s: Double) -> PathWeight {
        let alpha = ImportanceShift.defensiveShare
        guard shift.twists, !entities.isEmpty else {
            return PathWeight(1 / (alpha + (1 - alpha) * exp(-shiftLogWeight[r])))
        }
        let m = entities.count
        for i in 0..<m {
            conditional[i] = latent.twistProbability(entities[i], below: thresholds[i], sys: sys, scale: s)
        }
        let theta = conditional.withUnsafeBufferPointer { p in
            costs.withUnsafeBufferPointer { c in
                ExponentialTwist.root(p: p, c: c, target: target, guess: &guess, tolerance: tolerance)
            }
        }
        var twistLog = 0.0
        if theta > 0 {
            let psi = conditional.withUnsafeBufferPointer { p in costs.withUnsafeBufferPointer { c in
                twisted.withUnsafeMutableBufferPointer { q in ExponentialTwist.fill(p: p, c: c, theta: theta, into: q) }
            } }
            // The event's indicator is u' ≤ p (u' the uniform after the remapping): the ratio of
            // the remapped uniform's densities is p/q below p and (1 − p)/(1 − q) above, whether or
            // not p is exactly the model's conditional probability.
            let apply = fromImportance[r]
            var eventExponent = 0.0
            for i in 0..<m {
                let e = entities[i], p = conditional[i], q = twisted[i]
                let u = uniforms[e]
                if !apply {
                    // Drawn from the original density: only the likelihood ratio is needed.
                    if u <= p { eventExponent += min(theta * costs[i], 700) }
                } else if u <= q {
                    eventExponent += min(theta * costs[i], 700)
                    uniforms[e] = max(u * (p / q), 0x1.0p-1074)
                } else {
                    uniforms[e] = min(p + (u - q) * ((1 - p) / (1 - q)), 1 - 0x1.0p-53)
                }
            }
            twistLog = -eventExponent + psi
        }
        return PathWeight(1 / (alpha + (1 - alpha) * exp(-(shiftLogWeight[r] + twistLog))))
    }

    /// Starts a block: θ's warm start is forgotten, so a block's bits never depend on which
    /// blocks its worker ran before.
    mutating func startBlock() { guess = ExponentialTwist.Guess() }
}
