import ArgumentParser
import CreditScenario

/// The `creditsim` tool: a thin root; each subcommand lives in its own file.
@main
struct CreditSim: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "creditsim",
        abstract: "Monte Carlo portfolio credit risk: correlated defaults of issuers, guarantors and protection sellers.",
        discussion: """
            Scenario files are described in README.md. Exit codes: 0 success, 64 bad command line, \
            65 bad scenario data, 66 a named file missing or unreadable, 73 output not writable, 70 internal error.
            """,
        version: CreditSimVersion.version,
        subcommands: [RunCommand.self, ValidateCommand.self, CompareCommand.self, BenchCommand.self]
    )

    static func main() {
        OpenBLASRestart.restartIfWorthwhile()
        main(nil)
    }
}
