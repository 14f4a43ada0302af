import CreditRisk
import Testing

/// Brute-force figures of a sample of any sign, from the full array of n values (zeros
/// materialised) and their weights (all 1 without importance sampling), by the definitions:
/// - P̂(L > x) = Σ_{L_i > x} w_i / n; its SE √(p(1 − p)/n) plain, √((Σ(w_i 1{L_i > x})²/n − p²)/n) weighted;
/// - plain VaR_q = the smallest sorted value x with #{L ≤ x} ≥ qn (qn snapped to an integer
///   within 1e-9, as `RiskMeasures.varIndex` documents);
/// - plain ES_q = (1/(1 − q)) ∫_q^1 F⁻¹(u) du with F⁻¹(u) = x_(⌈un⌉): each sorted value weighs the
///   length of ((i − 1)/n, i/n] ∩ (q, 1] (Acerbi & Tasche 2002, Def. 2.6 / Prop. 3.2);
/// - weighted VaR_q = the smallest of the sample values and 0 with P̂(L > x) ≤ 1 − q;
/// - weighted ES_q: the top 1 − q of the weighted mass, filled from the largest value down,
///   averaged (the value at VaR fills the remainder);
/// - ES SE: sd((L − v)⁺)/√n/(1 − q) plain (unbiased), sd(w (L − v)⁺)/√n/(1 − q) weighted.
private struct SignedReference {
    let values: [Double]
    let weights: [Double]
    let weighted: Bool
    var n: Double { Double(values.count) }

    init(_ values: [Double], weights: [Double]? = nil) {
        self.values = values
        self.weights = weights ?? values.map { _ in 1 }
        weighted = weights != nil
    }

    var sorted: [Double] { values.sorted() }

    func exceedance(_ x: Double) -> (probability: Double, se: Double) {
        var p = 0.0, second = 0.0
        for (v, w) in zip(values, weights) where v > x {
            p += w
            second += w * w
        }
        p /= n
        second /= n
        if !weighted { return (p, (p * (1 - p) / n).squareRoot()) }
        return (p, (max(0, second - p * p) / n).squareRoot())
    }

    func cdf(_ x: Double) -> Double {
        if !weighted { return Double(values.filter { $0 <= x }.count) / n }
        return x < min(0, values.min()!) ? 0 : 1 - exceedance(x).probability
    }

    func valueAtRisk(_ q: Double) -> Double {
        if weighted {
            let candidates = (values + [0]).sorted()
            return candidates.first { exceedance($0).probability <= 1 - q }!
        }
        let qn = q * n
        let target = abs(qn - qn.rounded()) <= 1e-9 * max(1, qn) ? qn.rounded() : qn
        return sorted.first { x in Double(values.filter { $0 <= x }.count) >= target }!
    }

    func expectedShortfall(_ q: Double) -> Double {
        if weighted {
            var remaining = 1 - q, sum = 0.0
            for (x, w) in zip(values, weights).sorted(by: { $0.0 > $1.0 }) where remaining > 0 {
                let mass = min(w / n, remaining)
                sum += mass * x
                remaining -= mass
            }
            return sum / (1 - q)
        }
        var integral = 0.0
        for (i, x) in sorted.enumerated() {
            let lower = max(Double(i) / n, q), upper = Double(i + 1) / n
            if upper > lower { integral += (upper - lower) * x }
        }
        return integral / (1 - q)
    }

    func expectedShortfallSE(_ q: Double) -> Double {
        let v = valueAtRisk(q)
        let y = zip(values, weights).map { x, w in (weighted ? w : 1) * max(x - v, 0) }
        let mean = y.reduce(0, +) / n
        let ss = y.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        let variance = weighted ? ss / n : ss / max(n - 1, 1)
        return (variance / n).squareRoot() / (1 - q)
    }

