import Foundation

/// Runs the built `creditsim` for the hardening tests: environment, stdout to a file, stderr
/// captured to a file so that a test can wait for a line while the process runs.
struct Tool {
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    static var url: URL { CLITests.tool }

    static func temporaryFolder(_ tag: String) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("creditsim-\(tag)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Runs to the end. `stdout`: a path to write standard output to (e.g. /dev/full).
    static func run(_ arguments: [String], environment: [String: String] = [:], stdout: String? = nil,
                    directory: URL? = nil) throws -> Result {
        let p = try Started(arguments, environment: environment, stdout: stdout, directory: directory)
        p.process.waitUntilExit()
        return Result(status: p.process.terminationStatus, stdout: p.stdoutText, stderr: p.stderrText)
    }

    /// A process running in the background.
    final class Started {
        let process = Process()
        let errFile: URL
        let outFile: URL?

        init(_ arguments: [String], environment: [String: String] = [:], stdout: String? = nil, directory: URL? = nil) throws {
            let tmp = FileManager.default.temporaryDirectory
            errFile = tmp.appendingPathComponent("creditsim-err-\(UUID().uuidString)")
            _ = FileManager.default.createFile(atPath: errFile.path, contents: nil)
            if let stdout {
                outFile = nil
                process.standardOutput = FileHandle(forWritingAtPath: stdout)
            } else {
                let o = tmp.appendingPathComponent("creditsim-out-\(UUID().uuidString)")
                _ = FileManager.default.createFile(atPath: o.path, contents: nil)
                outFile = o
                process.standardOutput = try FileHandle(forWritingTo: o)
            }
            process.standardError = try FileHandle(forWritingTo: errFile)
            process.executableURL = Tool.url
            process.arguments = arguments
            if let directory { process.currentDirectoryURL = directory }
            var env = ProcessInfo.processInfo.environment
            for (k, v) in environment { env[k] = v }
            process.environment = env
            try process.run()
        }

        var stderrText: String { (try? String(contentsOf: errFile, encoding: .utf8)) ?? "" }
        var stdoutText: String { outFile.flatMap { try? String(contentsOf: $0, encoding: .utf8) } ?? "" }

        /// Waits until stderr contains `text` (or the process ends, or `timeout` passes).
        @discardableResult
        func waitFor(_ text: String, timeout: Double = 60) -> Bool {
            let end = Date().addingTimeInterval(timeout)
            while Date() < end {
                if stderrText.contains(text) { return true }
                if !process.isRunning { return stderrText.contains(text) }
                Thread.sleep(forTimeInterval: 0.02)
            }
            return false
        }

        func kill(_ signal: Int32 = SIGKILL) {
            Foundation.kill(process.processIdentifier, signal)
            process.waitUntilExit()
        }
    }
}
