import CreditRisk
import Foundation

/// The numpy peer, `Benchmarks/peer/npmc_peer.py`: the same model written the way a quant would
/// in numpy, run on the same portfolio for a side-by-side rate.
///
/// The portfolio is handed over as a scenario folder written by `ScenarioWriter` (the files of
/// `bench --export`) in a temporary directory. The peer times its own simulation loop, as the
/// engine measurement times `Engine.run` alone; numpy's import and the CSV reading are outside.
public struct NumpyPeer: Sendable {
    // Built and run only by `BenchSession` (memberwise, in this module); other modules use the
    // static `locate` and `unsupported` and read its `Run`.
    /// The script's path.
    var script: String
    /// Paths per repeat (the peer is much slower; its rates are per path, so fewer paths suffice).
    var paths: Int
    var repeats: Int
    var seed: UInt64

    /// What the peer printed.
    public struct Run: Codable, Sendable {
        public var numpyVersion: String
        public var paths: Int
        public var names: Int
        public var seconds: [Double]
        public var expectedLoss: Double
        public var expectedLossSE: Double

        enum CodingKeys: String, CodingKey {
            case paths, names, seconds
            case numpyVersion = "numpy_version"
            case expectedLoss = "expected_loss"
            case expectedLossSE = "expected_loss_se"
        }
    }

    public enum Outcome: Sendable {
        case ran(Run)
        case skipped(String)
    }

    static let relativePath = "Benchmarks/peer/npmc_peer.py"

    /// The script: `CREDITSIM_PEER_SCRIPT` when set, else `Benchmarks/peer/npmc_peer.py` in the
    /// first folder above the executable (a build in a clone: `.build/release/creditsim`) or
    /// above the current folder that holds it.
    public static func locate(executable: String = CommandLine.arguments[0],
                              environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let path = environment["CREDITSIM_PEER_SCRIPT"], !path.isEmpty { return path }
        let fm = FileManager.default
        let exe = URL(fileURLWithPath: executable).resolvingSymlinksInPath().deletingLastPathComponent()
        for start in [exe, URL(fileURLWithPath: fm.currentDirectoryPath)] {
            var dir = start.standardizedFileURL
            for _ in 0..<8 {
                let candidate = dir.appendingPathComponent(relativePath).path
                if fm.fileExists(atPath: candidate) { return candidate }
                let parent = dir.deletingLastPathComponent()
                if parent.path == dir.path { break }
                dir = parent
            }
        }
        return nil
    }

    /// Why the peer cannot run this portfolio or method, nil when it can: it models the Gaussian
    /// factor copula with independent factors, default losses, plain sampling, constant PDs and
    /// LGDs, and no guarantees, protection, capacities or stressed defaults.
    public static func unsupported(_ p: Portfolio, method: SamplingMethod) -> String? {
        if method != .plain { return "it samples plainly, not by \(method.rawValue) sampling" }
        if p.valuation != nil { return "it models default losses, not market valuation" }
        guard case .gaussian = p.copula else { return "it models the Gaussian copula only" }
        guard case let .factors(model) = p.dependence else { return "it models factor loadings, not a full correlation matrix" }
        if model.correlation != .identity(model.factorIDs.count) { return "it models independent factors only" }
        if p.bonds.contains(where: { $0.guarantee != nil || $0.protection != nil }) { return "it models no guarantees or protection" }
        if p.bonds.contains(where: { $0.lgdSD != nil }) || p.lgdCorrelation != 0 { return "it models constant LGDs only" }
        if p.entities.contains(where: { $0.pdCurve != nil || $0.capacity != nil }) { return "it models constant PDs and no capacities" }
        if !p.forcedDefaults.isEmpty { return "it models no stressed defaults" }
        return nil
    }

