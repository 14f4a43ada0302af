import CreditRisk
import Foundation

/// What a shard folder holds besides its arrays (`shard.json`), and how `merge` checks and
/// combines a set of them.
public struct ShardDocument: Codable, Sendable {
    public struct Piece: Codable, Sendable {
        /// "base" or "stress-NAME": the folder of its arrays.
        public var folder: String
        public var stress: String?
        public var state: SimulationOutput.State
        public var shift: ImportanceShift?
    }

    public var format = 1
    public var version = CreditSimVersion.version
    public var revision = CreditSimVersion.revision
    /// The scenario file, absolute, and the fingerprints of every input read.
    public var scenarioPath: String
    public var inputs: [Manifest.Input]
    public var seed: UInt64
    public var paths: Int
    public var method: String
    public var stresses: [String]
    /// Overrides given to `run` (they change the run, so every shard must share them).
    public var horizon: Double
    public var levels: [Double]
    public var shard: ShardSpec
    public var pieces: [Piece]

    enum CodingKeys: String, CodingKey {
        case format, version, revision, inputs, seed, paths, method, stresses, horizon, levels, shard, pieces
        case scenarioPath = "scenario_path"
    }

    /// The files of a shard folder.
    public static func files(_ pieces: [ShardPiece], scenario: Scenario, request: RunRequest, shard: ShardSpec,
                             manifest: Manifest) throws -> [(name: String, contents: Data)] {
        var files: [(name: String, contents: Data)] = []
        var documentPieces: [Piece] = []
        for p in pieces {
            let folder = p.stress.map { "stress-\($0.name)" } ?? "base"
            let o = p.output
            files.append((folder + "/net.npy", NumPyFile.float64(o.net, shape: [o.paths])))
            files.append((folder + "/gross.npy", NumPyFile.float64(o.gross, shape: [o.paths])))
            if let w = o.weights { files.append((folder + "/weight.npy", NumPyFile.float64(w, shape: [o.paths]))) }
            if let f = o.factors { files.append((folder + "/factors.npy", NumPyFile.float32(f, shape: [o.paths, o.factorCount]))) }
            if let s = o.sectorLosses { files.append((folder + "/sectors.npy", NumPyFile.float32(s, shape: [o.paths, o.sectorIDs.count]))) }
            documentPieces.append(Piece(folder: folder, stress: p.stress?.name, state: o.state, shift: p.shift))
        }
        let document = ShardDocument(
            scenarioPath: URL(fileURLWithPath: scenario.path).standardizedFileURL.path,
            inputs: Manifest.fingerprints(scenario.inputFiles), seed: request.settings.seed, paths: request.settings.paths,
            method: request.method.rawValue, stresses: request.stresses.map(\.name), horizon: scenario.portfolio.horizon,
            levels: scenario.levels, shard: shard, pieces: documentPieces)
        files.append(("shard.json", Data(try ResultFiles.encodeJSON(document).utf8)))
        files.append(("manifest.json", Data(try ResultFiles.encodeJSON(manifest).utf8)))
        return files
    }
}

/// Why a set of shard folders cannot be merged.
public struct MergeError: Error, Sendable, CustomStringConvertible {
    public let description: String
}

/// Reads N shard folders, checks that they are one complete, consistent set, and rebuilds the
/// one-process outputs (base first, then each stress) in block order.
public enum ShardMerge {
    public struct Loaded: Sendable {
        public var document: ShardDocument
        public var outputs: [SimulationOutput]
    }

