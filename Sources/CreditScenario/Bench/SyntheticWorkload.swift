import CreditRisk

/// The synthetic portfolio of `bench` without `--scenario`: the reference portfolio of Glasserman
/// & Li (2005) at any size, with the copula, dependence and valuation asked for.
public struct SyntheticWorkload: Sendable {
    public var names: Int
    public var factors: Int
    public var copula: Copula
    /// The dependence as a full n × n correlation matrix instead of factor loadings.
    public var fullCorrelation: Bool
    /// Market valuation (rating migration) instead of default losses.
    public var market: Bool

    public init(names: Int = 1000, factors: Int = 10, copula: Copula = .gaussian, fullCorrelation: Bool = false,
                market: Bool = false) {
        self.names = names
        self.factors = factors
        self.copula = copula
        self.fullCorrelation = fullCorrelation
        self.market = market
    }

    public func portfolio() throws(PortfolioError) -> Portfolio {
        let reference = try SyntheticPortfolio.reference(names: names, factors: factors, copula: copula,
                                                         fullCorrelation: fullCorrelation)
        return market ? try SyntheticPortfolio.marketReference(reference) : reference
    }

    public var copulaName: String {
        if case let .studentT(nu) = copula { return "student-t(\(Self.number(nu)))" }
        return "gaussian"
    }

    /// The portfolio's part of every measurement key, e.g. "reference 1000 names, 10 factors, gaussian".
    public var label: String {
        "reference \(names) names, " + (fullCorrelation ? "full correlation" : "\(factors) factors") + ", \(copulaName)"
    }

    /// The name `bench --export` writes into scenario.yaml.
    public var scenarioName: String {
        "Reference portfolio (Glasserman & Li 2005), \(names) names, "
            + (fullCorrelation ? "full \(names)×\(names) correlation" : "\(factors) factors") + (market ? ", market valuation" : "")
    }

    static func number(_ x: Double) -> String { x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : "\(x)" }
}
