import CreditRisk
@testable import CreditScenario
import Foundation
import Testing

/// `bench`'s library through its seams: fixed timings (nothing is run or timed), fixed load
/// figures and a fixed machine, so figures, warnings, JSON keys and comparisons are exact.
@Suite struct BenchTests {
    /// Seconds by measurement kind and thread count ("engine 2"), one per repeat.
    struct FixedTimer: BenchTimer {
        let table: [String: [Double]]
        func seconds(of key: String, repeat index: Int, run: () throws -> Double) rethrows -> Double {
            let parts = key.components(separatedBy: " | ")
            let threads = parts[4].split(separator: " ").first.map(String.init) ?? "-"
            return table["\(parts[1]) \(threads)"]?[index] ?? 1
        }
        func warmUp(_ work: () throws -> Void) rethrows {}
    }

    struct FixedLoad: LoadProbe {
        let average: Double
        let others: Double
        func loadAverage() -> Double? { average }
        func othersRunnable() -> Double? { others }
    }

    static let machine = BenchMachine(cpuModel: "Test CPU", cores: 2, memoryBytes: 8 * 1_073_741_824, cpuVectorExtensions: ["avx2", "fma"],
                                      vectorTarget: "haswell", openBLASCore: "Haswell", buildConfiguration: "release",
                                      toolVersion: "0.2.0", revision: "0123456789ab", system: "Linux test x86_64")

    func session(_ table: [String: [Double]], load: FixedLoad = FixedLoad(average: 0.1, others: 0), repeats: Int = 3) -> BenchSession {
        var s = BenchSession(paths: 4096, seed: 1, method: nil, threads: [1, 2], repeats: repeats)
        s.timer = FixedTimer(table: table)
        s.load = load
        s.machine = Self.machine
        return s
    }

    static let quiet: [String: [Double]] = [
        "engine 1": [1.00, 1.05, 1.02], "generator 1": [0.20, 0.20, 0.21],
        "engine 2": [0.55, 0.52, 0.53], "generator 2": [0.105, 0.10, 0.10],
    ]

    @Test func spreadIsMinMedianMaxOfTheRepeats() {
        let odd = BenchSpread(runs: [3, 1, 2])
        #expect(odd.min == 1 && odd.median == 2 && odd.max == 3 && odd.relativeSpread == 1)
        let even = BenchSpread(runs: [4, 1, 2, 3])
        #expect(even.median == 2.5 && even.relativeSpread == 3 / 2.5)
        #expect(!BenchSpread(runs: [1, 2]).isJudgeable && odd.isJudgeable)
        let rate = BenchRate(work: 10, seconds: odd)
        #expect(rate.min == 10.0 / 3 && rate.median == 5 && rate.max == 10)
    }

    @Test func measurementsCarryRatesBoundAndSpeedUp() throws {
        let report = try session(Self.quiet).run(SyntheticWorkload(names: 20, factors: 2))
        let names = 20.0, paths = 4096.0
        #expect(report.measurements.map(\.kind) == [.engine, .generator, .engine, .generator])
        let engine1 = report.measurements[0], engine2 = report.measurements[2]
        #expect(engine1.key == "reference 20 names, 2 factors, gaussian | engine | plain | default | 1 thread")
        #expect(engine1.seconds.runs == [1.00, 1.05, 1.02] && engine1.seconds.median == 1.02)
        #expect(abs(engine1.seconds.relativeSpread - 0.05 / 1.02) < 1e-15)
        #expect(engine1.namePathsPerSecond?.median == names * paths / 1.02)
        #expect(engine1.pathsPerSecond?.max == paths / 1.00)
        // Fraction of the bound: the engine's name-paths/s over the generator's uniforms/s, medians.
        let bound = try #require(engine1.bound)
        #expect(bound.uniformsPerSecond == names * paths / 0.20)
        #expect(abs(bound.fraction - 0.20 / 1.02) < 1e-12)
        #expect(engine2.bound.map { abs($0.fraction - 0.10 / 0.53) < 1e-12 } == true)
        #expect(engine2.speedupVsOneThread == 1.02 / 0.53)
        #expect(report.warnings.isEmpty, "\(report.warnings)")
        #expect(report.workload.kind == "synthetic" && report.workload.names == 20 && report.workload.paths == 4096)
    }