    /// The interval each method documents: order statistics of ranks nq ∓ 1.96√(nq(1 − q))
    /// plain; VaR at the levels q ∓ 1.96·se(P̂(L > VaR)) weighted.
    func interval(_ q: Double) -> (Double, Double) {
        let z = 1.959_963_984_540_054
        if weighted {
            let se = exceedance(valueAtRisk(q)).se
            let clamp = { (l: Double) in min(max(l, 1e-12), 1 - 1e-12) }
            return (valueAtRisk(clamp(q - z * se)), valueAtRisk(clamp(q + z * se)))
        }
        let s = sorted, count = values.count
        // VaR's rank: the smallest index i with i + 1 ≥ qn (qn snapped as above).
        let qn = q * n
        let target = abs(qn - qn.rounded()) <= 1e-9 * max(1, qn) ? qn.rounded() : qn
        let k = s.indices.first { Double($0 + 1) >= target }!
        let half = z * (n * q * (1 - q)).squareRoot()
        let low = max(Int((n * q - half).rounded(.down)) - 1, 0)
        let high = min(Int((n * q + half).rounded(.up)) - 1, count - 1)
        return (s[min(low, k)], s[max(high, k)])
    }

    var mean: Double { zip(values, weights).reduce(0) { $0 + $1.0 * $1.1 } / n }

    var sd: Double {
        let m = mean
        if weighted { return max(0, zip(values, weights).reduce(0) { $0 + $1.1 * $1.0 * $1.0 } / n - m * m).squareRoot() }
        return n > 1 ? (values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / (n - 1)).squareRoot() : 0
    }

    var meanSE: Double {
        if !weighted { return n > 1 ? sd / n.squareRoot() : 0 }
        let m = mean
        let second = zip(values, weights).reduce(0) { $0 + ($1.0 * $1.1) * ($1.0 * $1.1) } / n
        return (max(0, second - m * m) / n).squareRoot()
    }
}

/// |a − b| ≤ tol · max(|a|, |b|, scale).
private func close(_ a: Double, _ b: Double, _ tol: Double = 1e-12, scale: Double = 1) -> Bool {
    abs(a - b) <= tol * max(abs(a), abs(b), scale)
}

/// Deterministic uniform numbers for the generated samples.
private struct LCG {
    var state: UInt64
    mutating func next() -> Double {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Double(state >> 11) / Double(UInt64(1) << 53)
    }
}

/// Signed samples with atoms at zero and elsewhere; weights in [0.1, 3.1).
private func signedSample(_ n: Int, seed: UInt64, zeroShare: Double = 0.3) -> (values: [Double], weights: [Double]) {
    var g = LCG(state: seed)
    var values: [Double] = [], weights: [Double] = []
    for _ in 0..<n {
        let u = g.next()
        let x: Double
        if u < zeroShare { x = 0 }
        else if u < zeroShare + 0.2 { x = [-4, -1.5, 2.5, 6][Int(g.next() * 4)] }  // atoms away from zero
        else { x = (g.next() - 0.4) * 20 }
        values.append(x)
        weights.append(0.1 + 3 * g.next())
    }
    return (values, weights)
}

private let levels = [0.01, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.33, 0.4, 0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 0.97, 0.99]

