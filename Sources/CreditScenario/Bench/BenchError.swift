import CreditRisk

/// Why `bench` cannot measure what was asked.
public enum BenchError: Error, Sendable, CustomStringConvertible {
    /// The synthetic portfolio breaks the model (an internal error: its parameters are checked first).
    case syntheticPortfolio(PortfolioError)
    /// From the run pipeline: too many paths for memory, importance sampling without factors,
    /// a portfolio CreditRisk+ cannot evaluate.
    case run(RunError)

    public var description: String {
        switch self {
        case let .syntheticPortfolio(error): return "cannot build the synthetic portfolio: \(error)"
        case let .run(error): return "\(error)"
        }
    }
}
