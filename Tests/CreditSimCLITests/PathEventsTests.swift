import CreditRisk
import CreditScenario
import Foundation
import Testing

/// `--export-paths` writes `paths/events/`: one record per path and bond with a loss, whose
/// gross and net losses add up to the path's own (`paths/gross.npy`, `paths/net.npy`), the same
/// bytes for any thread count, in the base folder and in each stress's.
@Suite(.serialized) struct PathEventsTests {
    static let columns = ["path", "bond", "state", "time", "gross", "net"]

    func bundled(_ name: String) -> String {
        AnalyticCLITests.repository.appendingPathComponent("Scenarios/tech-bonds-2026/\(name)").path
    }

    func array(_ folder: URL, _ name: String) throws -> [Double] {
        let data = try Data(contentsOf: folder.appendingPathComponent(name))
        return try #require(NumPyFile.read(data), "\(name) is not a readable .npy").values
    }

    /// The events of `folder/paths/events/` add up, path by path, to the path's gross and net loss:
    /// the exact sum of a path's records and the engine's running sum differ by rounding only,
    /// at most (records − 1) · 2⁻⁵² of the sum of their magnitudes, so 1e-12 of it is a bound
    /// that a missing or doubled record (a whole bond's loss) cannot meet.
    func checkSums(_ folder: URL, horizon: Double) throws -> (records: Int, extensions: Int) {
        let events = folder.appendingPathComponent("paths/events")
        let c = try Self.columns.map { try array(events, "\($0).npy") }
        let (path, bond, state, time, gross, net) = (c[0], c[1], c[2], c[3], c[4], c[5])
        #expect(Set(c.map(\.count)).count == 1)
        let pathGross = try array(folder, "paths/gross.npy"), pathNet = try array(folder, "paths/net.npy")
        var sums = [Int: (g: ExactSum, n: ExactSum, size: Double)]()
        for i in path.indices {
            let p = Int(path[i])
            if i > 0 { #expect(path[i - 1] < path[i] || (path[i - 1] == path[i] && bond[i - 1] < bond[i]), "record \(i) out of order") }
            #expect(state[i] == 1 || state[i] == 2)
            #expect(time[i] > 0 && time[i] <= horizon, "record \(i): time \(time[i])")
            #expect(gross[i] != 0 || net[i] != 0)
            var s = sums[p] ?? (ExactSum(), ExactSum(), 0)
            s.g.add(gross[i])
            s.n.add(net[i])
            s.size += abs(gross[i]) + abs(net[i])
            sums[p] = s
        }
        var mismatched = 0
        for p in pathGross.indices {
            let s = sums[p] ?? (ExactSum(), ExactSum(), 0)
            let tolerance = 1e-12 * s.size
            if abs(s.g.value - pathGross[p]) > tolerance || abs(s.n.value - pathNet[p]) > tolerance { mismatched += 1 }
        }
        #expect(mismatched == 0, "\(mismatched) paths whose events do not add up to their losses")
        #expect(sums.count == pathGross.indices.filter { pathGross[$0] != 0 || pathNet[$0] != 0 }.count)
        return (path.count, state.filter { $0 == 2 }.count)
    }

    /// The bundled book (extensions, capacity-limited guarantees, protection) with its
    /// extension-wave stress: events add up in both folders, the stress has more extensions, and
    /// one and two threads write the same bytes.
    @Test func eventsAddUpAndDoNotDependOnThreads() throws {
        let dir = try Tool.temporaryFolder("events")
        var folders: [URL] = []
        for threads in ["1", "2"] {
            let out = dir.appendingPathComponent("t\(threads)")
            let r = try Tool.run(["run", bundled("tech-bonds.yaml"), "--paths", "6000", "--seed", "11", "--threads", threads,
                                  "--stress", "extension_wave", "--export-paths", "--out", out.path, "--quiet"])
            #expect(r.status == 0, "\(r.stderr)")
            folders.append(out)
        }
        let base = try checkSums(folders[0], horizon: 1)
        let stress = try checkSums(folders[0].appendingPathComponent("stress-extension_wave"), horizon: 1)
        #expect(base.records > 1000)
        #expect(stress.extensions > base.extensions)
        for sub in ["paths/events", "stress-extension_wave/paths/events"] {
            for name in Self.columns {
                let file = "\(sub)/\(name).npy"
                #expect(try Data(contentsOf: folders[0].appendingPathComponent(file))
                        == Data(contentsOf: folders[1].appendingPathComponent(file)), "\(file) differs between 1 and 2 threads")
            }
        }
    }

