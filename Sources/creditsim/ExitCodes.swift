import ArgumentParser
import CreditScenario
import Foundation

/// sysexits(3) codes used by the tool.
enum Exit {
    static let usage = ExitCode(64)
    static let dataError = ExitCode(65)
    static let noInput = ExitCode(66)
    static let software = ExitCode(70)
    static let cannotCreate = ExitCode(73)
}

/// Standard error, unbuffered.
enum StdErr {
    static func write(_ s: String) {
        FileHandle.standardError.write(Data(s.utf8))
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
