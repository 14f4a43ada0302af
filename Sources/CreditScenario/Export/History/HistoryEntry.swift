import CreditHistory
import Foundation

/// What `run --history FILE` appends: the run's identity (from its manifest) and, per portfolio
/// (base, then each stress), net and gross EL and the VaR and ES of every level.
public protocol HistoryEntrySource {
    /// The portfolios as the history keeps them; nil when this kind of result is not kept
    /// (a shard, a model comparison).
    var historyPortfolios: [HistoryRecord.Portfolio]? { get }
}

extension HistoryRecord {
    public init(portfolios: [HistoryRecord.Portfolio], scenario: Scenario, manifest: Manifest, partial: Bool, outDir: String?) {
        let day = String(manifest.started.prefix(10))
        let digests = manifest.inputs.map(\.sha256).joined(separator: "\n")
        self.init(scenario: scenario.name, asOf: scenario.asOf ?? day, startedUTC: manifest.started, finishedUTC: manifest.finished,
                  paths: manifest.paths, seed: manifest.seed, method: manifest.method, partial: partial,
                  toolVersion: manifest.version, revision: manifest.revision, outDir: outDir,
                  inputsSHA256: SHA256.hex(Data(digests.utf8)), portfolios: portfolios)
    }

    /// One summary's figures under `name`.
    static func portfolio(_ name: String, _ d: SummaryDocument) -> Portfolio {
        var measures: [Measure] = []
        for (loss, l) in [("net", d.losses.net), ("gross", d.losses.gross)] {
            measures += l.quantiles.map {
                Measure(loss: loss, level: $0.level, valueAtRisk: $0.valueAtRisk, expectedShortfall: $0.expectedShortfall,
                        expectedShortfallSE: $0.expectedShortfallSE)
            }
        }
        return Portfolio(name: name, netEL: d.losses.net.expectedLoss, netELSE: d.losses.net.expectedLossSE,
                         grossEL: d.losses.gross.expectedLoss, grossELSE: d.losses.gross.expectedLossSE, measures: measures)
    }
}

extension RunResults: HistoryEntrySource {
    public var historyPortfolios: [HistoryRecord.Portfolio]? {
        portfolios.map { HistoryRecord.portfolio($0.outcome.stress?.name ?? "base", $0.document) }
    }
}

extension AnalyticResult: HistoryEntrySource {
    public var historyPortfolios: [HistoryRecord.Portfolio]? { [HistoryRecord.portfolio("base", document)] }
}

extension ComparisonResult: HistoryEntrySource {
    public var historyPortfolios: [HistoryRecord.Portfolio]? { nil }
}

extension ShardResult: HistoryEntrySource {
    public var historyPortfolios: [HistoryRecord.Portfolio]? { nil }
}
