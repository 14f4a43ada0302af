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
}

extension ShardDocument {
    /// The run's document for `pieces`.
    init(_ pieces: [ShardPiece], scenario: Scenario, request: RunRequest, shard: ShardSpec) {
        self.init(scenarioPath: URL(fileURLWithPath: scenario.path).standardizedFileURL.path,
                  inputs: Manifest.fingerprints(scenario.inputFiles.map { URL(fileURLWithPath: $0).standardizedFileURL.path }),
                  seed: request.settings.seed, paths: request.settings.paths,
                  method: request.method.rawValue, stresses: request.stresses.map(\.name), horizon: scenario.portfolio.horizon,
                  levels: scenario.levels, shard: shard,
                  pieces: pieces.map { p in
                      Piece(folder: p.stress.map { "stress-\($0.name)" } ?? "base", stress: p.stress?.name, state: p.output.state,
                            shift: p.shift)
                  })
    }
}

/// A shard folder (`run --shard K/N`): `shard.json` and each portfolio's raw arrays in `base/`
/// and `stress-NAME/`, for `merge`.
public struct ShardResult: Sendable {
    public let pieces: [ShardPiece]
    public let document: ShardDocument

    public init(_ pieces: [ShardPiece], scenario: Scenario, request: RunRequest, shard: ShardSpec) {
        self.pieces = pieces
        document = ShardDocument(pieces, scenario: scenario, request: request, shard: shard)
    }

    public var folder: ResultFolder {
        var files: [ResultFile] = []
        for (p, piece) in zip(pieces, document.pieces) {
            let o = p.output
            var arrays = [ResultFile("net.npy") { NumPyFile.float64(o.net, shape: [o.paths]) },
                          ResultFile("gross.npy") { NumPyFile.float64(o.gross, shape: [o.paths]) }]
            if let w = o.weights { arrays.append(ResultFile("weight.npy") { NumPyFile.float64(w, shape: [o.paths]) }) }
            if let f = o.factors { arrays.append(ResultFile("factors.npy") { NumPyFile.float32(f, shape: [o.paths, o.factorCount]) }) }
            if let s = o.sectorLosses {
                arrays.append(ResultFile("sectors.npy") { NumPyFile.float32(s, shape: [o.paths, o.sectorIDs.count]) })
            }
            files += arrays.map { $0.inFolder(piece.folder) }
        }
        files.append(.json("shard.json", document))
        return ResultFolder(files: files)
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

extension ShardMerge {
    /// The one-process outcomes of a checked, complete set of shards (base, then each stress):
    /// the pieces finished by the pipeline as a whole run finishes its own.
    public static func outcomes(_ loaded: [Loaded], scenario: Scenario) throws(MergeError) -> [RunOutcome] {
        guard let document = loaded.first?.document else { throw MergeError(description: "no shard folders given") }
        var stresses: [Stress?] = [nil]
        for name in document.stresses {
            guard let s = scenario.stresses.first(where: { $0.name == name }) else {
                throw MergeError(description: "\(document.scenarioPath): stress \(name) of the shards is no longer in the scenario")
            }
            stresses.append(s)
        }
        let pipeline = RunPipeline(scenario: scenario)
        for stress in stresses.compactMap({ $0 }) {
            do { _ = try pipeline.portfolio(under: stress) } catch {
                throw MergeError(description: "\(document.scenarioPath): \(error)")
            }
        }
        let shards = loaded.map { l in
            zip(stresses, zip(l.outputs, l.document.pieces)).map { stress, piece in
                ShardPiece(stress: stress, output: piece.0, shift: piece.1.shift)
            }
        }
        return pipeline.merge(shards, requestedPaths: document.paths)
    }
}
