#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Simulates one block of paths: the hot loop of CreditSim.
///
/// Per chunk of `SimulationSettings.chunkSize` paths: the copula's mixing scale per path, the
/// normals behind the systematic part, one `dgemm`; then per path one uniform per name, the
/// `DefaultScreen`, and the exact default time, losses and payouts for the few names that pass.
/// Draw order is fixed (scales, normals, uniforms, chunk by chunk), so a block's results depend
/// only on (seed, block index).
///
/// Memory rule: the kernel owns its scratch buffers (allocated once per worker) and writes only
/// `net[0..<count]`, `gross[0..<count]` of its own block.
final class BlockKernel {
    let plan: SimulationPlan
    let screen: DefaultScreen
    let n: Int

    // Scratch, sized once.
    private let scale: UnsafeMutableBufferPointer<Double>
    private let chiUniforms: UnsafeMutableBufferPointer<Double>
    private let input: UnsafeMutableBufferPointer<Double>
    private let systematic: UnsafeMutableBufferPointer<Double>
    private let uniforms: UnsafeMutableBufferPointer<Double>
    private let candidates: UnsafeMutableBufferPointer<Int>
    private let tauCache: UnsafeMutableBufferPointer<Double>
    private let tauStamp: UnsafeMutableBufferPointer<Int>
    private var stamp = 0
    private var providerAmount: [Double]
    private var touched: [Int] = []
    /// Claims on guarantors with a capacity, settled in order of default time at path end.
    private var claims: [(tau: Double, bond: Int, lgd: Double)] = []
    /// Seed of the run, for the counter-based LGD draws.
    private var seed: UInt64 = 0
    /// Set in a contribution pass: receives every bond's net loss on every path.
    var recorder: ContributionRecorder?
    /// Set for importance sampling: the factor shift and twist target.
    var importance: ImportanceShift?
    private var shiftLogWeight = [Double](repeating: 0, count: SimulationSettings.chunkSize)
    /// Defensive mixture: whether each path of the chunk is drawn from the importance density
    /// (else from the original one).
    private var fromImportance = [Bool](repeating: false, count: SimulationSettings.chunkSize)
    private var componentUniforms = [Double](repeating: 0, count: SimulationSettings.chunkSize)
    private var twistP: [Double] = []
    /// Likelihood ratio of the path just simulated (1 without importance sampling).
    private var pathWeight = 1.0
    /// Path stamp at which each guarantor slot last ran out of capacity (counted once a path).
    private var exhaustedStamp: [Int]

    init(plan: SimulationPlan, screen: DefaultScreen) {
        self.plan = plan
        self.screen = screen
        n = plan.entityCount
        let chunk = SimulationSettings.chunkSize
        scale = .allocate(capacity: chunk)
        chiUniforms = .allocate(capacity: max(plan.chiSquareDraws, 1))
        input = .allocate(capacity: max(chunk * plan.inputDimension, 1))
        systematic = .allocate(capacity: max(chunk * n, 1))
        uniforms = .allocate(capacity: max(n, 1))
        candidates = .allocate(capacity: max(n, 1))
        tauCache = .allocate(capacity: max(n, 1))
        tauStamp = .allocate(capacity: max(n, 1))
        tauStamp.initialize(repeating: -1)
        providerAmount = [Double](repeating: 0, count: plan.providerCount)
        exhaustedStamp = [Int](repeating: -1, count: plan.guarantorEntities.count)
    }

    deinit {
        scale.deallocate()
        chiUniforms.deallocate()
        input.deallocate()
        systematic.deallocate()
        uniforms.deallocate()
        candidates.deallocate()
        tauCache.deallocate()
        tauStamp.deallocate()
    }

    /// Results of a block besides the per-path losses.
    struct BlockExtras: Sendable {
        var payouts = SparsePayouts()
        /// Σ over paths of premium not paid because the protected issuer defaulted first.
        var premiumShortfall = 0.0
        /// Paths on which each guarantor's capacity ran out (a claim was cut).
        var capacityExhausted: [Int] = []
        /// Contribution sums of this block (contribution passes only).
        var contributions: [Double]? = nil
    }

