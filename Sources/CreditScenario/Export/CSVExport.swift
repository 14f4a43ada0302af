import CreditRisk

/// The CSV files of `--out` (CONTRACT.md §5).
public enum CSVExport {
    /// `loss-distribution.csv`: one row per histogram bin of the net loss (upper edge).
    public static func lossDistribution(_ report: RiskReport, bins: Int = 200) -> String {
        var s = "loss,probability,cumulative_probability\n"
        for b in LossHistogram(report.netDistribution, binCount: bins).bins {
            s += "\(number(b.upperEdge)),\(number(b.probability)),\(number(b.cumulativeProbability))\n"
        }
        return s
    }

    /// `quantiles.csv`: VaR and ES of net and gross loss on a fine grid of levels.
    public static func quantiles(_ report: RiskReport) -> String {
        var s = "level,net_var,net_es,gross_var,gross_es\n"
        for q in RiskReport.fineLevels(paths: report.paths) {
            let n = RiskMeasures.measure(report.netDistribution, level: q)
            let g = RiskMeasures.measure(report.grossDistribution, level: q)
            s += "\(number(q)),\(number(n.valueAtRisk)),\(number(n.expectedShortfall)),"
                + "\(number(g.valueAtRisk)),\(number(g.expectedShortfall))\n"
        }
        return s
    }

    /// Shortest text that reads back as the same Double.
    static func number(_ x: Double) -> String {
        if x == x.rounded() && abs(x) < 1e15 { return String(Int64(x)) }
        return "\(x)"
    }
}
