import Foundation

/// Everything the kernel needs, computed once from a portfolio: effective loadings, default
/// thresholds in latent space, bonds grouped by issuer, provider slots.
///
/// Gaussian factor mode: X_e = w_eᵀ Z + σ_e ε_e with σ_e = √(1 − s_e). Writing Z = L ξ
/// (L Lᵀ = Σ, ξ iid normal) gives w_eᵀ Z = (L ᵀ w_e)ᵀ ξ, so one `dgemm` of ξ with the rows
/// a_e = Lᵀ w_e / σ_e yields m_e = w_eᵀ Z / σ_e, and X_e ≤ c ⇔ ε_e ≤ c/σ_e − m_e.
/// Full-correlation mode: X = C ε, one `dgemm` of ε with C gives X itself.
struct SimulationPlan: Sendable {
    enum Mode: Sendable { case factors, full }

    let mode: Mode
    let entityCount: Int
    /// Columns of the `dgemm` input: K factors, or n entities in full mode.
    let inputDimension: Int
    /// n × inputDimension row-major: a_e (factor mode) or the rows of C (full mode).
    let loadings: [Double]
    /// Full mode with a Cholesky factor: the product can use the triangular `dtrmm`.
    let loadingsAreLowerTriangular: Bool
    /// σ_e (factor mode), 1 in full mode.
    let sigma: [Double]
    /// Default threshold for the longest window of e's bonds, in latent units for a unit copula
    /// scale: c_e/σ_e (factor mode) or c_e (full mode); −∞ for entities without bonds.
    let threshold: [Double]
    /// Longest window of e's bonds (0 when none).
    let longestWindow: [Double]
    /// Hazard λ_e = −ln(1 − pd_e).
    let hazard: [Double]
    /// Entities that default at time 0 on every path (stress).
    let forcedDefault: [Bool]
    /// For an issuer whose bonds share one window and carry no guarantee or protection, the
    /// loss if it defaults in that window (its default time is then never needed: default is
    /// decided in latent space); NaN for every other entity.
    let plainLoss: [Double]

    // Bonds grouped by issuer (CSR): bonds of entity e are bondStart[e]..<bondStart[e+1].
    let bondStart: [Int]
    let bondOrder: [Int]          // original bond index
    let bondWindow: [Double]
    let bondLoss: [Double]        // notional · lgd
    let guarantor: [Int]          // entity index or −1
    let guarantorSlot: [Int]
    let coverage: [Double]
    let seller: [Int]             // entity index or −1
    let sellerSlot: [Int]         // provider slot (after the guarantors)
    let protectionCap: [Double]   // Np · lgd
    let premiumRate: [Double]     // Np · spread / 10⁴ per year
    /// Stochastic LGD: Beta(α, β) per bond, NaN for a fixed LGD; notional amounts to scale it.
    let lgdAlpha: [Double]
    let lgdBeta: [Double]
    let notional: [Double]
    let protectionNotional: [Double]
    /// √s_e, to turn the systematic part into the issuer's standard-normal factor Z_e.
    let systematicSD: [Double]
    let lgdCorrelation: Double
    /// Entities with bonds (positive twisting cost) and those costs, for importance sampling.
    let twistEntities: [Int]
    let twistCosts: [Double]

    /// Provider slots: guarantors first, then protection sellers (entity indices).
    let guarantorEntities: [Int]
    /// Capacity per slot for the horizon: the guarantor's, +∞ when unlimited (and for sellers).
    let capacity: [Double]
    let sellerEntities: [Int]
    /// Σ premium rate · window: the premium if no protected issuer defaulted.
    let fullPremium: Double

    let copula: Copula
    /// Uniform draws per path for the χ² mixing variable (0 for Gaussian).
    let chiSquareDraws: Int

