/// VaR and expected shortfall at one level, with their Monte Carlo errors.
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
        let (mean, sd) = loss.meanAndStdDev
        let se = loss.meanStandardError
        return LossSummary(expectedLoss: mean, expectedLossSE: se, stdDev: sd,
                           quantiles: levels.map { measure(loss, level: $0) })
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
        let n = loss.count
        guard n > 0, q > 0, q < 1 else {
            return QuantileMeasure(level: q, valueAtRisk: 0, valueAtRiskLower: 0, valueAtRiskUpper: 0,
                                   expectedShortfall: 0, expectedShortfallSE: 0)
        }
        if let t = loss.weighted { return weightedMeasure(loss, t, level: q) }
        let nd = Double(n)
        let k = varIndex(level: q, count: n)
        let v = loss.orderStatistic(k)
        // Non-zero paths above VaR are `nonZero` from index `first` on; the zeros are above VaR
        // exactly when VaR < 0 (they add nothing to the sum of L, but count in the excess).
        let first = loss.firstIndex(above: v)
        let above = loss.tailSum[first]
        let zerosAbove = v < 0 ? loss.zeros : 0
        let countAtOrBelow = v < 0 ? first : loss.zeros + first
        let es = (above / nd + v * (Double(countAtOrBelow) / nd - q)) / (1 - q)
        // Var[(L − v)⁺] from the tail sums: Σ(x − v) and Σ(x − v)² over the m values above v,
        // plus (0 − v) and v² for each zero above a negative v.
        let m = Double(loss.nonZero.count - first)
        var s1 = above - m * v
        var s2 = max(0, loss.tailSquares[first] - 2 * v * above + m * v * v)
        if zerosAbove > 0 {
            s1 -= Double(zerosAbove) * v
            s2 += Double(zerosAbove) * v * v
        }
        let meanExcess = s1 / nd
        let varExcess = max(0, s2 / nd - meanExcess * meanExcess) * nd / max(nd - 1, 1)
        let esSE = (varExcess / nd).squareRoot() / (1 - q)
        // Ranks nq ∓ z√(nq(1−q)) bound VaR_q with ≈95 % coverage (binomial normal approximation).
        let half = z95 * (nd * q * (1 - q)).squareRoot()
        let lowRank = max(Int((nd * q - half).rounded(.down)) - 1, 0)
        let highRank = min(Int((nd * q + half).rounded(.up)) - 1, n - 1)
        return QuantileMeasure(level: q, valueAtRisk: v,
                               valueAtRiskLower: loss.orderStatistic(min(lowRank, k)),
                               valueAtRiskUpper: loss.orderStatistic(max(highRank, k)),
                               expectedShortfall: es, expectedShortfallSE: esSE)
    }

    /// VaR_q = inf{x : P̂(L > x) ≤ 1 − q} with P̂(L > x) = Σ_{L > x} w / n. P̂(L > x) is a
    /// right-continuous step function that falls only at sample values, so the infimum is the
    /// smallest candidate where the condition holds; the candidates are the sample values and 0
    /// (the floor of a non-negative loss: VaR is 0 when P̂(L > 0) ≤ 1 − q, as before signed
    /// samples; with negatives present, 0 never wins over the largest negative value, whose
    /// tail P̂(L > ·) is the same when no path sits at 0).
    static func weightedValueAtRisk(_ loss: EmpiricalLoss, _ t: EmpiricalLoss.WeightedTails, level q: Double) -> Double {
        let limit = (1 - q) * Double(loss.count)
        let a = loss.negativeCount
        // Candidate j in 0...nonZero.count: negatives (j < a), then 0 (j == a), then positives.
        func candidate(_ j: Int) -> Double { j < a ? loss.nonZero[j] : (j == a ? 0 : loss.nonZero[j - 1]) }
        // pred(j): P̂(L > candidate(j)) ≤ 1 − q is monotone in j; it holds at the last candidate
        // (nothing above the largest value) and at 0 when there are no positives.
        var lo = 0, hi = loss.nonZero.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if loss.massAbove(candidate(mid)) <= limit { hi = mid } else { lo = mid + 1 }
        }
        return candidate(lo)
    }

    /// Importance-sampled VaR and ES (Glasserman 2004, §9.4): ES_q = (Σ_{L > v} w L / n
    /// + v·(1 − q − P̂(L > v))) / (1 − q); its standard error from the sample variance of
    /// w·(L − v)⁺; the VaR interval from the levels q ∓ 1.96·se(P̂(L > v)). Any sign of L: when
    /// v < 0 the zero atom is above v (weight `zeroWeight`, Σ w² `zeroSquaredWeight`, excess −v).
    static func weightedMeasure(_ loss: EmpiricalLoss, _ t: EmpiricalLoss.WeightedTails, level q: Double) -> QuantileMeasure {
        let nd = Double(loss.count)
        let v = weightedValueAtRisk(loss, t, level: q)
        let f = loss.firstIndex(above: v)
        var w = t.w[f], w2 = t.w2[f]
        if v < 0 {
            w += loss.zeroWeight
            w2 += loss.zeroSquaredWeight
        }
        let pAbove = w / nd
        let es = (t.wx[f] / nd + v * (1 - q - pAbove)) / (1 - q)
        let meanY = (t.wx[f] - v * w) / nd
        let meanY2 = (t.w2x2[f] - 2 * v * t.w2x[f] + v * v * w2) / nd
        let esSE = (max(0, meanY2 - meanY * meanY) / nd).squareRoot() / (1 - q)
        let seP = (max(0, w2 / nd - pAbove * pAbove) / nd).squareRoot()
        let lowLevel = min(max(q - z95 * seP, 1e-12), 1 - 1e-12), highLevel = min(max(q + z95 * seP, 1e-12), 1 - 1e-12)
        return QuantileMeasure(level: q, valueAtRisk: v,
                               valueAtRiskLower: weightedValueAtRisk(loss, t, level: lowLevel),
                               valueAtRiskUpper: weightedValueAtRisk(loss, t, level: highLevel),
                               expectedShortfall: es, expectedShortfallSE: esSE)
    }
}