/// Compares every figure of `loss` with the brute-force reference.
private func expectAgrees(_ loss: EmpiricalLoss, _ ref: SignedReference, levels: [Double] = levels,
                          sourceLocation: SourceLocation = #_sourceLocation) {
    let s = ref.sorted
    #expect(loss.count == ref.values.count, sourceLocation: sourceLocation)
    #expect(loss.zeros == ref.values.filter { $0 == 0 }.count, sourceLocation: sourceLocation)
    #expect(loss.nonZero == s.filter { $0 != 0 }, sourceLocation: sourceLocation)
    #expect(loss.positive == s.filter { $0 > 0 }, sourceLocation: sourceLocation)
    #expect(Array(loss.negativeValues) == s.filter { $0 < 0 }, sourceLocation: sourceLocation)
    #expect(loss.minimum == s.first! && loss.maximum == s.last!, sourceLocation: sourceLocation)
    for k in s.indices { #expect(loss.orderStatistic(k) == s[k], "k = \(k)", sourceLocation: sourceLocation) }
    // Probes: every value, just below and above it, midpoints, beyond both ends, ±0.
    var probes = [s.first! - 1, s.last! + 1, 0, -0.0, -1e-300, 1e-300]
    for (i, x) in s.enumerated() {
        probes += [x, x.nextDown, x.nextUp]
        if i + 1 < s.count { probes.append((x + s[i + 1]) / 2) }
    }
    for x in probes {
        let (p, se) = loss.exceedance(x), r = ref.exceedance(x)
        #expect(close(p, r.probability, 1e-13) && close(se, r.se, 1e-9, scale: 1e-12), "P(L > \(x)): \(p) ± \(se) vs \(r)",
                sourceLocation: sourceLocation)
        #expect(close(loss.cdf(x), ref.cdf(x), 1e-13), "cdf(\(x)) \(loss.cdf(x)) vs \(ref.cdf(x))", sourceLocation: sourceLocation)
        #expect(loss.firstIndex(above: x) == loss.nonZero.filter { $0 <= x }.count, sourceLocation: sourceLocation)
        #expect(loss.firstIndex(atLeast: x) == loss.nonZero.filter { $0 < x }.count, sourceLocation: sourceLocation)
    }
    let scale = s.map { abs($0) }.max()!
    let (mean, sd) = loss.meanAndStdDev
    #expect(close(mean, ref.mean, 1e-12, scale: scale) && close(sd, ref.sd, 1e-10, scale: 1e-12), sourceLocation: sourceLocation)
    #expect(close(loss.meanStandardError, ref.meanSE, 1e-10, scale: 1e-12), sourceLocation: sourceLocation)
    for q in levels {
        let m = RiskMeasures.measure(loss, level: q)
        #expect(m.valueAtRisk == ref.valueAtRisk(q), "VaR \(q): \(m.valueAtRisk) vs \(ref.valueAtRisk(q))", sourceLocation: sourceLocation)
        #expect(loss.quantile(q) == m.valueAtRisk, sourceLocation: sourceLocation)
        #expect(close(m.expectedShortfall, ref.expectedShortfall(q), 1e-12, scale: scale),
                "ES \(q): \(m.expectedShortfall) vs \(ref.expectedShortfall(q))", sourceLocation: sourceLocation)
        #expect(close(m.expectedShortfallSE, ref.expectedShortfallSE(q), 1e-9, scale: 1e-9 * scale),
                "ES SE \(q): \(m.expectedShortfallSE) vs \(ref.expectedShortfallSE(q))", sourceLocation: sourceLocation)
        let (lo, hi) = ref.interval(q)
        #expect(m.valueAtRiskLower == lo && m.valueAtRiskUpper == hi, "interval \(q): [\(m.valueAtRiskLower), \(m.valueAtRiskUpper)] vs [\(lo), \(hi)]",
                sourceLocation: sourceLocation)
        #expect(m.valueAtRiskLower <= m.valueAtRisk && m.valueAtRisk <= m.valueAtRiskUpper, sourceLocation: sourceLocation)
        #expect(m.expectedShortfall >= m.valueAtRisk - 1e-12 * scale, sourceLocation: sourceLocation)
    }
}

@Suite struct SignedLossTests {
    /// Sorted: −8, −3, −3, −3, −1, 0 ×7, 1, 2, 2, 2, 4, 5, 5, 7 (n = 20, Σ = 10).
    static let sample: [Double] = [-3, 0, 0, 2, -3, 5, 0, 2, 2, -1, 7, 0, -3, 4, 0, 0, 5, -8, 0, 1]

