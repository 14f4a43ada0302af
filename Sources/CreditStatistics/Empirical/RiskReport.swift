import CreditMath
import CreditModel
import CreditEngine
import Dispatch

/// Holder for the two distributions built concurrently; each slot is written by one worker.
private final class SortedPair: @unchecked Sendable {
    var net: EmpiricalLoss?
    var gross: EmpiricalLoss?
}

/// Everything a run reports: the holder's net and gross loss, each provider's payouts, premium.
public struct RiskReport: Sendable {
    public struct ProviderSummary: Sendable {
        public let entity: Int
        public let id: String
        public let expectedPayout: Double
        public let expectedPayoutSE: Double
        /// Share of paths on which the provider paid anything.
        public let payingProbability: Double
        public let quantiles: [QuantileMeasure]
        /// The payout distribution over all paths.
        public let distribution: EmpiricalLoss
        /// The guarantor's capacity for the horizon (nil: unlimited, and for sellers).
        public let capacity: Double?
        /// Probability that the capacity runs out and a claim is cut (weighted), and its SE.
        public let capacityExhaustedProbability: Double?
        public let capacityExhaustedSE: Double?
        /// Expected payout on hard defaults and on extensions (when some issuer can extend).
        public let payoutByState: StateSplit?
    }

    /// An expected figure split by credit state, each with its standard error: hard defaults,
    /// extensions, and in market valuation migration (the rest of the loss).
    public struct StateSplit: Sendable {
        public let hardDefault: Estimate
        public let extended: Estimate
        public let migration: Estimate?
    }

    public let paths: Int
    public let levels: [Double]
    public let net: LossSummary
    public let gross: LossSummary
    public let netDistribution: EmpiricalLoss
    public let grossDistribution: EmpiricalLoss
    public let guarantors: [ProviderSummary]
    public let protectionSellers: [ProviderSummary]
    public let expectedPremium: Double
    public let expectedPremiumSE: Double
    /// The holder's expected net and gross loss by credit state, when some issuer can extend.
    public let netByState: StateSplit?
    public let grossByState: StateSplit?
    /// P(at least one extension hits a bond on a path), when some issuer can extend.
    public let extensionProbability: Estimate?

    /// Computes all statistics after the engine has finished (never inside the kernel).
    public init(output: SimulationOutput, portfolio: Portfolio, levels: [Double]) {
        paths = output.paths
        self.levels = levels
        // The two sorts are independent and dominate this step: run them side by side.
        // (Split samples build their reductions in order, one after the other.)
        if output.reducer.isLocal {
            let pair = SortedPair()
            DispatchQueue.concurrentPerform(iterations: 2) { i in
                if i == 0 { pair.net = output.distribution(.net) } else { pair.gross = output.distribution(.gross) }
            }
            netDistribution = pair.net ?? output.distribution(.net)
            grossDistribution = pair.gross ?? output.distribution(.gross)
        } else {
            netDistribution = output.distribution(.net)
            grossDistribution = output.distribution(.gross)
        }
        net = RiskMeasures.summary(netDistribution, levels: levels)
        gross = RiskMeasures.summary(grossDistribution, levels: levels)
        let premium = output.expectedPremium
        expectedPremium = premium.value
        expectedPremiumSE = premium.standardError
        let market = portfolio.valuation != nil
        func split(_ d: Int, _ e: Int, _ m: Int?) -> StateSplit? {
            guard let hardDefault = output.stateEstimate(d), let extended = output.stateEstimate(e) else { return nil }
            return StateSplit(hardDefault: hardDefault, extended: extended, migration: m.flatMap(output.stateEstimate))
        }
        netByState = split(CreditStateTallies.net(.hardDefault), CreditStateTallies.net(.extended),
                           market ? CreditStateTallies.netMigration : nil)
        grossByState = split(CreditStateTallies.gross(.hardDefault), CreditStateTallies.gross(.extended),
                             market ? CreditStateTallies.grossMigration : nil)
        extensionProbability = output.stateEstimate(CreditStateTallies.extended)

        // Group the sparse payouts, each with its path's weight, by slot once.
        let slots = output.guarantorEntities.count + output.sellerEntities.count
        var bySlot = [[Double]](repeating: [], count: slots)
        var weightsBySlot = [[Double]](repeating: [], count: slots)
        let payouts = output.payouts
        for i in payouts.slot.indices {
            bySlot[Int(payouts.slot[i])].append(payouts.amount[i])
            weightsBySlot[Int(payouts.slot[i])].append(payouts.weight[i])
        }
        // Σ w over this process's paths, once, for the providers' atoms at zero.
        var totalWeight = ExactSum()
        if slots > 0 { for w in output.weights ?? [] { totalWeight.add(w) } }
        func provider(_ entity: Int, slot: Int, exhausted: Estimate?) -> ProviderSummary {
            let values = bySlot[slot]
            let loss: EmpiricalLoss
            if output.weights != nil {
                let w = weightsBySlot[slot]
                var paid = ExactSum()
                for x in w { paid.add(x) }
                loss = EmpiricalLoss(weightedPairs: Array(zip(values, w)), localCount: output.localPaths,
                                     zeroWeight: totalWeight - paid, reducer: output.reducer)
            } else {
                loss = EmpiricalLoss(nonZero: values, localCount: output.localPaths, reducer: output.reducer)
            }
            let s = RiskMeasures.summary(loss, levels: levels)
            let limited = exhausted != nil && portfolio.entities[entity].capacity != nil && output.paths > 0
            return ProviderSummary(entity: entity, id: portfolio.entities[entity].id,
                                   expectedPayout: s.expectedLoss, expectedPayoutSE: s.expectedLossSE,
                                   payingProbability: loss.exceedance(0).probability,
                                   quantiles: s.quantiles, distribution: loss,
                                   capacity: exhausted == nil ? nil : portfolio.entities[entity].capacity,
                                   capacityExhaustedProbability: limited ? exhausted?.value : nil,
                                   capacityExhaustedSE: limited ? exhausted?.standardError : nil,
                                   payoutByState: split(CreditStateTallies.payout(slot: slot, .hardDefault),
                                                        CreditStateTallies.payout(slot: slot, .extended), nil))
        }
        guarantors = output.guarantorEntities.enumerated().map {
            provider($0.element, slot: $0.offset, exhausted: output.capacityExhausted[$0.offset])
        }
        let g = output.guarantorEntities.count
        protectionSellers = output.sellerEntities.enumerated().map { provider($0.element, slot: g + $0.offset, exhausted: nil) }
    }

    /// The fine grid of levels of `quantiles.csv`: 0.01…0.99 by 0.01, 0.991…0.999 by 0.001,
    /// 0.9991…0.9999 by 0.0001, keeping only levels with at least one path beyond them.
    public static func fineLevels(paths: Int) -> [Double] {
        var levels: [Double] = []
        for i in 1...99 { levels.append(Double(i) / 100) }
        for i in 991...999 { levels.append(Double(i) / 1000) }
        for i in 9991...9999 { levels.append(Double(i) / 10_000) }
        return levels.filter { Double(paths) * (1 - $0) >= 1 }
    }
}
