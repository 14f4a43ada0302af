import ArgumentParser
import CreditScenario
import Foundation

struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Show two result folders side by side (EL, VaR, ES, payouts).",
        discussion: """
            Reads summary.json from each folder written by `creditsim run --out`, and prints every \
            figure of A and B with their difference and ratio.

            Example: creditsim compare out/base out/rollover
            """
    )

    @Argument(help: "The first result folder (A), written by run --out. Example: out/base")
    var a: String

    @Argument(help: "The second result folder (B). Example: out/stress")
    var b: String

    func run() throws {
        let first = try load(a), second = try load(b)
        print(ComparisonTable.render(first, second, labels: ("A: \(a)", "B: \(b)")), terminator: "")
    }

    func load(_ folder: String) throws -> SummaryDocument {
        let path = URL(fileURLWithPath: folder).appendingPathComponent("summary.json").path
        guard let data = FileManager.default.contents(atPath: path) else {
            StdErr.write("error: \(path): file not found or unreadable; give a folder written by `creditsim run --out`\n")
            throw Exit.noInput
        }
        do {
            return try JSONDecoder().decode(SummaryDocument.self, from: data)
        } catch {
            StdErr.write("error: \(path): not a CreditSim summary: \(Self.reason(error))\n")
            throw Exit.dataError
        }
    }

    static func reason(_ error: Error) -> String {
        switch error {
        case let DecodingError.keyNotFound(key, _): return "missing key \"\(key.stringValue)\""
        case let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context):
            return "bad value at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
        case DecodingError.dataCorrupted: return "not valid JSON"
        default: return "\(error)"
        }
    }
}
