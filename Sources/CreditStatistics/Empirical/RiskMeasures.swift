/// VaR and expected shortfall at one level, with their Monte Carlo errors.
import CreditMath
import CreditModel
import CreditEngine

public struct QuantileMeasure: Sendable, Hashable {
    public let level: Double
    /// VaR_q = inf{x : P(L ≤ x) ≥ q}.
    public let valueAtRisk: Double
    /// 95 % distribution-free confidence interval for VaR from order statistics.
    public let valueAtRiskLower: Double
    public let valueAtRiskUpper: Double
    /// Acerbi–Tasche expected shortfall.
    public let expectedShortfall: Double
    /// Asymptotic standard error of ES.
    public let expectedShortfallSE: Double
}

/// Expected loss, dispersion and tail measures of one loss.
public struct LossSummary: Sendable {
    public let expectedLoss: Double
    public let expectedLossSE: Double
    public let stdDev: Double
    public let quantiles: [QuantileMeasure]
}

public enum RiskMeasures {
    /// z for a two-sided 95 % interval.
    public static let z95 = 1.959_963_984_540_054

    public static func summary(_ loss: EmpiricalLoss, levels: [Double]) -> LossSummary {
        let (mean, sd, se) = loss.moments
        return LossSummary(expectedLoss: mean, expectedLossSE: se, stdDev: sd, quantiles: measures(loss, levels: levels))
    }

    /// Index (0-based) of VaR_q among the sorted n values: the smallest k with (k+1)/n ≥ q.
    /// The product q·n is snapped to an integer when it is one up to rounding, so that
    /// 0.95 · 20 picks the 19th value and not the 20th.
    public static func varIndex(level q: Double, count n: Int) -> Int {
        let qn = q * Double(n)
        let nearest = qn.rounded()
        let k = abs(qn - nearest) <= 1e-9 * max(1, qn) ? nearest : qn.rounded(.up)
        return min(max(Int(k) - 1, 0), n - 1)
    }

    /// VaR, its order-statistic interval, and ES by Acerbi & Tasche (2002), Prop. 3.2 / eq. (3.3):
    /// ES_q = (E[L·1{L > VaR}] + VaR·(P(L ≤ VaR) − q)) / (1 − q),
    /// exact for atoms and valid for a loss of any sign (gains are negative losses). The standard
    /// error of ES is the delta-method one, √(Var[(L − VaR)⁺] / n) / (1 − q) (the VaR estimate's
    /// own error drops out to first order); when VaR < 0 the zero atom lies above VaR and
    /// contributes (0 − VaR) to the excess.
    public static func measure(_ loss: EmpiricalLoss, level q: Double) -> QuantileMeasure {
        measures(loss, levels: [q])[0]
    }

    /// `measure` at several levels, with a fixed number of collective queries whatever their
    /// number (the VaRs and their interval ends are searched together).
    public static func measures(_ loss: EmpiricalLoss, levels: [Double]) -> [QuantileMeasure] {
        let n = loss.count
        let valid = levels.filter { n > 0 && $0 > 0 && $0 < 1 }
        var found: [Double: QuantileMeasure] = [:]
        if !valid.isEmpty {
            let computed = loss.isWeighted ? weightedMeasures(loss, levels: valid) : plainMeasures(loss, levels: valid)
            for m in computed { found[m.level] = m }
        }
        return levels.map { q in
            found[q] ?? QuantileMeasure(level: q, valueAtRisk: 0, valueAtRiskLower: 0, valueAtRiskUpper: 0,
                                        expectedShortfall: 0, expectedShortfallSE: 0)
        }
    }

