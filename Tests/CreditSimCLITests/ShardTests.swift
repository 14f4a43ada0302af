import Foundation
import Testing

/// `run --shard K/N` and `merge`: four shards merge into the one-process result, bit for bit in
/// every figure but timing; incomplete or mismatched sets are refused with a clear message.
@Suite(.serialized) struct ShardTests {
    let cli = CLITests()

    func scenario() throws -> (URL, String) {
        let dir = try cli.fixture()
        let path = dir.appendingPathComponent("s.yaml")
        try Data((CLITests.scenario + """
            stress:
              - name: coal_down
                pd_multiplier: {sector: {coal: 3}}

            """).utf8).write(to: path)
        return (dir, path.path)
    }

    /// summary.json without the fields that depend on timing or the thread count.
    func summary(_ folder: URL) throws -> NSDictionary {
        let data = try Data(contentsOf: folder.appendingPathComponent("summary.json"))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        var d = object
        for key in ["elapsed_seconds", "paths_per_second", "name_paths_per_second", "threads"] { d[key] = nil }
        return d as NSDictionary
    }

    @Test func fourShardsMergeIntoTheWholeRun() throws {
        let (dir, s) = try scenario()
        let common = ["--paths", "9000", "--seed", "7", "--method", "importance", "--stress", "coal_down", "--quiet"]
        let whole = dir.appendingPathComponent("whole")
        #expect(try cli.run(["run", s, "--out", whole.path, "--threads", "2"] + common).status == 0)
        var shards: [String] = []
        for k in [3, 1, 4, 2] {
            let folder = dir.appendingPathComponent("shard\(k)").path
            let r = try cli.run(["run", s, "--shard", "\(k)/4", "--out", folder, "--threads", "1"] + common)
            #expect(r.status == 0, "\(r.stderr)")
            shards.append(folder)
        }
        let merged = dir.appendingPathComponent("merged")
        let r = try cli.run(["merge"] + shards + ["--out", merged.path, "--export-paths"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("warning: paths/events/ not written: the shards were run without --export-paths"), "\(r.stderr)")
        #expect(try summary(merged) == summary(whole))
        #expect(try summary(merged.appendingPathComponent("stress-coal_down")) == summary(whole.appendingPathComponent("stress-coal_down")))
        for file in ["quantiles.csv", "loss-distribution.csv", "stress-coal_down/quantiles.csv"] {
            #expect(try Data(contentsOf: merged.appendingPathComponent(file)) == Data(contentsOf: whole.appendingPathComponent(file)), "\(file)")
        }
        let manifest = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: merged.appendingPathComponent("manifest.json"))) as? [String: Any])
        #expect((manifest["inputs"] as? [[String: Any]])?.count == 3)
        #expect(FileManager.default.fileExists(atPath: merged.appendingPathComponent("paths/net.npy").path))

        // Refused: a missing shard, a shard given twice, a shard of another seed, a damaged array.
        let missing = try cli.run(["merge"] + shards.dropLast() + ["--out", dir.appendingPathComponent("m2").path])
        #expect(missing.status == 65 && missing.stderr.contains("1 of 4 shards missing (2/4): give all 4 shard folders"), "\(missing.stderr)")
        let twice = try cli.run(["merge"] + shards + [shards[0], "--out", dir.appendingPathComponent("m3").path])
        #expect(twice.status == 65 && twice.stderr.contains("given twice"), "\(twice.stderr)")
        let other = dir.appendingPathComponent("other2").path
        #expect(try cli.run(["run", s, "--shard", "2/4", "--out", other, "--paths", "9000", "--seed", "8", "--method", "importance",
                             "--stress", "coal_down", "--quiet"]).status == 0)
        let seeds = try cli.run(["merge"] + shards.dropLast() + [other, "--out", dir.appendingPathComponent("m4").path])
        #expect(seeds.status == 65 && seeds.stderr.contains("another seed (8;"), "\(seeds.stderr)")
        try Data("not numpy".utf8).write(to: URL(fileURLWithPath: shards[0]).appendingPathComponent("base/net.npy"))
        let damaged = try cli.run(["merge"] + shards + ["--out", dir.appendingPathComponent("m5").path])
        #expect(damaged.status == 65 && damaged.stderr.contains("base/net.npy: not the array shard.json was written with"), "\(damaged.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("m5").path))
    }

    /// `--contributions` on shards: merged, contributions.csv is the one-process file byte for
    /// byte, with three shards (plain sampling) and with two on a stress (importance sampling,
    /// where tail paths carry weights); a shard whose tail bound was altered is refused.
    @Test func shardContributionsMergeIntoTheWholeRun() throws {
        let (dir, s) = try scenario()
        // The third set's lowest level, 0.999, lets each shard keep only its paths from a loss on.
        for (set, (shards, method, levels)) in [(3, "plain", "0.95,0.99"), (2, "importance", "0.95,0.99"),
                                                 (3, "plain", "0.999")].enumerated() {
            let common = ["--paths", "12000", "--seed", "5", "--method", method, "--stress", "coal_down", "--contributions",
                          "--levels", levels, "--quiet"]
            let whole = dir.appendingPathComponent("whole-\(set)")
            #expect(try cli.run(["run", s, "--out", whole.path, "--threads", "2"] + common).status == 0)
            var folders: [String] = []
            for k in 1...shards {
                let folder = dir.appendingPathComponent(set == 0 ? "c\(shards)-\(k)" : "c\(set)-\(shards)-\(k)").path
                let r = try cli.run(["run", s, "--shard", "\(k)/\(shards)", "--out", folder, "--threads", "1"] + common)
                #expect(r.status == 0, "\(r.stderr)")
                folders.append(folder)
            }
            let merged = dir.appendingPathComponent("merged-\(set)")
            let r = try cli.run(["merge"] + folders + ["--out", merged.path])
            #expect(r.status == 0, "\(r.stderr)")
            for file in ["contributions.csv", "stress-coal_down/contributions.csv"] {
                let a = try Data(contentsOf: whole.appendingPathComponent(file)), b = try Data(contentsOf: merged.appendingPathComponent(file))
                #expect(a == b, "\(shards) shards: \(file) differs from the one-process run's")
            }
            if set == 2 {
                let text = try String(contentsOf: URL(fileURLWithPath: folders[0]).appendingPathComponent("shard.json"), encoding: .utf8)
                let from = try #require(text.firstMatch(of: /"keep_from" : ([0-9.e+-]+)/)).1
                #expect((Double(from) ?? 0) > 0, "keep_from \(from): the shard should have kept only its largest losses")
            }
            if set == 1 {
                // A bound above the run's VaR would leave tail paths out: refused, never summed.
                let json = URL(fileURLWithPath: folders[0]).appendingPathComponent("shard.json")
                var text = try String(contentsOf: json, encoding: .utf8)
                let pattern = try #require(text.range(of: "\"keep_from\" : [^,\n]*", options: .regularExpression))
                text.replaceSubrange(pattern, with: "\"keep_from\" : 1e300")
                try Data(text.utf8).write(to: json)
                let bad = try cli.run(["merge"] + folders + ["--out", dir.appendingPathComponent("bad").path])
                #expect(bad.status == 65 && bad.stderr.contains("do not cover the whole run's tail"), "\(bad.stderr)")
            }
        }
        // All shards or none: a set where one shard ran without --contributions is refused.
        let plain = dir.appendingPathComponent("c3-plain").path
        #expect(try cli.run(["run", s, "--shard", "3/3", "--out", plain, "--paths", "12000", "--seed", "5", "--method", "plain",
                             "--stress", "coal_down", "--quiet"]).status == 0)
        let mixed = try cli.run(["merge", dir.appendingPathComponent("c3-1").path, dir.appendingPathComponent("c3-2").path, plain,
                                 "--out", dir.appendingPathComponent("mixed").path])
        #expect(mixed.status == 65 && mixed.stderr.contains("some run without --contributions"), "\(mixed.stderr)")
    }

    @Test func shardOptionsAreChecked() throws {
        let (_, s) = try scenario()
        for (arguments, message) in [
            (["--shard", "5/4", "--out", "/tmp/x"], "The value '5/4' is invalid for '--shard <K/N>'"),
            (["--shard", "1/4"], "--shard needs --out DIR"),
        ] {
            let r = try cli.run(["run", s] + arguments)
            #expect(r.status == 64 && r.stderr.contains(message), "\(arguments): \(r.stderr)")
        }
    }
}