    @Test func handMadeSignedSampleByHand() {
        let loss = EmpiricalLoss(values: Self.sample)
        #expect(loss.negativeCount == 5 && loss.zeros == 7 && loss.nonZero.count == 13)
        #expect(loss.positive == [1, 2, 2, 2, 4, 5, 5, 7] && loss.hasNegativeValues)
        // q = 0.1: qn = 2, VaR = 2nd value −3; ES = mean of the top 18 = (10 + 8 + 3)/18.
        let a = RiskMeasures.measure(loss, level: 0.1)
        #expect(a.valueAtRisk == -3 && abs(a.expectedShortfall - 21.0 / 18) < 1e-14)
        // Acerbi–Tasche by hand: E[L 1{L > −3}] = (10 + 8 + 9)/20 = 1.35, P(L ≤ −3) = 0.2:
        // ES = (1.35 − 3·(0.2 − 0.1))/0.9 = 1.05/0.9 = 21/18. ✓
        // q = 0.25: VaR = 5th value −1; ES = (10 + 8 + 9 + 1)/15 = 28/15.
        let b = RiskMeasures.measure(loss, level: 0.25)
        #expect(b.valueAtRisk == -1 && abs(b.expectedShortfall - 28.0 / 15) < 1e-14)
        // q = 0.3: VaR = 0 (6th value, in the atom); ES = 28/14 = 2.
        let c = RiskMeasures.measure(loss, level: 0.3)
        #expect(c.valueAtRisk == 0 && abs(c.expectedShortfall - 2) < 1e-14)
        // q = 0.55: VaR = 11th value, still 0 (the atom covers ranks 6…12); ES = (28 + 0·1)/9.
        let d = RiskMeasures.measure(loss, level: 0.55)
        #expect(d.valueAtRisk == 0 && abs(d.expectedShortfall - 28.0 / 9) < 1e-14)
        // q = 0.8: VaR = 16th value 2 (the last of the atom at 2); ES = (4 + 5 + 5 + 7)/4 = 21/4.
        let e = RiskMeasures.measure(loss, level: 0.8)
        #expect(e.valueAtRisk == 2 && abs(e.expectedShortfall - 5.25) < 1e-14)
        // Exceedance and cdf across the atoms.
        #expect(loss.exceedance(-3).probability == 16.0 / 20 && loss.exceedance(-3.5).probability == 19.0 / 20)
        #expect(loss.exceedance(-1e-9).probability == 15.0 / 20 && loss.exceedance(0).probability == 8.0 / 20)
        #expect(loss.cdf(-8.5) == 0 && loss.cdf(-3) == 4.0 / 20 && loss.cdf(-0.5) == 5.0 / 20 && loss.cdf(0) == 12.0 / 20)
        #expect(loss.cdf(7) == 1 && loss.exceedance(7).probability == 0 && loss.exceedance(-9).probability == 1)
        #expect(loss.meanAndStdDev.mean == 0.5 && loss.minimum == -8 && loss.maximum == 7)
        // Translation: the sample +8 is non-negative (the −8 becomes a zero) and gives VaR + 8, ES + 8.
        let shifted = RiskMeasures.measure(EmpiricalLoss(values: Self.sample.map { $0 + 8 }), level: 0.25)
        #expect(shifted.valueAtRisk == 7 && abs(shifted.expectedShortfall - (28.0 / 15 + 8)) < 1e-14)
    }

