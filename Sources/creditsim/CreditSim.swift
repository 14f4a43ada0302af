import ArgumentParser
import Foundation
import CreditScenario

/// The `creditsim` tool: a thin root; each subcommand lives in its own file.
@main
struct CreditSim: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "creditsim",
        abstract: "Monte Carlo portfolio credit risk: correlated defaults of issuers, guarantors and protection sellers.",
        discussion: """
            Scenario files are described in README.md. Exit codes: 0 success, 64 bad command line, \
            65 bad scenario data, 66 a named file missing or unreadable, 70 internal error, 73 output not \
            writable or being written by another run, 74 standard output not writable, 130 interrupted.
            """,
        version: CreditSimVersion.version,
        subcommands: [RunCommand.self, ValidateCommand.self, CompareCommand.self, MergeCommand.self, SweepCommand.self, HistoryCommand.self, BenchCommand.self]
    )

    static func main() {
        // SIGTERM terminates (a parent that ignored it must not make a run unkillable); result
        // folders stay whole whatever kills the run (see OutputDirectory).
        // A blocked signal mask is inherited across exec (from a launcher's worker thread): unblock.
        signal(SIGTERM, SIG_DFL)
        var signals = sigset_t()
        sigemptyset(&signals)
        for s in [SIGTERM, SIGINT, SIGHUP] { sigaddset(&signals, s) }
        pthread_sigmask(SIG_UNBLOCK, &signals, nil)
        OpenBLASRestart.restartIfWorthwhile()
        MPIRuntime.start()
        do {
            var command = try parseAsRoot(nil)
            try command.run()
            try StdOut.finish()
        } catch {
            // Under MPI a failure ends every rank: the others may be waiting for this one.
            let code = exitCode(for: error).rawValue
            if MPIRuntime.world != nil, code != 0, code != 130 {
                StdErr.write(fullMessage(for: error) + "\n")
                MPIRuntime.abortIfParallel(code)
            }
            MPIRuntime.finish()
            // A failed write to stdout outranks a success or an interruption, never another error.
            if let code = error as? ExitCode, code.rawValue == 0 || code.rawValue == 130, let reason = StdOut.flush() {
                StdErr.write("error: cannot write to standard output: \(reason)\n")
                exit(withError: Exit.ioError)
            }
            exit(withError: error)
        }
        MPIRuntime.finish()
        exit()
    }
}
