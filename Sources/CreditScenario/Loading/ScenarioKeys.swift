/// Every key and column the scenario loader accepts, one set per block, named by the block's path
/// in the scenario file. The loader checks each block against its set; `DocumentationCoverageTests`
/// checks that the CreditScenario documentation names every key of every set, so a key added here
/// without its documentation fails the tests.
enum ScenarioKeys {
    /// The top level of the scenario file.
    static let topLevel: Set<String> = [
        "version", "name", "description", "horizon", "rollover", "simulation", "copula", "factors",
        "factor_correlation", "correlation", "entities", "bonds", "output", "stress", "lgd_correlation",
        "model", "creditriskplus", "as_of", "currency", "unit", "ratings", "valuation", "extension",
    ]
    /// `simulation:`.
    static let simulation: Set<String> = ["paths", "seed", "method"]
    /// `copula:` in its mapping form.
    static let copula: Set<String> = ["type", "degrees_of_freedom"]
    /// `output:`.
    static let output: Set<String> = ["quantiles", "tail_thresholds", "capital", "language", "history", "excel"]
    /// `creditriskplus:`.
    static let creditRiskPlus: Set<String> = ["loss_unit"]
    /// `ratings:`.
    static let ratings: Set<String> = ["scale", "pd", "transition", "cumulative_pd"]
    /// `valuation:`.
    static let valuation: Set<String> = ["mode", "curves", "compounding"]
    /// One item of `stress:`.
    static let stress: Set<String> = [
        "name", "description", "pd_multiplier", "loading_shift", "lgd_floor", "default", "rollover",
        "extension_pd_multiplier",
    ]
    /// The targets of `stress[i].pd_multiplier`, `.loading_shift` and `.lgd_floor` in mapping form.
    static let stressTargets: Set<String> = ["sector", "entity"]
    /// The columns of the entities CSV and the keys of an inline entity (besides the factor ids).
    static let entity: Set<String> = [
        "id", "pd", "name", "sector", "capacity", "pd_sd", "rating", "spread_bps", "spread_lgd", "extension_pd",
    ]
    /// Keys of an inline entity only (the CSV gives loadings as factor columns).
    static let inlineEntity: Set<String> = ["loadings"]
    /// The columns of the bonds CSV and the keys of an inline bond.
    static let bond: Set<String> = [
        "id", "issuer", "notional", "maturity", "lgd", "guarantor", "coverage",
        "protection_seller", "protection_notional", "protection_spread_bps", "lgd_sd",
        "coupon", "coupon_frequency", "extension_lgd", "extension_lgd_sd", "guarantee_triggers", "protection_triggers",
    ]
    /// `extension:` (the terms an extended bond's loss follows from).
    static let extensionTerms: Set<String> = ["years", "later_default", "discount_rate"]

    /// Every set, by the block path under which the documentation lists it.
    static let all: [(block: String, keys: Set<String>)] = [
        ("(top level)", topLevel), ("simulation", simulation), ("copula", copula), ("output", output),
        ("creditriskplus", creditRiskPlus), ("ratings", ratings), ("valuation", valuation), ("stress[i]", stress),
        ("stress[i].pd_multiplier | loading_shift | lgd_floor", stressTargets), ("entities", entity),
        ("entities (inline)", inlineEntity), ("bonds", bond), ("extension", extensionTerms),
    ]
}
