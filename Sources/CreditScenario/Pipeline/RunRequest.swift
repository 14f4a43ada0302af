import CreditRisk

/// How paths are drawn: plainly, or by importance sampling (Glasserman & Li 2005).
public enum SamplingMethod: String, Sendable, CaseIterable, Codable {
    case plain, importance
}

/// What a user asked of a run, after the command line overrode the scenario's own settings.
public struct RunRequest: Sendable {
    public var settings: SimulationSettings
    public var method: SamplingMethod
    /// Stresses to run after the base, with the same seed (common random numbers).
    public var stresses: [Stress]
    /// Euler contributions by a second, bit-identical pass.
    public var contributions: Bool
    /// Grow the run block by block until the net ES at the highest level has this relative
    /// standard error (or `settings.paths` paths are reached, which then act as the maximum).
    public var precision: Double?
    /// The per-path arrays will be exported (counted by the memory guard).
    public var exportPaths = false

    public init(settings: SimulationSettings, method: SamplingMethod, stresses: [Stress] = [], contributions: Bool = false) {
        self.settings = settings
        self.method = method
        self.stresses = stresses
        self.contributions = contributions
    }

    /// The scenario's settings with any of them overridden.
    public init(scenario: Scenario, paths: Int? = nil, seed: UInt64? = nil, threads: Int, method: SamplingMethod? = nil,
                stresses: [Stress] = [], contributions: Bool = false) {
        self.init(settings: SimulationSettings(paths: paths ?? scenario.paths, seed: seed ?? scenario.seed, threads: threads),
                  method: method ?? (scenario.importanceSampling ? .importance : .plain),
                  stresses: stresses, contributions: contributions)
    }
}