    func run(block: Int, firstPath: Int, count: Int, seed: UInt64,
             net: UnsafeMutablePointer<Double>, gross: UnsafeMutablePointer<Double>,
             weights: UnsafeMutablePointer<Double>? = nil) -> BlockExtras {
        self.seed = seed
        var rng = UniformStream(seed: seed, block: UInt64(block))
        var extras = BlockExtras()
        extras.capacityExhausted = [Int](repeating: 0, count: plan.guarantorEntities.count)
        let chunk = SimulationSettings.chunkSize
        let k = plan.inputDimension
        var r0 = 0
        while r0 < count {
            let rows = min(chunk, count - r0)
            drawScales(rows: rows, rng: &rng)
            drawComponents(rows: rows, rng: &rng)
            drawNormals(count: rows * k, rng: &rng)
            if k > 0 {
                plan.loadings.withUnsafeBufferPointer { a in
                    if plan.loadingsAreLowerTriangular {
                        MatrixProduct.multiplyLowerTransposed(
                            input.baseAddress!, a.baseAddress!, into: systematic.baseAddress!, m: rows, n: n)
                    } else {
                        MatrixProduct.multiplyTransposed(
                            input.baseAddress!, a.baseAddress!, into: systematic.baseAddress!, m: rows, n: n, k: k)
                    }
                }
            } else {
                systematic.update(repeating: 0)
            }
            for r in 0..<rows {
                let (netLoss, grossLoss) = simulatePath(row: r, path: firstPath + r0 + r, rng: &rng, extras: &extras)
                net[r0 + r] = netLoss
                gross[r0 + r] = grossLoss
                weights?[r0 + r] = pathWeight
            }
            r0 += rows
        }
        return extras
    }

    /// s = √(W/ν) per path for Student-t (W ~ χ²_ν), 1 for Gaussian.
    private func drawScales(rows: Int, rng: inout UniformStream) {
        guard case let .studentT(nu) = plan.copula else {
            for r in 0..<rows { scale[r] = 1 }
            return
        }
        let draws = UnsafeBufferPointer(rebasing: chiUniforms[0..<plan.chiSquareDraws])
        for r in 0..<rows {
            rng.fill(chiUniforms.baseAddress!, count: draws.count)
            scale[r] = (ChiSquare.variate(nu, uniforms: draws) / nu).squareRoot()
        }
    }

    /// Standard normals by inversion into `input[0..<count]`.
    private func drawNormals(count: Int, rng: inout UniformStream) {
        rng.fill(input.baseAddress!, count: count)
        for i in 0..<count { input[i] = Normal.quantile(input[i]) }
        // Importance sampling: ξ ~ N(μ, I), likelihood ratio exp(−μᵀξ + ½|μ|²) per path.
        guard let mu = importance?.mu, plan.mode == .factors, !mu.isEmpty else { return }
        let k = plan.inputDimension
        let half = 0.5 * mu.reduce(0) { $0 + $1 * $1 }
        for r in 0..<(count / max(k, 1)) {
            // log p/q of the shift at the realised ξ, whichever component drew it.
            var dot = 0.0
            for j in 0..<k {
                if fromImportance[r] { input[r * k + j] += mu[j] }
                dot += mu[j] * input[r * k + j]
            }
            shiftLogWeight[r] = -dot + half
        }
    }

    /// One uniform per path picks its mixture component (importance sampling only).
    private func drawComponents(rows: Int, rng: inout UniformStream) {
        guard importance != nil, plan.mode == .factors else { return }
        componentUniforms.withUnsafeMutableBufferPointer { rng.fill($0.baseAddress!, count: rows) }
        for r in 0..<rows { fromImportance[r] = componentUniforms[r] >= ImportanceShift.defensiveShare }
    }

