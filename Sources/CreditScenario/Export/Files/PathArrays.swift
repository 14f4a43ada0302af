import CreditRisk
import Foundation

/// `paths/` of a result folder (`--export-paths`): NumPy arrays in path order, the same path i in
/// every file and in every stress of the run, so users can join them with their own scenarios
/// by path index.
public enum PathArrays: ResultFileKind {
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

    public static func files(for r: PortfolioResult) -> [ResultFile] {
        guard r.options.exportPaths else { return [] }
        return files(r.outcome.output, portfolio: r.outcome.portfolio, factorIDs: r.scenario.factorIDs).map { $0.inFolder("paths") }
    }

    /// The arrays of one output, each made when written.
    public static func files(_ o: SimulationOutput, portfolio: Portfolio, factorIDs: [String]) -> [ResultFile] {
        let n = o.paths
        var files: [ResultFile] = [
            ResultFile("net.npy") { NumPyFile.float64(o.net, shape: [n]) },
            ResultFile("gross.npy") { NumPyFile.float64(o.gross, shape: [n]) },
        ]
        if let w = o.weights { files.append(ResultFile("weight.npy") { NumPyFile.float64(w, shape: [n]) }) }
        if let f = o.factors, o.factorCount > 0 {
            files.append(ResultFile("factors.npy") { NumPyFile.float32(f, shape: [n, o.factorCount]) })
        }
        if let s = o.sectorLosses, !o.sectorIDs.isEmpty {
            files.append(ResultFile("sectors.npy") { NumPyFile.float32(s, shape: [n, o.sectorIDs.count]) })
        }
        // Payouts: dense paths × providers (guarantors, then sellers), zero where a provider paid nothing.
        let providers = o.guarantorEntities + o.sellerEntities
        if !providers.isEmpty {
            files.append(ResultFile("payouts.npy") {
                var dense = [Double](repeating: 0, count: n * providers.count)
                let p = o.payouts
                for i in p.path.indices { dense[(p.path[i] - o.firstPath) * providers.count + Int(p.slot[i])] = p.amount[i] }
                return NumPyFile.float64(dense, shape: [n, providers.count])
            })
        }
        files += eventFiles(o).map { $0.inFolder("events") }
        let columns = Columns(firstPath: o.firstPath, factors: o.factorCount > 0 ? factorIDs : [], sectors: o.sectorIDs,
                              providers: providers.map { portfolio.entities[$0].id })
        files.append(.json("columns.json", columns))
        return files
    }

    /// `events/`: one record per path and bond with a loss on it (path order, then bond order):
    /// path (int64, the index of `net.npy`), bond (int32, 0-based row of the bonds file), state
    /// (int8: 1 default, 2 extension, 3 rating move under market valuation), time (float64
    /// years; the horizon for a rating move), gross and net (float64, that bond's loss).
    static func eventFiles(_ o: SimulationOutput) -> [ResultFile] {
        guard let e = o.events else { return [] }
        return [
            ResultFile("path.npy") { NumPyFile.integers(e.path.map(Int64.init)) },
            ResultFile("bond.npy") { NumPyFile.integers(e.bond) },
            ResultFile("state.npy") { NumPyFile.integers(e.kind) },
            ResultFile("time.npy") { NumPyFile.float64(e.time, shape: [e.count]) },
            ResultFile("gross.npy") { NumPyFile.float64(e.gross, shape: [e.count]) },
            ResultFile("net.npy") { NumPyFile.float64(e.net, shape: [e.count]) },
        ]
    }
}
