/// The result folder of a run (whole, MPI, or merged shards): the base's files at the top, each
/// stress's in `stress-NAME/`, and the run-wide files of `RunFiles`.
public struct RunResults: Sendable {
    public private(set) var portfolios: [PortfolioResult]
    /// Why `--method auto` chose the method (written into every summary as `method_reason`).
    public var methodReason: String? {
        didSet { for i in portfolios.indices { portfolios[i].document.run.methodReason = methodReason } }
    }
    public let scenario: Scenario
    public let options: ExportOptions

    public init(_ outcomes: [RunOutcome], scenario: Scenario, options: ExportOptions) {
        var portfolios = outcomes.map { PortfolioResult($0, scenario: scenario, options: options) }
        if !portfolios.isEmpty {
            portfolios[0].stresses = portfolios.dropFirst().compactMap { p in
                p.outcome.stress.map { StressPage(name: $0.name, description: $0.description, folder: p.stressFolder ?? "",
                                                  document: p.document) }
            }
        }
        self.portfolios = portfolios
        self.scenario = scenario
        self.options = options
    }

    public var folder: ResultFolder {
        guard let base = portfolios.first else { return ResultFolder() }
        var folder = ResultFolder(base, registry: SimulationFiles.registry)
        folder.files += RunFiles.registry.flatMap { $0.files(for: self) }
        for stress in portfolios.dropFirst() {
            folder.subfolders.append((stress.stressFolder ?? "stress", ResultFolder(stress, registry: SimulationFiles.registry)))
        }
        return folder
    }
}

/// Files of a whole run, beside the base's (none yet besides the manifest the writer adds).
public enum RunFiles {
    public static let registry: [any ResultFileKind<RunResults>.Type] = []
}