    /// Twists the issuers' default indicators toward the target (see `ImportanceShift`) by
    /// remapping their uniforms in place, and returns the log likelihood ratio of the twist.
    private func twistUniforms(sys: UnsafeMutablePointer<Double>, scale s: Double, target: Double, apply: Bool) -> Double {
        let m = plan.twistEntities.count
        if twistP.count != m { twistP = [Double](repeating: 0, count: m) }
        for i in 0..<m {
            let e = plan.twistEntities[i]
            twistP[i] = Normal.cdf(plan.threshold[e] * s - sys[e])
        }
        let (theta, psi) = twistP.withUnsafeBufferPointer { p in
            plan.twistCosts.withUnsafeBufferPointer { c in
                SimulationPlan.twist(p: p.baseAddress!, c: c.baseAddress!, count: m, target: target)
            }
        }
        guard theta > 0 else { return 0 }
        var defaultedCost = 0.0
        for i in 0..<m {
            let e = plan.twistEntities[i], p = twistP[i], c = plan.twistCosts[i]
            let growth = exp(min(theta * c, 700))
            let q = p * growth / (1 + p * (growth - 1))
            let u = uniforms[e]
            if !apply {
                // Drawn from the original density: only the likelihood ratio is needed.
                if u <= p { defaultedCost += c }
            } else if u <= q {
                defaultedCost += c
                uniforms[e] = max(u * (p / q), 0x1.0p-1074)
            } else {
                uniforms[e] = min(p + (u - q) * ((1 - p) / (1 - q)), 1 - 0x1.0p-53)
            }
        }
        return -theta * defaultedCost + psi
    }

    private func simulatePath(row r: Int, path: Int, rng: inout UniformStream,
                              extras: inout BlockExtras) -> (Double, Double) {
        let sys = systematic.baseAddress! + r * n
        let s = scale[r]
        stamp &+= 1
        var found = 0
        switch plan.mode {
        case .factors:
            rng.fill(uniforms.baseAddress!, count: n)
            if let importance {
                // Defensive mixture (Hesterberg 1995): density α p + (1 − α) q, so the weight
                // p/(α p + (1 − α) q) = 1/(α + (1 − α) q/p) never exceeds 1/α.
                let logRatio = shiftLogWeight[r] + twistUniforms(sys: sys, scale: s, target: importance.target,
                                                                  apply: fromImportance[r])
                let alpha = ImportanceShift.defensiveShare
                pathWeight = 1 / (alpha + (1 - alpha) * exp(-logRatio))
            }
            found = screenFactors(sys: sys, scale: s)
        case .full:
            found = screenFull(sys: sys, scale: s)
        }
        if found == 0 {
            recorder?.finishPath(net: 0, weight: pathWeight)
            return (0, 0)
        }

        var net = 0.0, gross = 0.0
        for i in 0..<found {
            let e = candidates[i]
            let plain = plan.plainLoss[e]
            if !plain.isNaN {
                if defaultsInWindow(e, sys: sys, scale: s) {
                    gross += plain
                    net += plain
                    if let recorder {
                        for j in plan.bondStart[e]..<plan.bondStart[e + 1] {
                            recorder.record(bond: plan.bondOrder[j], netLoss: plan.bondLoss[j])
                        }
                    }
                }
                continue
            }
            let tau = defaultTime(e, sys: sys, scale: s)
            guard tau <= plan.longestWindow[e] else { continue }
            for j in plan.bondStart[e]..<plan.bondStart[e + 1] where tau <= plan.bondWindow[j] {
                let lgd = plan.lgdAlpha[j].isNaN ? Double.nan : drawLGD(j, issuer: e, path: path, sys: sys)
                gross += lgd.isNaN ? plan.bondLoss[j] : plan.notional[j] * lgd
                // A guarantor with a capacity pays claims in order of default time: settle later.
                let slot = plan.guarantorSlot[j]
                if slot >= 0, plan.capacity[slot].isFinite {
                    claims.append((tau, j, lgd))
                } else {
                    net += settle(j, tau: tau, lgd: lgd, sys: sys, scale: s, extras: &extras)
                }
            }
        }
        if !claims.isEmpty {
            claims.sort { $0.tau < $1.tau || ($0.tau == $1.tau && $0.bond < $1.bond) }
            for claim in claims { net += settle(claim.bond, tau: claim.tau, lgd: claim.lgd, sys: sys, scale: s, extras: &extras) }
            claims.removeAll(keepingCapacity: true)
        }
        recorder?.finishPath(net: net, weight: pathWeight)
        for slot in touched {
            extras.payouts.append(path: path, slot: slot, amount: providerAmount[slot])
            providerAmount[slot] = 0
        }
        touched.removeAll(keepingCapacity: true)
        return (net, gross)
    }

