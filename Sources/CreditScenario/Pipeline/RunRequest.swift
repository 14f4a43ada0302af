import CreditRisk

/// How paths are drawn: plainly, or by importance sampling (Glasserman & Li 2005); `auto`
/// chooses importance sampling when a plain run of the requested size would leave fewer than
/// 100 paths beyond the highest level (see `RunRequest.resolvingAuto`).
public enum SamplingMethod: String, Sendable, CaseIterable, Codable {
    case plain, importance, auto
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
                  method: method ?? scenario.method,
                  stresses: stresses, contributions: contributions)
    }
}

extension RunRequest {
    /// Tail paths a plain run needs beyond the highest level to resolve it (as the importance
    /// pilot asks of itself).
    public static let resolvedTailPaths = 100

    /// The request with `auto` decided, and why: importance sampling when a plain run of these
    /// paths would leave fewer than 100 paths beyond the highest level, and the model can be
    /// importance-sampled; plain otherwise.
    public func resolvingAuto(levels: [Double], portfolio: Portfolio) -> (RunRequest, reason: String?) {
        guard method == .auto else { return (self, nil) }
        var r = self
        let q = levels.max() ?? 0.99
        let tail = (1 - q) * Double(settings.paths)
        let beyond = "a plain run of \(settings.paths) paths leaves about \(Int(tail.rounded())) paths beyond \(levelText(q))"
        if tail >= Double(Self.resolvedTailPaths) {
            r.method = .plain
            return (r, "method auto chose plain sampling: \(beyond) (≥ \(Self.resolvedTailPaths))")
        }
        guard Engine(portfolio: portfolio).supportsImportanceSampling else {
            r.method = .plain
            return (r, "method auto chose plain sampling: \(beyond), but a full correlation matrix cannot be importance-sampled; raise --paths")
        }
        r.method = .importance
        return (r, "method auto chose importance sampling: \(beyond) (< \(Self.resolvedTailPaths))")
    }

    private func levelText(_ q: Double) -> String {
        var s = String(format: "%.4f", q * 100)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s + " %"
    }
}
