import CreditMath
import CreditEngine
import CreditModel

extension ContributionRequest {
    /// From the net loss distribution of the first pass. With `portfolio`, the issuer, sector
    /// and guarantor groups get standard errors too.
    public init(net: EmpiricalLoss, levels: [Double], portfolio: Portfolio? = nil) {
        let n = net.count
        self.init(levels: levels.map { q in
            // Probabilities are weight averages under importance sampling, counts otherwise.
            let v = RiskMeasures.measure(net, level: q).valueAtRisk
            let above = net.exceedance(v).probability
            let equal = v == 0 ? net.zeroWeight / Double(n) : net.exceedance(v.nextDown).probability - above
            let scale = 1 / (Double(n) * (1 - q))
            return Level(level: q, valueAtRisk: v, weightAbove: scale,
                         weightAt: equal > 0 ? (1 - q - above) / equal * scale : 0)
        }, paths: n, portfolio: portfolio)
    }
}
