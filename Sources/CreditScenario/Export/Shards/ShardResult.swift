import CreditRisk
import Foundation
import Synchronization

/// A shard folder (`run --shard K/N`): each portfolio's raw arrays in `base/` and `stress-NAME/`,
/// then `shard.json`, which lists every array with its size and SHA-256 as written.
public struct ShardResult: Sendable {
    public let pieces: [ShardPiece]
    /// The document without its arrays' checksums (known once the arrays are encoded).
    public let document: ShardDocument
    let scenario: Scenario
    let request: RunRequest

    public init(_ pieces: [ShardPiece], scenario: Scenario, request: RunRequest, shard: ShardSpec) {
        self.pieces = pieces
        self.scenario = scenario
        self.request = request
        document = ShardDocument(
            scenarioPath: URL(fileURLWithPath: scenario.path).standardizedFileURL.path,
            inputs: Manifest.fingerprints(scenario.inputFiles.map { URL(fileURLWithPath: $0).standardizedFileURL.path }),
            seed: request.settings.seed, paths: request.settings.paths,
            method: request.method.rawValue, stresses: request.stresses.map(\.name), horizon: scenario.portfolio.horizon,
            levels: scenario.levels, shard: shard,
            pieces: pieces.map { p in
                ShardDocument.Piece(folder: p.stress.map { "stress-\($0.name)" } ?? "base", stress: p.stress?.name,
                                    state: p.output.state, shift: p.shift, arrays: [],
                                    contributions: p.contributions.map {
                                        ShardDocument.ContributionSums(keepFrom: $0.keepFrom, index: $0.index, sums: $0.sums)
                                    })
            })
    }

    /// The arrays of one piece, each encoded when written.
    static func arrays(_ piece: ShardPiece) -> [ResultFile] {
        var arrays = arrays(piece.output)
        if let kept = piece.contributions?.kept {
            arrays += [ResultFile("tail-path.npy") { NumPyFile.integers(kept.path.map(Int64.init)) },
                       ResultFile("tail-bond.npy") { NumPyFile.integers(kept.bond) },
                       ResultFile("tail-loss.npy") { NumPyFile.float64(kept.loss, shape: [kept.count]) }]
        }
        return arrays
    }

    static func arrays(_ o: SimulationOutput) -> [ResultFile] {
        var arrays = [ResultFile("net.npy") { NumPyFile.float64(o.net, shape: [o.paths]) },
                      ResultFile("gross.npy") { NumPyFile.float64(o.gross, shape: [o.paths]) }]
        if let w = o.weights { arrays.append(ResultFile("weight.npy") { NumPyFile.float64(w, shape: [o.paths]) }) }
        if let f = o.factors { arrays.append(ResultFile("factors.npy") { NumPyFile.float32(f, shape: [o.paths, o.factorCount]) }) }
        if let s = o.sectorLosses { arrays.append(ResultFile("sectors.npy") { NumPyFile.float32(s, shape: [o.paths, o.sectorIDs.count]) }) }
        // Per-bond events (a shard run with --export-paths), for the merged paths/events/.
        arrays += PathArrays.eventFiles(o).map { ResultFile("events-" + $0.name, render: $0.render) }
        return arrays
    }

    public var folder: ResultFolder {
        // The files are written in order, shard.json last: each array's checksum is noted as it is
        // encoded, and shard.json lists them.
        let ledger = Checksums()
        var files: [ResultFile] = []
        for (p, piece) in zip(pieces, document.pieces) {
            for array in Self.arrays(p) {
                let key = piece.folder + "/" + array.name
                files.append(ResultFile(key) {
                    let data = try array.render()
                    ledger.note(key, ShardDocument.ArrayFile(name: array.name, bytes: data.count, sha256: SHA256.hex(data)))
                    return data
                })
            }
        }
        let unbound = document
        files.append(.text("shard.json") {
            var d = unbound
            for i in d.pieces.indices {
                d.pieces[i].arrays = Self.arrays(pieces[i]).compactMap { ledger.entry(d.pieces[i].folder + "/" + $0.name) }
            }
            return try encodeJSON(d)
        })
        return ResultFolder(files: files)
    }
}

/// The checksums of the arrays written so far (written by one thread, read after it).
final class Checksums: Sendable {
    private let entries = Mutex<[String: ShardDocument.ArrayFile]>([:])
    func note(_ key: String, _ entry: ShardDocument.ArrayFile) { entries.withLock { $0[key] = entry } }
    func entry(_ key: String) -> ShardDocument.ArrayFile? { entries.withLock { $0[key] } }
}
