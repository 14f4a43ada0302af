import ArgumentParser
import CreditScenario
import Foundation

/// The last step of every command that produces results (`run` in every mode, `merge`): write the
/// folder with its manifests, print the JSON or the table and one "Wrote …" line, and exit 130
/// after a stop. Under MPI every rank makes the same files and text in the same order (their
/// figures are collective queries); rank 0 alone writes and prints.
struct Delivery {
    var output: OutputDirectory?
    /// The folder as the user named it, for the "Wrote" line.
    var outPath: String?
    var json: Bool
    var isRoot = true

    /// `then` runs after the files are written and the text printed, before a stop's exit 130
    /// (the history append).
    func deliver(_ result: any Presentation, manifest: Manifest, then: () throws -> Void = {}) throws {
        if let interruption = result.interruption, isRoot { StdErr.write(interruption + "\n") }
        if isRoot { for w in result.warnings { StdErr.write("warning: \(w)\n") } }
        let folder = result.folder
        if outPath != nil {
            let files = folder.flattened(manifest: manifest)
            if let output {
                do { try output.write(files) } catch {
                    StdErr.write("error: \(error)\n")
                    if case .cannotEncode = error { throw Exit.software }
                    throw Exit.cannotCreate
                }
            } else {
                // Another rank's: the same contents, in the same order, for their collectives.
                for f in files { _ = try? f.render() }
            }
        }
        let text: String
        do { text = json ? try result.json() : result.terminal() } catch {
            StdErr.write("error: internal: cannot encode the summary: \(error)\n")
            throw Exit.software
        }
        if isRoot {
            print(text, terminator: "")
            if let outPath, !json { print("\nWrote \(folder.listing()) to \(outPath)") }
        }
        try then()
        // 128 + SIGINT, after the partial results are safely written.
        if result.isPartial { throw ExitCode(130) }
    }
}

/// The exit code and message of a run that could not go ahead.
func runExitCode(for error: RunError, scenario: String, pathsFromCommandLine: Bool, methodFromCommandLine: Bool) -> ExitCode {
    switch error {
    case let .tooManyPaths(paths, _, _):
        let source = pathsFromCommandLine ? "--paths \(paths)" : "\(scenario): simulation.paths \(paths)"
        StdErr.write("error: \(source) \(error)\n")
        return pathsFromCommandLine ? Exit.usage : Exit.dataError
    case .interruptedBeforeAnyPath:
        StdErr.write("Interrupted: \(error)\n")
        return ExitCode(130)
    case .unsupported:
        StdErr.write("error: \(error)\n")
        return Exit.usage
    case .importanceNeedsFactors where methodFromCommandLine:
        StdErr.write("error: --method importance: \(error)\n")
        return Exit.usage
    case .stress, .importanceNeedsFactors, .creditRiskPlus:
        StdErr.write("error: \(scenario): \(error)\n")
        return Exit.dataError
    }
}
