import Foundation

/// One file of a result folder. Its contents are made when it is written, one file at a time,
/// so that a large per-path array is in memory only while it is written.
public struct ResultFile: Sendable {
    /// The path inside the result folder ("summary.json", "paths/net.npy").
    public let name: String
    public let render: @Sendable () throws -> Data

    public init(_ name: String, render: @escaping @Sendable () throws -> Data) {
        self.name = name
        self.render = render
    }

    /// A text file, UTF-8.
    public static func text(_ name: String, _ make: @escaping @Sendable () throws -> String) -> ResultFile {
        ResultFile(name) { Data(try make().utf8) }
    }

    /// A JSON document, pretty and key-sorted with a final newline (the format of every JSON file).
    public static func json<T: Encodable & Sendable>(_ name: String, _ value: T) -> ResultFile {
        text(name) { try encodeJSON(value) }
    }

    /// The same file one folder down.
    func inFolder(_ folder: String) -> ResultFile { ResultFile(folder + "/" + name, render: render) }
}

/// Pretty, key-sorted JSON with a final newline (the format of every JSON file written).
public func encodeJSON<T: Encodable>(_ value: T) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
}

/// A kind of file made from one result (`Source`): a new output file is one such type and one
/// line in the registry of the results it belongs to (`SimulationFiles`, `AnalyticFiles`, …).
public protocol ResultFileKind<Source>: SendableMetatype {
    associatedtype Source
    /// The kind's files for `source`; none when it does not apply (no contributions asked, …).
    static func files(for source: Source) -> [ResultFile]
}

/// What an analysis writes: its files and subfolders. The writer adds `manifest.json` to the
/// folder and to every subfolder.
public struct ResultFolder: Sendable {
    public var files: [ResultFile] = []
    public var subfolders: [(name: String, folder: ResultFolder)] = []

    public init(files: [ResultFile] = [], subfolders: [(name: String, folder: ResultFolder)] = []) {
        self.files = files
        self.subfolders = subfolders
    }

    /// The files of every kind in `registry` for `source`.
    public init<Source>(_ source: Source, registry: [any ResultFileKind<Source>.Type]) {
        files = registry.flatMap { $0.files(for: source) }
    }

    /// Every file, with `manifest` in this folder and in each subfolder, paths relative to the folder.
    public func flattened(manifest: Manifest) -> [ResultFile] {
        var all = files + [ResultFile.json("manifest.json", manifest)]
        for (name, sub) in subfolders {
            var m = manifest
            m.folder = (manifest.folder.map { $0 + "/" } ?? "") + name
            all += sub.flattened(manifest: m).map { $0.inFolder(name) }
        }
        return all
    }

    /// "summary.json, quantiles.csv, …, stress-x/ (6 files)": what a run prints after writing.
    public func listing(manifest: Bool = true) -> String {
        var names = files.filter { !$0.name.contains("/") }.map(\.name)
        var folders: [String: Int] = [:]
        var order: [String] = []
        for f in files where f.name.contains("/") {
            let top = String(f.name.prefix { $0 != "/" })
            if folders[top] == nil { order.append(top) }
            folders[top, default: 0] += 1
        }
        if manifest { names.append("manifest.json") }
        for top in order { names.append("\(top)/ (\(folders[top] ?? 0) files)") }
        for (name, sub) in subfolders { names.append("\(name)/ (\(sub.fileCount(manifest: manifest)) files)") }
        return names.joined(separator: ", ")
    }

    func fileCount(manifest: Bool) -> Int {
        files.count + (manifest ? 1 : 0) + subfolders.reduce(0) { $0 + $1.folder.fileCount(manifest: manifest) }
    }
}
