import CreditRisk
import Foundation

/// The processes a run is split over (MPI ranks): rank r simulates the contiguous blocks
/// [r·B/N, (r+1)·B/N) of the B blocks, with its own threads, and rank 0 combines. Only byte
/// transport is asked of an implementation (the CLI's MPI build provides one); what travels, and
/// in which order, is decided here, so that every rank takes the same decisions in lockstep.
public protocol RunCollective: AnyObject, Sendable {
    var rank: Int { get }
    var size: Int { get }
    /// A rank other than 0 sends bytes to rank 0.
    func sendToRoot(_ bytes: [UInt8])
    /// Rank 0 receives the next bytes rank `from` sent it.
    func receive(from rank: Int) -> [UInt8]
    /// Rank 0's `bytes` on every rank (the argument is ignored on the others).
    func broadcast(_ bytes: [UInt8]) -> [UInt8]
}

extension RunCollective {
    /// Rank `rank`'s blocks of a run of `blocks` blocks.
    public func blocks(of blocks: Int, rank r: Int? = nil) -> Range<Int> {
        let r = r ?? rank
        return (r * blocks / size)..<((r + 1) * blocks / size)
    }

    var isRoot: Bool { rank == 0 }

    /// Rank 0's flag on every rank.
    func broadcast(_ flag: Bool) -> Bool { broadcast([flag ? 1 : 0]).first == 1 }

    /// Rank 0's value on every rank (JSON: doubles round-trip exactly).
    func broadcast<T: Codable>(_ value: T?) -> T {
        let bytes = broadcast(isRoot ? (try? [UInt8](JSONEncoder().encode(value!))) ?? [] : [])
        guard let decoded = try? JSONDecoder().decode(T.self, from: Data(bytes)) else {
            fatalError("MPI: cannot decode a message from rank 0")
        }
        return decoded
    }

    /// Rank 0: the whole run as far as it is a prefix of blocks (its own range, then each next
    /// rank's while the ranks before were complete: a stopped rank ends the prefix). Other ranks
    /// send theirs and get their own back.
    func combine(_ local: SimulationOutput, settings: SimulationSettings) -> SimulationOutput {
        guard size > 1 else { return local }
        guard isRoot else {
            sendToRoot(PathsMessage.encode(local))
            return local
        }
        var whole = local
        var complete = local.paths == pathCount(blocks(of: settings.blockCount, rank: 0), settings)
        for r in 1..<size {
            let part = PathsMessage.decode(receive(from: r), template: local)
            if complete {
                whole = whole.appending(part)
                complete = part.paths == pathCount(blocks(of: settings.blockCount, rank: r), settings)
            }
        }
        return whole
    }

    /// Rank 0: the contribution pass's summaries merged in rank order, and the paths they cover
    /// (a prefix as in `combine`). Others send theirs and get (their summary, their paths).
    func combine(_ summary: RunSummary, paths: Int, settings: SimulationSettings) -> (RunSummary, Int) {
        guard size > 1 else { return (summary, paths) }
        guard isRoot else {
            sendToRoot(SummaryMessage(paths: paths, summary: summary).bytes)
            return (summary, paths)
        }
        var merged = summary, total = paths
        var complete = paths == pathCount(blocks(of: settings.blockCount, rank: 0), settings)
        for r in 1..<size {
            let part = SummaryMessage(receive(from: r))
            if complete {
                merged.append(part.summary)
                total += part.paths
                complete = part.paths == pathCount(blocks(of: settings.blockCount, rank: r), settings)
            }
        }
        return (merged, total)
    }

    private func pathCount(_ blocks: Range<Int>, _ settings: SimulationSettings) -> Int {
        let size = SimulationSettings.blockSize
        return max(0, min(blocks.upperBound * size, settings.paths) - min(blocks.lowerBound * size, settings.paths))
    }
}

/// What rank 0 tells the others after a portfolio's first pass.
struct CollectiveDecision: Codable {
    /// Paths kept (0: stopped before any finished).
    var paths: Int
    var partial: Bool
    /// The contribution pass's levels (level, VaR, weight above, weight at), when it runs.
    var contributionLevels: [[Double]]?
}

