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
}

extension RunPipeline {
    /// CreditRisk+ of the scenario's portfolio (gross, and net by substitution), no simulation.
    public func creditRiskPlus(seed: UInt64? = nil) throws(RunError) -> AnalyticOutcome {
        let start = Date()
        let portfolio = scenario.portfolio
        // An entity with sector weights but no pd_sd would silently lose its systematic variance.
        if case .factors = portfolio.dependence {
            for e in portfolio.entities where e.loadings.contains(where: { $0 != 0 }) && e.pdSD == nil {
                throw .creditRiskPlus("entity \(e.id): CreditRisk+ needs the default-rate standard deviation pd_sd of every entity with sector weights (factor columns)")
            }
        }
        let gross: CreditRiskPlus, net: CreditRiskPlus
        do {
            gross = try CreditRiskPlus(portfolio: portfolio, view: .gross, lossUnit: scenario.lossUnit)
            net = try CreditRiskPlus(portfolio: portfolio, view: .net, lossUnit: gross.lossUnit)
        } catch {
            throw .creditRiskPlus(error.description)
        }
        let grossLoss: LatticeLoss, netLoss: LatticeLoss
        do {
            grossLoss = try gross.distribution()
            // Without guarantees and protection the net loss is the gross one: computed once.
            let enhanced = portfolio.bonds.contains { $0.guarantee != nil || $0.protection != nil }
            netLoss = enhanced ? try net.distribution() : grossLoss
        } catch {
            throw .creditRiskPlus(error.description)
        }
        let capital = scenario.irbCapital ? BaselIRB.lines(for: portfolio) : nil
        return AnalyticOutcome(net: netLoss, gross: grossLoss, netModel: net, lossUnit: gross.lossUnit,
                               enhancements: "substitution", seed: seed ?? scenario.seed,
                               elapsedSeconds: Date().timeIntervalSince(start), capital: capital)
    }
}
