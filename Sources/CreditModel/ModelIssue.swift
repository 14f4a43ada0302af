/// One broken rule in a portfolio: where, what value, and what is allowed. The scenario layer
/// turns the location into a file, line and column name.
import CreditMath

public struct ModelIssue: Sendable, Hashable, CustomStringConvertible {
    public enum Location: Sendable, Hashable {
        case scenario(key: String)
        case entity(index: Int, key: String)
        case bond(index: Int, key: String)
        case factorCorrelation(row: Int, column: Int)
        case correlation(row: Int, column: Int)
    }

    public let location: Location
    public let value: String
    public let rule: String

    public init(_ location: Location, value: String, rule: String) {
        self.location = location
        self.value = value
        self.rule = rule
    }

    public var description: String {
        let place: String
        switch location {
        case let .scenario(key): place = key
        case let .entity(i, key): place = "entity #\(i + 1) \(key)"
        case let .bond(i, key): place = "bond #\(i + 1) \(key)"
        case let .factorCorrelation(r, c): place = "factor_correlation[\(r + 1)][\(c + 1)]"
        case let .correlation(r, c): place = "correlation[\(r + 1)][\(c + 1)]"
        }
        return "\(place): \(value): \(rule)"
    }
}

/// Every rule a portfolio broke, in the order found.
public struct PortfolioError: Error, Sendable, CustomStringConvertible {
    public let issues: [ModelIssue]
    public init(issues: [ModelIssue]) { self.issues = issues }
    public var description: String { issues.map(\.description).joined(separator: "\n") }
}
