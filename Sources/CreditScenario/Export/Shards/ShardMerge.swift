import CreditRisk
import Foundation

/// Why a set of shard folders cannot be merged.
public struct MergeError: Error, Sendable, CustomStringConvertible {
    public let description: String
    /// A shard folder another process is writing (exit 73), rather than a bad set (65).
    public var isBusy = false
}

/// Reads N shard folders, checks that they are one complete, consistent set, and rebuilds the
/// one-process outputs (base first, then each stress) in block order. Every array must be the one
/// its `shard.json` lists (size and SHA-256) and hold finite numbers; nothing else may sit
/// beside them.
public enum ShardMerge {
    public struct Loaded: Sendable {
        public var document: ShardDocument
        public var outputs: [SimulationOutput]
        /// Per portfolio, the shard's contribution share (`run --shard K/N --contributions`).
        public var contributions: [ShardContributions?] = []
    }

    /// Each folder is read under its lock (the one `run --shard` holds while writing it), so no
    /// shard is rewritten during the merge and none is read half-written.
    public static func load(_ folders: [String]) throws(MergeError) -> [Loaded] {
        var locks: [OutputDirectory] = []
        defer { for l in locks { l.release() } }
        var loaded: [(String, Loaded)] = []
        var lockedFolders = Set<String>()
        for folder in folders {
            // One lock per folder (a folder given twice is refused below, not by its own lock).
            if lockedFolders.insert(OutputDirectory.resolve(folder)).inserted {
                do { locks.append(try OutputDirectory.lockForReading(path: folder)) } catch {
                var busy = false
                if case .busy = error { busy = true }
                throw MergeError(description: "\(error)", isBusy: busy)
                }
            }
            loaded.append((folder, try loadOne(folder)))
        }
        try check(loaded)
        return loaded.sorted { $0.1.document.shard.index < $1.1.document.shard.index }.map(\.1)
    }

    static func loadOne(_ folder: String) throws(MergeError) -> Loaded {
        let url = URL(fileURLWithPath: folder)
        guard let data = FileManager.default.contents(atPath: url.appendingPathComponent("shard.json").path) else {
            throw MergeError(description: "\(folder): no shard.json; give the folders written by `creditsim run --shard K/N --out DIR`")
        }
        let document: ShardDocument
        do { document = try JSONDecoder().decode(ShardDocument.self, from: data) } catch {
            throw MergeError(description: "\(folder)/shard.json: damaged or not a CreditSim shard (\(error))")
        }
        guard document.format == 2 else {
            throw MergeError(description: "\(folder)/shard.json: shard format \(document.format); this creditsim merges format 2 (rerun the shards with it)")
        }
        guard !document.pieces.isEmpty, document.pieces.count == 1 + document.stresses.count else {
            throw MergeError(description: "\(folder)/shard.json: \(document.pieces.count) portfolios for \(document.stresses.count) stresses (damaged)")
        }
        var outputs: [SimulationOutput] = []
        var contributions: [ShardContributions?] = []
        for piece in document.pieces {
            let where_ = "\(folder)/\(piece.folder)"
            guard ["base"] + document.stresses.map({ "stress-\($0)" }) == document.pieces.map(\.folder),
                  !piece.folder.contains("/"), !piece.folder.contains("..") else {
                throw MergeError(description: "\(where_): not a portfolio folder of this shard (damaged shard.json)")
            }
            let arrays = try readArrays(piece, in: url.appendingPathComponent(piece.folder), label: where_)
            if let problem = piece.state.problem(firstBlockOf: (document.shard.index, document.shard.count), paths: document.paths) {
                throw MergeError(description: "\(folder)/shard.json: \(piece.folder): \(problem) (damaged)")
            }
            var state = piece.state
            state.summary = state.summary.with(events: try events(arrays, paths: state.firstPath..<(state.firstPath + state.paths),
                                                                label: where_))
            guard let net = arrays["net.npy"], let gross = arrays["gross.npy"],
                  let output = SimulationOutput(state: state, net: net, gross: gross, weights: arrays["weight.npy"],
                                                factors: arrays["factors.npy"]?.map(Float.init),
                                                sectorLosses: arrays["sectors.npy"]?.map(Float.init)) else {
                throw MergeError(description: "\(where_): arrays do not match shard.json (damaged or mixed files)")
            }
            outputs.append(output)
            contributions.append(try shardContributions(piece, arrays, output: output, label: where_))
        }
        return Loaded(document: document, outputs: outputs, contributions: contributions)
    }

    /// The per-bond events of a shard run with `--export-paths` (`events-*.npy`), nil without:
    /// six columns of one length, integers where they must be, paths of this shard in order.
    static func events(_ arrays: [String: [Double]], paths: Range<Int>, label: String) throws(MergeError) -> BondEvents? {
        let names = ["path", "bond", "state", "time", "gross", "net"]
        let columns = names.map { arrays["events-\($0).npy"] }
        if columns.allSatisfy({ $0 == nil }) { return nil }
        guard let c = columns as? [[Double]], Set(c.map(\.count)).count == 1,
              c[0].allSatisfy({ $0 >= Double(paths.lowerBound) && $0 < Double(paths.upperBound) && $0.rounded() == $0 }),
              zip(c[0], c[0].dropFirst()).allSatisfy({ $0 <= $1 }),
              c[1].allSatisfy({ $0 >= 0 && $0 <= Double(Int32.max) && $0.rounded() == $0 }),
              c[2].allSatisfy({ BondEvents.Kind(rawValue: Int8(exactly: $0) ?? 0) != nil }) else {
            throw MergeError(description: "\(label)/events-*.npy: the per-bond event columns do not fit together (damaged)")
        }
        return BondEvents(path: c[0].map { Int($0) }, bond: c[1].map { Int32($0) }, kind: c[2].map { Int8($0) },
                          time: c[3], gross: c[4], net: c[5])
    }

