import CreditRisk
import Foundation

/// The result of `model: creditriskplus`: exact net and gross loss distributions on the lattice
/// of the loss unit, and CSFB's risk contributions.
public struct AnalyticOutcome: Sendable {
    public var net: LatticeLoss
    public var gross: LatticeLoss
    public var netModel: CreditRiskPlus
    /// The lattice step both distributions share.
    public var lossUnit: Double
    /// How guarantees and protection enter the net loss.
    public var enhancements: String
    public var seed: UInt64
    public var elapsedSeconds: Double
    /// Basel IRB lines when `output.capital` asks for them.
    public var capital: [BaselIRB.Line]?
    /// What CreditRisk+ filled in or left out of the scenario, one line per kind (for stderr and
    /// `comparison.json`); empty when it took the scenario as written.
    public var notes: [String]
}

extension RunPipeline {
    /// CreditRisk+ of the scenario's portfolio (gross, and net by double default), no simulation.
    ///
    /// - `assumptions`: `.strict` refuses an entity with sector weights and no pd_sd; `.comparison`
    ///   (`run --model all`) fills in pd_sd and sector weights, and says so in `notes`.
    /// - `monitor`: its `shouldStop` is polled while the distributions are computed; a stop throws
    ///   `RunError.interrupted`, since no part of an analytic result is usable.
    public func creditRiskPlus(seed: UInt64? = nil, assumptions: CreditRiskPlus.Assumptions = .strict,
                               monitor: (any RunMonitor)? = nil) throws(RunError) -> AnalyticOutcome {
        let start = Date()
        let portfolio = scenario.portfolio
        let inputs = CreditRiskPlus.EntityInputs(portfolio: portfolio, assumptions: assumptions)
        // An entity with sector weights but no pd_sd would silently lose its systematic variance.
        if assumptions.relativeSDWhenMissing == nil, case .factors = portfolio.dependence {
            for e in portfolio.entities where e.loadings.contains(where: { $0 != 0 }) && e.pdSD == nil {
                throw .creditRiskPlus("entity \(e.id): CreditRisk+ needs the default-rate standard deviation pd_sd of every entity with sector weights (factor columns)")
            }
        }
        let gross: CreditRiskPlus, net: CreditRiskPlus
        do {
            gross = try CreditRiskPlus(portfolio: portfolio, view: .gross, lossUnit: scenario.lossUnit, inputs: inputs)
            net = try CreditRiskPlus(portfolio: portfolio, view: .net, lossUnit: gross.lossUnit, inputs: inputs)
        } catch {
            throw .creditRiskPlus(error.description)
        }
        let stop = { monitor?.shouldStop ?? false }
        Self.pauseUntilStopped(stop)
        let grossLoss: LatticeLoss, netLoss: LatticeLoss
        do {
            grossLoss = try gross.distribution(shouldStop: stop)
            // Without guarantees and protection the net loss is the gross one: computed once.
            let enhanced = portfolio.bonds.contains { $0.guarantee != nil || $0.protection != nil }
            netLoss = enhanced ? try net.distribution(shouldStop: stop) : grossLoss
        } catch {
            if case .cancelled = error { throw .interrupted(phase: "CreditRisk+") }
            throw .creditRiskPlus(error.description)
        }
        let capital = scenario.irbCapital ? BaselIRB.lines(for: portfolio) : nil
        return AnalyticOutcome(net: netLoss, gross: grossLoss, netModel: net, lossUnit: gross.lossUnit,
                               enhancements: "double-default", seed: seed ?? scenario.seed,
                               elapsedSeconds: Date().timeIntervalSince(start), capital: capital,
                               notes: Self.creditRiskPlusNotes(scenario, inputs: inputs))
    }

    /// Test hook: with `CREDITSIM_TEST_PAUSE=creditriskplus:SECONDS`, says "test hook: paused at
    /// creditriskplus" on stderr and waits until the stop flag is raised (at most SECONDS), so
    /// that a test's Ctrl-C lands before the recursion polls, however late the signal handler runs.
    static func pauseUntilStopped(_ stop: () -> Bool) {
        guard let spec = ProcessInfo.processInfo.environment["CREDITSIM_TEST_PAUSE"] else { return }
        let parts = spec.split(separator: ":")
        guard parts.count == 2, parts[0] == "creditriskplus", let seconds = Double(parts[1]) else { return }
        FileHandle.standardError.write(Data("test hook: paused at creditriskplus (pid \(getpid()))\n".utf8))
        let end = Date().addingTimeInterval(seconds)
        while !stop() && Date() < end { Thread.sleep(forTimeInterval: 0.01) }
    }

    /// One line per kind of input CreditRisk+ filled in or does not use.
    static func creditRiskPlusNotes(_ scenario: Scenario, inputs: CreditRiskPlus.EntityInputs) -> [String] {
        let p = scenario.portfolio
        var notes: [String] = []
        if !inputs.filledSD.isEmpty {
            let ids = inputs.filledSD.prefix(3).map { SafeText.message(p.entities[$0].id) }.joined(separator: ", ")
            notes.append("CreditRisk+: \(inputs.filledSD.count) entities with sector weights have no pd_sd (\(ids)\(inputs.filledSD.count > 3 ? ", …" : "")); "
                + "using pd_sd = pd, capped at √(pd·(1 − pd)) (CSFB 1997, §A7: σ/pd is typically of the order of one)")
        }
        if let reason = inputs.derivedWeights {
            notes.append("CreditRisk+: the factor columns are not sector weights (\(SafeText.message(reason))); "
                + "every entity's sector weights are derived from its loadings w as s·w_k²/Σ_j w_j², s = wᵀΣw its systematic variance")
        }
        switch p.dependence {
        case let .factors(model) where model.correlation != .identity(model.factorIDs.count):
            notes.append("CreditRisk+: its sectors are independent gamma factors; factor_correlation enters only the joint default probabilities of double default")
        case .fullCorrelation:
            notes.append("CreditRisk+: a full correlation matrix has no sectors; every obligor is specific (independent Poisson) and pd_sd has no effect; "
                + "the matrix enters only the joint default probabilities of double default")
        default:
            break
        }
        if case .studentT = p.copula, p.bonds.contains(where: { $0.guarantee != nil || $0.protection != nil }) {
            notes.append("CreditRisk+: the joint default probabilities of double default are those of the Gaussian copula (the Student-t copula's tail dependence is not reproduced)")
        }
        return notes
    }
}
