import Foundation
import Testing

/// `run --history FILE` and `creditsim history`: runs append to one SQLite file (concurrent runs
/// included), the schema is versioned, and the trend page is written.
@Suite(.serialized) struct HistoryTests {
    let cli = CLITests()

    /// Rows of a query by the sqlite3 command-line tool, or nil when it is not installed.
    func query(_ db: URL, _ sql: String) throws -> [String]? {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3") else { return nil }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        p.arguments = [db.path, sql]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    @Test func twoRunsThenTheListAndTheTrendPage() throws {
        let dir = try cli.fixture()
        let s = dir.appendingPathComponent("s.yaml")
        try Data((CLITests.scenario + "as_of: 2026-03-02\nstress:\n  - name: coal_down\n    pd_multiplier: {sector: {coal: 3}}\n").utf8).write(to: s)
        let db = dir.appendingPathComponent("runs.sqlite")
        for seed in ["1", "2"] {
            let r = try cli.run(["run", s.path, "--paths", "4096", "--seed", seed, "--stress", "all", "--quiet", "--history", db.path])
            #expect(r.status == 0, "\(r.stderr)")
        }
        let list = try cli.run(["history", db.path])
        #expect(list.status == 0, "\(list.stderr)")
        let lines = list.stdout.split(separator: "\n")
        #expect(lines.count == 3 && lines[1].contains("2026-03-02") && lines[1].contains("CLI test"), "\(list.stdout)")
        let page = dir.appendingPathComponent("trend.html")
        let html = try cli.run(["history", db.path, "--scenario", "CLI test", "--html", page.path])
        #expect(html.status == 0)
        let text = try String(contentsOf: page, encoding: .utf8)
        #expect(text.contains("coal_down") && text.contains("net EL") && text.contains("<svg"))
        if let rows = try query(db, "SELECT count(*) FROM runs; SELECT count(*) FROM measures WHERE portfolio = 'coal_down'; PRAGMA user_version") {
            // Two runs; per run and portfolio 2 levels × net and gross.
            #expect(rows == ["2", "8", "1"], "\(rows)")
        }
        let none = try cli.run(["history", dir.appendingPathComponent("missing.sqlite").path])
        #expect(none.status == 66 && !FileManager.default.fileExists(atPath: dir.appendingPathComponent("missing.sqlite").path))
    }

    /// Two runs appending to one file at the same moment both land: the first holds the write
    /// lock (paused by a test hook inside its transaction) while the second tries to append.
    @Test func concurrentRunsLoseNothing() throws {
        let dir = try cli.fixture()
        let db = dir.appendingPathComponent("runs.sqlite")
        let s = dir.appendingPathComponent("s.yaml").path
        let first = try Tool.Started(["run", s, "--paths", "8192", "--seed", "1", "--quiet", "--history", db.path],
                                     environment: ["CREDITSIM_TEST_PAUSE": "history:3"])
        #expect(first.waitFor("test hook: paused at history", timeout: 600))
        let second = try Tool.Started(["run", s, "--paths", "8192", "--seed", "2", "--quiet", "--history", db.path])
        let runs = [first, second]
        for r in runs { r.process.waitUntilExit() }
        #expect(runs.allSatisfy { $0.process.terminationStatus == 0 }, "\(runs.map(\.stderrText))")
        let list = try cli.run(["history", db.path, "--json"])
        let seeds = list.stdout.split(separator: "\n").compactMap { line -> Int? in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["seed"] as? Int
        }
        #expect(seeds.sorted() == [1, 2], "\(list.stdout)")
    }

    /// A database written by a newer schema is refused, not misread; a non-database file too.
    @Test func newerSchemaAndForeignFilesAreRefused() throws {
        let dir = try cli.fixture()
        let db = dir.appendingPathComponent("runs.sqlite")
        #expect(try cli.run(["run", dir.appendingPathComponent("s.yaml").path, "--paths", "2048", "--quiet", "--history", db.path]).status == 0)
        guard try query(db, "PRAGMA user_version = 99") != nil else { return }
        let newer = try cli.run(["history", db.path])
        #expect(newer.status == 65 && newer.stderr.contains("schema version 99 was written by a newer creditsim"), "\(newer.stderr)")
        let text = dir.appendingPathComponent("notes.txt")
        try Data("not a database, just notes\n".utf8).write(to: text)
        let r = try cli.run(["run", dir.appendingPathComponent("s.yaml").path, "--paths", "2048", "--quiet", "--history", text.path])
        #expect(r.status == 73 && r.stderr.contains("not a CreditSim history database"), "\(r.stderr)")
    }
}