    @Test func plainSignedSamplesAgreeWithBruteForce() {
        expectAgrees(EmpiricalLoss(values: Self.sample), SignedReference(Self.sample))
        let onlyNegative: [Double] = [-1, -2, 0, -5, 0, -2, -2]
        expectAgrees(EmpiricalLoss(values: onlyNegative), SignedReference(onlyNegative))
        let noZeros: [Double] = [-1, -2, 3, -5, 4, -2, 3, 0.5]
        expectAgrees(EmpiricalLoss(values: noZeros), SignedReference(noZeros))
        let negativeNoZeros: [Double] = [-1, -2, -5, -2, -0.25]
        expectAgrees(EmpiricalLoss(values: negativeNoZeros), SignedReference(negativeNoZeros))
        for (n, seed) in [(1, 1), (2, 2), (3, 3), (20, 4), (57, 5), (400, 6)] as [(Int, UInt64)] {
            let (values, _) = signedSample(n, seed: seed)
            let loss = EmpiricalLoss(values: values)
            expectAgrees(loss, SignedReference(values))
            // The sparse form gives the same distribution bit for bit.
            let sparse = EmpiricalLoss(nonZero: values.filter { $0 != 0 } + [0, 0], count: n + 2)
            let dense = EmpiricalLoss(values: values + [0, 0])
            for q in levels { #expect(RiskMeasures.measure(sparse, level: q) == RiskMeasures.measure(dense, level: q)) }
            #expect(sparse.meanAndStdDev == dense.meanAndStdDev && sparse.nonZero == dense.nonZero)
        }
    }

    @Test func weightedSignedSamplesAgreeWithTheWeightedDefinitions() {
        let w: [Double] = [0.5, 1.7, 0.2, 1.1, 2.9, 0.8, 0.3, 1.0, 1.4, 0.6, 0.9, 2.2, 0.4, 1.3, 0.7, 1.9, 0.15, 1.2, 2.5, 0.35]
        expectAgrees(EmpiricalLoss(values: Self.sample, weights: w), SignedReference(Self.sample, weights: w))
        for (n, seed) in [(1, 11), (2, 12), (5, 13), (20, 14), (57, 15), (400, 16)] as [(Int, UInt64)] {
            let (values, weights) = signedSample(n, seed: seed)
            let loss = EmpiricalLoss(values: values, weights: weights)
            // Levels beyond the total weight's reach (Σ w / n < 1 − q) have no tail to fill.
            let reach = levels.filter { 1 - $0 < weights.reduce(0, +) / Double(n) }
            expectAgrees(loss, SignedReference(values, weights: weights), levels: reach)
            // Pairs (zero-valued ones included) with the atom's Σ w and Σ w²: the same figures.
            let zero = zip(values, weights).filter { $0.0 == 0 }.map(\.1)
            let split = zero.count / 2
            let pairs = zip(values, weights).filter { $0.0 != 0 } + zero.prefix(split).map { (0.0, $0) }
            let rest = zero.dropFirst(split)
            let sparse = EmpiricalLoss(weightedPairs: pairs, count: n, zeroWeight: rest.reduce(0, +),
                                       zeroSquaredWeight: rest.reduce(0) { $0 + $1 * $1 })
            #expect(sparse.nonZero == loss.nonZero && sparse.zeros == loss.zeros)
            #expect(close(sparse.zeroWeight, loss.zeroWeight, 1e-14) && close(sparse.zeroSquaredWeight, loss.zeroSquaredWeight, 1e-14))
            for q in reach {
                let a = RiskMeasures.measure(sparse, level: q), b = RiskMeasures.measure(loss, level: q)
                #expect(a.valueAtRisk == b.valueAtRisk && close(a.expectedShortfall, b.expectedShortfall, 1e-12, scale: 20))
                #expect(close(a.expectedShortfallSE, b.expectedShortfallSE, 1e-9, scale: 1e-9))
            }
        }
    }

    @Test func pairsWithoutTheAtomsSquaresAssumeOneSharedWeight() {
        // Zero paths of equal weight: zeroWeight²/count is then exactly Σ w², and every figure,
        // SEs of events containing the atom included, matches the full-array definitions.
        let values: [Double] = [-2, 0, 0, 3, -1, 0, 5, 0]
        let weights: [Double] = [0.5, 0.8, 0.8, 1.5, 2.0, 0.8, 0.25, 0.8]
        let pairs = zip(values, weights).filter { $0.0 != 0 }.map { ($0.0, $0.1) }
        let loss = EmpiricalLoss(weightedPairs: pairs, count: 8, zeroWeight: 3.2)
        #expect(abs(loss.zeroSquaredWeight - 4 * 0.64) < 1e-14)
        // Σ w / n = 7.45/8: levels from 1 − 0.93 on have a tail to fill.
        expectAgrees(loss, SignedReference(values, weights: weights), levels: [0.1, 0.2, 0.3, 0.5, 0.7, 0.9])
    }

    @Test func translationMovesVaRAndESAndKeepsTheirErrors() {
        // L mixed-sign with atoms (at 0, −4, −1.5, 2.5, 6); L + c ≥ 0 for c = 12 (its own zero
        // atom is then the paths at −12, if any). VaR(L) = VaR(L + c) − c, ES likewise; the
        // errors, the VaR interval's width, sd and the histogram's shape do not move.
        for (n, seed) in [(20, 21), (57, 22), (1000, 23)] as [(Int, UInt64)] {
            let (values, weights) = signedSample(n, seed: seed)
            let c = 12.0
            #expect(values.allSatisfy { $0 + c >= 0 } && values.contains { $0 < 0 })
            let pairs = [(EmpiricalLoss(values: values), EmpiricalLoss(values: values.map { $0 + c })),
                         (EmpiricalLoss(values: values, weights: weights), EmpiricalLoss(values: values.map { $0 + c }, weights: weights))]
            for (signed, shifted) in pairs {
                #expect(!shifted.hasNegativeValues)
                for q in levels where 1 - q < weights.reduce(0, +) / Double(n) || !signed.isWeighted {
                    let a = RiskMeasures.measure(signed, level: q), b = RiskMeasures.measure(shifted, level: q)
                    #expect(close(a.valueAtRisk, b.valueAtRisk - c, 1e-12, scale: c), "VaR \(q)")
                    #expect(close(a.valueAtRiskLower, b.valueAtRiskLower - c, 1e-12, scale: c), "VaR low \(q)")
                    #expect(close(a.valueAtRiskUpper, b.valueAtRiskUpper - c, 1e-12, scale: c), "VaR high \(q)")
                    #expect(close(a.expectedShortfall, b.expectedShortfall - c, 1e-12, scale: c), "ES \(q): \(a.expectedShortfall) vs \(b.expectedShortfall - c)")
                    #expect(close(a.expectedShortfallSE, b.expectedShortfallSE, 1e-12), "ES SE \(q): \(a.expectedShortfallSE) vs \(b.expectedShortfallSE)")
                }
                if !signed.isWeighted {
                    let (ma, sa) = signed.meanAndStdDev, (mb, sb) = shifted.meanAndStdDev
                    #expect(close(ma, mb - c, 1e-12, scale: c) && close(sa, sb, 1e-12))
                    #expect(close(signed.meanStandardError, shifted.meanStandardError, 1e-12))
                }
                for x in [-5.0, -1.5, 0, 0.5, 2.5, 7] {
                    #expect(close(signed.exceedance(x).probability, shifted.exceedance(x + c).probability, 1e-14))
                    #expect(close(signed.exceedance(x).se, shifted.exceedance(x + c).se, 1e-12, scale: 1e-12))
                }
            }
        }
    }

    @Test func signedHistogramLayoutAndMass() {
        let cases: [(values: [Double], weights: [Double]?)] = [
            (Self.sample, nil), ([-1, -2, 0, -5, 0, -2, -2], nil), ([-3, -1, 2, 2, 7], nil), ([-3, -3, -3], nil),
            (signedSample(500, seed: 31).values, nil), (signedSample(500, seed: 32).values, signedSample(500, seed: 32).weights),
            (Self.sample, Self.sample.indices.map { 0.2 + Double($0 % 7) * 0.3 }),
        ]
        for (values, weights) in cases {
            let loss = weights.map { EmpiricalLoss(values: values, weights: $0) } ?? EmpiricalLoss(values: values)
            let w = weights ?? values.map { _ in 1 }
            let n = Double(values.count)
            let total = w.reduce(0, +) / n
            for binCount in [1, 2, 7, 60, 200] {
                let bins = LossHistogram(loss, binCount: binCount).bins
                let edges = bins.map(\.upperEdge)
                // Layout: bins below zero ending at the largest negative value, the atom, bins above
                // ending at the largest value; edges strictly increase.
                #expect(zip(edges, edges.dropFirst()).allSatisfy { $0 < $1 }, "\(edges)")
                let atom = edges.firstIndex(of: 0)!
                // The atom's weight is summed exactly (correctly rounded), the reference in order.
                let zeroWeight = w.enumerated().filter { values[$0.offset] == 0 }.reduce(0) { $0 + $1.element } / n
                #expect(abs(bins[atom].probability - zeroWeight) <= 1e-14 * zeroWeight)
                #expect(edges[atom - 1] == values.filter { $0 < 0 }.max()! && edges[0] >= values.min()!)
                #expect(edges.last! == max(0, values.max()!))
                #expect(bins.count - 1 <= binCount + 1)
                // Each bin holds the mass in (previous edge, edge] (the first one everything ≤ its edge),
                // and its cumulative value is P(L ≤ edge).
                for (i, b) in bins.enumerated() {
                    let lower = i == 0 ? -Double.infinity : edges[i - 1]
                    let mass = zip(values, w).filter { $0.0 > lower && $0.0 <= b.upperEdge }.reduce(0) { $0 + $1.1 } / n
                    let below = zip(values, w).filter { $0.0 <= b.upperEdge }.reduce(0) { $0 + $1.1 } / n
                    #expect(close(b.probability, mass, 1e-13, scale: 1e-2), "bin \(i) ≤ \(b.upperEdge): \(b.probability) vs \(mass)")
                    #expect(close(b.cumulativeProbability, below, 1e-13), "bin \(i) ≤ \(b.upperEdge): \(b.cumulativeProbability) vs \(below)")
                }
                // Equal widths below and above zero, except each side's closing bin.
                let h = (max(0, values.max()!) - values.min()!) / Double(binCount)
                for i in 1..<max(atom - 1, 1) { #expect(close(edges[i] - edges[i - 1], h, 1e-9)) }
                if atom + 2 < edges.count - 1 {
                    #expect(close(edges[atom + 1], h, 1e-12))
                    for i in (atom + 2)..<(edges.count - 1) { #expect(close(edges[i] - edges[i - 1], h, 1e-9)) }
                }
                #expect(close(bins.reduce(0) { $0 + $1.probability }, total, 1e-13))
                #expect(close(bins.last!.cumulativeProbability, total, 1e-13))
                if weights == nil { #expect(bins.last!.cumulativeProbability == 1) }
            }
        }
    }

    @Test func nonNegativeSamplesKeepTheirOldLayout() {
        // The existing layout (atom, then binCount bins of width max/binCount) is untouched.
        let loss = EmpiricalLoss(values: [0, 0, 1, 2, 4, 4])
        #expect(!loss.hasNegativeValues && loss.negativeCount == 0 && loss.positive == loss.nonZero)
        #expect(LossHistogram(loss, binCount: 4).bins.map(\.upperEdge) == [0, 1, 2, 3, 4])
        // Zero-valued pairs join the atom instead of being dropped.
        let pairs = EmpiricalLoss(weightedPairs: [(0, 0.5), (3, 1), (0, 0.25)], count: 4, zeroWeight: 2)
        #expect(pairs.zeros == 3 && pairs.zeroWeight == 2.75 && pairs.nonZero == [3])
        #expect(pairs.exceedance(0).probability == 0.25 && pairs.cdf(0) == 0.75)
    }
}
