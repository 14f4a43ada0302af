import CreditRisk

/// `versus_base` of a stressed summary: the stress minus the base on the same paths, with the
/// standard errors of the paired differences (see RiskFigures, Stress minus base) and whether each difference is
/// significant at 95 % (an extension). A VaR difference's error is undetermined when a VaR sits on
/// an atom of the losses (`PairedVaRDifference`): `var_se` and `var_significant` are then null.
public struct VersusBase: Codable, Sendable {
    public struct Quantile: Codable, Sendable {
        public var level: Double
        public var valueAtRisk: Double
        /// nil (null in JSON) when undetermined: a VaR on an atom.
        @ExplicitNull public var valueAtRiskSE: Double?
        @ExplicitNull public var valueAtRiskSignificant: Bool?
        public var expectedShortfall: Double
        public var expectedShortfallSE: Double
        public var expectedShortfallSignificant: Bool
        enum CodingKeys: String, CodingKey {
            case level
            case valueAtRisk = "var", valueAtRiskSE = "var_se", valueAtRiskSignificant = "var_significant"
            case expectedShortfall = "es", expectedShortfallSE = "es_se", expectedShortfallSignificant = "es_significant"
        }
    }

    public struct Loss: Codable, Sendable {
        public var expectedLoss: Double
        public var expectedLossSE: Double
        public var expectedLossSignificant: Bool
        public var quantiles: [Quantile]
        enum CodingKeys: String, CodingKey {
            case expectedLoss = "expected_loss", expectedLossSE = "expected_loss_se"
            case expectedLossSignificant = "expected_loss_significant", quantiles
        }

        init(_ l: PairedComparison.Loss) {
            expectedLoss = l.expectedLoss.difference
            expectedLossSE = l.expectedLoss.standardError
            expectedLossSignificant = l.expectedLoss.isSignificant
            quantiles = l.quantiles.map {
                Quantile(level: $0.level, valueAtRisk: $0.valueAtRisk.difference, valueAtRiskSE: $0.valueAtRisk.standardError,
                         valueAtRiskSignificant: $0.valueAtRisk.isSignificant,
                         expectedShortfall: $0.expectedShortfall.difference,
                         expectedShortfallSE: $0.expectedShortfall.standardError,
                         expectedShortfallSignificant: $0.expectedShortfall.isSignificant)
            }
        }
    }

    public struct Payout: Codable, Sendable {
        public var id: String
        public var expectedPayout: Double
        public var expectedPayoutSE: Double
        public var significant: Bool
        enum CodingKeys: String, CodingKey {
            case id, significant
            case expectedPayout = "expected_payout", expectedPayoutSE = "expected_payout_se"
        }
    }

    public var net: Loss
    public var gross: Loss
    public var payouts: [Payout]

    /// Net and gross only (no payouts): `compare` of two exported runs.
    public init(net: PairedComparison.Loss, gross: PairedComparison.Loss) {
        self.net = Loss(net)
        self.gross = Loss(gross)
        payouts = []
    }

    public init(_ c: PairedComparison) {
        net = Loss(c.net)
        gross = Loss(c.gross)
        payouts = c.payouts.map {
            Payout(id: $0.id, expectedPayout: $0.difference.difference, expectedPayoutSE: $0.difference.standardError,
                   significant: $0.difference.isSignificant)
        }
    }
}
