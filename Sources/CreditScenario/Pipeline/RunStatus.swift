/// Whether a portfolio's result is whole, or where a stop (Ctrl-C) cut the run.
public enum RunStatus: Sendable, Hashable {
    case complete
    case interrupted(InterruptedPhase)

    public var isPartial: Bool { self != .complete }

    /// The phase a stop came in, nil for a complete result.
    public var interruptedPhase: InterruptedPhase? {
        if case let .interrupted(phase) = self { return phase }
        return nil
    }
}

/// Where a stop came.
public enum InterruptedPhase: Sendable, Hashable, CustomStringConvertible {
    /// During the simulation: the result holds the blocks of paths finished (fewer than asked).
    case simulation
    /// During the contribution pass: the loss figures are whole, the contributions missing.
    case contributions
    /// Between two portfolios: this one is whole, the stress named and those after it were not run.
    case beforeStress(String)
    /// During an analytic evaluation (CreditRisk+): nothing of it is reported.
    case analytic

    public var description: String {
        switch self {
        case .simulation: return "simulation"
        case .contributions: return "contributions"
        case let .beforeStress(name): return "before stress \(name)"
        case .analytic: return "analytic"
        }
    }
}

/// `run --precision R`: the relative standard error asked of the net ES at the highest level,
/// the one reached, and the paths it took. A precision run is never partial for missing its
/// target: it stops at the maximum of paths, and says so (`met` false).
public struct PrecisionOutcome: Sendable, Hashable {
    public var target: Double
    /// Nil while the ES is zero (no relative error is defined).
    public var achieved: Double?
    public var paths: Int

    public var met: Bool { achieved.map { $0 <= target } ?? false }
}