    public static func load(_ folders: [String]) throws(MergeError) -> [Loaded] {
        var loaded: [(String, Loaded)] = []
        for folder in folders {
            let url = URL(fileURLWithPath: folder)
            guard let data = FileManager.default.contents(atPath: url.appendingPathComponent("shard.json").path) else {
                throw MergeError(description: "\(folder): no shard.json; give the folders written by `creditsim run --shard K/N --out DIR`")
            }
            let document: ShardDocument
            do { document = try JSONDecoder().decode(ShardDocument.self, from: data) } catch {
                throw MergeError(description: "\(folder)/shard.json: damaged or not a CreditSim shard (\(error))")
            }
            var outputs: [SimulationOutput] = []
            for piece in document.pieces {
                func array(_ name: String) throws(MergeError) -> [Double]? {
                    let path = url.appendingPathComponent(piece.folder).appendingPathComponent(name).path
                    guard FileManager.default.fileExists(atPath: path) else { return nil }
                    guard let d = FileManager.default.contents(atPath: path), let a = NumPyFile.read(d) else {
                        throw MergeError(description: "\(folder)/\(piece.folder)/\(name): damaged (not a readable .npy array)")
                    }
                    return a.values
                }
                guard let net = try array("net.npy"), let gross = try array("gross.npy") else {
                    throw MergeError(description: "\(folder)/\(piece.folder): net.npy or gross.npy missing")
                }
                let factors = try array("factors.npy")?.map(Float.init), sectors = try array("sectors.npy")?.map(Float.init)
                guard let output = SimulationOutput(state: piece.state, net: net, gross: gross, weights: try array("weight.npy"),
                                                    factors: factors, sectorLosses: sectors) else {
                    throw MergeError(description: "\(folder)/\(piece.folder): arrays do not match shard.json (damaged or mixed files)")
                }
                outputs.append(output)
            }
            loaded.append((folder, Loaded(document: document, outputs: outputs)))
        }
        try check(loaded)
        return loaded.sorted { $0.1.document.shard.index < $1.1.document.shard.index }.map(\.1)
    }

    /// One complete set: the same run (tool, inputs, seed, paths, method, stresses, overrides) and
    /// shards 1 … N exactly once, each with its own blocks.
    static func check(_ loaded: [(String, Loaded)]) throws(MergeError) {
        guard let (firstFolder, first) = loaded.first else { throw MergeError(description: "no shard folders given") }
        let a = first.document
        for (folder, l) in loaded.dropFirst() {
            let b = l.document
            func differ(_ what: String, _ x: String, _ y: String) -> MergeError {
                MergeError(description: "\(folder): another \(what) (\(y); \(firstFolder) has \(x)): shards of different runs cannot be merged")
            }
            if b.seed != a.seed { throw differ("seed", "\(a.seed)", "\(b.seed)") }
            if b.paths != a.paths { throw differ("path count", "\(a.paths)", "\(b.paths)") }
            if b.method != a.method { throw differ("method", a.method, b.method) }
            if b.stresses != a.stresses { throw differ("stress list", "\(a.stresses)", "\(b.stresses)") }
            if b.horizon != a.horizon || b.levels != a.levels { throw differ("horizon or level list", "\(a.horizon)", "\(b.horizon)") }
            if Set(b.inputs.map(\.sha256)) != Set(a.inputs.map(\.sha256)) {
                throw differ("scenario (input files differ in content)", a.scenarioPath, b.scenarioPath)
            }
            if b.version != a.version || b.revision != a.revision {
                throw differ("tool version", "\(a.version) \(a.revision)", "\(b.version) \(b.revision)")
            }
            if b.shard.count != a.shard.count { throw differ("shard count", "\(a.shard.count)", "\(b.shard.count)") }
        }
        let n = a.shard.count
        var seen: [Int: String] = [:]
        for (folder, l) in loaded {
            if let other = seen[l.document.shard.index] {
                throw MergeError(description: "\(folder): shard \(l.document.shard) given twice (also \(other))")
            }
            seen[l.document.shard.index] = folder
        }
        let missing = (1...n).filter { seen[$0] == nil }
        if !missing.isEmpty {
            throw MergeError(description: "shard\(missing.count > 1 ? "s" : "") \(missing.map { "\($0)/\(n)" }.joined(separator: ", ")) missing: give all \(n) shard folders")
        }
        // The scenario must still be what the shards ran.
        let now = Manifest.fingerprints(a.inputs.map(\.path))
        if now.map(\.sha256) != a.inputs.map(\.sha256) {
            throw MergeError(description: "\(a.scenarioPath): the scenario's files changed since the shards ran (SHA-256 differs); rerun the shards")
        }
    }
}
