import Foundation
import Testing

/// One writer per result folder, replaced whole by one atomic step; kills at every phase leave
/// the old or the new folder whole; failed or bad --out leave nothing; links are not followed;
/// stdout write errors exit 74.
@Suite struct OutputFolderTests {
    let fm = FileManager.default

    func scenario() throws -> URL { try CLITests().fixture().appendingPathComponent("s.yaml") }

    func files(_ dir: URL) -> [String] {
        var names: [String] = []
        guard let e = fm.enumerator(atPath: dir.path) else { return [] }
        while let n = e.nextObject() as? String { names.append(n) }
        return names.sorted()
    }

    func seed(_ dir: URL) -> Int? {
        guard let data = fm.contents(atPath: dir.appendingPathComponent("summary.json").path),
              let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
        return json["seed"] as? Int
    }

    /// Entries the tool keeps beside DIR (lock, staging, set-aside folders).
    func leftovers(_ parent: URL) -> [String] {
        ((try? fm.contentsOfDirectory(atPath: parent.path)) ?? []).filter { $0.contains(".creditsim-") }.sorted()
    }

    static let plain = ["loss-distribution.csv", "manifest.json", "quantiles.csv", "report.html", "summary.json"]

    @Test func secondWriterIsRefusedAndDeadWritersLockIsTakenOver() throws {
        let s = try scenario()
        let out = s.deletingLastPathComponent().appendingPathComponent("out")
        let first = try Tool.Started(["run", s.path, "--paths", "2048", "--out", out.path, "--quiet"],
                                     environment: ["CREDITSIM_TEST_PAUSE": "locked:60"])
        #expect(first.waitFor("test hook: paused at locked"))
        let second = try Tool.run(["run", s.path, "--paths", "2048", "--out", out.path, "--quiet"])
        #expect(second.status == 73)
        #expect(second.stderr == "error: \(out.path): another creditsim run (process \(first.process.processIdentifier)) is writing this folder; wait for it to finish or choose another --out\n")
        #expect(second.stdout.isEmpty)
        #expect(!fm.fileExists(atPath: out.path))
        first.kill()
        // The killed writer's lock file stays, holding its PID, but its lock is gone.
        #expect(leftovers(out.deletingLastPathComponent()) == [".out.creditsim-lock"])
        let third = try Tool.run(["run", s.path, "--paths", "2048", "--out", out.path, "--quiet"])
        #expect(third.status == 0, "\(third.stderr)")
        #expect(files(out) == Self.plain)
        #expect(leftovers(out.deletingLastPathComponent()).isEmpty)
    }