    /// Recording events changes no figure; shards run with `--export-paths` merge into the whole
    /// run's events, base and stress, byte for byte.
    @Test func eventsChangeNothingAndMergeFromShards() throws {
        let dir = try Tool.temporaryFolder("events-shards")
        let common = ["--paths", "5000", "--seed", "2", "--stress", "extension_wave", "--quiet"]
        let whole = dir.appendingPathComponent("whole"), plain = dir.appendingPathComponent("plain")
        #expect(try Tool.run(["run", bundled("tech-bonds.yaml"), "--export-paths", "--out", whole.path] + common).status == 0)
        #expect(try Tool.run(["run", bundled("tech-bonds.yaml"), "--out", plain.path] + common).status == 0)
        for file in ["quantiles.csv", "loss-distribution.csv", "stress-extension_wave/quantiles.csv"] {
            #expect(try Data(contentsOf: whole.appendingPathComponent(file)) == Data(contentsOf: plain.appendingPathComponent(file)), "\(file)")
        }
        var shards: [String] = []
        for k in [2, 1] {
            let folder = dir.appendingPathComponent("s\(k)").path
            let r = try Tool.run(["run", bundled("tech-bonds.yaml"), "--shard", "\(k)/2", "--export-paths", "--out", folder] + common)
            #expect(r.status == 0, "\(r.stderr)")
            shards.append(folder)
        }
        let merged = dir.appendingPathComponent("merged")
        let r = try Tool.run(["merge"] + shards + ["--out", merged.path, "--export-paths"])
        #expect(r.status == 0, "\(r.stderr)")
        for sub in ["paths/events", "stress-extension_wave/paths/events"] {
            for name in Self.columns {
                let file = "\(sub)/\(name).npy"
                #expect(try Data(contentsOf: merged.appendingPathComponent(file)) == Data(contentsOf: whole.appendingPathComponent(file)),
                        "\(file): merged shards differ from the whole run")
            }
        }
    }

    /// Market valuation: rating moves are records too (state 3, at the horizon), and losses may
    /// be gains; they still add up to the paths' losses.
    @Test func marketValuationRecordsRatingMoves() throws {
        let out = try Tool.temporaryFolder("events-market").appendingPathComponent("out")
        let r = try Tool.run(["run", bundled("tech-bonds-market.yaml"), "--paths", "3000", "--seed", "3",
                              "--export-paths", "--out", out.path, "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        let events = out.appendingPathComponent("paths/events")
        let state = try array(events, "state.npy"), time = try array(events, "time.npy")
        let gross = try array(events, "gross.npy"), net = try array(events, "net.npy"), path = try array(events, "path.npy")
        #expect(state.contains(3) && state.contains(1))
        #expect(zip(state, time).allSatisfy { $0 != 3 || $1 == 1 })
        let pathGross = try array(out, "paths/gross.npy"), pathNet = try array(out, "paths/net.npy")
        var g = [ExactSum](repeating: ExactSum(), count: pathGross.count), n = g
        var size = [Double](repeating: 0, count: pathGross.count)
        for i in path.indices {
            g[Int(path[i])].add(gross[i])
            n[Int(path[i])].add(net[i])
            size[Int(path[i])] += abs(gross[i]) + abs(net[i])
        }
        let bad = pathGross.indices.filter {
            abs(g[$0].value - pathGross[$0]) > 1e-12 * size[$0] || abs(n[$0].value - pathNet[$0]) > 1e-12 * size[$0]
        }
        #expect(bad.isEmpty, "paths whose events do not add up: \(bad.prefix(5))")
    }
}
