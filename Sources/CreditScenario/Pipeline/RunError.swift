import CreditRisk

/// Why a run cannot go ahead; each case carries what the user needs to fix it.
public enum RunError: Error, Sendable, CustomStringConvertible {
    /// The per-path results would not fit in memory.
    case tooManyPaths(paths: Int, neededBytes: Double, availableBytes: Double)
    /// A stress breaks the model (for example a PD pushed to 1).
    case stress(name: String, PortfolioError)
    /// Importance sampling needs a factor model.
    case importanceNeedsFactors
    /// Stopped (Ctrl-C) before the first block of paths finished: there is nothing to report.
    case interruptedBeforeAnyPath
    /// The portfolio cannot be evaluated by CreditRisk+ (sector weights, pd_sd, lattice size).
    case creditRiskPlus(String)
    /// A combination of options the run cannot honour (say which, and what to do instead).
    case unsupported(String)
    /// Stopped (Ctrl-C) during a phase with no usable partial result (CreditRisk+), before any
    /// result of the run was complete: there is nothing to report.
    case interrupted(phase: String)

    public var description: String {
        switch self {
        case let .tooManyPaths(paths, needed, available):
            return String(format: "needs about %.1f GiB at its peak for %d paths (per-path losses, their statistics, payout "
                          + "records, contributions and stresses); this machine has %.1f GiB, of which 80 %% may be used. Use fewer paths.",
                          needed / 1_073_741_824, paths, available / 1_073_741_824)
        case let .stress(name, error):
            return "stress \(name): \(error)"
        case .interruptedBeforeAnyPath:
            return "interrupted before the first block of paths finished; nothing to report or write"
        case .importanceNeedsFactors:
            return "importance sampling needs a factor model (factors:): it shifts the factors, so it does not apply to a full correlation matrix; use method plain"
        case let .creditRiskPlus(message), let .unsupported(message):
            return message
        case let .interrupted(phase):
            return "interrupted during \(phase), before any result was complete; nothing to report or write"
        }
    }
}
