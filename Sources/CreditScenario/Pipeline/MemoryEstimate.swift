import CreditRisk
import Foundation

/// What a run will hold at its peak, in bytes, part by part (Documentation/Operations.md,
/// "Memory guard"). Every part is an upper bound of what the engine, the statistics and the
/// pipeline allocate; the test `MemoryEstimateTests` checks the total against the measured peak
/// resident memory.
public struct MemoryEstimate: Sendable {
    /// The process itself: runtime, Foundation, OpenBLAS buffers, thread stacks.
    public var baseline: Double = 48 * 1_048_576
    /// The scenario's entities, bonds, dependence factor and the engine's plan.
    public var inputs: Double = 0
    /// Per-path losses (net, gross, weights) and their sorted copies with tail sums, for the
    /// portfolio being simulated, plus what earlier portfolios (the base before a stress) keep.
    public var perPath: Double = 0
    /// Provider payout records (28 B each, in blocks, merged, and grouped per provider).
    public var payouts: Double = 0
    /// The contribution pass: dense sums per worker and merged, sparse entries per block, and the
    /// second pass's own per-path losses and records.
    public var contributions: Double = 0
    /// `--export-paths` and shards: the per-path arrays of the largest file being encoded (the
    /// array and its `.npy` bytes side by side; files are encoded one at a time).
    public var export: Double = 0
    /// `--export-paths`: the per-bond event records (`paths/events/`), see `addEvents`.
    public var events: Double = 0

    public var total: Double { baseline + inputs + perPath + payouts + contributions + export + events }

    /// Bytes per path for the losses and their statistics while one portfolio is summarised
    /// (plain: 16 B of net and gross, then per distribution the positive values with up to 2×
    /// array growth and two tail sums, for net and gross side by side; weighted: the weights, the
    /// (value, weight) pairs twice, and six tail sums).
    static func peakPerPath(_ method: SamplingMethod) -> Double { method == .importance ? 24 + 2 * 136 : 16 + 2 * 40 }
    /// What a finished portfolio keeps per path (losses, sorted values with up to 2× growth, two
    /// tail sums; weighted: exact sorted values and six tail sums).
    static func keptPerPath(_ method: SamplingMethod) -> Double { method == .importance ? 24 + 2 * 56 : 16 + 2 * 32 }
    /// Per payout record at the peak: block records and the merged copy with growth (28 + 56), or
    /// the kept records plus the per-provider grouping and distribution (56 + 64 plain, 56 + 96
    /// weighted); the larger.
    static func perRecord(_ method: SamplingMethod) -> Double { method == .importance ? 152 : 120 }

    /// The expected number of payout records per path: for each guarantor and seller, the
    /// probability that it pays on a path, bounded above by the probability that one of the
    /// issuers it covers defaults within its window (union bound, at most 1; a forced default
    /// counts 1). Under importance sampling the twist raises default probabilities, so the bound
    /// is taken ten times higher (at most 1 per provider).
    public static func recordsPerPath(_ p: Portfolio, method: SamplingMethod) -> Double {
        var exposure: [Int: [Int: Double]] = [:]  // provider → issuer → longest window
        for b in p.bonds {
            let window = p.window(of: b)
            for provider in [b.guarantee?.guarantor, b.protection?.seller].compactMap({ $0 }) {
                exposure[provider, default: [:]][b.issuer] = max(exposure[provider]?[b.issuer] ?? 0, window)
            }
        }
        var total = 0.0
        for (_, issuers) in exposure {
            var bound = 0.0
            for (issuer, window) in issuers {
                bound += p.forcedDefaults.contains(issuer) ? 1 : -Foundation.expm1(window * Foundation.log1p(-p.entities[issuer].pd))
            }
            total += min(1, method == .importance ? 10 * bound : bound)
        }
        return total
    }

    /// Expected defaulted bonds per path (the contribution pass's touched entries).
    static func defaultedBondsPerPath(_ p: Portfolio) -> Double {
        p.bonds.reduce(0) { sum, b in
            sum + (p.forcedDefaults.contains(b.issuer) ? 1 : -Foundation.expm1(p.window(of: b) * Foundation.log1p(-p.entities[b.issuer].pd)))
        }
    }

