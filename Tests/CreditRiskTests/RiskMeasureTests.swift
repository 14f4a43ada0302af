import CreditRisk
import Testing

/// VaR and Acerbi–Tasche ES on hand-made samples, worked by hand in the comments.
@Suite struct RiskMeasureTests {
    @Test func atomAtZero() {
        // 8 zeros, 10, 20. q = 0.85: VaR = 10 (9th of 10); ES = (20/10 + 10·(0.9 − 0.85))/0.15 = 16.67.
        let loss = EmpiricalLoss(values: [0, 0, 10, 0, 0, 0, 20, 0, 0, 0])
        let m = RiskMeasures.measure(loss, level: 0.85)
        #expect(m.valueAtRisk == 10)
        #expect(abs(m.expectedShortfall - 2.5 / 0.15) < 1e-12)
        // q = 0.5: VaR = 0, ES = mean of the worst half = (20 + 10 + 0 + 0 + 0)/5 = 6.
        let h = RiskMeasures.measure(loss, level: 0.5)
        #expect(h.valueAtRisk == 0)
        #expect(abs(h.expectedShortfall - 6) < 1e-12)
        // q = 0.95: VaR = 20, ES = 20 (nothing above VaR; the atom at 20 fills the tail).
        let t = RiskMeasures.measure(loss, level: 0.95)
        #expect(t.valueAtRisk == 20 && abs(t.expectedShortfall - 20) < 1e-12)
    }

    @Test func levelTimesCountThatIsAnIntegerPicksThatOrderStatistic() {
        // 1…20, q = 0.95: q·n = 19 (up to rounding) so VaR is the 19th value, ES = (20/20 + 19·0)/0.05 = 20.
        let loss = EmpiricalLoss(values: (1...20).map(Double.init).reversed())
        let m = RiskMeasures.measure(loss, level: 0.95)
        #expect(m.valueAtRisk == 19)
        #expect(abs(m.expectedShortfall - 20) < 1e-12)
        // q = 0.9 on 1…10: VaR 9, ES 10.
        let ten = RiskMeasures.measure(EmpiricalLoss(values: (1...10).map(Double.init)), level: 0.9)
        #expect(ten.valueAtRisk == 9 && abs(ten.expectedShortfall - 10) < 1e-12)
    }

    @Test func sparseAndDenseAgree() {
        let dense = EmpiricalLoss(values: [0, 3, 0, 0, 7, 0, 0, 1])
        let sparse = EmpiricalLoss(nonZero: [7, 1, 3], count: 8)
        for q in [0.5, 0.7, 0.8, 0.9, 0.99] {
            #expect(RiskMeasures.measure(dense, level: q) == RiskMeasures.measure(sparse, level: q))
        }
        #expect(dense.meanAndStdDev == sparse.meanAndStdDev)
        #expect(abs(dense.meanAndStdDev.mean - 11.0 / 8) < 1e-15)
        #expect(dense.cdf(0) == 5.0 / 8 && dense.cdf(3) == 7.0 / 8 && dense.cdf(7) == 1)
    }

    @Test func histogramKeepsTheAtomAndSumsToOne() {
        let loss = EmpiricalLoss(values: [0, 0, 1, 2, 4, 4])
        let h = LossHistogram(loss, binCount: 4)
        #expect(h.bins.first?.upperEdge == 0)
        #expect(abs((h.bins.first?.probability ?? 0) - 2.0 / 6) < 1e-15)
        #expect(h.bins.map(\.upperEdge) == [0, 1, 2, 3, 4])
        #expect(abs(h.bins.reduce(0) { $0 + $1.probability } - 1) < 1e-15)
        #expect(h.bins.last?.cumulativeProbability == 1)
    }
}
