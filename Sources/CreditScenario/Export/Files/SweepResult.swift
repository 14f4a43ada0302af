import CreditRisk

/// `creditsim sweep` as its files, table and JSON see it.
public struct SweepResult: Sendable {
    public struct Point: Codable, Sendable {
        public var pdScale: Double
        public var loadingScale: Double
        public var net: SummaryDocument.Loss
        public var gross: SummaryDocument.Loss
        /// The point minus (1, 1) on the same paths; absent for (1, 1) itself.
        public var versusBase: VersusBase?
        enum CodingKeys: String, CodingKey {
            case net, gross
            case pdScale = "pd_scale"
            case loadingScale = "loading_scale"
            case versusBase = "versus_base"
        }
    }

    /// `sweep.json` and `--json`.
    public struct Document: Codable, Sendable {
        public var scenario: String
        public var paths: Int
        public var seed: UInt64
        public var points: [Point]
    }

    public let sweep: SweepOutcome
    public let scenario: Scenario
    public let document: Document

    public init(_ sweep: SweepOutcome, scenario: Scenario) {
        self.sweep = sweep
        self.scenario = scenario
        let points = sweep.points.map { p -> Point in
            let d = SummaryDocument(p.outcome, scenario: scenario)
            return Point(pdScale: p.pdScale, loadingScale: p.loadingScale, net: d.losses.net, gross: d.losses.gross,
                         versusBase: d.answers.versusBase)
        }
        document = Document(scenario: scenario.name, paths: sweep.points.first?.outcome.output.paths ?? 0,
                            seed: sweep.points.first?.outcome.output.settings.seed ?? 0, points: points)
    }

    /// The point at (pd, loading), when the grid has it.
    func point(_ pd: Double, _ loading: Double) -> Point? {
        document.points.first { $0.pdScale == pd && $0.loadingScale == loading }
    }
}

/// The files of a sweep's folder.
public enum SweepFiles {
    public static let registry: [any ResultFileKind<SweepResult>.Type] = [SweepSummaryFiles.self]
}

/// `sweep.json`, `sweep.csv` (one row per point) and `report.html` (the heat map and the table).
public enum SweepSummaryFiles: ResultFileKind {
    public static func files(for r: SweepResult) -> [ResultFile] {
        [.json("sweep.json", r.document), .text("sweep.csv") { SweepPage.csv(r) }, .text("report.html") { SweepPage.render(r) }]
    }
}

extension SweepResult: Presentation {
    public var folder: ResultFolder { ResultFolder(self, registry: SweepFiles.registry) }
    public var isPartial: Bool { sweep.points.contains { $0.outcome.isPartial } }
    public var paths: Int { document.paths }
    public func terminal() -> String { SweepPage.table(self) }
    public func json() throws -> String { try encodeJSON(document) }
}