    /// The estimate for a run of `portfolios` (the base, then each stress), each kept in memory
    /// until the files are written.
    public init(portfolios: [Portfolio], paths: Int, threads: Int, method: SamplingMethod,
                contributionLevels: Int?, recordedPerPath: Int = 0) {
        let n = Double(paths)
        guard let base = portfolios.first else { return }
        let entities = Double(base.entities.count), bonds = Double(base.bonds.count)
        let k = Double(base.dependence.factorCount)
        let full = base.dependence.factorCount == 0 && base.entities.count > 1 ? entities * entities : 0
        // Entities (loadings, strings), bonds, the plan's rows, the dependence factor; per stress
        // a copy of the entities and bonds.
        inputs = Double(portfolios.count) * (entities * (256 + 16 * k) + bonds * 256) + 3 * 8 * full
            + Double(threads) * 8 * 64 * (entities + k + 64)
        var kept = 0.0, peak = 0.0, records = 0.0, contribution = 0.0
        for p in portfolios {
            let r = Self.recordsPerPath(p, method: method) * n
            // The factors and sector losses recorded per path for the tail scenario, 4 B each.
            let recorded = n * 4 * Double(recordedPerPath)
            let thisPeak = n * Self.peakPerPath(method) + recorded + r * Self.perRecord(method)
            var thisContribution = 0.0
            if let levels = contributionLevels {
                // ContributionLayout: per row, Σ and Σ² per bond and Σ² per group (issuers,
                // sectors, guarantors).
                let rows = Double(levels + 1)
                var groups = Set<String>()
                for b in p.bonds {
                    let issuer = p.entities[b.issuer]
                    groups.insert("i" + issuer.id)
                    groups.insert("s" + (issuer.sector ?? ""))
                    groups.insert("g" + (b.guarantee.map { p.entities[$0.guarantor].id } ?? ""))
                }
                let layout = rows * (2 * bonds + Double(groups.count))
                let blocks = (n / Double(SimulationSettings.blockSize)).rounded(.up)
                // A defaulted bond touches its Σ and Σ² and three groups' Σ² in each row.
                let touched = min(layout, rows * 5 * Double(SimulationSettings.blockSize) * Self.defaultedBondsPerPath(p))
                // Dense scratch and marks per worker (9 B an entry), the merged exact sums (an
                // `ExactSum` is a 34-limb array: about 336 B with its allocation), the final
                // sums (twice: a merge copies the array while it updates it), sparse entries per
                // block (16 B), the second pass's per-path losses and
                // records, the rows of contributions.csv.
                thisContribution = Double(threads) * 9 * layout + 2 * 336 * layout + 8 * layout + blocks * 16 * touched
                    + n * 16 + r * 84 + 3 * bonds * (96 + 16 * rows)
            }
            peak = max(peak, kept + thisPeak + thisContribution)
            records = max(records, r)
            contribution = max(contribution, thisContribution)
            kept += n * Self.keptPerPath(method) + recorded + r * 100
        }
        // Split the peak into its parts for the message.
        let recordsPart = records * Self.perRecord(method)
        payouts = recordsPart
        contributions = contribution
        perPath = max(0, peak - recordsPart - contribution)
    }
}

extension MemoryEstimate {
    /// Per-path files are encoded one at a time: the largest is the dense payouts (8 B per path
    /// and provider), or the factors or sectors (4 B per path and column), or a loss column (8 B),
    /// held twice while its `.npy` bytes are made (a tenth more for the allocator's rounding).
    mutating func addExport(portfolios: [Portfolio], paths: Int, method: SamplingMethod, factors: Int, sectors: Int) {
        let providers = portfolios.map { p in
            Set(p.bonds.compactMap { $0.guarantee?.guarantor } + p.bonds.compactMap { $0.protection?.seller }).count
        }.max() ?? 0
        let widest = max(8.0 * Double(providers), 4.0 * Double(factors), 4.0 * Double(sectors), 8)
        export = 2.2 * Double(paths) * widest
    }
}

extension MemoryEstimate {
    /// The safety factor on the expected number of event records: a run's count is a sum over
    /// paths, close to its mean for any but the smallest runs, but defaults cluster in bad paths;
    /// half as many again leaves room for that.
    static let eventSafetyFactor = 1.5

    /// Expected per-bond event records per path, bounded above: Σ over bonds of the probability
    /// that the bond has an event on a path — its issuer's credit event (hard default or
    /// extension, pd + extension_pd) within the bond's window, 1 for a forced default; under
    /// market valuation the probability that the issuer leaves its rating by the horizon, plus
    /// the guarantor's for a guaranteed bond. Ten times higher (at most 1 a bond) under
    /// importance sampling, whose twist raises default probabilities.
    public static func eventsPerPath(_ p: Portfolio, method: SamplingMethod) -> Double {
        let boost = method == .importance ? 10.0 : 1
        var leaves: [Double]? = nil
        if let v = p.valuation {
            let years = max(1, min(Int(ModelLimits.marketHorizonYears), Int(p.horizon.rounded())))
            let matrix = v.transition(years: years)
            leaves = p.entities.map { e in
                guard let r = e.rating, matrix.indices.contains(r) else { return 1 }
                let row = RatingRow(matrix[r], pdMultiplier: e.pdMultiplier, extensionPD: e.extensionPD, years: years)
                return row.ratings.indices.contains(r) ? min(1, max(0, 1 - row.ratings[r])) : 1
            }
        }
        var total = 0.0
        for b in p.bonds {
            var q: Double
            if p.forcedDefaults.contains(b.issuer) {
                q = 1
            } else if let leaves {
                q = leaves[b.issuer] + (b.guarantee.map { leaves[$0.guarantor] } ?? 0)
            } else {
                q = p.entities[b.issuer].creditEvent.defaultProbability(within: p.window(of: b))
            }
            total += min(1, boost * q)
        }
        return total
    }

    /// `--export-paths`: R = paths × `eventsPerPath` × `eventSafetyFactor` records per portfolio,
    /// 37 bytes each (path, bond, state, time, gross, net), kept with up to 2× array growth for
    /// every portfolio until the files are written (74 B; the blocks' own records are freed as
    /// they are merged in), plus the largest column being encoded (the path indices as int64 and
    /// their `.npy` bytes, 16 B, a tenth more for the allocator). Measured: 63 B a record at the
    /// peak of 6 million records (`MemoryEstimateTests`).
    mutating func addEvents(portfolios: [Portfolio], paths: Int, method: SamplingMethod) {
        let records = portfolios.map { Double(paths) * Self.eventsPerPath($0, method: method) * Self.eventSafetyFactor }
        events = records.reduce(0, +) * 2 * Double(BondEvents.bytesPerRecord) + (records.max() ?? 0) * 1.1 * 16
    }
}

extension Dependence {
    /// K for a factor model, 0 for a full correlation matrix.
    var factorCount: Int {
        if case let .factors(model) = self { return model.factorIDs.count }
        return 0
    }
}
