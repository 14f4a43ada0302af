import CreditMath
import CreditModel
import CreditEngine
import Foundation

/// Double default for CreditRisk+'s net view: the loss of an issuer's default given which of its
/// guarantors and protection sellers default too, from their joint default probabilities.
///
/// **Joint default** of issuer i and provider g within the horizon H, p_ig:
/// - latent loadings (a copula scenario, as in `run --model all`): the Gaussian copula's
///   Φ₂(Φ⁻¹(p_i), Φ⁻¹(p_g); ρ_ig) with ρ_ig = w_iᵀΣw_g (or R_ig of a full correlation matrix), the
///   simulation's own probability that both default within H (`BivariateNormal`); a Student-t
///   copula's tail dependence is not reproduced;
/// - sector weights (`model: creditriskplus`): CreditRisk+'s own joint default rate,
///   p_ig = p_i p_g (1 + Σ_k w_ik w_gk (σ_k/μ_k)²) (CSFB 1997, §A13.3, eqs. (127)–(132)), with
///   σ_k/μ_k = Σ w σ / Σ w μ over the obligors of sector k;
/// both capped at min(p_i, p_g). Given the issuer's default, provider g is in default with
/// probability q_g = p_ig/p_i, independently of the issuer's other providers.
///
/// An issuer with more than `maxProviders` providers keeps the largest covers; the others are
/// not recognised (their covered parts count as lost with the issuer), which only adds loss.
struct DoubleDefault {
    static let maxProviders = 16

    let portfolio: Portfolio
    let inputs: CreditRiskPlus.EntityInputs
    let horizonPD: [Double]
    /// (σ_k/μ_k)² per sector over the obligors (entities with exposure), for sector weights.
    let sectorVariance: [Double]

    init(portfolio: Portfolio, inputs: CreditRiskPlus.EntityInputs, exposure: [Double]) {
        self.portfolio = portfolio
        self.inputs = inputs
        horizonPD = portfolio.entities.map { $0.defaultProbability(within: portfolio.horizon) }
        var variance: [Double] = []
        for k in 0..<inputs.sectorCount {
            var m = 0.0, s = 0.0
            for (i, e) in portfolio.entities.enumerated() where exposure[i] > 0 {
                m += inputs.weights[i][k] * horizonPD[i]
                s += inputs.weights[i][k] * inputs.defaultRateSD[i] * horizonPD[i] / e.pd
            }
            variance.append(m > 0 ? (s / m) * (s / m) : 0)
        }
        sectorVariance = variance
    }

    /// p_ig = P(τ_i ≤ H, τ_g ≤ H).
    func jointDefault(_ i: Int, _ g: Int) -> Double {
        let pi = horizonPD[i], pg = horizonPD[g]
        let joint: Double
        if portfolio.loadingsAreSectorWeights {
            var mixing = 1.0
            for k in 0..<inputs.sectorCount { mixing += inputs.weights[i][k] * inputs.weights[g][k] * sectorVariance[k] }
            joint = pi * pg * mixing
        } else {
            joint = BivariateNormal.cdf(Normal.quantile(pi), Normal.quantile(pg), correlation: latentCorrelation(i, g))
        }
        return min(joint, pi, pg)
    }

    /// The correlation of the two entities' latent variables X_i and X_g.
    func latentCorrelation(_ i: Int, _ g: Int) -> Double {
        switch portfolio.dependence {
        case let .factors(model):
            let a = portfolio.entities[i].loadings, b = portfolio.entities[g].loadings
            var r = 0.0
            for k in a.indices where a[k] != 0 {
                for l in b.indices where b[l] != 0 { r += a[k] * model.correlation[k, l] * b[l] }
            }
            return max(-1, min(1, r))
        case let .fullCorrelation(matrix):
            return matrix[i, g]
        }
    }

    /// The loss of one default of `issuer` (whose gross exposure is `exposure`), over the states of
    /// its providers. `bonds` are its bonds with a guarantee or protection; the others lose
    /// notional · lgd · f_b whatever happens.
    func lossOnDefault(issuer: Int, exposure: Double, bonds: [Int], windowFactors f: [Double]) -> [CreditRiskPlus.LossOutcome] {
        let all = portfolio.bonds
        var plain = exposure
        var covered: [Int: Double] = [:]
        for b in bonds {
            let bond = all[b], gross = bond.notional * bond.lgd
            plain -= gross * f[b]
            if let g = bond.guarantee { covered[g.guarantor, default: 0] += g.coverage * gross * f[b] }
            if let p = bond.protection { covered[p.seller, default: 0] += min(p.notional * bond.lgd, gross) * f[b] }
        }
        // The largest covers first; ties by entity index, so the result does not depend on hashing.
        let providers = covered.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .prefix(Self.maxProviders).map(\.key)
        let slot = Dictionary(uniqueKeysWithValues: providers.enumerated().map { ($1, $0) })
        let q = providers.map { g in horizonPD[issuer] > 0 ? min(1, max(0, jointDefault(issuer, g) / horizonPD[issuer])) : 1 }
        var outcomes: [CreditRiskPlus.LossOutcome] = []
        outcomes.reserveCapacity(1 << providers.count)
        for state in 0..<(1 << providers.count) {
            // Bit s of `state` set: provider s is in default.
            var probability = 1.0
            for s in providers.indices { probability *= (state >> s) & 1 == 1 ? q[s] : 1 - q[s] }
            guard probability > 0 else { continue }
            func paying(_ entity: Int) -> Bool {
                guard let s = slot[entity] else { return false }  // not recognised
                return (state >> s) & 1 == 0
            }
            var loss = plain
            for b in bonds {
                let bond = all[b], gross = bond.notional * bond.lgd
                // The waterfall of the simulation: the guarantee, then protection on what is left.
                var paid = 0.0
                if let g = bond.guarantee, paying(g.guarantor) { paid += g.coverage * gross }
                if let p = bond.protection, paying(p.seller) { paid += min(p.notional * bond.lgd, gross - paid) }
                loss += max(0, gross - paid) * f[b]
            }
            outcomes.append(.init(loss: min(max(0, loss), exposure), probability: probability))
        }
        return outcomes
    }
}
