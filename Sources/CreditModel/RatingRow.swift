/// The horizon probabilities of a rated entity's states in market valuation: hard default D,
/// extension E, then its ratings.
///
/// From the H-year row P = M^H[r] of the transition matrix (ratings best first, then D):
/// p_D = m · P_D with m the stresses' PD multiplier, p_E = 1 − (1 − extension_pd)^H (the one-year
/// extension probability over H whole years), and each rating's probability P_k scaled by
/// (1 − p_D − p_E)/(1 − P_D), so that the non-default ratings keep their relative probabilities
/// and the row still sums to 1. Without a multiplier or an extension the row is P unchanged.
import CreditMath

package struct RatingRow: Sendable {
    package let hardDefault: Double
    package let extended: Double
    /// Per rating of the scale, best first.
    package let ratings: [Double]
    /// What makes the row unusable, or nil.
    let problem: String?

    package init(_ row: [Double], pdMultiplier m: Double, extensionPD: Double, years: Int) {
        let n = row.count - 1
        let pD = row[n]
        guard m != 1 || extensionPD > 0 else {
            hardDefault = pD
            extended = 0
            ratings = Array(row[0..<n])
            problem = nil
            return
        }
        let d = m * pD
        let e = extensionPD > 0 ? -expm1(Double(years) * log1p(-extensionPD)) : 0
        hardDefault = d
        extended = e
        let rest = 1 - d - e
        if !(rest > 0) || !(d.isFinite) {
            problem = "the rating's default probability over the horizon (\(pD)\(m != 1 ? " × multiplier \(m)" : "")) plus the extension probability (\(e)) must be < 1"
            ratings = [Double](repeating: 0, count: n)
            return
        }
        problem = nil
        let f = pD < 1 ? rest / (1 - pD) : 0
        ratings = row[0..<n].map { $0 * f }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
