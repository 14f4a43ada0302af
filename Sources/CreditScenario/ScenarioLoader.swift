import CreditRisk
import Foundation
import Yams

/// Reads a scenario file of format version 1 (CONTRACT.md §2) and everything it names, checks
/// every rule, and reports all problems found, not just the first.
public enum ScenarioLoader {
    static let topLevelKeys: Set<String> = [
        "version", "name", "description", "horizon", "rollover", "simulation", "copula", "factors",
        "factor_correlation", "correlation", "entities", "bonds", "output", "stress",
    ]
    static let stressKeys: Set<String> = [
        "name", "description", "pd_multiplier", "loading_shift", "lgd_floor", "default", "rollover",
    ]
    static let simulationKeys: Set<String> = ["paths", "seed", "method"]
    static let outputKeys: Set<String> = ["quantiles"]
    static let entityKeys: Set<String> = ["id", "pd", "name", "sector"]
    static let bondKeys: Set<String> = [
        "id", "issuer", "notional", "maturity", "lgd", "guarantor", "coverage",
        "protection_seller", "protection_notional", "protection_spread_bps",
    ]

    public static func load(path: String) throws(ScenarioError) -> Scenario {
        var loader = Loader(path: path)
        return try loader.run()
    }

    /// Reads a file, mapping failures to exit-66 errors that name it.
    static func readText(_ path: String, shownAs name: String) throws(ScenarioError) -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ScenarioError(kind: .unreadableFile, problems: [
                ScenarioProblem(file: name, line: nil, key: nil, value: nil, rule: "file not found")])
        }
        guard !isDirectory.boolValue, let data = FileManager.default.contents(atPath: path) else {
            throw ScenarioError(kind: .unreadableFile, problems: [
                ScenarioProblem(file: name, line: nil, key: nil, value: nil, rule: "cannot read file")])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ScenarioError(kind: .invalidData, problems: [
                ScenarioProblem(file: name, line: nil, key: nil, value: nil, rule: "not UTF-8 text")])
        }
        return text
    }
}

/// The state of one load.
private struct Loader {
    let path: String
    let file: String
    let directory: URL
    var d = Diagnostics()

    init(path: String) {
        self.path = path
        self.file = path
        self.directory = URL(fileURLWithPath: path).deletingLastPathComponent()
    }

