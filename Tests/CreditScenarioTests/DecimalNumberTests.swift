@testable import CreditScenario
import Testing

/// The number rule shared by the scenario loader and the command line (issue 22).
@Suite struct DecimalNumberTests {
    @Test func decimalNotationOnly() {
        for text in ["0.25", "-3", "+1.", ".5", "1e-4", "2.5E+3", "007"] {
            #expect(DecimalNumber.finite(text) == Double(text), "\(text)")
        }
        for text in ["0x10", "0x1p-2", "0X1P3", "1_000", "", ".", "e5", "1e", "1e+", " 1", "1 ", "1,5", "--1", "1.2.3", "١"] {
            #expect(DecimalNumber.parse(text) == nil, "\(text)")
        }
        // NaN and infinities are recognised (the loader names them), never finite.
        #expect(DecimalNumber.parse("inf") == .infinity && DecimalNumber.parse("-Infinity") == -.infinity)
        #expect(DecimalNumber.parse("nan")?.isNaN == true)
        #expect(DecimalNumber.finite("inf") == nil && DecimalNumber.finite("1e999") == nil)
    }

    @Test func percentsMoveTheDecimalPoint() {
        #expect(DecimalNumber.fraction("0.35%") == Double("0.0035"))
        #expect(DecimalNumber.fraction("99.9%") == 0.999)
        #expect(DecimalNumber.fraction("99.97%") == Double("0.9997"))
        #expect(DecimalNumber.fraction("1e1%") == 0.1 && DecimalNumber.fraction("35E-1%") == Double("0.035"))
        #expect(DecimalNumber.fraction("0.999") == 0.999)
        for text in ["0x1p-1%", "%", "1%%", "1_0%", "inf%", "1e99999999999999999999%"] {
            #expect(DecimalNumber.fraction(text) == nil, "\(text)")
        }
    }

    @Test func wholeNumbers() {
        #expect(DecimalNumber.whole("+2000", as: Int.self) == 2000 && DecimalNumber.whole("-3", as: Int.self) == -3)
        #expect(DecimalNumber.whole("18446744073709551615", as: UInt64.self) == .max)
        for text in ["0x10", "1_000", "1e4", "1.0", "", "+", "18446744073709551616"] {
            #expect(DecimalNumber.whole(text, as: UInt64.self) == nil, "\(text)")
        }
    }

    /// A hexadecimal tenor in a curves or cumulative-PD header was read by Double(_:).
    @Test func hexadecimalTenorsAreRefused() throws {
        var files = RatingsLoadingTests.scenario(RatingsLoadingTests.block, entities: "x,0.3,,A,\n")
        files["cum.csv"] = "rating,1,0x1.8p1,5\nA,0.005,0.02,0.04\n"
        let f = try Fixture(files)
        #expect(throws: ScenarioError.self) { try ScenarioLoader.load(path: f.path("s.yaml")) }
        do { _ = try ScenarioLoader.load(path: f.path("s.yaml")) } catch {
            #expect(error.problems.contains { $0.file == "cum.csv" && $0.value == "0x1.8p1" && $0.rule.contains("a tenor must be a number") })
        }
    }
}
