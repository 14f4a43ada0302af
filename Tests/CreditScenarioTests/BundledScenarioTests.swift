import CreditRisk
import CreditScenario
import Foundation
import Testing

/// Every scenario shipped in `Scenarios/` loads and runs.
@Suite struct BundledScenarioTests {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Scenarios")

    static var scenarioFiles: [String] {
        guard let walker = FileManager.default.enumerator(atPath: root.path) else { return [] }
        return walker.compactMap { $0 as? String }.filter { $0.hasSuffix(".yaml") }.sorted()
    }

    @Test func thereAreBundledScenarios() {
        #expect(Self.scenarioFiles.count >= 2, "found \(Self.scenarioFiles)")
    }

    @Test(arguments: scenarioFiles)
    func loadsAndRuns(_ file: String) throws {
        let s = try ScenarioLoader.load(path: Self.root.appendingPathComponent(file).path)
        let out = try Engine(portfolio: s.portfolio).run(SimulationSettings(paths: 4096, seed: 1, threads: 2))
        let report = RiskReport(output: out, portfolio: s.portfolio, levels: s.levels)
        #expect(report.paths == 4096)
        #expect(report.gross.expectedLoss >= report.net.expectedLoss)
        // Net + payouts = gross, path by path, so also in expectation.
        let payouts = (report.guarantors + report.protectionSellers).reduce(0) { $0 + $1.expectedPayout }
        #expect(abs(report.gross.expectedLoss - report.net.expectedLoss - payouts) <= 1e-9 * max(1, report.gross.expectedLoss))
    }
}
