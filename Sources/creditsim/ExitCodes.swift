import ArgumentParser
import CreditScenario
import Foundation
import Synchronization

/// sysexits(3) codes used by the tool.
enum Exit {
    static let usage = ExitCode(64)
    static let dataError = ExitCode(65)
    static let noInput = ExitCode(66)
    static let software = ExitCode(70)
    static let cannotCreate = ExitCode(73)
    static let ioError = ExitCode(74)
}

/// Standard output, written straight to descriptor 1 so that every failed write is seen: a full
/// disk, /dev/full or a closed file makes `finish` exit 74 (EX_IOERR) instead of a silent success.
enum StdOut {
    private static let failure = Mutex<String?>(nil)

    static func write(_ s: String) {
        // Text from scenarios never reaches a terminal raw: control characters become escapes.
        var bytes = Array(SafeText.terminal(s, keepNewlines: true).utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeMutableBytes { Foundation.write(1, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                let reason = String(cString: strerror(errno))
                failure.withLock { if $0 == nil { $0 = reason } }
                return
            }
            offset += n
        }
        bytes.removeAll()
    }

    /// Nil when every write reached standard output, else the first failure.
    static func flush() -> String? {
        if fflush(nil) != 0 { return String(cString: strerror(errno)) }
        return failure.withLock { $0 }
    }

    static func finish() throws {
        if let reason = flush() {
            StdErr.write("error: cannot write to standard output: \(reason)\n")
            throw Exit.ioError
        }
    }
}

/// The tool's `print`: to `StdOut`, so that write errors are not lost in a stdio buffer.
func print(_ items: Any..., separator: String = " ", terminator: String = "\n") {
    StdOut.write(items.map { "\($0)" }.joined(separator: separator) + terminator)
}

/// Standard error, unbuffered.
enum StdErr {
    static func write(_ s: String) {
        FileHandle.standardError.write(Data(SafeText.terminal(s, keepNewlines: true).utf8))
    }

    static var isTerminal: Bool { isatty(2) != 0 }
}

/// Prints a scenario error's problems and returns the exit code that fits it.
func report(_ error: ScenarioError) -> ExitCode {
    let count = error.problems.count
    for p in error.problems { StdErr.write("error: \(p)\n") }
    if count > 1 { StdErr.write("\(count) problems found.\n") }
    switch error.kind {
    case .unreadableFile: return Exit.noInput
    case .invalidData: return Exit.dataError
    }
}

/// Loads a scenario or exits with the right code after printing every problem; prints the
/// scenario's warnings on standard error.
func loadScenario(_ path: String) throws -> Scenario {
    do {
        let scenario = try ScenarioLoader.load(path: path)
        for w in scenario.warnings { StdErr.write("warning: \(w)\n") }
        return scenario
    } catch {
        throw report(error)
    }
}
