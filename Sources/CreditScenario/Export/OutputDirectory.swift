import Foundation

/// Writes a run's files so that a failure leaves none of them behind: everything goes to a
/// hidden staging folder inside DIR first, and is renamed into place only when all are written.
public struct OutputDirectory {
    public enum Failure: Error, CustomStringConvertible {
        case notWritable(path: String, reason: String)
        public var description: String {
            switch self {
            case let .notWritable(path, reason): return "\(path): cannot write output: \(reason)"
            }
        }
    }

    public let path: String

    public init(path: String) { self.path = path }

    /// Writes `files` (name → contents) into the directory, creating it if missing.
    public func write(_ files: [(name: String, contents: String)]) throws(Failure) {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        let existed = fm.fileExists(atPath: path, isDirectory: &isDirectory)
        if existed && !isDirectory.boolValue {
            throw .notWritable(path: path, reason: "exists and is not a directory")
        }
        let root = URL(fileURLWithPath: path)
        let staging = root.appendingPathComponent(".creditsim-staging-\(ProcessInfo.processInfo.processIdentifier)")
        do {
            try fm.createDirectory(at: staging, withIntermediateDirectories: true)
        } catch {
            throw .notWritable(path: path, reason: Self.reason(error))
        }
        defer { try? fm.removeItem(at: staging) }
        do {
            // Names may hold one folder level ("stress-x/summary.json").
            for f in files {
                let file = staging.appendingPathComponent(f.name)
                try fm.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(f.contents.utf8).write(to: file)
            }
            for f in files {
                let target = root.appendingPathComponent(f.name)
                try fm.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
                if fm.fileExists(atPath: target.path) { try fm.removeItem(at: target) }
                try fm.moveItem(at: staging.appendingPathComponent(f.name), to: target)
            }
        } catch {
            if !existed { try? fm.removeItem(at: root) }
            throw .notWritable(path: path, reason: Self.reason(error))
        }
    }

    static func reason(_ error: Error) -> String {
        let ns = error as NSError
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError {
            return String(cString: strerror(Int32(underlying.code)))
        }
        return ns.localizedDescription
    }
}
