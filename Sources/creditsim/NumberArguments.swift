import ArgumentParser
import CreditScenario

/// Every number on the command line is read by the scenario file's rule (`DecimalNumber`): decimal
/// notation only, so `--horizon 0x1p3` or `--paths 1_000` is refused as `horizon: 0x1p3` is in a
/// scenario. The options use these as `transform:`; a refusal is ArgumentParser's usual
/// "The value '…' is invalid for '--option <value>': …" (exit 64).
enum NumberArgument {
    struct Refusal: Error, CustomStringConvertible {
        let description: String
    }

    static let decimalRule = "not a decimal number (digits with an optional point and exponent, such as 2, 0.5 or 1e-3; no hexadecimal, no 1_000)"

    /// A finite decimal number.
    static func decimal(_ text: String) throws -> Double {
        guard let v = DecimalNumber.finite(text) else { throw Refusal(description: decimalRule) }
        return v
    }

    /// A whole number (sign and decimal digits).
    static func whole(_ text: String) throws -> Int {
        guard let v = DecimalNumber.whole(text, as: Int.self) else {
            throw Refusal(description: "not a whole number (decimal digits, such as 1000; no hexadecimal, no 1_000, no exponent)")
        }
        return v
    }

    /// A seed: a whole number from 0 to 2⁶⁴ − 1, as `simulation.seed`.
    static func seed(_ text: String) throws -> UInt64 {
        guard let v = DecimalNumber.whole(text, as: UInt64.self) else {
            throw Refusal(description: "a seed is a whole number from 0 to 18446744073709551615 (decimal digits)")
        }
        return v
    }
}
