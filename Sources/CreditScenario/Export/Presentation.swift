import CreditRisk

/// What a finished analysis shows and writes, whatever it was: the result folder, the readable
/// text for standard output, the JSON of `--json`, and whether a stop cut it short. The command
/// line treats every analysis alike through this.
public protocol Presentation: Sendable {
    var folder: ResultFolder { get }
    func terminal() -> String
    func json() throws -> String
    var isPartial: Bool { get }
    /// Paths simulated (the base's; 0 for an analytic model), for the manifest.
    var paths: Int { get }
    /// What stderr says about a stop, nil for a whole result.
    var interruption: String? { get }
    /// Warnings for stderr about a result that is whole but not what was asked (a missed precision target).
    var warnings: [String] { get }
}

extension Presentation {
    public var interruption: String? { nil }
    public var warnings: [String] { [] }
}

extension RunResults: Presentation {
    public var paths: Int { portfolios.first?.outcome.output.paths ?? 0 }
    public var isPartial: Bool { portfolios.contains { $0.outcome.isPartial } }

    public var interruption: String? {
        guard let cut = portfolios.last?.outcome, cut.isPartial else { return nil }
        switch cut.status.interruptedPhase {
        case .contributions:
            return "Interrupted during the contribution pass: the loss figures are complete, the contributions are not written."
        case .beforeStress:
            return "Interrupted: the \(portfolios.count) portfolio(s) simulated are complete; the stresses after them were not run."
        default:
            return "Interrupted: keeping the \(cut.output.paths) of \(cut.requestedPaths) paths finished; the results say they are partial."
        }
    }

    public var warnings: [String] {
        (methodReason.map { ["\($0)"] } ?? []) + portfolios.compactMap { p in
            guard let precision = p.outcome.precision, !precision.met else { return nil }
            return "precision " + HTMLReport.precisionSentence(precision, Glossary(.en)) + "; raise --max-paths, or accept the precision reached"
        }
    }

    /// The base's table, tail scenario, top contributors and capital, then each stress against the base.
    public func terminal() -> String {
        guard let base = portfolios.first else { return "" }
        var s = SummaryTable.render(scenario: scenario, outcome: base.outcome, language: options.language)
        let tail = SummaryTable.tailScenario(base.document)
        if !tail.isEmpty { s += "\n" + tail }
        if let c = base.outcome.contributions { s += "\n" + SummaryTable.topContributors(c, report: base.outcome.report) }
        if let capital = base.document.answers.capital { s += "\n" + SummaryTable.capitalTable(capital) }
        for p in portfolios.dropFirst() {
            guard let stress = p.outcome.stress else { continue }
            s += "\nStress \(SafeText.inline(stress.name))\(stress.description.map { ": \(SafeText.inline($0))" } ?? "")\n"
            s += ComparisonTable.render(base.document, p.document, labels: ("A: base", "B: \(stress.name)"))
        }
        return s
    }

    /// The base's summary; with stresses, `{"base": …, "stresses": […]}`.
    public func json() throws -> String {
        guard let base = portfolios.first else { return "{}\n" }
        if portfolios.count == 1 && base.outcome.stress == nil { return try encodeJSON(base.document) }
        return try encodeJSON(StressedSummaries(base: base.document, stresses: portfolios.dropFirst().map(\.document)))
    }
}

/// `run --json --stress …`: the base summary and one per stress.
public struct StressedSummaries: Codable, Sendable {
    public var base: SummaryDocument
    public var stresses: [SummaryDocument]
}

extension AnalyticResult: Presentation {
    public var isPartial: Bool { false }
    public var paths: Int { 0 }
    public func terminal() -> String { SummaryTable.render(analytic: self) }
    public func json() throws -> String { try encodeJSON(document) }
}

extension ComparisonResult: Presentation {
    public var isPartial: Bool { comparison.isPartial }
    public var paths: Int { simulations.first?.outcome.output.paths ?? 0 }
    public var interruption: String? {
        isPartial ? "Interrupted: the model comparison is partial; the simulations say which paths they hold." : nil
    }
    public func terminal() -> String { ComparisonPage.table(self) }
    public func json() throws -> String { try encodeJSON(document) }
}

extension ShardResult: Presentation {
    public var isPartial: Bool { false }
    public var paths: Int { pieces.first?.output.paths ?? 0 }
    public func terminal() -> String {
        let spec = document.shard
        let blocks = spec.blocks(of: (document.paths + SimulationSettings.blockSize - 1) / SimulationSettings.blockSize)
        return "Shard \(spec): blocks \(blocks.lowerBound)..<\(blocks.upperBound), \(pieces.first?.output.paths ?? 0) paths of "
            + "\(document.paths), \(pieces.count) portfolio(s)\n"
    }
    public func json() throws -> String { try encodeJSON(document) }
}
