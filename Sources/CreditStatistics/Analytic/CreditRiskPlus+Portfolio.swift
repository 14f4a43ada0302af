import CreditMath
import CreditModel
import CreditEngine
import Foundation

/// CreditRisk+ of a scenario portfolio: entities are the obligors, the factors the sectors.
extension CreditRiskPlus {
    /// Which loss of the portfolio to model.
    public enum LossView: Sendable {
        /// Every bond's loss stays with its issuer (no enhancements).
        case gross
        /// Guarantees and protection by double default: a covered part is lost only when the
        /// provider defaults too.
        case net
    }

    /// The obligors of `portfolio` for CreditRisk+ (one per entity with a positive exposure).
    ///
    /// - A bond's exposure is notional · lgd (the mean lgd under `lgd_sd`). It is one-period over
    ///   the horizon H: an entity's expected default count is μ = P(τ ≤ H) = 1 − (1 − pd)^H (the
    ///   pd itself for H = 1), and a bond exposed only over T_b < H (it matures first, without
    ///   rollover) counts with the factor P(τ ≤ T_b)/P(τ ≤ H), so that every bond keeps the
    ///   expected loss of the simulation.
    /// - σ = pd_sd · μ/pd; the sector weights and pd_sd as `inputs` read them.
    /// - Net view, **double default**: every obligor keeps its gross exposure and default rate, but
    ///   a default loses, bond by bond, what the waterfall of the simulation leaves unpaid given
    ///   which of its providers (guarantors, protection sellers) have defaulted too: provider g
    ///   is in default with probability q_g = P(τ_g ≤ H | τ_i ≤ H) = p_ig/p_i (`DoubleDefault`),
    ///   independently of the other providers given the issuer's default. Every default thus
    ///   loses at most the gross exposure, so the net loss never exceeds the gross one. The rule
    ///   counts both names defaulting within the horizon whatever the order, where the
    ///   simulation needs the provider to default first: an upper bound of the simulation's
    ///   covered loss. Capacity is not modelled.
    public static func obligors(of portfolio: Portfolio, view: LossView, inputs: EntityInputs) -> [Obligor] {
        let entities = portfolio.entities
        var exposure = [Double](repeating: 0, count: entities.count)
        let horizonPD = entities.map { $0.defaultProbability(within: portfolio.horizon) }
        // Bond b's window factor f_b = P(τ_i ≤ T_b)/P(τ_i ≤ H), and the enhanced bonds per issuer.
        var factor = [Double](repeating: 0, count: portfolio.bonds.count)
        var enhanced: [Int: [Int]] = [:]
        for (index, b) in portfolio.bonds.enumerated() where horizonPD[b.issuer] > 0 {
            factor[index] = entities[b.issuer].defaultProbability(within: portfolio.window(of: b)) / horizonPD[b.issuer]
            exposure[b.issuer] += b.notional * b.lgd * factor[index]
            if view == .net && (b.guarantee != nil || b.protection != nil) { enhanced[b.issuer, default: []].append(index) }
        }
        // Hoisted: `totalNotional` sums every bond, and a test per entity made this O(entities × bonds).
        let negligible = 1e-12 * max(1, portfolio.totalNotional)
        let joint = view == .net ? DoubleDefault(portfolio: portfolio, inputs: inputs, exposure: exposure) : nil
        var out: [Obligor] = []
        for (i, e) in entities.enumerated() where exposure[i] > negligible {
            let mu = horizonPD[i]
            var outcomes: [LossOutcome] = []
            if let joint, let bonds = enhanced[i] {
                outcomes = joint.lossOnDefault(issuer: i, exposure: exposure[i], bonds: bonds, windowFactors: factor)
            }
            out.append(Obligor(id: e.id, exposure: exposure[i], expectedDefaults: mu,
                               defaultRateSD: inputs.defaultRateSD[i] * mu / e.pd, sectorWeights: inputs.weights[i],
                               lossOnDefault: outcomes))
        }
        return out
    }

    /// CreditRisk+ of the portfolio's gross or net loss; `lossUnit` nil for ⌈largest exposure/100⌉
    /// (of the gross view, so that net and gross share one lattice).
    public init(portfolio: Portfolio, view: LossView, lossUnit: Double? = nil, inputs: EntityInputs? = nil) throws(PortfolioError) {
        let inputs = inputs ?? EntityInputs(portfolio: portfolio, assumptions: .strict)
        let unit = lossUnit ?? Self.defaultLossUnit(maxExposure: Self.obligors(of: portfolio, view: .gross, inputs: inputs).map(\.exposure).max() ?? 1)
        try self.init(obligors: Self.obligors(of: portfolio, view: view, inputs: inputs), sectorCount: inputs.sectorCount, lossUnit: unit)
    }
}
