/// One measurement to take: what it is, the work it does, and how to run it once.
struct BenchTask {
    var kind: BenchMeasurement.Kind
    var threads: Int?
    var paths: Int?
    var names: Int?
    var note: String?
    /// Runs the work once and returns its seconds.
    var run: () throws -> Double
}

/// Takes measurements: repeat r of every task runs before repeat r + 1 of any (round robin), so
/// that a burst of load on a shared machine falls on all of them alike rather than on one.
struct BenchRunner {
    let portfolio: String
    let method: String
    let valuation: String
    let timer: any BenchTimer

    func measure(_ tasks: [BenchTask], repeats: Int) throws -> [BenchMeasurement] {
        let keys = tasks.map {
            BenchMeasurement.key(kind: $0.kind, portfolio: portfolio, method: method, valuation: valuation, threads: $0.threads)
        }
        var runs = [[Double]](repeating: [], count: tasks.count)
        for r in 0..<repeats {
            for (i, task) in tasks.enumerated() {
                runs[i].append(try timer.seconds(of: keys[i], repeat: r, run: task.run))
            }
        }
        return tasks.indices.map { i in
            let t = tasks[i]
            return BenchMeasurement(kind: t.kind, portfolio: portfolio, method: method, valuation: valuation, threads: t.threads,
                                    paths: t.paths, names: t.names, seconds: BenchSpread(runs: runs[i]), note: t.note)
        }
    }

    /// The derived figures: each engine's bound and fraction of the generator at its thread
    /// count, speed-ups against one thread, and ratios to the peer.
    static func derive(_ measurements: inout [BenchMeasurement]) {
        let all = measurements
        let peer = all.first { $0.kind == .peer }?.namePathsPerSecond?.median
        for i in measurements.indices {
            let m = all[i]
            if let one = all.first(where: { $0.kind == m.kind && $0.threads == 1 && $0.portfolio == m.portfolio }),
               m.threads != nil, m.kind != .peer, m.kind != .analytic {
                measurements[i].speedupVsOneThread = one.seconds.median / m.seconds.median
            }
            guard m.kind == .engine, let rate = m.namePathsPerSecond?.median else { continue }
            if let g = all.first(where: { $0.kind == .generator && $0.threads == m.threads && $0.portfolio == m.portfolio }),
               let uniforms = g.uniformsPerSecond?.median {
                measurements[i].bound = .init(generatorKey: g.key, uniformsPerSecond: uniforms, fraction: rate / uniforms)
            }
            if let peer { measurements[i].ratioToPeer = rate / peer }
        }
    }
}
