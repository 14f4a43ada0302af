/// What every loss distribution answers, simulated or exact: the figures of `summary.json`.
///
/// `EmpiricalLoss` (Monte Carlo paths, possibly weighted and split over processes) and
/// `LatticeLoss` (CreditRisk+'s exact lattice) both conform, so reports and exports read one
/// type. A figure that a distribution cannot give is nil, never a made-up 0: an exact lattice
/// has no Monte Carlo error, so its standard errors and VaR interval are nil.
public protocol LossDistribution: Sendable {
    /// EL, standard deviation, and VaR and ES at `levels` (each in (0, 1)).
    func figures(levels: [Double]) -> LossFigures
    /// P(L > x) at each point, with its Monte Carlo standard error (nil when exact).
    func exceedanceFigures(at points: [Double]) -> [LossFigures.Exceedance]
}

/// The figures of one loss distribution; errors are nil where the distribution is exact.
public struct LossFigures: Sendable {
    public struct Quantile: Sendable {
        public let level: Double
        public let valueAtRisk: Double
        /// 95 % confidence interval of VaR (order statistics); nil when exact.
        public let valueAtRiskLower: Double?
        public let valueAtRiskUpper: Double?
        public let expectedShortfall: Double
        public let expectedShortfallSE: Double?

        /// A simulated measure (every error present).
        public init(simulated q: QuantileMeasure) { self.init(q, withErrors: true) }

        /// An exact measure (no interval, no error).
        public init(exact q: QuantileMeasure) { self.init(q, withErrors: false) }

        init(_ q: QuantileMeasure, withErrors: Bool) {
            level = q.level
            valueAtRisk = q.valueAtRisk
            valueAtRiskLower = withErrors ? q.valueAtRiskLower : nil
            valueAtRiskUpper = withErrors ? q.valueAtRiskUpper : nil
            expectedShortfall = q.expectedShortfall
            expectedShortfallSE = withErrors ? q.expectedShortfallSE : nil
        }
    }

    public struct Exceedance: Sendable {
        public let threshold: Double
        public let probability: Double
        public let standardError: Double?
    }

    public let expectedLoss: Double
    public let expectedLossSE: Double?
    public let standardDeviation: Double
    public let quantiles: [Quantile]

    /// The figures of a simulated summary (every error present).
    public init(simulated s: LossSummary) { self.init(s, withErrors: true) }

    /// The figures of an exact distribution (no errors).
    public init(exact s: LossSummary) { self.init(s, withErrors: false) }

    init(_ s: LossSummary, withErrors: Bool) {
        expectedLoss = s.expectedLoss
        expectedLossSE = withErrors ? s.expectedLossSE : nil
        standardDeviation = s.stdDev
        quantiles = s.quantiles.map { Quantile($0, withErrors: withErrors) }
    }
}

extension EmpiricalLoss: LossDistribution {
    public func figures(levels: [Double]) -> LossFigures { LossFigures(simulated: RiskMeasures.summary(self, levels: levels)) }

    public func exceedanceFigures(at points: [Double]) -> [LossFigures.Exceedance] {
        zip(points, exceedances(points)).map {
            LossFigures.Exceedance(threshold: $0, probability: $1.probability, standardError: $1.se)
        }
    }
}

extension LatticeLoss: LossDistribution {
    public func figures(levels: [Double]) -> LossFigures { LossFigures(exact: summary(levels: levels)) }

    public func exceedanceFigures(at points: [Double]) -> [LossFigures.Exceedance] {
        points.map { LossFigures.Exceedance(threshold: $0, probability: exceedance($0), standardError: nil) }
    }
}
