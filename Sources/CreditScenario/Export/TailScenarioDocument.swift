import CreditRisk

/// `tail_scenario` of `summary.json` (see RiskFigures, Tail scenario): per level, the mean of each factor Z_k over
/// the paths whose net loss reaches VaR, with its standard error; as an extension, the sectors'
/// mean net losses there and their shares of the tail loss.
public struct TailScenarioDocument: Codable, Sendable {
    public struct Figure: Codable, Sendable {
        public var id: String
        public var mean: Double
        public var se: Double
        /// Sectors only: the share of E[L | L ≥ VaR].
        public var share: Double?
    }

    public var level: Double
    public var valueAtRisk: Double
    public var tailPaths: Int
    public var factors: [Figure]
    public var sectors: [Figure]
    enum CodingKeys: String, CodingKey {
        case level, factors, sectors
        case valueAtRisk = "var"
        case tailPaths = "tail_paths"
    }

    public init(_ s: TailScenario) {
        level = s.level
        valueAtRisk = s.valueAtRisk
        tailPaths = s.tailPaths
        factors = s.factors.map { Figure(id: $0.id, mean: $0.mean, se: $0.standardError, share: nil) }
        sectors = s.sectors.map {
            Figure(id: $0.id, mean: $0.mean, se: $0.standardError, share: s.tailMeanLoss > 0 ? $0.mean / s.tailMeanLoss : nil)
        }
    }

    /// One line that reads like a scenario: "the 1-in-1000 year: m −2.31σ, coal −1.80σ; losses
    /// from coal 45 %, banks 30 %".
    public var sentence: String {
        let years = 1 / (1 - level)
        let name = years >= 10 ? "the 1-in-\(Int(years.rounded())) year" : "the worst \(SummaryTable.pct(1 - level)) of years"
        let worst = factors.sorted { $0.mean < $1.mean }.prefix(6)
            .map { "\($0.id) \(String(format: "%+.2f", $0.mean))σ" }.joined(separator: ", ")
        let heavy = sectors.filter { ($0.share ?? 0) > 0 }.sorted { ($0.share ?? 0) > ($1.share ?? 0) }.prefix(5)
            .map { "\($0.id) \(String(format: "%.0f%%", 100 * ($0.share ?? 0)))" }.joined(separator: ", ")
        var s = "\(name) (net loss ≥ \(SummaryTable.fmt(valueAtRisk)))"
        if !worst.isEmpty { s += ": factors \(worst)" }
        if !heavy.isEmpty { s += (worst.isEmpty ? ": " : "; ") + "losses from \(heavy)" }
        return s
    }
}
