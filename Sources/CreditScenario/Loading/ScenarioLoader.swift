import CreditRisk
import Foundation
import Yams

/// Reads a scenario file of format version 1 (see the ScenarioFormat article of CreditScenario.docc)
/// and everything it names, checks every rule, and reports all problems found, not just the first.
public enum ScenarioLoader {
    public static func load(path: String) throws(ScenarioError) -> Scenario {
        var loader = Loader(path: path)
        return try loader.run()
    }

    /// Whether a binary file (a workbook) exists and can be read; exit-66 errors that name it.
    static func checkReadable(_ path: String, shownAs name: String) throws(ScenarioError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ScenarioError(kind: .unreadableFile, problems: [
                ScenarioProblem(file: name, line: nil, key: nil, value: nil, rule: "file not found")])
        }
        guard !isDirectory.boolValue, FileManager.default.isReadableFile(atPath: path) else {
            throw ScenarioError(kind: .unreadableFile, problems: [
                ScenarioProblem(file: name, line: nil, key: nil, value: nil, rule: "cannot read file")])
        }
    }

    /// Reads a file, mapping failures to exit-66 errors that name it; `warnings` gets a note when
    /// the file was not UTF-8 but GB18030.
    static func readText(_ path: String, shownAs name: String, warnings: inout [ScenarioProblem]) throws(ScenarioError) -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ScenarioError(kind: .unreadableFile, problems: [
                ScenarioProblem(file: name, line: nil, key: nil, value: nil, rule: "file not found")])
        }
        guard !isDirectory.boolValue, let data = FileManager.default.contents(atPath: path) else {
            throw ScenarioError(kind: .unreadableFile, problems: [
                ScenarioProblem(file: name, line: nil, key: nil, value: nil, rule: "cannot read file")])
        }
        switch TextDecoding.decode(data) {
        case let .utf8(text):
            return text
        case let .gb18030(text):
            warnings.append(ScenarioProblem(file: name, line: nil, key: nil, value: nil,
                                            rule: "read as GB18030 (a CSV saved by Excel on a Chinese-language Windows); save it as \"CSV UTF-8\" to silence this"))
            return text
        case .undecodable:
            throw ScenarioError(kind: .invalidData, problems: [
                ScenarioProblem(file: name, line: nil, key: nil, value: nil,
                                rule: "neither UTF-8 nor GB18030 text; save it as \"CSV UTF-8\" (Excel: File > Save As > CSV UTF-8)")])
        }
    }
}

/// The state of one load.
/// The state of one load; its parts live in the Loader+*.swift files beside this one.
struct Loader {
    let path: String
    /// simulation.method: importance.
    var method = SamplingMethod.plain
    let file: String
    let directory: URL
    var d = Diagnostics()
    /// Entities whose PD comes from a spread: index → (spread_bps, spread_lgd).
    var spreads: [Int: SpreadInput] = [:]

    init(path: String) {
        self.path = path
        self.file = path
        self.directory = URL(fileURLWithPath: path).deletingLastPathComponent()
    }

