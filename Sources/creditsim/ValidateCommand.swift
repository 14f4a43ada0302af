import ArgumentParser
import CreditRisk
import CreditScenario
import Foundation

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a scenario and everything it names, without simulating.",
        discussion: """
            Reports every problem found (file, line, key or column, value, rule) and exits 65, \
            or 66 when a named file is missing; otherwise prints a short description of the portfolio.

            Example: creditsim validate Scenarios/small/small.yaml
            """
    )

    @Argument(help: "The scenario file (YAML, version 1). Example: Scenarios/small/small.yaml")
    var scenario: String

    func run() throws {
        let scenario = try loadScenario(self.scenario)
        print(PortfolioDescription.render(scenario), terminator: "")
    }
}
