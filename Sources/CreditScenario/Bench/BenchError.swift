import CreditRisk

/// Why `bench` cannot measure what was asked.
public enum BenchError: Error, Sendable, CustomStringConvertible {
    /// The synthetic portfolio breaks the model (an internal error: its parameters are checked first).
    case syntheticPortfolio(PortfolioError)
    /// From the run pipeline: too many paths for memory, importance sampling without factors,
    /// a portfolio CreditRisk+ cannot evaluate.
    case run(RunError)
    /// Anything else that stopped a measurement (an internal error, such as a result file that
    /// cannot be encoded).
    case failed(String)

    /// The error of a measurement's work, as a `BenchError`.
    static func from(_ error: Error) -> BenchError {
        if let e = error as? BenchError { return e }
        if let e = error as? RunError { return .run(e) }
        return .failed("\(error)")
    }

    public var description: String {
        switch self {
        case let .syntheticPortfolio(error): return "cannot build the synthetic portfolio: \(error)"
        case let .run(error): return "\(error)"
        case let .failed(message): return "internal: \(message)"
        }
    }
}