    /// Plain Monte Carlo: VaR the order statistic of rank ⌈qn⌉, its interval the ranks
    /// nq ∓ z√(nq(1−q)) (≈95 % coverage, binomial normal approximation).
    private static func plainMeasures(_ loss: EmpiricalLoss, levels: [Double]) -> [QuantileMeasure] {
        let n = loss.count, nd = Double(n)
        var ranks: [Int] = []
        for q in levels {
            let k = varIndex(level: q, count: n)
            let half = z95 * (nd * q * (1 - q)).squareRoot()
            let lowRank = max(Int((nd * q - half).rounded(.down)) - 1, 0)
            let highRank = min(Int((nd * q + half).rounded(.up)) - 1, n - 1)
            ranks += [k, min(lowRank, k), max(highRank, k)]
        }
        let values = loss.orderStatistics(ranks)
        let vars = levels.indices.map { values[3 * $0] }
        let tails = loss.tails(above: vars)
        return levels.indices.map { i in
            let q = levels[i], v = vars[i], t = tails[i]
            // Non-zero paths above VaR: t; the zeros are above VaR exactly when VaR < 0 (they add
            // nothing to the sum of L, but count in the excess).
            let above = t.wx
            let zerosAbove = v < 0 ? loss.zeros : 0
            let nonZeroAtOrBelow = loss.nonZeroCount - t.count
            let countAtOrBelow = v < 0 ? nonZeroAtOrBelow : loss.zeros + nonZeroAtOrBelow
            let es = (above / nd + v * (Double(countAtOrBelow) / nd - q)) / (1 - q)
            // Var[(L − v)⁺] from the tail sums: Σ(x − v) and Σ(x − v)² over the m values above v,
            // plus (0 − v) and v² for each zero above a negative v.
            let m = Double(t.count)
            var s1 = above - m * v
            var s2 = max(0, t.wx2 - 2 * v * above + m * v * v)
            if zerosAbove > 0 {
                s1 -= Double(zerosAbove) * v
                s2 += Double(zerosAbove) * v * v
            }
            let meanExcess = s1 / nd
            let varExcess = max(0, s2 / nd - meanExcess * meanExcess) * nd / max(nd - 1, 1)
            let esSE = (varExcess / nd).squareRoot() / (1 - q)
            return QuantileMeasure(level: q, valueAtRisk: v, valueAtRiskLower: values[3 * i + 1],
                                   valueAtRiskUpper: values[3 * i + 2], expectedShortfall: es, expectedShortfallSE: esSE)
        }
    }

    /// Importance-sampled VaR and ES (Glasserman 2004, §9.4): VaR_q = inf{x : P̂(L > x) ≤ 1 − q}
    /// (`EmpiricalLoss.weightedValuesAtRisk`); ES_q = (Σ_{L > v} w L / n + v·(1 − q − P̂(L > v))) / (1 − q);
    /// its standard error from the sample variance of w·(L − v)⁺; the VaR interval from the levels
    /// q ∓ 1.96·se(P̂(L > v)). Any sign of L: when v < 0 the zero atom is above v (weight
    /// `zeroWeight`, Σ w² `zeroSquaredWeight`, excess −v).
    private static func weightedMeasures(_ loss: EmpiricalLoss, levels: [Double]) -> [QuantileMeasure] {
        let nd = Double(loss.count)
        let vars = loss.weightedValuesAtRisk(levels: levels)
        let tails = loss.tails(above: vars)
        var partial: [(es: Double, esSE: Double)] = []
        var intervalLevels: [Double] = []
        for i in levels.indices {
            let q = levels[i], v = vars[i], t = tails[i]
            var w = t.w, w2 = t.w2
            if v < 0 {
                w += loss.zeroWeight
                w2 += loss.zeroSquaredWeight
            }
            let pAbove = w / nd
            let es = (t.wx / nd + v * (1 - q - pAbove)) / (1 - q)
            let meanY = (t.wx - v * w) / nd
            let meanY2 = (t.w2x2 - 2 * v * t.w2x + v * v * w2) / nd
            let esSE = (max(0, meanY2 - meanY * meanY) / nd).squareRoot() / (1 - q)
            let seP = (max(0, w2 / nd - pAbove * pAbove) / nd).squareRoot()
            partial.append((es, esSE))
            intervalLevels += [min(max(q - z95 * seP, 1e-12), 1 - 1e-12), min(max(q + z95 * seP, 1e-12), 1 - 1e-12)]
        }
        let ends = loss.weightedValuesAtRisk(levels: intervalLevels)
        return levels.indices.map { i in
            QuantileMeasure(level: levels[i], valueAtRisk: vars[i], valueAtRiskLower: ends[2 * i],
                            valueAtRiskUpper: ends[2 * i + 1], expectedShortfall: partial[i].es,
                            expectedShortfallSE: partial[i].esSE)
        }
    }
}
