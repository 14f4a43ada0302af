import CreditRisk

/// `creditsim sweep`: the scenario at every point of a grid of PD scales × loading scales, all on
/// common random numbers (one seed, the same paths), each point paired with the point (1, 1),
/// which is the scenario itself — so it equals `run` with the same seed.
public struct SweepGrid: Sendable, Hashable {
    public let pdScales: [Double]
    public let loadingScales: [Double]

    public init(pdScales: [Double], loadingScales: [Double] = [1]) {
        self.pdScales = pdScales
        self.loadingScales = loadingScales
    }

    /// Every point, PD scale first, in the order given.
    public var points: [(pd: Double, loading: Double)] {
        pdScales.flatMap { p in loadingScales.map { (p, $0) } }
    }

    /// The stress of a point other than (1, 1): every PD and every loading scaled.
    public static func stress(pd: Double, loading: Double) -> Stress {
        var s = Stress(name: "pd\(pd)_loading\(loading)")
        s.description = "PD × \(pd), loadings × \(loading)"
        s.pdScale = pd
        s.loadingScale = loading
        return s
    }
}

/// The points of a sweep: the outcome of (1, 1) first (the base), then every other point in grid
/// order, each with its scales.
public struct SweepOutcome: Sendable {
    public struct Point: Sendable {
        public let pdScale: Double
        public let loadingScale: Double
        public let outcome: RunOutcome
    }
    public let points: [Point]
    public let grid: SweepGrid
}

extension RunPipeline {
    /// Runs the grid through the pipeline: (1, 1) as the base, every other point as a stress of it.
    public func sweep(_ grid: SweepGrid, request: RunRequest, monitor: (any RunMonitor)? = nil) throws(RunError) -> SweepOutcome {
        let others = grid.points.filter { !($0.pd == 1 && $0.loading == 1) }
        var r = request
        r.stresses = others.map { SweepGrid.stress(pd: $0.pd, loading: $0.loading) }
        let outcomes = try run(r, monitor: monitor).outcomes
        var points: [SweepOutcome.Point] = []
        if let base = outcomes.first { points.append(.init(pdScale: 1, loadingScale: 1, outcome: base)) }
        for (p, o) in zip(others, outcomes.dropFirst()) { points.append(.init(pdScale: p.pd, loadingScale: p.loading, outcome: o)) }
        return SweepOutcome(points: points, grid: grid)
    }
}