    /// A piece's contribution share: its sums, and its kept bond losses (`tail-*.npy`, paths of
    /// the shard in order, bonds of the book).
    static func shardContributions(_ piece: ShardDocument.Piece, _ arrays: [String: [Double]], output: SimulationOutput,
                                   label: String) throws(MergeError) -> ShardContributions? {
        guard let c = piece.contributions else { return nil }
        let range = Double(output.firstPath)..<Double(output.firstPath + output.paths)
        guard let path = arrays["tail-path.npy"], let bond = arrays["tail-bond.npy"], let loss = arrays["tail-loss.npy"],
              path.count == bond.count, path.count == loss.count, c.index.count == c.sums.count,
              path.allSatisfy({ range.contains($0) && $0.rounded() == $0 }), zip(path, path.dropFirst()).allSatisfy({ $0 <= $1 }),
              bond.allSatisfy({ $0 >= 0 && $0 <= Double(Int32.max) && $0.rounded() == $0 }),
              c.index.allSatisfy({ $0 >= 0 }), !(c.keepFrom?.isNaN ?? false) else {
            throw MergeError(description: "\(label): the contribution records (tail-*.npy, shard.json) do not fit together (damaged)")
        }
        return ShardContributions(keepFrom: c.keepFrom, index: c.index, sums: c.sums,
                                  kept: TailLosses(path: path.map { Int($0) }, bond: bond.map { Int32($0) }, loss: loss))
    }

    /// The arrays `piece` lists, each checked against its size and SHA-256, then for finite values;
    /// an array file it does not list is another run's.
    static func readArrays(_ piece: ShardDocument.Piece, in folder: URL, label: String) throws(MergeError) -> [String: [Double]] {
        let listed = Set(piece.arrays.map(\.name))
        let present = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".npy") }
        for name in present where !listed.contains(name) {
            throw MergeError(description: "\(label)/\(name): not listed in shard.json, so not written with it (another run's file?); rerun the shard")
        }
        guard listed.contains("net.npy"), listed.contains("gross.npy") else {
            throw MergeError(description: "\(label): shard.json lists no net.npy or gross.npy (damaged)")
        }
        var out: [String: [Double]] = [:]
        for file in piece.arrays {
            guard file.name.hasSuffix(".npy"), !file.name.contains("/") else {
                throw MergeError(description: "\(label): shard.json lists \(file.name), not an array of a shard (damaged)")
            }
            let path = folder.appendingPathComponent(file.name).path
            guard let data = FileManager.default.contents(atPath: path) else {
                throw MergeError(description: "\(label)/\(file.name): missing (shard.json lists it); rerun the shard")
            }
            guard data.count == file.bytes, SHA256.hex(data) == file.sha256 else {
                throw MergeError(description: "\(label)/\(file.name): not the array shard.json was written with (size or SHA-256 differs); rerun the shard")
            }
            guard let array = NumPyFile.read(data) else {
                throw MergeError(description: "\(label)/\(file.name): damaged (not a readable .npy array)")
            }
            if let bad = array.values.firstIndex(where: { !$0.isFinite }) {
                throw MergeError(description: "\(label)/\(file.name): value \(array.values[bad]) at index \(bad); losses and factors are finite (damaged)")
            }
            out[file.name] = array.values
        }
        return out
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
        // Name the first few missing shards only: N may be as large as an Int.
        if seen.count < n {
            var missing: [Int] = []
            var k = 1
            while missing.count < 5 && k <= n {
                if seen[k] == nil { missing.append(k) }
                k += 1
            }
            let more = n - seen.count - missing.count
            throw MergeError(description: "\(n - seen.count) of \(n) shards missing (\(missing.map { "\($0)/\(n)" }.joined(separator: ", "))\(more > 0 ? " and \(more) more" : "")): give all \(n) shard folders")
        }
        // The scenario must still be what the shards ran.
        let now = Manifest.fingerprints(a.inputs.map(\.path))
        if now.map(\.sha256) != a.inputs.map(\.sha256) {
            throw MergeError(description: "\(a.scenarioPath): the scenario's files changed since the shards ran (SHA-256 differs); rerun the shards")
        }
    }

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
            zip(stresses, zip(l.outputs, l.document.pieces)).enumerated().map { i, pair in
                let (stress, piece) = pair
                return ShardPiece(stress: stress, output: piece.0, shift: piece.1.shift,
                                  contributions: l.contributions.indices.contains(i) ? l.contributions[i] : nil)
            }
        }
        return try pipeline.merge(shards, requestedPaths: document.paths)
    }
}
