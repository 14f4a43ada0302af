/// An exact loss distribution on the lattice {0, u, 2u, …}: P(L = n·u) = `probabilities[n]`, as
/// the analytic models (CreditRisk+) produce it. It answers the same questions as
/// `EmpiricalLoss` (VaR, Acerbi–Tasche ES, P(L > x), a histogram), without Monte Carlo error.
///
/// The lattice is truncated where the remaining mass `tailMass` is negligible (below 10⁻¹⁰ by
/// default); the mean is the model's exact one (`mean`), so tail expectations that need the
/// mass beyond the truncation use E[L·1{L > v}] = mean − Σ_{n·u ≤ v} n·u·p_n and lose nothing.
import CreditMath
import CreditModel
import CreditEngine

public struct LatticeLoss: Sendable {
    /// Loss unit u > 0.
    public let unit: Double
    /// P(L = n·u), n = 0, 1, …, truncated.
    public let probabilities: [Double]
    /// Exact mean and standard deviation of L (from the model, not from the truncated lattice).
    public let mean: Double
    public let standardDeviation: Double
    /// cumulative[n] = P(L ≤ n·u) over the lattice; firstMoment[n] = Σ_{m ≤ n} m·u·p_m.
    let cumulative: [Double]
    let firstMoment: [Double]

    public init(unit: Double, probabilities: [Double], mean: Double, standardDeviation: Double) {
        precondition(unit > 0 && !probabilities.isEmpty)
        self.unit = unit
        self.probabilities = probabilities
        self.mean = mean
        self.standardDeviation = standardDeviation
        var c = [Double](repeating: 0, count: probabilities.count)
        var m = c
        var sc = 0.0, sm = 0.0
        for (n, p) in probabilities.enumerated() {
            sc += p
            sm += Double(n) * unit * p
            c[n] = min(sc, 1)
            m[n] = sm
        }
        cumulative = c
        firstMoment = m
    }

    /// Probability beyond the last lattice point kept.
    public var tailMass: Double { max(0, 1 - (cumulative.last ?? 0)) }
    /// Largest lattice loss kept.
    public var maxLoss: Double { Double(probabilities.count - 1) * unit }
    public var zeroProbability: Double { probabilities[0] }

    /// P(L ≤ x).
    public func cdf(_ x: Double) -> Double {
        if x < 0 { return 0 }
        // Compared in Double first: a threshold such as 1e300 is beyond Int.
        let position = (x / unit + 1e-9).rounded(.down)
        guard position < Double(cumulative.count) else { return 1 }
        return cumulative[Int(position)]
    }

    /// P(L > x).
    public func exceedance(_ x: Double) -> Double { max(0, 1 - cdf(x)) }

    /// Lattice index of VaR_q = inf{x : P(L ≤ x) ≥ q} (a relative slack of 10⁻¹² absorbs rounding).
    func varIndex(_ q: Double) -> Int {
        var lo = 0, hi = cumulative.count - 1
        if cumulative[hi] < q - 1e-12 { return hi }
        while lo < hi {
            let mid = (lo + hi) / 2
            if cumulative[mid] >= q - 1e-12 { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }

    public func valueAtRisk(_ q: Double) -> Double { Double(varIndex(q)) * unit }

    /// ES_q = (E[L·1{L > VaR}] + VaR·(P(L ≤ VaR) − q)) / (1 − q) (Acerbi & Tasche 2002).
    public func expectedShortfall(_ q: Double) -> Double {
        let k = varIndex(q)
        let v = Double(k) * unit
        let above = max(0, mean - firstMoment[k])
        return (above + v * (cumulative[k] - q)) / (1 - q)
    }

    /// VaR and ES with no sampling error (the interval collapses to VaR, the SE is 0).
    public func measure(level q: Double) -> QuantileMeasure {
        let v = valueAtRisk(q)
        return QuantileMeasure(level: q, valueAtRisk: v, valueAtRiskLower: v, valueAtRiskUpper: v,
                               expectedShortfall: expectedShortfall(q), expectedShortfallSE: 0)
    }

    /// EL, SD and the measures at `levels`; standard errors are 0 (an exact distribution).
    public func summary(levels: [Double]) -> LossSummary {
        LossSummary(expectedLoss: mean, expectedLossSE: 0, stdDev: standardDeviation,
                    quantiles: levels.map { measure(level: $0) })
    }
}

extension LossHistogram {
    /// The lattice distribution in `binCount` equal bins up to the largest loss whose mass is
    /// above 10⁻¹² (first row: the atom at zero), like the histogram of a simulated loss.
    public init(_ loss: LatticeLoss, binCount: Int = 200) {
        var bins = [Bin(upperEdge: 0, probability: loss.zeroProbability, cumulativeProbability: loss.zeroProbability)]
        var last = loss.probabilities.count - 1
        while last > 0 && loss.probabilities[last] < 1e-12 { last -= 1 }
        guard last > 0, binCount > 0 else {
            self.bins = bins
            return
        }
        let maxLoss = Double(last) * loss.unit
        let width = maxLoss / Double(binCount)
        var previous = loss.zeroProbability
        for b in 1...binCount {
            let edge = b == binCount ? maxLoss : width * Double(b)
            let c = loss.cdf(edge)
            bins.append(Bin(upperEdge: edge, probability: max(0, c - previous), cumulativeProbability: c))
            previous = c
        }
        self.bins = bins
    }
}
