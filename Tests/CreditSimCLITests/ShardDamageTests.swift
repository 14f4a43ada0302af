import CreditScenario
import Foundation
import Testing

/// `merge` of damaged, mixed or odd shard folders: every case is refused with a message naming the
/// file and what is wrong (exit 65), never a crash and never a silent wrong figure; a shard folder
/// being written is not read.
@Suite(.serialized) struct ShardDamageTests {
    let cli = CLITests()

    /// Two shards of a run with a guarantor and a seller (so payouts are recorded), and a folder.
    func shards() throws -> (dir: URL, folders: [URL]) {
        let dir = try cli.fixture()
        var folders: [URL] = []
        for k in 1...2 {
            let folder = dir.appendingPathComponent("shard\(k)")
            let r = try cli.run(["run", dir.appendingPathComponent("s.yaml").path, "--shard", "\(k)/2", "--paths", "8192",
                                 "--quiet", "--out", folder.path])
            #expect(r.status == 0, "\(r.stderr)")
            folders.append(folder)
        }
        return (dir, folders)
    }

    func json(_ folder: URL) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("shard.json"))) as? [String: Any])
    }

    func write(_ object: [String: Any], to folder: URL) throws {
        try JSONSerialization.data(withJSONObject: object).write(to: folder.appendingPathComponent("shard.json"))
    }

    /// Rewrites an array and the checksum shard.json gives it, as a careful forger would.
    func replaceArray(_ folder: URL, _ name: String, with data: Data) throws {
        try data.write(to: folder.appendingPathComponent("base/\(name)"))
        var d = try json(folder)
        var pieces = try #require(d["pieces"] as? [[String: Any]])
        var arrays = try #require(pieces[0]["arrays"] as? [[String: Any]])
        for i in arrays.indices where arrays[i]["name"] as? String == name {
            arrays[i]["bytes"] = data.count
            arrays[i]["sha256"] = SHA256.hex(data)
        }
        pieces[0]["arrays"] = arrays
        d["pieces"] = pieces
        try write(d, to: folder)
    }

    func merge(_ folders: [URL], _ dir: URL) throws -> Tool.Result {
        let out = dir.appendingPathComponent("merged-\(UUID().uuidString)")
        let r = try cli.run(["merge"] + folders.map(\.path) + ["--out", out.path])
        #expect(!FileManager.default.fileExists(atPath: out.path) || r.status == 0)
        return r
    }

    func expectRefused(_ r: Tool.Result, _ message: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(r.status == 65, "\(r.stderr)", sourceLocation: sourceLocation)
        #expect(r.stderr.contains(message), "wanted “\(message)”: \(r.stderr)", sourceLocation: sourceLocation)
    }

    @Test func anotherRunsArraysAreRefused() throws {
        let (dir, folders) = try shards()
        // The same shard of another seed: its arrays beside this shard.json.
        let other = dir.appendingPathComponent("other")
        #expect(try cli.run(["run", dir.appendingPathComponent("s.yaml").path, "--shard", "1/2", "--paths", "8192", "--seed", "9",
                             "--quiet", "--out", other.path]).status == 0)
        try FileManager.default.removeItem(at: folders[0].appendingPathComponent("base/net.npy"))
        try FileManager.default.copyItem(at: other.appendingPathComponent("base/net.npy"), to: folders[0].appendingPathComponent("base/net.npy"))
        expectRefused(try merge(folders, dir), "shard1/base/net.npy: not the array shard.json was written with")
    }

    @Test func strayAndMissingArraysAreRefused() throws {
        let (dir, folders) = try shards()
        try Data(contentsOf: folders[0].appendingPathComponent("base/net.npy")).write(to: folders[0].appendingPathComponent("base/weight.npy"))
        expectRefused(try merge(folders, dir), "base/weight.npy: not listed in shard.json")
        try FileManager.default.removeItem(at: folders[0].appendingPathComponent("base/weight.npy"))
        try FileManager.default.removeItem(at: folders[1].appendingPathComponent("base/factors.npy"))
        expectRefused(try merge(folders, dir), "shard2/base/factors.npy: missing (shard.json lists it)")
    }

    @Test func editedDocumentsAreRefused() throws {
        let (dir, folders) = try shards()
        let original = try json(folders[1])
        func edited(_ change: (inout [String: Any]) -> Void) throws -> Tool.Result {
            var d = original
            change(&d)
            try write(d, to: folders[1])
            return try merge(folders, dir)
        }
        func piece(_ d: inout [String: Any], _ change: (inout [String: Any]) -> Void) {
            var pieces = d["pieces"] as? [[String: Any]] ?? []
            change(&pieces[0])
            d["pieces"] = pieces
        }
        func state(_ d: inout [String: Any], _ change: (inout [String: Any]) -> Void) {
            piece(&d) { p in
                var s = p["state"] as? [String: Any] ?? [:]
                change(&s)
                p["state"] = s
            }
        }
        func summary(_ d: inout [String: Any], _ change: (inout [String: Any]) -> Void) {
            state(&d) { s in
                var m = s["summary"] as? [String: Any] ?? [:]
                change(&m)
                s["summary"] = m
            }
        }
        expectRefused(try edited { state(&$0) { $0["firstPath"] = 0 } }, "first path 0; shard 2/2 starts at 4096")
        expectRefused(try edited { $0["pieces"] = [] }, "0 portfolios for 0 stresses")
        expectRefused(try edited { $0["shard"] = ["index": 0, "count": 0] }, "shard 0/0: needs 1 ≤ K ≤ N")
        expectRefused(try edited { $0["shard"] = ["index": -1, "count": -5] }, "needs 1 ≤ K ≤ N")
        expectRefused(try edited { summary(&$0) { m in
            var p = m["payouts"] as? [String: Any] ?? [:]
            p["slot"] = (p["slot"] as? [Int] ?? []).map { _ in 7 }
            m["payouts"] = p
        } }, "a payout to provider slot 7 of 2")
        expectRefused(try edited { summary(&$0) { m in
            var p = m["payouts"] as? [String: Any] ?? [:]
            p["path"] = (p["path"] as? [Int] ?? []).map { _ in 99_999_999 }
            m["payouts"] = p
        } }, "a payout on path 99999999, outside the shard")
        expectRefused(try edited { summary(&$0) { m in
            var p = m["payouts"] as? [String: Any] ?? [:]
            p["amount"] = Array((p["amount"] as? [Double] ?? []).dropLast())
            m["payouts"] = p
        } }, "payout records of unequal lengths")
        expectRefused(try edited { summary(&$0) { m in
            var t = m["premiumShortfall"] as? [String: Any] ?? [:]
            t["sum"] = ["limbs": [1, 2, 3]]
            m["premiumShortfall"] = t
        } }, "an exact sum has 34 limbs, not 3")
        expectRefused(try edited { state(&$0) { $0["guarantorEntities"] = [-4] } }, "damaged")
    }

    @Test func nonFiniteValuesAndOverflowingHeadersAreRefused() throws {
        let (dir, folders) = try shards()
        let original = try Data(contentsOf: folders[0].appendingPathComponent("base/net.npy"))
        var net = original
        withUnsafeBytes(of: Double.nan.bitPattern.littleEndian) { net.replaceSubrange((net.count - 8)..<net.count, with: $0) }
        try replaceArray(folders[0], "net.npy", with: net)
        expectRefused(try merge(folders, dir), "shard1/base/net.npy: value nan at index 4095")
        try replaceArray(folders[0], "net.npy", with: original)
        var factors = try Data(contentsOf: folders[1].appendingPathComponent("base/factors.npy"))
        withUnsafeBytes(of: Float.infinity.bitPattern.littleEndian) { factors.replaceSubrange((factors.count - 4)..<factors.count, with: $0) }
        try replaceArray(folders[1], "factors.npy", with: factors)
        expectRefused(try merge(folders, dir), "shard2/base/factors.npy: value inf")
        // A header whose shape overflows Int.
        let huge = "{'descr': '<f8', 'fortran_order': False, 'shape': (9223372036854775807, 9223372036854775807), }"
        var header = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
        let padded = huge + String(repeating: " ", count: (64 - (10 + huge.utf8.count + 1) % 64) % 64) + "\n"
        header.append(contentsOf: [UInt8(padded.utf8.count & 0xFF), UInt8(padded.utf8.count >> 8)])
        header.append(contentsOf: Array(padded.utf8))
        try replaceArray(folders[0], "net.npy", with: header + Data(count: 64))
        expectRefused(try merge(folders, dir), "shard1/base/net.npy: damaged (not a readable .npy array)")
    }

    /// A shard folder locked by a run writing it is not read: merge waits for nobody and says so.
    @Test func aShardBeingWrittenIsNotMerged() throws {
        let (dir, folders) = try shards()
        let rerun = try Tool.Started(["run", dir.appendingPathComponent("s.yaml").path, "--shard", "2/2", "--paths", "8192",
                                      "--quiet", "--out", folders[1].path], environment: ["CREDITSIM_TEST_PAUSE": "locked:60"])
        #expect(rerun.waitFor("test hook: paused at locked"))
        let r = try merge(folders, dir)
        rerun.kill()
        #expect(r.status == 73 && r.stderr.contains("another creditsim run (process"), "\(r.stderr)")
    }

    /// Shards run from one folder with a relative scenario path merge from another.
    @Test func mergeFromAnotherWorkingDirectory() throws {
        let dir = try cli.fixture()
        var folders: [String] = []
        for k in 1...2 {
            let r = try Tool.run(["run", "s.yaml", "--shard", "\(k)/2", "--paths", "4096", "--quiet", "--out", "shard\(k)"], directory: dir)
            #expect(r.status == 0, "\(r.stderr)")
            folders.append(dir.appendingPathComponent("shard\(k)").path)
        }
        let elsewhere = try Tool.temporaryFolder("elsewhere")
        let r = try Tool.run(["merge"] + folders + ["--out", "merged"], directory: elsewhere)
        #expect(r.status == 0, "\(r.stderr)")
    }
}
