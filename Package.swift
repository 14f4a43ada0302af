// swift-tools-version: 6.1
import PackageDescription
import class Foundation.ProcessInfo

// Benchmarks pull in ordo-one/benchmark and its malloc interposer; they are added only when
// ENABLE_BENCHMARKS is set so that `swift build` and `swift test` stay fast.
let benchmarksEnabled = ProcessInfo.processInfo.environment["ENABLE_BENCHMARKS"] != nil

// CREDITSIM_TARGET_CPU=haswell (or skylake-avx512, …) compiles the core for that CPU: AVX2/AVX-512
// vectors and FMA in the path kernel. The binary then runs only on such CPUs, so it is opt-in;
// scripts/quickstart.sh sets it from /proc/cpuinfo. Plain `swift build` stays portable.
let targetCPU = ProcessInfo.processInfo.environment["CREDITSIM_TARGET_CPU"].flatMap { $0.isEmpty ? nil : $0 }
let coreSettings: [SwiftSetting] = targetCPU.map { [.unsafeFlags(["-target-cpu", $0])] } ?? []
// The same name, recorded in the binary (CBuildInfo) so that `bench` can say what the core was built for.
let buildInfoSettings: [CSetting] = targetCPU.map { cpu in
    [.define("CREDITSIM_TARGET_CPU", to: "\"" + cpu.filter { $0.isLetter || $0.isNumber || "-_.".contains($0) } + "\"")]
} ?? []

var package = Package(
    name: "CreditSim",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "creditsim", targets: ["creditsim"]),
        .library(name: "CreditRisk", targets: ["CreditRisk"]),
        .library(name: "CreditScenario", targets: ["CreditScenario"]),
    ],
    // `swift build -c release --traits MPI` links Debian's OpenMPI (libopenmpi-dev) into creditsim,
    // which then splits a run's blocks over the ranks of `mpirun -np N`. Off by default: the default
    // build and `swift test` need no MPI.
    traits: [
        .trait(name: "MPI", description: "Run simulations across MPI ranks (mpirun -np N creditsim run …); needs libopenmpi-dev."),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
    ],
    targets: [
        .systemLibrary(
            name: "COpenBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]
        ),
        // The system SQLite (Debian: libsqlite3-dev) for the run history (`run --history`).
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        .target(name: "CreditHistory", dependencies: ["CSQLite"]),
        .systemLibrary(
            name: "CMPI",
            pkgConfig: "ompi-c",
            providers: [.apt(["libopenmpi-dev"])]
        ),
        // mpi.h's handles are macros: this shim turns them into C functions Swift can call.
        .target(
            name: "CMPIShim",
            dependencies: [.target(name: "CMPI", condition: .when(traits: ["MPI"]))],
            cSettings: [.define("CREDITSIM_MPI", .when(traits: ["MPI"]))]
        ),
        // The core in four layers, each depending only on those below it: special functions,
        // random streams, linear algebra and exact sums; validated model values; the simulation
        // engine; the statistics of its sample and the analytic models. CreditRisk re-exports all four.
        .target(
            name: "CreditMath",
            dependencies: ["COpenBLAS", .product(name: "RealModule", package: "swift-numerics")],
            swiftSettings: coreSettings
        ),
        .target(name: "CreditModel", dependencies: ["CreditMath"], swiftSettings: coreSettings),
        .target(name: "CreditEngine", dependencies: ["CreditModel", "CreditMath"], swiftSettings: coreSettings),
        .target(name: "CreditStatistics", dependencies: ["CreditEngine", "CreditModel", "CreditMath"], swiftSettings: coreSettings),
        .target(
            name: "CreditRisk",
            dependencies: ["CreditMath", "CreditModel", "CreditEngine", "CreditStatistics"]
        ),
        // Build facts for `bench` and manifests: the core's CPU target (a C define) and, through
        // the BuildRevision plugin, the git revision the sources were built from.
        .target(name: "CBuildInfo", cSettings: buildInfoSettings),
        .plugin(name: "BuildRevision", capability: .buildTool()),
        .target(
            name: "CreditScenario",
            dependencies: [
                "CreditRisk", "CreditHistory", "CBuildInfo", .product(name: "Yams", package: "Yams"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            plugins: ["BuildRevision"]
        ),
        .executableTarget(
            name: "creditsim",
            dependencies: [
                "CreditRisk", "CreditScenario", "CreditHistory",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .target(name: "CMPIShim", condition: .when(traits: ["MPI"])),
            ]
        ),
        // Contract checks a new model gets for free in its tests (package access to the engine's
        // protocols); never linked into the tool.
        .target(name: "CreditTestSupport", dependencies: ["CreditEngine", "CreditMath"]),
        .testTarget(name: "CreditRiskTests", dependencies: ["CreditRisk", "CreditMath", "CreditModel", "CreditEngine", "CreditStatistics",
                                                            "CreditTestSupport"]),
        .testTarget(
            name: "CreditScenarioTests",
            dependencies: ["CreditScenario", "CreditRisk", "CreditMath", "CreditModel", "CreditEngine", "CreditStatistics",
                           .product(name: "ZIPFoundation", package: "ZIPFoundation")],
            exclude: ["Fixtures"]
        ),
        .testTarget(name: "CreditSimCLITests", dependencies: ["CreditScenario"]),
    ]
)

// CREDITSIM_FUZZ=1 adds the libFuzzer target of the loaders (scripts/fuzz.sh builds it with
// -sanitize=fuzzer,address); it is never part of a plain build.
if ProcessInfo.processInfo.environment["CREDITSIM_FUZZ"] != nil {
    package.targets.append(
        .executableTarget(
            name: "CreditSimFuzz",
            dependencies: ["CreditScenario", .product(name: "ZIPFoundation", package: "ZIPFoundation")],
            path: "Tests/Fuzz",
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        ))
}

if benchmarksEnabled {
    package.dependencies.append(
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]))
    package.targets.append(
        .executableTarget(
            name: "CreditSimBenchmarks",
            dependencies: [
                "CreditRisk", "CreditScenario",
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/CreditSimBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ))
}
