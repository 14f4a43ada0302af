import CreditRisk
import Foundation

/// `shard.json`: what a shard folder holds besides its arrays, and every array bound to it by
/// size and SHA-256, so that `merge` never combines this document with another run's arrays.
public struct ShardDocument: Codable, Sendable {
    /// An array file of a piece, as written.
    public struct ArrayFile: Codable, Sendable, Hashable {
        public var name: String
        public var bytes: Int
        public var sha256: String
    }

    public struct Piece: Codable, Sendable {
        /// "base" or "stress-NAME": the folder of its arrays.
        public var folder: String
        public var stress: String?
        public var state: SimulationOutput.State
        public var shift: ImportanceShift?
        /// Every array of the folder (net, gross, and weight, factors, sectors when present).
        public var arrays: [ArrayFile]
        /// With `--contributions`: the EL sums and the tail bound (`ShardContributions`); the kept
        /// bond losses are the arrays `tail-path.npy`, `tail-bond.npy` and `tail-loss.npy`.
        public var contributions: ContributionSums?
    }

    /// A shard's EL contribution sums (exact, by `ContributionLayout` index) and the loss from
    /// which it kept its paths' bond losses (absent: every path with a loss).
    public struct ContributionSums: Codable, Sendable {
        public var keepFrom: Double?
        public var index: [Int]
        public var sums: [ExactSum]

        enum CodingKeys: String, CodingKey {
            case index, sums
            case keepFrom = "keep_from"
        }
    }

    /// 2: arrays bound by checksum.
    public var format = 2
    public var version = CreditSimVersion.version
    public var revision = CreditSimVersion.revision
    /// The scenario file, absolute, and the fingerprints of every input read (absolute paths:
    /// `merge` reads them again from wherever it runs).
    public var scenarioPath: String
    public var inputs: [Manifest.Input]
    public var seed: UInt64
    public var paths: Int
    public var method: String
    public var stresses: [String]
    /// Overrides given to `run` (they change the run, so every shard must share them).
    public var horizon: Double
    public var levels: [Double]
    public var shard: ShardSpec
    public var pieces: [Piece]

    enum CodingKeys: String, CodingKey {
        case format, version, revision, inputs, seed, paths, method, stresses, horizon, levels, shard, pieces
        case scenarioPath = "scenario_path"
    }
}

extension ShardSpec {
    /// Decoded through the same rule as `K/N` on the command line: 1 ≤ K ≤ N.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let index = try c.decode(Int.self, forKey: .index), count = try c.decode(Int.self, forKey: .count)
        guard let spec = ShardSpec(index: index, count: count) else {
            throw DecodingError.dataCorruptedError(forKey: .index, in: c, debugDescription: "shard \(index)/\(count): needs 1 ≤ K ≤ N")
        }
        self = spec
    }

    enum CodingKeys: String, CodingKey { case index, count }
}
