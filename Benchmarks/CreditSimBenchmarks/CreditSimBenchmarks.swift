// Benchmarks of CreditSim (ordo-one/benchmark). Build and run with
//   ENABLE_BENCHMARKS=1 swift package benchmark
// Throughput figures for Benchmarks/README.md come from `creditsim bench`; these suites track regressions
// of the pieces: the block kernel, the engine on 1 and all threads, the Cholesky of a
// 2000 × 2000 correlation matrix, and loading a 100 000-bond scenario.

import Benchmark
import CreditRisk
import CreditScenario
import Foundation

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .peakMemoryResident],
        warmupIterations: 1,
        maxDuration: .seconds(10),
        maxIterations: 20
    )

    // The reference portfolio of Glasserman & Li (2005): 1000 names, 10 factors.
    let reference = try? SyntheticPortfolio.reference()

    Benchmark("Kernel: 1000 names x 10 factors, 16 blocks, 1 thread") { benchmark in
        guard let reference, let engine = try? Engine(portfolio: reference) else { return }
        let paths = 16 * SimulationSettings.blockSize
        benchmark.startMeasurement()
        blackHole(engine.run(SimulationSettings(paths: paths, seed: 1, threads: 1)))
    }

    for threads in Set([1, ProcessInfo.processInfo.activeProcessorCount]).sorted() {
        Benchmark("Engine: reference portfolio, 200000 paths, \(threads) thread(s)") { benchmark in
            guard let reference, let engine = try? Engine(portfolio: reference) else { return }
            benchmark.startMeasurement()
            let out = engine.run(SimulationSettings(paths: 200_000, seed: 1, threads: threads))
            blackHole(RiskReport(output: out, portfolio: reference, levels: [0.99, 0.999]))
        }
    }

    Benchmark("Cholesky: 2000 x 2000 correlation matrix") { benchmark in
        let n = 2000
        var values = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0..<n { values[i * n + j] = i == j ? 1 : 0.3 * exp(-abs(Double(i - j)) / 50) }
        }
        let matrix = SymmetricMatrix(n: n, values: values)
        benchmark.startMeasurement()
        blackHole(try? CorrelationFactor(matrix))
    }

    Benchmark("Load: scenario with 20000 names and 100000 bonds") { benchmark in
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("creditsim-bench-load")
        if let portfolio = try? SyntheticPortfolio.large(names: 20_000, bonds: 100_000) {
            try? ScenarioWriter.write(portfolio, name: "Synthetic 20000 names, 100000 bonds", paths: 10_000, seed: 1, to: dir)
        }
        benchmark.startMeasurement()
        blackHole(try? ScenarioLoader.load(path: dir.appendingPathComponent("scenario.yaml").path))
    }
}