    /// Runs the peer on `portfolio`; any failure becomes a reason for skipping it.
    func run(_ portfolio: Portfolio) -> Outcome {
        let fm = FileManager.default
        let dir = fm.temporaryDirectory.appendingPathComponent("creditsim-peer-\(UUID().uuidString)")
        defer { try? fm.removeItem(at: dir) }
        do {
            try fm.createDirectory(at: dir, withIntermediateDirectories: true)
            for f in ScenarioWriter.files(portfolio, name: "bench peer", paths: paths, seed: seed) {
                try Data(f.contents.utf8).write(to: dir.appendingPathComponent(f.name))
            }
        } catch {
            return .skipped("cannot write the portfolio for the peer in \(dir.path): \(error.localizedDescription)")
        }
        let out = dir.appendingPathComponent("peer.json"), err = dir.appendingPathComponent("peer.err")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, dir.path, "--paths", "\(paths)", "--seed", "\(seed)", "--repeat", "\(repeats)",
                             "--horizon", "\(portfolio.horizon)"] + (portfolio.rollover ? ["--rollover"] : [])
        do {
            _ = fm.createFile(atPath: out.path, contents: nil)
            _ = fm.createFile(atPath: err.path, contents: nil)
            process.standardOutput = try FileHandle(forWritingTo: out)
            process.standardError = try FileHandle(forWritingTo: err)
            try process.run()
        } catch {
            return .skipped("cannot start /usr/bin/env python3: \(error.localizedDescription)")
        }
        process.waitUntilExit()
        let message = ((try? String(contentsOf: err, encoding: .utf8)) ?? "")
            .split(separator: "\n").last.map(String.init) ?? ""
        switch process.terminationStatus {
        case 0: break
        case 127: return .skipped("python3 is not installed")
        default: return .skipped(message.isEmpty ? "the peer exited with status \(process.terminationStatus)" : message)
        }
        guard let data = fm.contents(atPath: out.path), let run = try? JSONDecoder().decode(Run.self, from: data),
              run.seconds.count == repeats, run.seconds.allSatisfy({ $0 > 0 && $0.isFinite }) else {
            return .skipped("the peer's output is not the JSON expected")
        }
        return .ran(run)
    }
}

/// The peer's part of a bench report: what ran, or why not, and the check that it simulated the
/// same model: its expected loss against creditsim's, in combined standard errors.
public struct PeerSummary: Codable, Sendable {
    public var script: String?
    /// Nil when the peer ran.
    public var skipped: String?
    public var numpyVersion: String?
    public var paths: Int?
    public var expectedLoss: Double?
    public var expectedLossSE: Double?
    public var creditsimExpectedLoss: Double?
    public var creditsimExpectedLossSE: Double?
    /// (peer − creditsim) / √(SE² + SE²): beyond ±4 the two do not simulate the same model.
    public var z: Double?

    public init(script: String?, skipped: String) {
        self.script = script
        self.skipped = skipped
    }

    public init(script: String, run: NumpyPeer.Run, creditsim: (mean: Double, se: Double)?) {
        self.script = script
        numpyVersion = run.numpyVersion
        paths = run.paths
        expectedLoss = run.expectedLoss
        expectedLossSE = run.expectedLossSE
        if let creditsim {
            creditsimExpectedLoss = creditsim.mean
            creditsimExpectedLossSE = creditsim.se
            let se = (run.expectedLossSE * run.expectedLossSE + creditsim.se * creditsim.se).squareRoot()
            // Undefined (nil) only when both errors are 0 and the losses differ.
            z = se > 0 ? (run.expectedLoss - creditsim.mean) / se : (run.expectedLoss == creditsim.mean ? 0 : nil)
        }
    }

    enum CodingKeys: String, CodingKey {
        case script, skipped, paths, z
        case numpyVersion = "numpy_version"
        case expectedLoss = "expected_loss"
        case expectedLossSE = "expected_loss_se"
        case creditsimExpectedLoss = "creditsim_expected_loss"
        case creditsimExpectedLossSE = "creditsim_expected_loss_se"
    }
}