    @Test func killAtEachPhaseLeavesTheOldOrTheNewFolderWhole() throws {
        let s = try scenario()
        let parent = s.deletingLastPathComponent()
        let out = parent.appendingPathComponent("out")
        let old = try Tool.run(["run", s.path, "--paths", "2048", "--seed", "1", "--out", out.path, "--contributions", "--quiet"])
        #expect(old.status == 0, "\(old.stderr)")
        let oldFiles = files(out)
        #expect(oldFiles == (["contributions.csv"] + Self.plain).sorted())
        let phases: [(String, Bool, Int32)] = [("locked", false, SIGKILL), ("staging", false, SIGKILL), ("staged", false, SIGTERM),
                                               ("staged", false, SIGKILL), ("committed", true, SIGTERM)]
        for (phase, expectNew, signal) in phases {
            let run = try Tool.Started(["run", s.path, "--paths", "2048", "--seed", "2", "--out", out.path, "--quiet"],
                                       environment: ["CREDITSIM_TEST_PAUSE": "\(phase):60"])
            #expect(run.waitFor("test hook: paused at \(phase)"), "\(phase): \(run.stderrText)")
            run.kill(signal)
            if expectNew {
                #expect(files(out) == Self.plain && seed(out) == 2, "\(phase)")
            } else {
                #expect(files(out) == oldFiles && seed(out) == 1, "\(phase)")
            }
            if expectNew { break }
        }
        // The next run removes what the killed ones left (staging folders, the lock).
        #expect(!leftovers(parent).isEmpty)
        let again = try Tool.run(["run", s.path, "--paths", "2048", "--seed", "3", "--out", out.path, "--quiet"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(files(out) == Self.plain && seed(out) == 3)
        #expect(leftovers(parent).isEmpty)
    }

    @Test func rerunReplacesTheFolderWholeWithoutFollowingLinks() throws {
        let s = try scenario()
        let parent = s.deletingLastPathComponent()
        let out = parent.appendingPathComponent("out")
        #expect(try Tool.run(["run", s.path, "--paths", "2048", "--out", out.path, "--contributions", "--quiet"]).status == 0)
        // Links planted in the result folder, pointing outside it.
        let outside = parent.appendingPathComponent("outside")
        try fm.createDirectory(at: outside, withIntermediateDirectories: true)
        try Data("keep".utf8).write(to: outside.appendingPathComponent("keep.txt"))
        try Data("victim".utf8).write(to: outside.appendingPathComponent("victim.json"))
        try fm.createSymbolicLink(atPath: out.appendingPathComponent("stress-x").path, withDestinationPath: outside.path)
        try fm.removeItem(at: out.appendingPathComponent("quantiles.csv"))
        try fm.createSymbolicLink(atPath: out.appendingPathComponent("quantiles.csv").path,
                                  withDestinationPath: outside.appendingPathComponent("victim.json").path)
        let r = try Tool.run(["run", s.path, "--paths", "2048", "--out", out.path, "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(files(out) == Self.plain)
        #expect(try String(contentsOf: outside.appendingPathComponent("keep.txt"), encoding: .utf8) == "keep")
        #expect(try String(contentsOf: outside.appendingPathComponent("victim.json"), encoding: .utf8) == "victim")
        var st = stat()
        #expect(lstat(out.appendingPathComponent("quantiles.csv").path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG)
    }

    @Test func badOrFailedOutLeavesNothing() throws {
        let s = try scenario()
        let parent = s.deletingLastPathComponent()
        let empty = try Tool.run(["run", s.path, "--out", ""])
        #expect(empty.status == 64)
        #expect(empty.stderr.hasPrefix("Error: --out must name a folder (got an empty string)\n"), "\(empty.stderr)")
        let inputs = try Tool.run(["run", s.path, "--out", parent.path])
        #expect(inputs.status == 64)
        #expect(inputs.stderr == "error: --out \(parent.path): is or contains the scenario's input \(parent.path); choose a folder outside it, since a run replaces its folder whole\n")
        let above = try Tool.run(["run", s.path, "--out", parent.deletingLastPathComponent().path])
        #expect(above.status == 64)
        // A folder that holds other things is not replaced.
        let foreign = parent.appendingPathComponent("foreign")
        try fm.createDirectory(at: foreign, withIntermediateDirectories: true)
        try Data().write(to: foreign.appendingPathComponent("thesis.tex"))
        let f = try Tool.run(["run", s.path, "--paths", "2048", "--out", foreign.path])
        #expect(f.status == 73)
        #expect(f.stderr.contains("exists and holds no summary.json or comparison.json or shard.json, so it is not a folder CreditSim wrote"))
        #expect(files(foreign) == ["thesis.tex"])
        // A name too long for the file system fails after the parents were created: they go too.
        let long = parent.appendingPathComponent("new1/new2/" + String(repeating: "x", count: 250))
        let r = try Tool.run(["run", s.path, "--paths", "2048", "--out", long.path])
        #expect(r.status == 73)
        #expect(r.stderr.contains("cannot write output"), "\(r.stderr)")
        #expect(!fm.fileExists(atPath: parent.appendingPathComponent("new1").path))
        let bench = try Tool.run(["bench", "--names", "20", "--factors", "1", "--export", long.path])
        #expect(bench.status == 73)
        #expect(!fm.fileExists(atPath: parent.appendingPathComponent("new1").path))
    }

    @Test func stdoutWriteErrorsExit74() throws {
        let s = try scenario()
        let out = s.deletingLastPathComponent().appendingPathComponent("out")
        let message = "error: cannot write to standard output: No space left on device\n"
        let json = try Tool.run(["run", s.path, "--paths", "2048", "--json"], stdout: "/dev/full")
        #expect(json.status == 74 && json.stderr == message, "\(json.stderr)")
        let table = try Tool.run(["run", s.path, "--paths", "2048", "--out", out.path], stdout: "/dev/full")
        #expect(table.status == 74 && table.stderr == message)
        let validate = try Tool.run(["validate", s.path], stdout: "/dev/full")
        #expect(validate.status == 74 && validate.stderr == message)
        let compare = try Tool.run(["compare", out.path, out.path], stdout: "/dev/full")
        #expect(compare.status == 74 && compare.stderr == message)
        let bench = try Tool.run(["bench", "--names", "20", "--factors", "1", "--paths", "1024", "--repeat", "1", "--threads", "1"],
                                 stdout: "/dev/full")
        // After bench's own warnings (a busy machine, one repeat), if any.
        #expect(bench.status == 74 && bench.stderr.hasSuffix(message), "\(bench.stderr)")
    }
}

/// Ctrl-C in any phase is reported as partial (exit 130), and the files say where it stopped.
@Suite struct InterruptPhaseTests {
    @Test func ctrlCDuringContributionsIsPartial() throws {
        let s = try CLITests().fixture().appendingPathComponent("s.yaml")
        let out = s.deletingLastPathComponent().appendingPathComponent("out")
        let run = try Tool.Started(["run", s.path, "--paths", "4096", "--contributions", "--json", "--out", out.path],
                                   environment: ["CREDITSIM_TEST_PAUSE": "contributions:2"])
        #expect(run.waitFor("test hook: paused at contributions"))
        kill(run.process.processIdentifier, SIGINT)
        run.process.waitUntilExit()
        #expect(run.process.terminationStatus == 130, "\(run.stderrText)")
        #expect(run.stderrText.contains("Interrupted during the contribution pass: the loss figures are complete, the contributions are not written.\n"))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(run.stdoutText.utf8)) as? [String: Any])
        #expect(json["partial"] as? Bool == true)
        #expect(json["interrupted_phase"] as? String == "contributions")
        #expect(json["paths"] as? Int == 4096)
        let files = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
        #expect(files == OutputFolderTests.plain)
    }
}
