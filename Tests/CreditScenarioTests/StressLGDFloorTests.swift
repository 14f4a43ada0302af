import CreditRisk
@testable import CreditScenario
import Testing

/// `lgd_floor: {entity: {id: floor}}` reaches the stressed portfolio (it was once read and then
/// silently dropped: the loader kept only the sector floors).
@Suite struct StressLGDFloorTests {
    @Test func lgdFloorByEntityApplies() throws {
        let yaml = Samples.scenario("""
            stress:
              - name: alpha_recovery_down
                lgd_floor: {entity: {a: 0.9}}
            """)
        let f = try Fixture(["s.yaml": yaml, "entities.csv": Samples.entities, "bonds.csv": Samples.bonds])
        let scenario = try ScenarioLoader.load(path: f.path("s.yaml"))
        let stress = try #require(scenario.stresses.first)
        let stressed = try stress.apply(to: scenario.portfolio)
        // Alpha (a) issues b1 (lgd 0.6) and b3 (0.5): both floored to 0.9; Beta's b2 keeps 0.4.
        #expect(stressed.bonds.map(\.lgd) == [0.9, 0.4, 0.9])
    }
}