    /// Settles bond j, whose issuer defaulted at τ inside its window: the guarantee if the guarantor
    /// outlives the issuer (cut to what is left of its capacity this path), then protection on
    /// what the guarantee left if the seller outlives the issuer. Returns the holder's net loss.
    private func settle(_ j: Int, tau: Double, lgd: Double, sys: UnsafeMutablePointer<Double>, scale s: Double,
                        extras: inout BlockExtras) -> Double {
        let g = lgd.isNaN ? plan.bondLoss[j] : plan.notional[j] * lgd
        var covered = 0.0
        let guarantor = plan.guarantor[j]
        if guarantor >= 0, defaultTime(guarantor, sys: sys, scale: s) > tau {
            let slot = plan.guarantorSlot[j]
            let claim = plan.coverage[j] * g
            // What the guarantor paid so far on this path is providerAmount[slot].
            let pay = min(claim, plan.capacity[slot] - providerAmount[slot])
            if pay < claim && exhaustedStamp[slot] != stamp {
                exhaustedStamp[slot] = stamp
                extras.capacityExhausted[slot] += 1
            }
            if pay > 0 {
                covered = pay
                addPayout(slot: slot, amount: pay)
            }
        }
        let seller = plan.seller[j]
        if seller >= 0 {
            if defaultTime(seller, sys: sys, scale: s) > tau {
                let cap = lgd.isNaN ? plan.protectionCap[j] : plan.protectionNotional[j] * lgd
                let pay = min(cap, g - covered)
                if pay > 0 {
                    covered += pay
                    addPayout(slot: plan.sellerSlot[j], amount: pay)
                }
            }
            extras.premiumShortfall += plan.premiumRate[j] * (plan.bondWindow[j] - tau)
        }
        recorder?.record(bond: plan.bondOrder[j], netLoss: g - covered)
        return g - covered
    }

    /// A Beta LGD for bond j of issuer e defaulting on this path, by inversion of
    /// U_L = Φ(−√ρ_L · Z_e + √(1 − ρ_L) · η): Z_e = w_eᵀZ/√s_e is the issuer's systematic factor
    /// (so bad states, Z_e low, give high LGDs when ρ_L > 0) and η an independent normal drawn from
    /// a counter-based stream keyed by (seed, path, bond), independent of the thread count and of
    /// how many other defaults the path has.
    private func drawLGD(_ j: Int, issuer e: Int, path: Int, sys: UnsafeMutablePointer<Double>) -> Double {
        let key = StreamKey.hash(StreamKey.hash(seed ^ 0x4C47_445F_4452_4157, UInt64(path)), UInt64(plan.bondOrder[j]))
        let eta = Normal.quantile(Double(StreamKey.mix(key) >> 11) * 0x1.0p-53 + 0x1.0p-54)
        let rho = plan.lgdCorrelation
        var driver = eta
        if rho > 0 {
            let sd = plan.systematicSD[e]
            let z = sd > 0 ? plan.sigma[e] * sys[e] / sd : 0
            driver = -rho.squareRoot() * z + (1 - rho).squareRoot() * eta
        }
        return Incomplete.betaInverse(plan.lgdAlpha[j], plan.lgdBeta[j], Normal.cdf(driver))
    }

    private func addPayout(slot: Int, amount: Double) {
        if providerAmount[slot] == 0 { touched.append(slot) }
        providerAmount[slot] += amount
    }