/// A rank's per-path figures and block summary, as bytes: the arrays raw (little-endian, as in
/// memory), the summary as JSON (doubles round-trip exactly).
enum PathsMessage {
    static func encode(_ o: SimulationOutput) -> [UInt8] {
        var w = ByteWriter()
        w.int(o.firstPath)
        w.double(o.elapsedSeconds)
        w.array(o.net)
        w.array(o.gross)
        w.optionalArray(o.weights)
        w.optionalArray(o.factors)
        w.optionalArray(o.sectorLosses)
        w.bytes((try? [UInt8](JSONEncoder().encode(o.summary))) ?? [])
        return w.data
    }

    static func decode(_ bytes: [UInt8], template: SimulationOutput) -> SimulationOutput {
        var r = ByteReader(bytes)
        let first = r.int(), elapsed = r.double()
        let net: [Double] = r.array(), gross: [Double] = r.array()
        let weights: [Double]? = r.optionalArray(), factors: [Float]? = r.optionalArray()
        let sectors: [Float]? = r.optionalArray()
        guard let summary = try? JSONDecoder().decode(RunSummary.self, from: Data(r.bytes())) else {
            fatalError("MPI: cannot decode a rank's block summary")
        }
        return template.withPaths(firstPath: first, net: net, gross: gross, weights: weights, factors: factors,
                                  sectorLosses: sectors, summary: summary, elapsedSeconds: elapsed)
    }
}

struct SummaryMessage {
    var paths: Int
    var summary: RunSummary

    init(paths: Int, summary: RunSummary) {
        self.paths = paths
        self.summary = summary
    }

    init(_ bytes: [UInt8]) {
        var r = ByteReader(bytes)
        paths = r.int()
        guard let s = try? JSONDecoder().decode(RunSummary.self, from: Data(r.bytes())) else {
            fatalError("MPI: cannot decode a rank's contribution sums")
        }
        summary = s
    }

    var bytes: [UInt8] {
        var w = ByteWriter()
        w.int(paths)
        w.bytes((try? [UInt8](JSONEncoder().encode(summary))) ?? [])
        return w.data
    }
}

struct ByteWriter {
    var data: [UInt8] = []

    mutating func int(_ v: Int) { withUnsafeBytes(of: Int64(v).littleEndian) { data.append(contentsOf: $0) } }
    mutating func double(_ v: Double) { int(Int(Int64(bitPattern: v.bitPattern))) }
    mutating func bytes(_ b: [UInt8]) {
        int(b.count)
        data.append(contentsOf: b)
    }
    mutating func array<T: BitwiseCopyable>(_ a: [T]) {
        int(a.count)
        a.withUnsafeBytes { data.append(contentsOf: $0) }
    }
    mutating func optionalArray<T: BitwiseCopyable>(_ a: [T]?) {
        int(a == nil ? 0 : 1)
        if let a { array(a) }
    }
}

struct ByteReader {
    let data: [UInt8]
    var offset = 0

    init(_ data: [UInt8]) { self.data = data }

    mutating func int() -> Int {
        var v: Int64 = 0
        withUnsafeMutableBytes(of: &v) { $0.copyBytes(from: data[offset..<offset + 8]) }
        offset += 8
        return Int(Int64(littleEndian: v))
    }
    mutating func double() -> Double { Double(bitPattern: UInt64(bitPattern: Int64(int()))) }
    mutating func bytes() -> [UInt8] {
        let n = int()
        defer { offset += n }
        return Array(data[offset..<offset + n])
    }
    mutating func array<T: BitwiseCopyable>() -> [T] {
        let n = int()
        let length = n * MemoryLayout<T>.stride
        defer { offset += length }
        return [T](unsafeUninitializedCapacity: n) { buffer, count in
            data.withUnsafeBytes { raw in
                UnsafeMutableRawBufferPointer(buffer).copyMemory(from: UnsafeRawBufferPointer(rebasing: raw[offset..<offset + length]))
            }
            count = n
        }
    }
    mutating func optionalArray<T: BitwiseCopyable>() -> [T]? { int() == 0 ? nil : array() }
}
