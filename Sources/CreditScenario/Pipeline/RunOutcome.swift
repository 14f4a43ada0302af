import CreditRisk

/// One simulated portfolio of a run, the base or a stress: its sample, its statistics and what
/// the run's policies added (contributions, precision, pairing with the base). Typed values only:
/// the report layer turns them into files.
public struct RunOutcome: Sendable {
    public var stress: Stress?
    public var portfolio: Portfolio
    public var output: SimulationOutput
    public var report: RiskReport
    public var method: SamplingMethod
    /// The importance shift the paths were drawn with (nil for plain sampling).
    public var shift: ImportanceShift?
    /// Paths asked for (after a precision run, the paths it chose).
    public var requestedPaths: Int
    public var status: RunStatus = .complete
    public var contributions: Contributions?
    public var precision: PrecisionOutcome?
    /// A stress's differences from the base on the same paths.
    public var versusBase: PairedComparison?
    public var tailScenario: [TailScenario] = []
    /// Basel IRB lines when the scenario asks for capital.
    public var capital: [BaselIRB.Line]?
    /// MPI processes the run was split over (nil for one process).
    public var ranks: Int?
    /// The copula label when a model comparison simulates one portfolio under several copulas.
    public var model: ModelName = .copula

    public var isPartial: Bool { status.isPartial }
}

/// What the `model` field of a summary says: the simulation under the scenario's copula, one of
/// the comparison's copulas, or the analytic model.
public enum ModelName: String, Sendable, Codable, CaseIterable {
    case copula
    case gaussian
    case studentT = "student-t"
    case creditRiskPlus = "creditriskplus"
}