    init(portfolio: Portfolio) throws(LinearAlgebraError) {
        let entities = portfolio.entities
        let n = entities.count
        entityCount = n
        copula = portfolio.copula
        hazard = entities.map(\.hazard)

        // Longest exposure window per issuer.
        var longest = [Double](repeating: 0, count: n)
        for b in portfolio.bonds { longest[b.issuer] = max(longest[b.issuer], portfolio.window(of: b)) }
        longestWindow = longest

        // Threshold on the copula's marginal scale: P(τ ≤ T) = 1 − (1 − pd)^T.
        let marginalQuantile: (Double) -> Double
        switch portfolio.copula {
        case .gaussian:
            marginalQuantile = Normal.quantile
            chiSquareDraws = 0
        case let .studentT(nu):
            let t = StudentT(degreesOfFreedom: nu)
            marginalQuantile = t.quantile
            chiSquareDraws = ChiSquare.drawsPerVariate(nu)
        }
        var c = [Double](repeating: -.infinity, count: n)
        for e in 0..<n where longest[e] > 0 {
            c[e] = marginalQuantile(entities[e].defaultProbability(within: longest[e]))
        }
        // A forced default passes every screen (+∞ threshold) and has τ = 0.
        var forced = [Bool](repeating: false, count: n)
        for e in portfolio.forcedDefaults {
            forced[e] = true
            c[e] = .infinity
        }
        forcedDefault = forced

        switch portfolio.dependence {
        case let .factors(model):
            mode = .factors
            let k = model.factorIDs.count
            inputDimension = k
            let l = try CorrelationFactor(model.correlation).values
            var a = [Double](repeating: 0, count: n * k)
            var s = [Double](repeating: 1, count: n)
            for e in 0..<n {
                let w = entities[e].loadings
                let sv = model.systematicVariance(w)
                let sd = (1 - sv).squareRoot()
                s[e] = sd
                // (Lᵀ w)_j = Σ_i L_ij w_i
                for j in 0..<k {
                    var acc = 0.0
                    for i in 0..<k { acc += l[i * k + j] * w[i] }
                    a[e * k + j] = acc / sd
                }
                c[e] /= sd
            }
            loadings = a
            loadingsAreLowerTriangular = false
            sigma = s
            systematicSD = s.map { (max(0, 1 - $0 * $0)).squareRoot() }
        case let .fullCorrelation(matrix):
            mode = .full
            inputDimension = n
            let factor = try CorrelationFactor(matrix)
            loadings = factor.values
            loadingsAreLowerTriangular = factor.isCholesky
            sigma = [Double](repeating: 1, count: n)
            systematicSD = [Double](repeating: 0, count: n)
        }
        threshold = c

        // Provider slots in order of first appearance.
        var gSlots: [Int: Int] = [:], sSlots: [Int: Int] = [:]
        var gEntities: [Int] = [], sEntities: [Int] = []
        for b in portfolio.bonds {
            if let g = b.guarantee, gSlots[g.guarantor] == nil {
                gSlots[g.guarantor] = gEntities.count
                gEntities.append(g.guarantor)
            }
            if let p = b.protection, sSlots[p.seller] == nil {
                sSlots[p.seller] = sEntities.count
                sEntities.append(p.seller)
            }
        }
        guarantorEntities = gEntities
        sellerEntities = sEntities
        capacity = gEntities.map { entities[$0].capacity ?? .infinity } + sEntities.map { _ in .infinity }

        // Group bonds by issuer, stable in file order.
        var start = [Int](repeating: 0, count: n + 1)
        for b in portfolio.bonds { start[b.issuer + 1] += 1 }
        for e in 0..<n { start[e + 1] += start[e] }
        var fill = start
        var order = [Int](repeating: 0, count: portfolio.bonds.count)
        for (i, b) in portfolio.bonds.enumerated() {
            order[fill[b.issuer]] = i
            fill[b.issuer] += 1
        }
        bondStart = start
        bondOrder = order
        let ordered = order.map { portfolio.bonds[$0] }
        bondWindow = ordered.map { portfolio.window(of: $0) }
        bondLoss = ordered.map(\.lossGivenDefault)
        guarantor = ordered.map { $0.guarantee?.guarantor ?? -1 }
        guarantorSlot = ordered.map { $0.guarantee.map { gSlots[$0.guarantor] ?? -1 } ?? -1 }
        coverage = ordered.map { $0.guarantee?.coverage ?? 0 }
        seller = ordered.map { $0.protection?.seller ?? -1 }
        sellerSlot = ordered.map { $0.protection.map { gEntities.count + (sSlots[$0.seller] ?? 0) } ?? -1 }
        protectionCap = ordered.map { ($0.protection?.notional ?? 0) * $0.lgd }
        premiumRate = ordered.map { ($0.protection?.notional ?? 0) * ($0.protection?.spreadBps ?? 0) / 10_000 }
        lgdAlpha = ordered.map { $0.lgdBeta?.alpha ?? .nan }
        lgdBeta = ordered.map { $0.lgdBeta?.beta ?? .nan }
        notional = ordered.map(\.notional)
        protectionNotional = ordered.map { $0.protection?.notional ?? 0 }
        lgdCorrelation = portfolio.lgdCorrelation
        // Per issuer, one pass over its bonds: the loss if it defaults by its longest window (its
        // twisting cost), and whether it is plain (one window, no enhancement, fixed LGD).
        var plain = [Double](repeating: .nan, count: n)
        var tEntities: [Int] = [], tCosts: [Double] = []
        for e in 0..<n where start[e + 1] > start[e] {
            var loss = 0.0
            var isPlain = true
            for j in start[e]..<start[e + 1] {
                let b = ordered[j]
                if b.guarantee != nil || b.protection != nil || b.lgdSD != nil || bondWindow[j] != longest[e] {
                    isPlain = false
                }
                loss += b.lossGivenDefault
            }
            if isPlain { plain[e] = loss }
            if loss > 0 && !forced[e] {
                tEntities.append(e)
                tCosts.append(loss)
            }
        }
        plainLoss = plain
        twistEntities = tEntities
        twistCosts = tCosts
        var premium = 0.0
        for i in ordered.indices { premium += premiumRate[i] * bondWindow[i] }
        fullPremium = premium
    }

    var providerCount: Int { guarantorEntities.count + sellerEntities.count }
}
