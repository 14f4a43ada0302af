/// One run as the history keeps it: what ran, when, and its headline figures per portfolio
/// (the base and each stress).
public struct HistoryRecord: Sendable, Hashable {
    public struct Measure: Sendable, Hashable {
        /// "net" or "gross".
        public var loss: String
        public var level: Double
        public var valueAtRisk: Double
        public var expectedShortfall: Double
        public var expectedShortfallSE: Double?

        public init(loss: String, level: Double, valueAtRisk: Double, expectedShortfall: Double, expectedShortfallSE: Double?) {
            self.loss = loss
            self.level = level
            self.valueAtRisk = valueAtRisk
            self.expectedShortfall = expectedShortfall
            self.expectedShortfallSE = expectedShortfallSE
        }
    }

    public struct Portfolio: Sendable, Hashable {
        /// "base" or the stress's name.
        public var name: String
        public var netEL: Double
        public var netELSE: Double?
        public var grossEL: Double
        public var grossELSE: Double?
        public var measures: [Measure]

        public init(name: String, netEL: Double, netELSE: Double?, grossEL: Double, grossELSE: Double?, measures: [Measure]) {
            self.name = name
            self.netEL = netEL
            self.netELSE = netELSE
            self.grossEL = grossEL
            self.grossELSE = grossELSE
            self.measures = measures
        }
    }

    /// Row id in `runs`, once stored.
    public var id: Int64?
    public var scenario: String
    /// The scenario's `as_of` (YYYY-MM-DD), else the day the run started (UTC).
    public var asOf: String
    public var startedUTC: String
    public var finishedUTC: String
    public var paths: Int
    public var seed: UInt64
    /// plain, importance or creditriskplus.
    public var method: String
    public var partial: Bool
    public var toolVersion: String
    public var revision: String
    /// The result folder, when the run wrote one.
    public var outDir: String?
    /// SHA-256 over the input files' digests, to tell runs of changed books apart.
    public var inputsSHA256: String
    public var portfolios: [Portfolio]

    public init(scenario: String, asOf: String, startedUTC: String, finishedUTC: String, paths: Int, seed: UInt64,
                method: String, partial: Bool, toolVersion: String, revision: String, outDir: String?, inputsSHA256: String,
                portfolios: [Portfolio]) {
        self.scenario = scenario
        self.asOf = asOf
        self.startedUTC = startedUTC
        self.finishedUTC = finishedUTC
        self.paths = paths
        self.seed = seed
        self.method = method
        self.partial = partial
        self.toolVersion = toolVersion
        self.revision = revision
        self.outDir = outDir
        self.inputsSHA256 = inputsSHA256
        self.portfolios = portfolios
    }

    /// The base portfolio's figures (the first).
    public var base: Portfolio? { portfolios.first }
}
