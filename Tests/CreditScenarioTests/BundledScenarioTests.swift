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
        // The whole pipeline: base and every stress, with contributions (plain, to keep it short).
        let request = RunRequest(scenario: s, paths: 4096, seed: 1, threads: 2, method: .plain,
                                 stresses: s.stresses, contributions: true)
        let outcomes = try RunPipeline(scenario: s).run(request).outcomes
        #expect(outcomes.count == 1 + s.stresses.count)
        for o in outcomes {
            let report = o.report
            #expect(report.paths == 4096 && !o.isPartial)
            #expect(SummaryDocument(o, scenario: s).header.stress == o.stress?.name)
            #expect(report.gross.expectedLoss >= report.net.expectedLoss)
            // Net + payouts = gross, path by path, so also in expectation.
            let payouts = (report.guarantors + report.protectionSellers).reduce(0) { $0 + $1.expectedPayout }
            #expect(abs(report.gross.expectedLoss - report.net.expectedLoss - payouts) <= 1e-9 * max(1, report.gross.expectedLoss))
            // Contributions per bond add up to EL.
            let bonds = try #require(o.contributions).rows.filter { $0.kind == "bond" }
            let el = bonds.reduce(0) { $0 + $1.expectedLoss }
            #expect(abs(el - report.net.expectedLoss) <= 1e-9 * max(1, report.net.expectedLoss))
        }
    }
}
