import CreditRisk
import Foundation

/// `run --model all`: one portfolio under the Gaussian and the Student-t copula (simulated, same
/// seed), CreditRisk+ (analytic) and Basel IRB capital, side by side.
public struct ModelComparison: Sendable {
    public let simulations: [RunOutcome]
    public let analytic: AnalyticOutcome
    public let capital: [BaselIRB.Line]
    /// ν of the Student-t column.
    public let degreesOfFreedom: Double

    /// ν of the Student-t column: the scenario's when its copula is Student-t, else 5.
    public static let defaultDegreesOfFreedom = 5.0

    public var isPartial: Bool { simulations.contains(where: \.isPartial) }

    /// Both simulations are held until the files are written: the memory guard prices the two.
    public init(scenario: Scenario, request: RunRequest, monitor: (any RunMonitor)? = nil) throws(RunError) {
        let base = scenario.portfolio
        var nu = Self.defaultDegreesOfFreedom
        if case let .studentT(v) = base.copula { nu = v }
        degreesOfFreedom = nu
        var variants: [(ModelName, Scenario)] = []
        for (name, copula) in [(ModelName.gaussian, Copula.gaussian), (.studentT, Copula.studentT(degreesOfFreedom: nu))] {
            do {
                let portfolio = try Portfolio(entities: base.entities, bonds: base.bonds, dependence: base.dependence,
                                              copula: copula, horizon: base.horizon, rollover: base.rollover,
                                              lgdCorrelation: base.lgdCorrelation, valuation: base.valuation)
                variants.append((name, scenario.with(portfolio: portfolio)))
            } catch {
                throw .creditRiskPlus("the \(name.rawValue) copula cannot use these factor columns as loadings: \(error.description)")
            }
        }
        var single = request
        single.stresses = []
        // The two simulations side by side, as a run with one stress holds its base and stress.
        let estimate = MemoryEstimate(portfolios: variants.map(\.1.portfolio), paths: request.settings.paths,
                                      threads: request.settings.threads, method: request.method, contributionLevels: nil,
                                      recordedPerPath: scenario.factorIDs.count + Set(base.entities.map { $0.sector ?? "" }).count)
        try RunPipeline.refuse(estimate, paths: request.settings.paths)
        // CreditRisk+ before the simulations: it refuses quickly (sector weights, lattice size).
        analytic = try RunPipeline(scenario: scenario).creditRiskPlus(seed: request.settings.seed)
        var sims: [RunOutcome] = []
        for (name, variant) in variants {
            guard var outcome = try RunPipeline(scenario: variant).run(single, monitor: monitor).outcomes.first else { break }
            outcome.model = name
            sims.append(outcome)
            if outcome.isPartial { break }
        }
        simulations = sims
        capital = BaselIRB.lines(for: base)
    }

    /// Σ K·EAD over the bonds and 12.5 times it.
    public var irbCapital: Double { capital.reduce(0) { $0 + $1.capital } }
}

extension Scenario {
    /// The same scenario around another portfolio (a copula swapped by `--model all`).
    func with(portfolio: Portfolio) -> Scenario {
        var copy = self
        copy.portfolio = portfolio
        return copy
    }
}