    mutating func run() throws(ScenarioError) -> Scenario {
        let text = try ScenarioLoader.readText(path, shownAs: file)
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
        checkKeys(top, allowed: ScenarioLoader.topLevelKeys, prefix: "")

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
        let (paths, seed) = simulation(top["simulation"])
        let copula = copula(top["copula"])
        let levels = outputLevels(top["output"])

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
                                                        allowed: ScenarioLoader.entityKeys, factors: factorIDs, isEntity: true)
        let (bondRecords, bondSource) = try records(bondsNode, key: "bonds",
                                                    allowed: ScenarioLoader.bondKeys, factors: [], isEntity: false)
        let entities = buildEntities(entityRecords, factorIDs: factorIDs)
        var index: [String: Int] = [:]
        for (i, e) in entities.enumerated() where index[e.id] == nil { index[e.id] = i }
        let (bonds, bondRows) = buildBonds(bondRecords, entityIndex: index)

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
                                          horizon: horizon, rollover: rollover)
            } catch {
                for issue in error.issues {
                    locate(issue, entities: entityRecords, bonds: bondRows.map { bondRecords[$0] }, top: top)
                }
            }
        }
        if entities.isEmpty { d.add(file, line(entitiesNode), "entities", nil, "no entities: at least one is required") }
        if bondRecords.isEmpty { d.add(file, line(bondsNode), "bonds", nil, "no bonds: at least one is required") }
        guard d.problems.isEmpty, let portfolio else { throw invalid() }
        let stresses = stressList(top["stress"], portfolio: portfolio, factorIDs: factorIDs)
        guard d.problems.isEmpty else { throw invalid() }
        return Scenario(path: path, name: name, description: description, portfolio: portfolio,
                        factorIDs: factorIDs, paths: paths, seed: seed, levels: levels,
                        entitySource: entitySource, bondSource: bondSource, correlationSource: correlationSource,
                        stresses: stresses)
    }

    // MARK: Errors

    func invalid() -> ScenarioError { ScenarioError(kind: .invalidData, problems: d.problems) }

    mutating func fail(_ line: Int?, _ key: String?, _ value: String?, _ rule: String) -> ScenarioError {
        d.add(file, line, key, value, rule)
        return invalid()
    }

    func yamlProblem(_ e: YamlError) -> ScenarioProblem {
        switch e {
        case let .scanner(_, problem, mark, _), let .parser(_, problem, mark, _), let .composer(_, problem, mark, _):
            return ScenarioProblem(file: file, line: mark.line, key: nil, value: nil, rule: "not valid YAML: \(problem) (column \(mark.column))")
        case let .duplicatedKeysInMapping(duplicates, context):
            return ScenarioProblem(file: file, line: context.mark.line, key: duplicates.first, value: nil, rule: "duplicate key in a mapping")
        default:
            return ScenarioProblem(file: file, line: nil, key: nil, value: nil, rule: "not valid YAML: \(e)")
        }
    }

    /// Maps a model rule broken in the portfolio to the file, line and key the user wrote.
    mutating func locate(_ issue: ModelIssue, entities: [Record], bonds: [Record], top: Node.Mapping) {
        switch issue.location {
        case let .scenario(key):
            let node = key.split(separator: ".").first.flatMap { top[String($0)] }
            d.add(file, line(node), key, issue.value, issue.rule)
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

    // MARK: Scalars

    func line(_ node: Node?) -> Int? { node?.mark?.line }

    /// Line of a key itself (a block value starts on the next line).
    func keyLine(_ m: Node.Mapping, _ key: String) -> Int? {
        m.first { $0.key.scalar?.string == key }?.key.mark?.line
    }

    mutating func checkKeys(_ mapping: Node.Mapping, allowed: Set<String>, prefix: String) {
        for (k, _) in mapping {
            guard let key = k.scalar?.string else {
                d.add(file, line(k), prefix, nil, "keys must be plain strings")
                continue
            }
            if !allowed.contains(key) {
                d.add(file, line(k), prefix + key, nil, "unknown key; allowed here: \(allowed.sorted().joined(separator: ", "))")
            }
        }
    }

    mutating func string(_ m: Node.Mapping, _ key: String, required: Bool) -> String? {
        guard let node = m[key] else {
            if required { d.add(file, nil, key, nil, "missing: a value is required") }
            return nil
        }
        guard let s = node.scalar?.string, !s.isEmpty else {
            d.add(file, line(node), key, nil, "must be a non-empty text")
            return nil
        }
        return s
    }

    mutating func positiveNumber(_ m: Node.Mapping, _ key: String) -> Double? {
        guard let node = m[key] else { return nil }
        guard let s = node.scalar?.string else {
            d.add(file, line(node), key, nil, "must be a number")
            return nil
        }
        guard let v = d.number(s, file: file, line: line(node), key: key) else { return nil }
        if v <= 0 { d.add(file, line(node), key, s, "must be > 0") ; return nil }
        return v
    }

    mutating func bool(_ m: Node.Mapping, _ key: String) -> Bool? {
        guard let node = m[key] else { return nil }
        switch node.scalar?.string.lowercased() {
        case "true": return true
        case "false": return false
        default:
            d.add(file, line(node), key, node.scalar?.string, "must be true or false")
            return nil
        }
    }

    mutating func simulation(_ node: Node?) -> (Int, UInt64) {
        var paths = Scenario.defaultPaths, seed = Scenario.defaultSeed
        guard let node else { return (paths, seed) }
        guard let m = node.mapping else {
            d.add(file, line(node), "simulation", nil, "must be a mapping such as {paths: 100000, seed: 1}")
            return (paths, seed)
        }
        checkKeys(m, allowed: ScenarioLoader.simulationKeys, prefix: "simulation.")
        if let p = m["paths"] {
            if let s = p.scalar?.string, let v = Int(s), v >= 1 { paths = v } else {
                d.add(file, line(p), "simulation.paths", p.scalar?.string, "must be a whole number ≥ 1")
            }
        }
        if let sn = m["seed"] {
            if let s = sn.scalar?.string, let v = UInt64(s) { seed = v } else {
                d.add(file, line(sn), "simulation.seed", sn.scalar?.string, "must be a whole number from 0 to 18446744073709551615")
            }
        }
        if let method = m["method"], method.scalar?.string != "plain" {
            d.add(file, line(method), "simulation.method", method.scalar?.string,
                  "allowed: plain (importance sampling is not available in this version)")
        }
        return (paths, seed)
    }

    mutating func copula(_ node: Node?) -> Copula {
        guard let node else { return .gaussian }
        if let s = node.scalar?.string {
            if s == "gaussian" { return .gaussian }
            d.add(file, line(node), "copula", s, "allowed: gaussian, or {type: student-t, degrees_of_freedom: ν}")
            return .gaussian
        }
        guard let m = node.mapping else {
            d.add(file, line(node), "copula", nil, "allowed: gaussian, or {type: student-t, degrees_of_freedom: ν}")
            return .gaussian
        }
        checkKeys(m, allowed: ["type", "degrees_of_freedom"], prefix: "copula.")
        switch m["type"]?.scalar?.string {
        case "gaussian":
            return .gaussian
        case "student-t":
            guard let dfNode = m["degrees_of_freedom"], let s = dfNode.scalar?.string else {
                d.add(file, line(node), "copula.degrees_of_freedom", nil, "missing: student-t needs degrees_of_freedom > 0")
                return .gaussian
            }
            guard let nu = d.number(s, file: file, line: line(dfNode), key: "copula.degrees_of_freedom") else { return .gaussian }
            if nu <= 0 {
                d.add(file, line(dfNode), "copula.degrees_of_freedom", s, "must be > 0")
                return .gaussian
            }
            return .studentT(degreesOfFreedom: nu)
        default:
            d.add(file, line(m["type"] ?? node), "copula.type", m["type"]?.scalar?.string, "allowed: gaussian, student-t")
            return .gaussian
        }
    }

    mutating func outputLevels(_ node: Node?) -> [Double] {
        guard let node else { return Scenario.defaultLevels }
        guard let m = node.mapping else {
            d.add(file, line(node), "output", nil, "must be a mapping such as {quantiles: [0.99, 0.999]}")
            return Scenario.defaultLevels
        }
        checkKeys(m, allowed: ScenarioLoader.outputKeys, prefix: "output.")
        guard let q = m["quantiles"] else { return Scenario.defaultLevels }
        guard let seq = q.sequence, !seq.isEmpty else {
            d.add(file, line(q), "output.quantiles", nil, "must be a non-empty list of levels in (0, 1)")
            return Scenario.defaultLevels
        }
        var levels: [Double] = []
        for (i, item) in seq.enumerated() {
            let key = "output.quantiles[\(i + 1)]"
            guard let s = item.scalar?.string, let v = d.number(s, file: file, line: line(item), key: key) else { continue }
            if !(v > 0 && v < 1) { d.add(file, line(item), key, s, "a level must lie strictly between 0 and 1"); continue }
            if levels.contains(v) { d.add(file, line(item), key, s, "duplicate level"); continue }
            levels.append(v)
        }
        return levels.sorted()
    }

    mutating func factorList(_ node: Node?) -> [String] {
        guard let node else { return [] }
        guard let seq = node.sequence else {
            d.add(file, line(node), "factors", nil, "must be a list of factor ids, e.g. [global, tech]")
            return []
        }
        var ids: [String] = []
        for (i, item) in seq.enumerated() {
            guard let s = item.scalar?.string, !s.isEmpty else {
                d.add(file, line(item), "factors[\(i + 1)]", nil, "a factor id must be a non-empty text")
                continue
            }
            if ids.contains(s) { d.add(file, line(item), "factors[\(i + 1)]", s, "duplicate factor id"); continue }
            if ScenarioLoader.entityKeys.contains(s) {
                d.add(file, line(item), "factors[\(i + 1)]", s, "reserved column name; choose another factor id")
                continue
            }
            ids.append(s)
        }
        return ids
    }

    mutating func factorMatrix(_ node: Node?, k: Int) -> SymmetricMatrix? {
        guard let node else { return nil }
        guard let rows = node.sequence, rows.count == k else {
            d.add(file, line(node), "factor_correlation", nil, "must be a list of \(k) rows of \(k) numbers, in the order of factors")
            return nil
        }
        var values: [Double] = []
        var ok = true
        for (i, row) in rows.enumerated() {
            guard let cells = row.sequence, cells.count == k else {
                d.add(file, line(row), "factor_correlation[\(i + 1)]", nil, "must be a row of \(k) numbers")
                ok = false
                continue
            }
            for (j, cell) in cells.enumerated() {
                let key = "factor_correlation[\(i + 1)][\(j + 1)]"
                guard let s = cell.scalar?.string, let v = d.number(s, file: file, line: line(cell), key: key) else {
                    ok = false
                    continue
                }
                values.append(v)
            }
        }
        return ok ? SymmetricMatrix(n: k, values: values) : nil
    }

    // MARK: Stress

    /// Reads `stress:`, a list of named stresses, and checks each by applying it to the portfolio.
    mutating func stressList(_ node: Node?, portfolio: Portfolio, factorIDs: [String]) -> [Stress] {
        guard let node else { return [] }
        guard let seq = node.sequence else {
            d.add(file, line(node), "stress", nil, "must be a list of stresses, each {name: …, pd_multiplier: …, …}")
            return []
        }
        let entityIndex = Dictionary(portfolio.entities.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        let sectors = Set(portfolio.entities.compactMap(\.sector))
        var out: [Stress] = []
        for (i, item) in seq.enumerated() {
            let at = "stress[\(i + 1)]"
            guard let m = item.mapping else {
                d.add(file, line(item), at, nil, "must be a mapping with at least a name")
                continue
            }
            checkKeys(m, allowed: ScenarioLoader.stressKeys, prefix: at + ".")
            guard let name = m["name"]?.scalar?.string, !name.isEmpty else {
                d.add(file, line(item), at + ".name", nil, "missing: every stress needs a name")
                continue
            }
            if out.contains(where: { $0.name == name }) || name == "all" || name == "base" {
                d.add(file, line(m["name"]), at + ".name", name, "duplicate or reserved name (all and base are reserved)")
                continue
            }
            var stress = Stress(name: name)
            stress.description = m["description"]?.scalar?.string
            // Targets: {sector: {s: v}, entity: {id: v}} with v from `value`.
            func targets<T>(_ key: String, value: (Node, String) -> T?) -> (bySector: [String: T], byEntity: [Int: T]) {
                var bySector: [String: T] = [:], byEntity: [Int: T] = [:]
                guard let tn = m[key] else { return ([:], [:]) }
                guard let tm = tn.mapping else {
                    d.add(file, line(tn), "\(at).\(key)", nil, "must be a mapping {sector: {…}, entity: {…}}")
                    return ([:], [:])
                }
                checkKeys(tm, allowed: ["sector", "entity"], prefix: "\(at).\(key).")
                for (kind, group) in tm {
                    let kindName = kind.scalar?.string ?? ""
                    guard let pairs = group.mapping else {
                        d.add(file, line(group), "\(at).\(key).\(kindName)", nil, "must be a mapping {name: value}")
                        continue
                    }
                    for (tk, tv) in pairs {
                        let target = tk.scalar?.string ?? ""
                        let where_ = "\(at).\(key).\(kindName).\(target)"
                        guard let v = value(tv, where_) else { continue }
                        if kindName == "sector" {
                            if sectors.contains(target) { bySector[target] = v } else {
                                d.add(file, line(tk), where_, target, "unknown sector; sectors: \(sectors.sorted().joined(separator: ", "))")
                            }
                        } else if kindName == "entity" {
                            if let e = entityIndex[target] { byEntity[e] = v } else {
                                d.add(file, line(tk), where_, target, "unknown entity id")
                            }
                        }
                    }
                }
                return (bySector, byEntity)
            }
            func positive(_ n: Node, _ key: String) -> Double? {
                guard let s = n.scalar?.string, let v = d.number(s, file: file, line: line(n), key: key) else { return nil }
                if v <= 0 { d.add(file, line(n), key, s, "a multiplier must be > 0"); return nil }
                return v
            }
            let pd = targets("pd_multiplier", value: positive)
            stress.pdMultiplierBySector = pd.bySector
            stress.pdMultiplierByEntity = pd.byEntity
            let shifts = targets("loading_shift") { (n: Node, key: String) -> [Int: Double]? in
                guard let fm = n.mapping else {
                    d.add(file, line(n), key, nil, "must be a mapping {factor: Δ}")
                    return nil
                }
                var out: [Int: Double] = [:]
                for (fk, fv) in fm {
                    let f = fk.scalar?.string ?? ""
                    guard let k = factorIDs.firstIndex(of: f) else {
                        d.add(file, line(fk), "\(key).\(f)", f, "unknown factor; factors: \(factorIDs.joined(separator: ", "))")
                        continue
                    }
                    if let s = fv.scalar?.string, let v = d.number(s, file: file, line: line(fv), key: "\(key).\(f)") { out[k] = v }
                }
                return out
            }
            stress.loadingShiftBySector = shifts.bySector
            stress.loadingShiftByEntity = shifts.byEntity
            if let floor = m["lgd_floor"] {
                func level(_ n: Node, _ key: String) -> Double? {
                    guard let s = n.scalar?.string, let v = d.number(s, file: file, line: line(n), key: key) else { return nil }
                    if !(v >= 0 && v <= 1) { d.add(file, line(n), key, s, "an LGD floor must lie in [0, 1]"); return nil }
                    return v
                }
                if floor.scalar != nil {
                    stress.lgdFloor = level(floor, "\(at).lgd_floor")
                } else {
                    stress.lgdFloorBySector = targets("lgd_floor", value: level).bySector
                }
            }
            if let list = m["default"] {
                for (j, idNode) in (list.sequence ?? [list]).enumerated() {
                    let id = idNode.scalar?.string ?? ""
                    if let e = entityIndex[id] { stress.forcedDefaults.insert(e) } else {
                        d.add(file, line(idNode), "\(at).default[\(j + 1)]", id, "unknown entity id")
                    }
                }
            }
            if let r = m["rollover"] {
                switch r.scalar?.string.lowercased() {
                case "true": stress.rollover = true
                case "false": stress.rollover = false
                default: d.add(file, line(r), "\(at).rollover", r.scalar?.string, "must be true or false")
                }
            }
            do {
                _ = try stress.apply(to: portfolio)
            } catch {
                for issue in error.issues {
                    var what = issue.value
                    if case let .entity(e, key) = issue.location { what = "\(portfolio.entities[e].id) \(key) becomes \(issue.value)" }
                    if case let .bond(b, key) = issue.location { what = "\(portfolio.bonds[b].id) \(key) becomes \(issue.value)" }
                    d.add(file, line(item), "\(at) (\(name))", what, issue.rule)
                }
                continue
            }
            out.append(stress)
        }
        return out
    }

    // MARK: Records

    /// Reads entities or bonds from a CSV path or an inline list.
    mutating func records(_ node: Node, key: String, allowed: Set<String>, factors: [String],
                          isEntity: Bool) throws(ScenarioError) -> ([Record], String) {
        if let name = node.scalar?.string {
            return (try csvRecords(name, allowed: allowed, factors: factors, isEntity: isEntity), name)
        }
        guard let seq = node.sequence else {
            d.add(file, line(node), key, nil, "must be a CSV file name or an inline list")
            return ([], "inline")
        }
        var out: [Record] = []
        for (i, item) in seq.enumerated() {
            let where_ = "\(key)[\(i + 1)]"
            guard let m = item.mapping else {
                d.add(file, line(item), where_, nil, "each item must be a mapping such as {id: …, …}")
                continue
            }
            var r = Record(file: file, line: line(item) ?? 0)
            for (k, v) in m {
                guard let name = k.scalar?.string else { continue }
                if isEntity && name == "loadings" {
                    guard let lm = v.mapping else {
                        d.add(file, line(v), "\(where_).loadings", nil, "must be a mapping {factor: loading}")
                        continue
                    }
                    for (fk, fv) in lm {
                        let f = fk.scalar?.string ?? ""
                        if !factors.contains(f) {
                            d.add(file, line(fk), "\(where_).loadings.\(f)", nil, "unknown factor; known: \(factors.joined(separator: ", "))")
                        } else if let s = fv.scalar?.string, !s.isEmpty {
                            r.loadings[f] = (s, line(fv) ?? r.line)
                        }
                    }
                    continue
                }
                if !allowed.contains(name) {
                    d.add(file, line(k), "\(where_).\(name)", nil,
                          "unknown key; allowed: \((isEntity ? allowed.union(["loadings"]) : allowed).sorted().joined(separator: ", "))")
                    continue
                }
                guard let s = v.scalar?.string else {
                    d.add(file, line(v), "\(where_).\(name)", nil, "must be a single value")
                    continue
                }
                if !s.isEmpty && v.tag.description != "tag:yaml.org,2002:null" && s != "~" && s != "null" {
                    r.cells[name] = (s, line(v) ?? r.line)
                }
            }
            out.append(r)
        }
        return (out, "inline")
    }

    mutating func csvRecords(_ name: String, allowed: Set<String>, factors: [String],
                             isEntity: Bool) throws(ScenarioError) -> [Record] {
        let path = directory.appendingPathComponent(name).path
        let text = try ScenarioLoader.readText(name.hasPrefix("/") ? name : path, shownAs: name)
        let table: CSVTable
        do {
            table = try CSVTable(text: text)
        } catch {
            switch error {
            case .empty: d.add(name, 1, nil, nil, "empty file: a header row is required")
            case let .unterminatedQuote(l): d.add(name, l, nil, nil, "unterminated quoted field")
            }
            return []
        }
        let columns = allowed.union(factors)
        var seen: Set<String> = []
        for h in table.header {
            if !columns.contains(h) {
                let extra = isEntity ? (factors.isEmpty ? " (no factors are declared)" : "; factor columns: \(factors.joined(separator: ", "))") : ""
                d.add(name, table.headerLine, h, nil, "unknown column; allowed: \(allowed.sorted().joined(separator: ", "))\(extra)")
            }
            if !seen.insert(h).inserted { d.add(name, table.headerLine, h, nil, "duplicate column") }
        }
        for required in ["id"] + (isEntity ? ["pd"] : ["issuer", "notional", "maturity", "lgd"]) where !seen.contains(required) {
            d.add(name, table.headerLine, required, nil, "missing column")
        }
        var out: [Record] = []
        for row in table.rows {
            guard row.fields.count == table.header.count else {
                d.add(name, row.line, nil, nil, "has \(row.fields.count) cells but the header has \(table.header.count)")
                continue
            }
            var r = Record(file: name, line: row.line)
            for (h, v) in zip(table.header, row.fields) where !v.isEmpty {
                if factors.contains(h) && !allowed.contains(h) { r.loadings[h] = (v, row.line) } else { r.cells[h] = (v, row.line) }
            }
            out.append(r)
        }
        return out
    }

    mutating func buildEntities(_ records: [Record], factorIDs: [String]) -> [Entity] {
        records.map { r in
            let id = r.text("id") ?? ""
            if id.isEmpty { d.add(r.file, r.line, "id", nil, "missing: every entity needs an id") }
            // A malformed cell is reported here and replaced by a neutral value, so that the
            // model checks below do not report it a second time.
            let pd = d.number(r, "pd", required: true) ?? 0.5
            let loadings = factorIDs.map { f -> Double in
                guard let cell = r.loadings[f] else { return 0 }
                return d.number(cell.text, file: r.file, line: cell.line, key: f) ?? 0
            }
            return Entity(id: id, name: r.text("name"), sector: r.text("sector"), pd: pd, loadings: loadings)
        }
    }

    /// The bonds that could be built, and for each the index of its record (rows with an unknown
    /// issuer are reported and left out).
    mutating func buildBonds(_ records: [Record], entityIndex: [String: Int]) -> ([Bond], [Int]) {
        var bonds: [Bond] = []
        var rows: [Int] = []
        for (row, r) in records.enumerated() {
            let id = r.text("id") ?? ""
            if id.isEmpty { d.add(r.file, r.line, "id", nil, "missing: every bond needs an id") }
            let issuer = reference(r, "issuer", entityIndex, required: true)
            let notional = d.number(r, "notional", required: true) ?? 1
            let maturity = d.number(r, "maturity", required: true) ?? 1
            let lgd = d.number(r, "lgd", required: true) ?? 0.5

            var guarantee: Guarantee? = nil
            let guarantor = reference(r, "guarantor", entityIndex, required: false)
            let coverage = d.number(r, "coverage", required: false)
            if let guarantor {
                if r.cells["coverage"] == nil {
                    d.add(r.file, r.line, "coverage", nil, "missing: a guarantee needs a coverage with 0 < coverage ≤ 1")
                } else {
                    guarantee = Guarantee(guarantor: guarantor, coverage: coverage ?? 1)
                }
            } else if r.cells["coverage"] != nil && r.cells["guarantor"] == nil {
                d.add(r.file, r.cells["coverage"]?.line, "coverage", r.text("coverage"), "given without a guarantor")
            }

            var protection: Protection? = nil
            let seller = reference(r, "protection_seller", entityIndex, required: false)
            let pn = d.number(r, "protection_notional", required: false)
            let spread = d.number(r, "protection_spread_bps", required: false)
            if let seller {
                if r.cells["protection_notional"] == nil {
                    d.add(r.file, r.line, "protection_notional", nil, "missing: protection needs a protection_notional with 0 < Np ≤ notional")
                } else {
                    protection = Protection(seller: seller, notional: pn ?? min(notional, 1), spreadBps: spread ?? 0)
                }
            } else if r.cells["protection_seller"] == nil {
                for key in ["protection_notional", "protection_spread_bps"] where r.cells[key] != nil {
                    d.add(r.file, r.cells[key]?.line, key, r.text(key), "given without a protection_seller")
                }
            }
            guard let issuer else { continue }
            bonds.append(Bond(id: id, issuer: issuer, notional: notional, maturity: maturity, lgd: lgd,
                              guarantee: guarantee, protection: protection))
            rows.append(row)
        }
        return (bonds, rows)
    }

    mutating func reference(_ r: Record, _ key: String, _ index: [String: Int], required: Bool) -> Int? {
        guard let cell = r.cells[key] else {
            if required { d.add(r.file, r.line, key, nil, "missing: a value is required") }
            return nil
        }
        guard let i = index[cell.text] else {
            d.add(r.file, cell.line, key, cell.text, "unknown entity id; it must be an id of the entities")
            return nil
        }
        return i
    }

    mutating func fullCorrelation(_ node: Node, entities: [Entity]) throws(ScenarioError) -> SymmetricMatrix? {
        guard let name = node.scalar?.string else {
            d.add(file, line(node), "correlation", nil, "must be a CSV file name")
            return nil
        }
        let path = name.hasPrefix("/") ? name : directory.appendingPathComponent(name).path
        let text = try ScenarioLoader.readText(path, shownAs: name)
        guard let table = try? CSVTable(text: text) else {
            d.add(name, 1, nil, nil, "not a readable CSV table")
            return nil
        }
        let ids = entities.map(\.id)
        let n = ids.count
        guard table.header.first == "id", Array(table.header.dropFirst()) == ids else {
            d.add(name, table.headerLine, nil, table.header.prefix(4).joined(separator: ",") + (table.header.count > 4 ? ",…" : ""),
                  "the header must be id followed by the \(n) entity ids in the order of the entities")
            return nil
        }
        guard table.rows.count == n else {
            d.add(name, nil, nil, "\(table.rows.count) rows", "must have one row per entity (\(n))")
            return nil
        }
        var values = [Double](repeating: 0, count: n * n)
        var ok = true
        for (i, row) in table.rows.enumerated() {
            guard row.fields.count == n + 1, row.fields[0] == ids[i] else {
                d.add(name, row.line, "id", row.fields.first, "row \(i + 1) must start with entity id \(ids[i]) and hold \(n) numbers")
                ok = false
                continue
            }
            for j in 0..<n {
                guard let v = d.number(row.fields[j + 1], file: name, line: row.line, key: ids[j]) else { ok = false; continue }
                values[i * n + j] = v
            }
        }
        return ok ? SymmetricMatrix(n: n, values: values) : nil
    }
}

extension Array {
    subscript(safe i: Int) -> Element? { indices.contains(i) ? self[i] : nil }
}

extension Node.Sequence {
    subscript(safe i: Int) -> Node? { i >= 0 && i < count ? self[i] : nil }
}
