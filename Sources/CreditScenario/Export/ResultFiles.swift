import CreditRisk
import Foundation

/// The files of a result folder, built once for `run` and `merge` alike: per portfolio (the base
/// at the top, each stress in `stress-NAME/`) the summary, CSVs, report, contributions and capital;
/// with `exportPaths` the per-path arrays in `paths/`; and `manifest.json`.
public enum ResultFiles {
    public static func make(_ outcomes: [RunOutcome], manifest: Manifest, exportPaths: Bool) throws -> [(name: String, contents: Data)] {
        var files: [(name: String, contents: Data)] = []
        func add(_ name: String, _ text: String) { files.append((name, Data(text.utf8))) }
        for o in outcomes {
            let folder = o.stress.map { "stress-\($0.name)/" } ?? ""
            add(folder + "summary.json", try encodeJSON(o.document))
            add(folder + "loss-distribution.csv", CSVExport.lossDistribution(o.report))
            add(folder + "quantiles.csv", CSVExport.quantiles(o.report))
            add(folder + "report.html", HTMLReport.render(o.document, report: o.report, contributions: o.contributions))
            if let c = o.contributions { add(folder + "contributions.csv", CSVExport.contributions(c)) }
            if o.document.capital != nil { add(folder + "capital.csv", CSVExport.capital(BaselIRB.lines(for: o.portfolio))) }
            if exportPaths { files += PathExport.files(o.output, portfolio: o.portfolio, factorIDs: o.factorIDs, folder: folder + "paths/") }
        }
        add("manifest.json", try encodeJSON(manifest))
        return files
    }

    /// The files of a CreditRisk+ evaluation (`model: creditriskplus`), name → text.
    public static func make(analytic o: AnalyticOutcome) throws -> [(name: String, contents: String)] {
        var files: [(name: String, contents: String)] = [
            ("summary.json", try encodeJSON(o.document)),
            ("loss-distribution.csv", CSVExport.lossDistribution(o.net)),
            ("quantiles.csv", CSVExport.quantiles(net: o.net, gross: o.gross)),
            ("risk-contributions.csv", CSVExport.riskContributions(o.netModel)),
            ("report.html", HTMLReport.render(analytic: o)),
        ]
        if let lines = o.capital { files.append(("capital.csv", CSVExport.capital(lines))) }
        return files
    }

    /// Pretty, key-sorted JSON with a final newline (the format of every JSON file written).
    public static func encodeJSON<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
    }
}

/// `paths/` of a result folder: NumPy arrays in path order, the same path i in every file and in
/// every stress of the run, so users can join them with their own scenarios by path index.
public enum PathExport {
    /// The column ids of the 2-D arrays, written as `paths/columns.json`.
    public struct Columns: Codable, Sendable {
        public var firstPath: Int
        public var factors: [String]
        public var sectors: [String]
        public var providers: [String]
        enum CodingKeys: String, CodingKey {
            case factors, sectors, providers
            case firstPath = "first_path"
        }
    }

    public static func files(_ o: SimulationOutput, portfolio: Portfolio, factorIDs: [String],
                             folder: String) -> [(name: String, contents: Data)] {
        let n = o.paths
        var files: [(name: String, contents: Data)] = [
            (folder + "net.npy", NumPyFile.float64(o.net, shape: [n])),
            (folder + "gross.npy", NumPyFile.float64(o.gross, shape: [n])),
        ]
        if let w = o.weights { files.append((folder + "weight.npy", NumPyFile.float64(w, shape: [n]))) }
        if let f = o.factors, o.factorCount > 0 {
            files.append((folder + "factors.npy", NumPyFile.float32(f, shape: [n, o.factorCount])))
        }
        if let s = o.sectorLosses, !o.sectorIDs.isEmpty {
            files.append((folder + "sectors.npy", NumPyFile.float32(s, shape: [n, o.sectorIDs.count])))
        }
        // Payouts: dense paths × providers (guarantors, then sellers), zero where a provider paid nothing.
        let providers = o.guarantorEntities + o.sellerEntities
        if !providers.isEmpty {
            var dense = [Double](repeating: 0, count: n * providers.count)
            let p = o.payouts
            for i in p.path.indices { dense[(p.path[i] - o.firstPath) * providers.count + Int(p.slot[i])] = p.amount[i] }
            files.append((folder + "payouts.npy", NumPyFile.float64(dense, shape: [n, providers.count])))
        }
        let columns = Columns(firstPath: o.firstPath, factors: o.factorCount > 0 ? factorIDs : [], sectors: o.sectorIDs,
                              providers: providers.map { portfolio.entities[$0].id })
        files.append((folder + "columns.json", Data(((try? ResultFiles.encodeJSON(columns)) ?? "{}\n").utf8)))
        return files
    }
}