    @Test func jsonHasTheDocumentedKeys() throws {
        var report = try session(Self.quiet).run(SyntheticWorkload(names: 20, factors: 2))
        report.peakResidentBytes = 1_000_000
        let json = try #require(try JSONSerialization.jsonObject(with: Data(try report.json().utf8)) as? [String: Any])
        #expect(json["format"] as? String == "creditsim-bench" && json["format_version"] as? Int == 1)
        for key in ["date", "machine", "workload", "load", "measurements", "warnings", "peak_resident_bytes"] {
            #expect(json[key] != nil, "\(key)")
        }
        let machine = try #require(json["machine"] as? [String: Any])
        #expect(Set(machine.keys) == ["cpu_model", "cores", "memory_bytes", "cpu_vector_extensions", "vector_target", "openblas_core",
                                      "build_configuration", "tool_version", "revision", "system"])
        let load = try #require(json["load"] as? [String: Any])
        #expect(Set(load.keys) == ["before", "after", "others_runnable_mean", "others_runnable_max", "samples", "threshold"])
        let m = try #require((json["measurements"] as? [[String: Any]])?.first)
        let seconds = try #require(m["seconds"] as? [String: Any])
        #expect(Set(seconds.keys) == ["runs", "min", "median", "max", "relative_spread"])
        for key in ["key", "kind", "portfolio", "method", "valuation", "threads", "paths", "names",
                    "paths_per_second", "name_paths_per_second", "bound", "speedup_vs_one_thread"] {
            #expect(m[key] != nil, "\(key)")
        }
        #expect(Set((m["bound"] as? [String: Any])?.keys.map { $0 } ?? []) == ["generator_key", "uniforms_per_second", "fraction"])
        #expect(Set((m["name_paths_per_second"] as? [String: Any])?.keys.map { $0 } ?? []) == ["min", "median", "max"])
        let generator = try #require((json["measurements"] as? [[String: Any]])?[1])
        #expect(generator["uniforms_per_second"] != nil && generator["bound"] == nil)
        // What is written reads back.
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("bench-\(UUID().uuidString).json").path
        try Data(try report.json().utf8).write(to: URL(fileURLWithPath: path))
        let back = try BenchReport.load(path: path)
        #expect(back.measurements.map(\.key) == report.measurements.map(\.key) && back.machine == Self.machine)
    }

    @Test func largeSpreadIsWarnedWithWhatToDo() throws {
        var noisy = Self.quiet
        noisy["engine 2"] = [0.50, 0.60, 0.70]
        let report = try session(noisy).run(SyntheticWorkload(names: 20, factors: 2))
        #expect(report.warnings.count == 1)
        let w = try #require(report.warnings.first)
        #expect(w.hasPrefix("engine, 2 threads: the repeats spread 33 % (0.5 to 0.7 s), more than 10 %"), "\(w)")
        #expect(w.contains("rerun"))
        // 10 % exactly (0.125 / 1.25, exact in binary) is not above the limit.
        noisy["engine 2"] = [1.125, 1.25, 1.25]
        #expect(try session(noisy).run(SyntheticWorkload(names: 20, factors: 2)).warnings.isEmpty)
    }

    @Test func busyMachineIsWarned() throws {
        let before = try session(Self.quiet, load: FixedLoad(average: 1.5, others: 0.2)).run(SyntheticWorkload(names: 20, factors: 2))
        #expect(before.warnings == ["the 1-minute load average was 1.50 before the measurements, above half the cores (1.0): other work competed; rerun when the machine is quiet"])
        #expect(before.load.before == 1.5 && before.load.threshold == 1 && before.load.samples >= 1)
        let during = try session(Self.quiet, load: FixedLoad(average: 0.5, others: 1.6)).run(SyntheticWorkload(names: 20, factors: 2))
        #expect(during.warnings.count == 1 && during.warnings[0].hasPrefix("other processes kept 1.60 threads runnable on average"))
        #expect(during.load.othersDuringMean == 1.6)
    }

    @Test func singleRepeatsSayTheyCannotShowNoise() throws {
        let report = try session(Self.quiet, repeats: 1).run(SyntheticWorkload(names: 20, factors: 2))
        #expect(report.warnings == ["1 repeat(s) per measurement: too few to see the noise; rerun with --repeat 3 or more"])
    }

    /// A report whose engine on one thread took `runs` seconds.
    func report(_ runs: [Double]) throws -> BenchReport {
        var table = Self.quiet
        table["engine 1"] = runs
        var s = session(table, repeats: runs.count)
        s.threads = [1]
        return try s.run(SyntheticWorkload(names: 20, factors: 2))
    }

    @Test func comparisonIsBeyondNoiseOnlyWhenTheRangesDoNotOverlap() throws {
        let old = try report([1.00, 1.05, 1.10])
        func verdict(_ runs: [Double]) throws -> BenchComparison.Row? {
            try BenchComparison(old: old, new: report(runs), oldPath: "old.json").rows.first { $0.key.contains("| engine |") }
        }
        let overlapping = try #require(try verdict([0.98, 1.01, 1.03]))
        #expect(overlapping.verdict == .withinNoise)
        #expect(abs(overlapping.ratio - 1.05 / 1.01) < 1e-12)
        #expect(try verdict([0.80, 0.85, 0.99])?.verdict == .faster)
        #expect(try verdict([1.11, 1.20, 1.30])?.verdict == .slower)
        // Touching ranges (1.10 both sides) overlap.
        #expect(try verdict([1.10, 1.20, 1.30])?.verdict == .withinNoise)
        #expect(try verdict([0.5, 0.5])?.verdict == .tooFewRepeats)
    }

    @Test func comparisonNamesUnmatchedKeysAndOtherMachines() throws {
        let old = try report([1.0, 1.0, 1.0])
        var new = try session(Self.quiet).run(SyntheticWorkload(names: 20, factors: 2))
        new.machine.vectorTarget = "portable"
        let c = BenchComparison(old: old, new: new, oldPath: "old.json")
        #expect(c.rows.count == 2)
        #expect(c.onlyNew == ["reference 20 names, 2 factors, gaussian | engine | plain | default | 2 threads",
                              "reference 20 names, 2 factors, gaussian | generator | plain | default | 2 threads"])
        #expect(c.onlyOld.isEmpty)
        #expect(c.machineDifferences == ["vector target: haswell then portable"])
        let text = BenchTable.render(c)
        #expect(text.contains("only in this run: reference 20 names, 2 factors, gaussian | engine | plain | default | 2 threads"))
        #expect(text.contains("the ratios mix the code and the machine"))
    }

    @Test func savedFilesAreCheckedWithClearErrors() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bench-files-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let missing = dir.appendingPathComponent("none.json").path
        #expect(throws: BenchFileError.self) { try BenchReport.load(path: missing) }
        do { _ = try BenchReport.load(path: missing) } catch { #expect(error.description == "\(missing): file not found or unreadable") }
        let cases: [(String, String)] = [
            ("{", "not JSON"),
            (#"{"net": {}}"#, "key \"format\" is missing, not \"creditsim-bench\""),
            (#"{"format": "creditsim-bench", "format_version": 2}"#, "format_version 2 is not supported"),
            (#"{"format": "creditsim-bench", "format_version": 1}"#, "key \"date\" is missing"),
            (try report([1, 1, 1]).json().replacingOccurrences(of: "\"creditsim-bench\"", with: "\"summary\""),
             "format is \"summary\", not \"creditsim-bench\""),
            (try negativeRuns(), "runs must be a non-empty list of seconds > 0"),
        ]
        for (i, (text, message)) in cases.enumerated() {
            let path = dir.appendingPathComponent("bad\(i).json").path
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            do {
                _ = try BenchReport.load(path: path)
                Issue.record("case \(i) loaded")
            } catch {
                #expect(error.description.hasPrefix("\(path): not a creditsim bench result: "), "\(error)")
                #expect(error.description.contains(message), "case \(i): \(error)")
            }
        }
    }

    /// A saved report whose first measurement claims a negative time.
    func negativeRuns() throws -> String {
        var json = try #require(try JSONSerialization.jsonObject(with: Data(try report([1, 1, 1]).json().utf8)) as? [String: Any])
        var measurements = try #require(json["measurements"] as? [[String: Any]])
        var seconds = try #require(measurements[0]["seconds"] as? [String: Any])
        seconds["runs"] = [-1.0, 1.0, 1.0]
        measurements[0]["seconds"] = seconds
        json["measurements"] = measurements
        return String(decoding: try JSONSerialization.data(withJSONObject: json), as: UTF8.self)
    }

    @Test func peerRefusesWhatItDoesNotModel() throws {
        let reference = try SyntheticPortfolio.reference(names: 20, factors: 2)
        #expect(NumpyPeer.unsupported(reference, method: .plain) == nil)
        #expect(NumpyPeer.unsupported(reference, method: .importance) == "it samples plainly, not by importance sampling")
        let t = try SyntheticPortfolio.reference(names: 20, factors: 2, copula: .studentT(degreesOfFreedom: 5))
        #expect(NumpyPeer.unsupported(t, method: .plain) == "it models the Gaussian copula only")
        let large = try SyntheticPortfolio.large(names: 20, bonds: 40, factors: 2)
        #expect(NumpyPeer.unsupported(large, method: .plain) == "it models no guarantees or protection")
        #expect(NumpyPeer.unsupported(try SyntheticPortfolio.marketReference(reference), method: .plain) == "it models default losses, not market valuation")
    }

    @Test func peerScriptIsFoundAboveTheExecutable() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let found = NumpyPeer.locate(executable: root.appendingPathComponent(".build/release/creditsim").path, environment: [:])
        #expect(found == root.appendingPathComponent("Benchmarks/peer/npmc_peer.py").path)
        #expect(NumpyPeer.locate(executable: "/x", environment: ["CREDITSIM_PEER_SCRIPT": "/p.py"]) == "/p.py")
    }

    @Test func machineFieldsComeFromCpuinfo() {
        let text = "processor\t: 0\nmodel name\t: Example CPU @ 2.0GHz\nflags\t\t: fpu sse4_2 avx avx2 fma avx512f\n"
        #expect(BenchMachine.field("model name", in: text) == "Example CPU @ 2.0GHz")
        #expect(BenchMachine.vectorExtensions(text) == ["sse4_2", "avx", "avx2", "fma", "avx512f"])
        let current = BenchMachine.current
        #expect(current.cores >= 1 && !current.revision.isEmpty)
        #expect(current.buildConfiguration == "debug" || current.buildConfiguration == "release")
    }
}
