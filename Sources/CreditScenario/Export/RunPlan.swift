import CreditRisk

/// Which loss model a run uses: the simulation under the scenario's copula, CreditRisk+, or all
/// of them side by side.
public enum ModelChoice: String, Sendable, CaseIterable {
    case copula
    case creditRiskPlus = "creditriskplus"
    case all
}

/// Everything a `run` was asked: the scenario, the request, the model, which blocks this process
/// simulates, and the files beside the figures. `validate` refuses combinations no mode can
/// honour; `perform` runs the one pipeline and returns what to show and write.
public struct RunPlan: Sendable {
    public var scenario: Scenario
    public var request: RunRequest
    public var model: ModelChoice
    public var partition: RunPartition
    public var options: ExportOptions
    /// Why `--method auto` chose the method it did (nil when the method was given).
    public private(set) var methodReason: String?

    public init(scenario: Scenario, request: RunRequest, model: ModelChoice? = nil, partition: RunPartition = .whole,
                options: ExportOptions = ExportOptions()) {
        self.scenario = scenario
        self.model = model ?? (scenario.model == .creditRiskPlus ? .creditRiskPlus : .copula)
        self.partition = partition
        self.options = options
        var (request, reason) = request.resolvingAuto(levels: scenario.levels, portfolio: scenario.portfolio)
        request.exportPaths = options.exportPaths
        self.request = request
        methodReason = reason
    }

    /// Refuses what the chosen model and partition cannot do (`RunError.unsupported`, a command-line error).
    public func validate() throws(RunError) {
        func refuse(_ message: String) -> RunError { .unsupported(message) }
        let ranks = partition.collective?.size
        if model != .copula {
            let flag = "--model \(model.rawValue)"
            if !request.stresses.isEmpty { throw refuse("--stress: only with --model copula") }
            if request.contributions {
                throw refuse("--contributions: only with --model copula (CreditRisk+ writes risk-contributions.csv itself)")
            }
            if request.precision != nil { throw refuse("--precision: only with --model copula") }
            if partition.isShard { throw refuse("--shard: only with --model copula (\(flag) simulates no blocks of paths to split)") }
            if options.exportPaths { throw refuse("--export-paths: only with --model copula (\(flag) writes no per-path arrays)") }
            if let ranks { throw refuse("\(flag): not under MPI (\(ranks) ranks); run it as one process") }
        }
        if model == .copula && scenario.model == .creditRiskPlus {
            throw refuse("--model copula: \(scenario.path) has model: creditriskplus, whose factor columns are sector weights; use --model all to simulate them as loadings beside CreditRisk+")
        }
        if partition.isShard {
            if request.precision != nil { throw refuse("--shard: --precision needs the whole run; give --paths instead") }
        }
        if let ranks {
            if request.precision != nil { throw refuse("--precision: not under MPI (\(ranks) ranks); give --paths") }
            if options.exportPaths {
                throw refuse("--export-paths: not under MPI (\(ranks) ranks), where no rank holds all paths; run shards (--shard K/N) with --export-paths instead")
            }
        }
    }

    /// Runs the plan through the pipeline of its model.
    public func perform(monitor: (any RunMonitor)? = nil) throws(RunError) -> any Presentation {
        try validate()
        switch model {
        case .creditRiskPlus:
            var result = AnalyticResult(try RunPipeline(scenario: scenario).creditRiskPlus(seed: request.settings.seed, monitor: monitor),
                                        scenario: scenario)
            result.language = options.language
            return result
        case .all:
            return ComparisonResult(try ModelComparison(scenario: scenario, request: request, monitor: monitor), scenario: scenario)
        case .copula:
            let result = try RunPipeline(scenario: scenario).run(request, partition: partition, monitor: monitor)
            if case let .shard(spec) = partition {
                return ShardResult(result.pieces, scenario: scenario, request: request, shard: spec)
            }
            var results = RunResults(result.outcomes, scenario: scenario, options: options)
            results.methodReason = methodReason
            return results
        }
    }
}
