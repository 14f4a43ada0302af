import CreditRisk
import Foundation

/// The CSV files of `--out` (see OutputFiles). Every text cell goes through `SafeText.csvCell`
/// (formula cells neutralised); numbers through `number`.
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

    /// `contributions.csv`: Euler contributions of each bond, issuer, sector and guarantor to the
    /// net EL and to the net ES at each level; the bond rows of each column sum to the portfolio figure.
    /// `name` is the entity's name (issuer, guarantor, seller rows), `issuer_name` a bond's issuer's.
    public static func contributions(_ c: Contributions, names: EntityNames? = nil) -> String {
        var s = "kind,id,name,issuer_name,el,el_se" + c.levels.map { ",es_\(number($0)),es_\(number($0))_se" }.joined() + "\n"
        for row in c.rows {
            let se = row.expectedShortfallSE
            let name = names?.name(kind: row.kind, id: row.id) ?? "", issuer = names?.issuerName(kind: row.kind, id: row.id) ?? ""
            s += "\(SafeText.csvCell(row.kind)),\(SafeText.csvCell(row.id)),\(SafeText.csvCell(name)),\(SafeText.csvCell(issuer)),"
                + "\(number(row.expectedLoss)),\(row.expectedLossSE.map(number) ?? "")"
                + row.expectedShortfall.indices.map { l in
                    ",\(number(row.expectedShortfall[l])),\(se.map { number($0[l]) } ?? "")"
                }.joined() + "\n"
        }
        return s
    }

    /// A CSV file's bytes as written to a result folder: UTF-8 with a byte-order mark, so that
    /// Excel shows Chinese ids and names rather than mojibake. Every CSV of a result folder goes
    /// through here (`OutputDirectory.write`).
    public static func bytes(_ utf8: Data) -> Data {
        utf8.starts(with: byteOrderMark) ? utf8 : Data(byteOrderMark) + utf8
    }

    static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// RFC 4180 quoting alone (when the text holds a comma, quote or line break). Every text cell
    /// of a CSV the tool writes as a result goes through `SafeText.csvCell`, which also
    /// neutralises formulas; this bare form serves only the scenario files of `ScenarioWriter`,
    /// which the loader reads back as ids (an apostrophe would change them).
    static func quoted(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Shortest text that reads back as the same Double.
    static func number(_ x: Double) -> String {
        if x == x.rounded() && abs(x) < 1e15 { return String(Int64(x)) }
        return "\(x)"
    }
}