    mutating func run() throws(ScenarioError) -> Scenario {
        let text = try ScenarioLoader.readText(path, shownAs: file, warnings: &d.warnings)
        d.filesRead.append(path)
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw ScenarioError(kind: .invalidData, problems: [
                    ScenarioProblem(file: file, line: nil, key: nil, value: nil, rule: "the file is empty; a scenario needs at least version, name, entities and bonds")])
            }
            root = node
        } catch let e as ScenarioError {
            throw e
        } catch let e as YamlError {
            throw ScenarioError(kind: .invalidData, problems: [yamlProblem(e)])
        } catch {
            throw ScenarioError(kind: .invalidData, problems: [
                ScenarioProblem(file: file, line: nil, key: nil, value: nil, rule: "not valid YAML: \(error)")])
        }
        guard let top = root.mapping else {
            throw fail(line(root), nil, nil, "the top level must be a mapping of keys (version, name, entities, bonds, …)")
        }
        checkKeys(top, allowed: ScenarioKeys.topLevel, prefix: "")

        // version
        if let v = top["version"] {
            if v.scalar?.string != "1" { d.add(file, line(v), "version", v.scalar?.string ?? "(not a scalar)", "unsupported scenario format version; allowed: 1") }
        } else {
            d.add(file, 1, "version", nil, "missing: the scenario must start with version: 1")
        }
        let name = string(top, "name", required: true) ?? ""
        let description = string(top, "description", required: false)
        let horizon = positiveNumber(top, "horizon") ?? 1.0
        let rollover = bool(top, "rollover") ?? false
        let extensionTerms = extensionBlock(top["extension"])
        var lgdCorrelation = 0.0
        if let node = top["lgd_correlation"], let text = node.scalar?.string {
            lgdCorrelation = d.number(text, file: file, line: line(node), key: "lgd_correlation") ?? 0
        }
        let (paths, seed) = simulation(top["simulation"])
        let copula = copula(top["copula"])
        let levels = outputLevels(top["output"])
        let thresholds = tailThresholds(top["output"]?.mapping?["tail_thresholds"])
        let capital = capitalList(top["output"]?.mapping?["capital"])
        let language = language(top["output"]?.mapping?["language"])
        let model = lossModel(top["model"])
        let lossUnit = creditRiskPlusSettings(top["creditriskplus"])
        let analytic = model == .creditRiskPlus
        if analytic, let node = top["correlation"] {
            d.add(file, line(node), "correlation", node.scalar?.string,
                  "model creditriskplus takes its sectors from factors: (the factor columns are sector weights), not from a correlation matrix")
        }
        if analytic, let node = top["factor_correlation"] {
            d.add(file, line(node), "factor_correlation", nil, "CreditRisk+ sectors are independent; remove factor_correlation for model creditriskplus")
        }

        // Dependence: factors or a full correlation matrix.
        let factorIDs: [String]
        var correlationSource: String? = nil
        let hasFactors = top["factors"] != nil
        let hasCorrelation = top["correlation"] != nil
        if hasFactors && hasCorrelation {
            d.add(file, line(top["correlation"]), "correlation", nil, "give either factors (with factor_correlation) or correlation, not both")
        }
        if !hasFactors && !hasCorrelation {
            d.add(file, nil, "factors", nil, "missing: give factors: [ids] (may be []) or correlation: file.csv")
        }
        if hasCorrelation, top["factor_correlation"] != nil {
            d.add(file, line(top["factor_correlation"]), "factor_correlation", nil, "only allowed together with factors")
        }
        if let count = top["factors"]?.sequence?.count, count > ModelLimits.factors {
            d.add(file, line(top["factors"]), "factors", "\(count) factor ids",
                  "at most \(ModelLimits.factors) factors are supported (a K×K correlation matrix and K loadings per entity are held in memory)")
            throw invalid()
        }
        factorIDs = hasCorrelation ? [] : factorList(top["factors"])
        let factorCorrelation = hasCorrelation ? nil : factorMatrix(top["factor_correlation"], k: factorIDs.count)

        // Entities and bonds.
        guard let entitiesNode = top["entities"] else {
            d.add(file, nil, "entities", nil, "missing: a CSV file name or an inline list of entities")
            throw invalid()
        }
        guard let bondsNode = top["bonds"] else {
            d.add(file, nil, "bonds", nil, "missing: a CSV file name or an inline list of bonds")
            throw invalid()
        }
        let (entityRecords, entitySource) = try records(entitiesNode, key: "entities",
                                                        allowed: ScenarioKeys.entity, factors: factorIDs, isEntity: true)
        let (bondRecords, bondSource) = try records(bondsNode, key: "bonds",
                                                    allowed: ScenarioKeys.bond, factors: [], isEntity: false)
        // Refuse before allocating: n × K loadings (held about three times: entities, the
        // engine's rows, a stress), or an n × n correlation matrix (matrix, factor, workspace).
        let n = Double(entityRecords.count)
        let dense = hasCorrelation ? 3 * 8 * n * n : 3 * 8 * n * Double(factorIDs.count)
        let memory = Double(ProcessInfo.processInfo.physicalMemory)
        if dense > 0.5 * memory {
            d.add(file, line(hasCorrelation ? top["correlation"] : top["factors"]), hasCorrelation ? "correlation" : "factors",
                  hasCorrelation ? "\(entityRecords.count) entities" : "\(entityRecords.count) entities × \(factorIDs.count) factors",
                  String(format: "needs about %.1f GiB for the dependence model; this machine has %.1f GiB (at most half of it may be used)",
                         dense / 1_073_741_824, memory / 1_073_741_824))
            throw invalid()
        }
        let ratings = try ratingTables(top["ratings"])
        let valuationSettings = try valuationSettings(top["valuation"])
        let valuation = marketValuation(valuationSettings, ratings: ratings, top: top)
        if valuationSettings.market && analytic {
            d.add(file, keyLine(top, "model"), "model", "creditriskplus", "CreditRisk+ is a default model; it cannot value migration (valuation.mode: market)")
        }
        var asOf: Int? = nil
        if let node = top["as_of"] {
            asOf = node.scalar.flatMap { Loader.dayNumber($0.string) }
            if asOf == nil { d.add(file, line(node), "as_of", node.scalar?.string, "must be a date YYYY-MM-DD") }
        }
        let currency = string(top, "currency", required: false)
        let unit = string(top, "unit", required: false)
        let entities = buildEntities(entityRecords, factorIDs: factorIDs, ratings: ratings, market: valuation)
        warnAboutPercentPDs(entities, records: entityRecords, ratings: ratings)
        var index: [String: Int] = [:]
        for (i, e) in entities.enumerated() where index[e.id] == nil { index[e.id] = i }
        let (bonds, bondRows) = buildBonds(bondRecords, entityIndex: index, asOf: asOf)

        var correlationMatrix: SymmetricMatrix? = nil
        if hasCorrelation, let node = top["correlation"] {
            correlationSource = node.scalar?.string
            correlationMatrix = try fullCorrelation(node, entities: entities)
        }

        // Model rules (ranges, variance, PSD, self-enhancement) are checked once, by Portfolio.
        let dependence: Dependence = correlationMatrix.map { .fullCorrelation($0) }
            ?? .factors(FactorModel(factorIDs: factorIDs, correlation: factorCorrelation))
        var portfolio: Portfolio? = nil
        if !(hasCorrelation && correlationMatrix == nil) {
            do {
                portfolio = try Portfolio(entities: entities, bonds: bonds, dependence: dependence, copula: copula,
                                          horizon: horizon, rollover: rollover, lgdCorrelation: lgdCorrelation,
                                          loadingsAreSectorWeights: analytic, valuation: valuation,
                                          extensionTerms: extensionTerms)
            } catch {
                for issue in error.issues {
                    locate(issue, entities: entityRecords, bonds: bondRows.map { bondRecords[$0] }, top: top, ratings: ratings)
                }
            }
        }
        if entities.isEmpty { d.add(file, line(entitiesNode), "entities", nil, "no entities: at least one is required") }
        if bondRecords.isEmpty { d.add(file, line(bondsNode), "bonds", nil, "no bonds: at least one is required") }
        if method == .importance, hasCorrelation {
            d.add(file, keyLine(top, "simulation"), "simulation.method", "importance",
                  "importance sampling shifts factors; it needs factors:, not a full correlation matrix")
        }
        guard d.problems.isEmpty, let portfolio else { throw invalid() }
        let stresses = stressList(top["stress"], portfolio: portfolio, factorIDs: factorIDs)
        let excel = top["output"]?.mapping.flatMap { bool($0, "excel") } ?? false
        guard d.problems.isEmpty else { throw invalid() }
        var scenario = Scenario(path: path, name: name, description: description, portfolio: portfolio,
                        factorIDs: factorIDs, paths: paths, seed: seed, levels: levels, tailThresholds: thresholds,
                        entitySource: entitySource, bondSource: bondSource, correlationSource: correlationSource,
                        stresses: stresses, method: method,
                        model: model, lossUnit: lossUnit, irbCapital: capital.contains("irb"), warnings: d.warnings,
                        inputFiles: d.filesRead,
                        ratings: ratings, currency: currency, unit: unit, asOf: top["as_of"]?.scalar?.string,
                        curvesSource: valuationSettings.curvesSource, spreads: spreads)
        scenario.excel = excel
        scenario.language = language
        if let node = top["output"]?.mapping?["history"] {
            // Relative to the scenario's folder, as its CSV files are.
            if let file = node.scalar?.string, !file.isEmpty {
                scenario.historyPath = file.hasPrefix("/") ? file
                    : URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent(file).path
            } else {
                d.add(self.file, line(node), "output.history", node.scalar?.string, "must name a file, e.g. history.sqlite (relative to this scenario's folder)")
                throw invalid()
            }
        }
        return scenario
    }

    /// Warns, entity by entity, about PDs that look like a percent typed as a fraction, and
    /// once when the whole column looks like percents (`PDSanity`).
    mutating func warnAboutPercentPDs(_ entities: [Entity], records: [Record], ratings: RatingTables?) {
        let pds = entities.map(\.pd)
        let ratingPDs = entities.map { e in e.rating.flatMap { ratings?.pd[safe: $0] ?? nil } }
        let given = entities.indices.map { records[safe: $0]?.cells["pd"] != nil }
        for f in PDSanity.findings(pds: pds, ratingPDs: ratingPDs, given: given) {
            guard let r = records[safe: f.entity], let cell = r.cells["pd"] else { continue }
            let e = entities[f.entity]
            let rating = e.rating.flatMap { ratings?.scale[safe: $0] }
            d.warn(r.file, cell.line, "pd", cell.text,
                   "entity \(e.id)\(e.name.map { " (\($0))" } ?? ""): pd \(SummaryTable.fmt(f.pd)) is "
                   + PDSanity.reason(f, ratingName: rating)
                   + "; a percent typed as a fraction? pd is a one-year probability: write 0.004 or 0.4% for 0.4 %")
        }
        let column = zip(pds, given).filter(\.1).map(\.0).filter(\.isFinite).sorted()
        if PDSanity.columnLooksLikePercents(column), let source = records.first?.file {
            d.warn(source, nil, "pd", nil,
                   "\(column.filter { $0 > 0.2 }.count) of \(column.count) PDs are above 0.2 (median \(column[column.count / 2])); "
                   + "pd is a one-year probability, not a percent: write 0.0035 for 0.35 %")
        }
    }

    // MARK: Errors

    func invalid() -> ScenarioError { ScenarioError(kind: .invalidData, problems: d.problems) }

    mutating func fail(_ line: Int?, _ key: String?, _ value: String?, _ rule: String) -> ScenarioError {
        d.add(file, line, key, value, rule)
        return invalid()
    }

    /// The line of the second `key:` at or after line `start` (1-based) of the scenario text:
    /// where a duplicate key is, rather than where its mapping starts.
    func secondOccurrence(of key: String, from start: Int) -> Int? {
        guard !key.isEmpty, let data = FileManager.default.contents(atPath: path) else { return nil }
        let text = String(decoding: data, as: UTF8.self)
        var seen = 0
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where i + 1 >= start {
            var rest = Substring(raw)
            while let r = rest.range(of: key) {
                let before = rest[..<r.lowerBound].last
                let after = rest[r.upperBound...].drop { $0 == " " || $0 == "\"" || $0 == "'" }.first
                let boundary = before.map { " {,\"'-".contains($0) } ?? true
                if boundary && after == ":" {
                    seen += 1
                    if seen == 2 { return i + 1 }
                }
                rest = rest[r.upperBound...]
            }
        }
        return nil
    }

    func yamlProblem(_ e: YamlError) -> ScenarioProblem {
        switch e {
        case let .scanner(_, problem, mark, _), let .parser(_, problem, mark, _), let .composer(_, problem, mark, _):
            return ScenarioProblem(file: file, line: mark.line, key: nil, value: nil, rule: "not valid YAML: \(problem) (column \(mark.column))")
        case let .duplicatedKeysInMapping(duplicates, context):
            let key = duplicates.sorted().first ?? ""
            return ScenarioProblem(file: file, line: secondOccurrence(of: key, from: context.mark.line) ?? context.mark.line,
                                   key: key, value: nil, rule: "duplicate key in a mapping")
        default:
            return ScenarioProblem(file: file, line: nil, key: nil, value: nil, rule: "not valid YAML: \(e)")
        }
    }

    /// Maps a model rule broken in the portfolio to the file, line and key the user wrote.
    mutating func locate(_ issue: ModelIssue, entities: [Record], bonds: [Record], top: Node.Mapping, ratings: RatingTables? = nil) {
        switch issue.location {
        case let .scenario(key):
            let node = key.split(separator: ".").first.flatMap { top[String($0)] }
            d.add(file, line(node), key, issue.value, issue.rule)
        case let .entity(i, key) where key == "pd" && entities[i].cells["pd"] == nil:
            // The PD was not written as a pd: it came from the entity's spread or rating. Point there.
            let r = entities[i]
            let who = "entity \(SafeText.message(r.text("id") ?? "#\(i + 1)")) (\(r.file):\(r.line))"
            if let spread = r.cells["spread_bps"] {
                d.add(r.file, spread.line, "spread_bps", spread.text, "implies a one-year PD of \(issue.value), which \(issue.rule)")
            } else if let cell = r.cells["rating"], let ratings, let k = ratings.index[cell.text] {
                if !ratings.pdFromTable, let source = ratings.transitionSource {
                    d.add(source, ratings.transitionLines[k], "D", issue.value,
                          "rating \(SafeText.message(cell.text))'s one-year PD (its D column) is the PD of \(who), which \(issue.rule) "
                          + "in default valuation; give that entity a pd, or the rating a PD in ratings.pd")
                } else {
                    d.add(file, ratings.pdLines[k], "ratings.pd.\(cell.text)", issue.value,
                          "the one-year PD of \(who), which \(issue.rule)")
                }
            } else {
                d.add(r.file, r.line, "pd", issue.value, issue.rule)
            }
        case let .entity(i, key):
            let r = entities[i]
            let cellLine = r.cells[key]?.line ?? r.loadings[key]?.line ?? r.line
            let value = r.cells[key]?.text ?? r.loadings[key]?.text ?? issue.value
            d.add(r.file, cellLine, key, value, issue.rule)
        case let .bond(i, key):
            let r = bonds[i]
            d.add(r.file, r.cells[key]?.line ?? r.line, key, r.cells[key]?.text ?? issue.value, issue.rule)
        case let .factorCorrelation(row, col):
            let node = top["factor_correlation"]
            let cell = node?.sequence?[safe: row]?.sequence?[safe: col]
            let whole = issue.value == "matrix"
            let key = whole ? "factor_correlation" : "factor_correlation[\(row + 1)][\(col + 1)]"
            d.add(file, whole ? keyLine(top, "factor_correlation") : line(cell ?? node), key, issue.value == "matrix" ? nil : issue.value, issue.rule)
        case let .correlation(row, col):
            let name = top["correlation"]?.scalar?.string ?? "correlation"
            if issue.value == "matrix" {
                d.add(name, nil, nil, nil, "the correlation matrix is \(issue.rule)")
            } else {
                // Header is line 1, entity rows follow.
                d.add(name, row + 2, "correlation[\(row + 1)][\(col + 1)]", issue.value, issue.rule)
            }
        }
    }
}

extension Array {
    subscript(safe i: Int) -> Element? { indices.contains(i) ? self[i] : nil }
}

extension Node.Sequence {
    subscript(safe i: Int) -> Node? { i >= 0 && i < count ? self[i] : nil }
}