    /// Factor-mode screen: candidates are the names with u_e ≤ bound(c_e·s − m_e).
    ///
    /// Four names at a time: the four bounds are gathered, compared with the four uniforms as one
    /// SIMD mask, and only a round with a candidate (a few per cent) leaves the straight line.
    @inline(__always)
    private func screenFactors(sys: UnsafeMutablePointer<Double>, scale s: Double) -> Int {
        var found = 0
        plan.threshold.withUnsafeBufferPointer { cb in
            screen.bound.withUnsafeBufferPointer { bb in
                let c = cb.baseAddress!, bound = bb.baseAddress!
                let u = uniforms.baseAddress!
                let out = candidates.baseAddress!
                let raw = UnsafeRawPointer(u), rawC = UnsafeRawPointer(c), rawSys = UnsafeRawPointer(sys)
                // Eight names a round: two SIMD4 compares, one rarely taken branch.
                @inline(__always) func hits(_ at: Int) -> SIMDMask<SIMD4<Int64>> {
                    let offset = at &* 8
                    let cv = rawC.loadUnaligned(fromByteOffset: offset, as: SIMD4<Double>.self)
                    let mv = rawSys.loadUnaligned(fromByteOffset: offset, as: SIMD4<Double>.self)
                    let uv = raw.loadUnaligned(fromByteOffset: offset, as: SIMD4<Double>.self)
                    let t = cv * s - mv
                    let bv = SIMD4<Double>(bound[DefaultScreen.slot(t[0])], bound[DefaultScreen.slot(t[1])],
                                           bound[DefaultScreen.slot(t[2])], bound[DefaultScreen.slot(t[3])])
                    return uv .<= bv
                }
                var e = 0
                while e &+ 8 <= n {
                    let low = hits(e), high = hits(e &+ 4)
                    if any(low .| high) {
                        for j in 0..<4 where low[j] {
                            out[found] = e &+ j
                            found &+= 1
                        }
                        for j in 0..<4 where high[j] {
                            out[found] = e &+ 4 &+ j
                            found &+= 1
                        }
                    }
                    e &+= 8
                }
                while e < n {
                    if u[e] <= bound[DefaultScreen.slot(c[e] * s - sys[e])] {
                        out[found] = e
                        found += 1
                    }
                    e += 1
                }
            }
        }
        return found
    }

    /// Full-correlation screen: X_e is known; candidates are X_e ≤ c_e·s (with a rounding margin;
    /// the exact default time decides).
    @inline(__always)
    private func screenFull(sys: UnsafeMutablePointer<Double>, scale s: Double) -> Int {
        var found = 0
        plan.threshold.withUnsafeBufferPointer { c in
            let out = candidates.baseAddress!
            for e in 0..<n {
                let bound = c[e] * s
                if sys[e] <= bound + abs(bound) * 1e-12 {
                    out[found] = e
                    found += 1
                }
            }
        }
        return found
    }

    /// Whether a screened name defaults by its (only) window, decided in latent space: ε_e ≤ t_e
    /// (factor mode, by the table's lower bound when it settles it, else by Φ⁻¹(u_e)) or
    /// X_e ≤ c_e·s (full mode). Equivalent to τ_e ≤ T without computing τ_e.
    @inline(__always)
    private func defaultsInWindow(_ e: Int, sys: UnsafeMutablePointer<Double>, scale s: Double) -> Bool {
        let c = plan.threshold[e] * s
        switch plan.mode {
        case .factors:
            let t = c - sys[e]
            let u = uniforms[e]
            if u <= screen.lowerBound[DefaultScreen.slot(t)] { return true }
            return Normal.quantile(u) <= t
        case .full:
            return sys[e] <= c
        }
    }

    /// τ_e = −ln S_e / λ_e with survival S_e = 1 − U_e computed directly (Φ(−X) or T_ν(−X/s)),
    /// which keeps full precision when U_e is close to 1. Cached per path.
    @inline(__always)
    private func defaultTime(_ e: Int, sys: UnsafeMutablePointer<Double>, scale s: Double) -> Double {
        if tauStamp[e] == stamp { return tauCache[e] }
        if plan.forcedDefault[e] { return 0 }
        let x: Double
        switch plan.mode {
        case .factors: x = plan.sigma[e] * (sys[e] + Normal.quantile(uniforms[e]))
        case .full: x = sys[e]
        }
        let survival: Double
        switch plan.copula {
        case .gaussian: survival = Normal.cdf(-x)
        case let .studentT(nu): survival = StudentT(degreesOfFreedom: nu).cdf(-x / s)
        }
        let tau = -log(survival) / plan.hazard[e]
        tauStamp[e] = stamp
        tauCache[e] = tau
        return tau
    }
}
