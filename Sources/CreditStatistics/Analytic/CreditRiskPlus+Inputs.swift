import CreditMath
import CreditModel
import CreditEngine
import Foundation

extension CreditRiskPlus {
    /// How the CreditRisk+ inputs a scenario leaves open are filled in.
    public struct Assumptions: Sendable, Hashable {
        /// σ/pd for an entity without `pd_sd` (capped at √(pd(1 − pd)), the largest standard
        /// deviation of a rate in [0, 1] with mean pd); nil fills nothing in.
        public var relativeSDWhenMissing: Double?
        /// When the factor columns of a copula scenario are not usable as sector weights (a
        /// loading outside [0, 1], or a row summing above 1), derive weights from them (see
        /// `EntityInputs`) instead of refusing.
        public var deriveSectorWeights: Bool

        public init(relativeSDWhenMissing: Double?, deriveSectorWeights: Bool) {
            self.relativeSDWhenMissing = relativeSDWhenMissing
            self.deriveSectorWeights = deriveSectorWeights
        }

        /// `model: creditriskplus` and `run --model creditriskplus`: nothing is filled in.
        public static let strict = Assumptions(relativeSDWhenMissing: nil, deriveSectorWeights: false)
        /// `run --model all`: pd_sd = pd when missing (CSFB 1997, §A7: "the ratio σ_A/p_A is
        /// typically of the order of one … In the absence of detailed data, the obligor specific
        /// estimates of the ratio σ_A/p_A can be replaced by a single flat ratio", eq. (44)), and
        /// derived sector weights where the loadings are not usable as such.
        public static let comparison = Assumptions(relativeSDWhenMissing: 1, deriveSectorWeights: true)
    }

    /// Each entity's CreditRisk+ sector weights and default-rate standard deviation (of its
    /// one-year pd), and what the assumptions filled in.
    ///
    /// Sector weights are the factor columns when they are usable as such (each in [0, 1], each
    /// row summing to at most 1). Otherwise, under `Assumptions/deriveSectorWeights`, every
    /// entity's weights are derived from its latent loadings w: its systematic variance
    /// s = wᵀΣw (the share of its latent variable the factors explain, < 1) split over the
    /// factors in proportion to w_k², so w'_k = s·w_k²/Σ_j w_j², each in [0, 1] and summing to
    /// s < 1. With a full correlation matrix there are no sectors: every obligor is specific
    /// (independent Poisson), and pd_sd has no effect.
    public struct EntityInputs: Sendable {
        public let sectorCount: Int
        /// Per entity, one weight per sector.
        public let weights: [[Double]]
        /// Per entity, the standard deviation of its one-year default rate.
        public let defaultRateSD: [Double]
        /// Entities with sector weights whose pd_sd was filled in.
        public let filledSD: [Int]
        /// Non-nil when the weights were derived: which entity's loadings were not usable, and why.
        public let derivedWeights: String?

        public init(portfolio: Portfolio, assumptions: Assumptions) {
            let entities = portfolio.entities
            var derived: String? = nil
            var weights: [[Double]] = entities.map { _ in [] }
            var sectors = 0
            if case let .factors(model) = portfolio.dependence {
                sectors = model.factorIDs.count
                weights = entities.map(\.loadings)
                if assumptions.deriveSectorWeights && !portfolio.loadingsAreSectorWeights,
                   let reason = Self.unusable(entities, factorIDs: model.factorIDs) {
                    derived = reason
                    weights = entities.map { e in
                        let s = model.systematicVariance(e.loadings)
                        let squares = e.loadings.reduce(0) { $0 + $1 * $1 }
                        return e.loadings.map { squares > 0 ? s * $0 * $0 / squares : 0 }
                    }
                }
            }
            var sd: [Double] = [], filled: [Int] = []
            for (i, e) in entities.enumerated() {
                if let given = e.pdSD {
                    sd.append(given)
                } else if let ratio = assumptions.relativeSDWhenMissing {
                    sd.append(min(ratio * e.pd, (e.pd * (1 - e.pd)).squareRoot()))
                    if weights[i].contains(where: { $0 != 0 }) { filled.append(i) }
                } else {
                    sd.append(0)
                }
            }
            sectorCount = sectors
            self.weights = weights
            defaultRateSD = sd
            filledSD = filled
            derivedWeights = derived
        }

        /// The first entity whose loadings break a sector-weight rule, described; nil if none does.
        static func unusable(_ entities: [Entity], factorIDs: [String]) -> String? {
            for e in entities {
                if let k = e.loadings.firstIndex(where: { !($0 >= 0 && $0 <= 1) }) {
                    return "entity \(e.id) has loading \(e.loadings[k]) on \(factorIDs[k]), outside [0, 1]"
                }
                let total = e.loadings.reduce(0, +)
                if total > 1 + 1e-9 { return "entity \(e.id)'s loadings sum to \(total), above 1" }
            }
            return nil
        }
    }
}
