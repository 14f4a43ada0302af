import CreditRisk
import Foundation
import Yams

/// Scalar keys of the scenario file: version, horizon, simulation, copula, output, factors.
extension Loader {

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

    /// The mapping at `key` (a section, or a list item `key[i]`) with its keys checked against
    /// `allowed` when given; nil when absent, or not a mapping (reported with `rule`, which
    /// shows the form).
    mutating func mapping(_ node: Node?, at key: String, allowed: Set<String>?, rule: String) -> Node.Mapping? {
        guard let node else { return nil }
        guard let m = node.mapping else {
            d.add(file, line(node), key, nil, rule)
            return nil
        }
        if let allowed { checkKeys(m, allowed: allowed, prefix: "\(key).") }
        return m
    }

    /// The case of `T` that the scalar at `key` names; nil when absent, or not one of the cases
    /// (reported with `allowed`, the names).
    mutating func choice<T: RawRepresentable>(_ node: Node?, _ key: String, allowed: String) -> T? where T.RawValue == String {
        guard let node else { return nil }
        guard let s = node.scalar?.string, let value = T(rawValue: s) else {
            d.add(file, line(node), key, node.scalar?.string, "allowed: \(allowed)")
            return nil
        }
        return value
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

    /// Reads `extension:` {years, later_default, discount_rate}; each key optional (defaults of
    /// `ExtensionTerms`). Ranges are checked with the portfolio.
    mutating func extensionBlock(_ node: Node?) -> ExtensionTerms {
        var terms = ExtensionTerms()
        guard let m = mapping(node, at: "extension", allowed: ScenarioKeys.extensionTerms,
                              rule: "must be a mapping such as {years: 1, later_default: 0.3, discount_rate: 0.05}") else { return terms }
        func value(_ key: String) -> Double? {
            guard let v = m[key] else { return nil }
            guard let s = v.scalar?.string else {
                d.add(file, line(v), "extension.\(key)", nil, "must be a number")
                return nil
            }
            return d.number(s, file: file, line: line(v), key: "extension.\(key)")
        }
        if let x = value("years") { terms.years = x }
        if let x = value("later_default") { terms.laterDefault = x }
        if let x = value("discount_rate") { terms.discountRate = x }
        return terms
    }

    /// Reads `simulation:`; sets `method` from `simulation.method`.
    mutating func simulation(_ node: Node?) -> (Int, UInt64) {
        var paths = Scenario.defaultPaths, seed = Scenario.defaultSeed
        guard let m = mapping(node, at: "simulation", allowed: ScenarioKeys.simulation,
                              rule: "must be a mapping such as {paths: 100000, seed: 1}") else { return (paths, seed) }
        if let p = m["paths"] {
            if let s = p.scalar?.string, let v = DecimalNumber.whole(s, as: Int.self), v >= 1 { paths = v } else {
                d.add(file, line(p), "simulation.paths", p.scalar?.string, "must be a whole number ≥ 1")
            }
        }
        if let sn = m["seed"] {
            if let s = sn.scalar?.string, let v = DecimalNumber.whole(s, as: UInt64.self) { seed = v } else {
                d.add(file, line(sn), "simulation.seed", sn.scalar?.string, "must be a whole number from 0 to 18446744073709551615")
            }
        }
        if let chosen: SamplingMethod = choice(m["method"], "simulation.method", allowed: "plain, importance, auto") {
            self.method = chosen
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
        checkKeys(m, allowed: ScenarioKeys.copula, prefix: "copula.")
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

    /// `output.tail_thresholds`: losses x ≥ 0 for which P(L > x) is reported.
    mutating func tailThresholds(_ node: Node?) -> [Double] {
        guard let node else { return [] }
        guard let seq = node.sequence else {
            d.add(file, line(node), "output.tail_thresholds", nil, "must be a list of losses ≥ 0, e.g. [50, 100]")
            return []
        }
        return numberList(seq, key: "output.tail_thresholds") { v, _ in v < 0 ? "a threshold must be a loss ≥ 0" : nil }
    }

    /// The numbers of a YAML list, sorted; an item that is not a number or that `rule` rejects
    /// (given the value and the numbers accepted so far) is reported under key[i] and left out.
    mutating func numberList(_ seq: Node.Sequence, key: String, rule: (Double, [Double]) -> String?) -> [Double] {
        var out: [Double] = []
        for (i, item) in seq.enumerated() {
            let itemKey = "\(key)[\(i + 1)]"
            guard let s = item.scalar?.string, let v = d.number(s, file: file, line: line(item), key: itemKey) else { continue }
            if let broken = rule(v, out) { d.add(file, line(item), itemKey, s, broken); continue }
            out.append(v)
        }
        return out.sorted()
    }

    mutating func outputLevels(_ node: Node?) -> [Double] {
        guard let m = mapping(node, at: "output", allowed: ScenarioKeys.output,
                              rule: "must be a mapping such as {quantiles: [0.99, 0.999]}") else { return Scenario.defaultLevels }
        guard let q = m["quantiles"] else { return Scenario.defaultLevels }
        guard let seq = q.sequence, !seq.isEmpty else {
            d.add(file, line(q), "output.quantiles", nil, "must be a non-empty list of levels in (0, 1)")
            return Scenario.defaultLevels
        }
        return numberList(seq, key: "output.quantiles") { v, accepted in
            if !(v > 0 && v < 1) { return "a level must lie strictly between 0 and 1" }
            return accepted.contains(v) ? "duplicate level" : nil
        }
    }

    mutating func factorList(_ node: Node?) -> [String] {
        guard let node else { return [] }
        guard let seq = node.sequence else {
            d.add(file, line(node), "factors", nil, "must be a list of factor ids, e.g. [global, tech]")
            return []
        }
        var ids: [String] = []
        var seen: Set<String> = []
        for (i, item) in seq.enumerated() {
            guard let s = item.scalar?.string, !s.isEmpty else {
                d.add(file, line(item), "factors[\(i + 1)]", nil, "a factor id must be a non-empty text")
                continue
            }
            if !seen.insert(s).inserted { d.add(file, line(item), "factors[\(i + 1)]", s, "duplicate factor id"); continue }
            if ScenarioKeys.entity.contains(s) {
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

    /// `model: copula | creditriskplus`.
    mutating func lossModel(_ node: Node?) -> LossModel {
        choice(node, "model", allowed: "copula, creditriskplus") ?? .copula
    }

    /// `creditriskplus: {loss_unit: u}`: the loss unit of the CreditRisk+ lattice (> 0).
    mutating func creditRiskPlusSettings(_ node: Node?) -> Double? {
        guard let m = mapping(node, at: "creditriskplus", allowed: ScenarioKeys.creditRiskPlus,
                              rule: "must be a mapping such as {loss_unit: 0.5}") else { return nil }
        guard let u = m["loss_unit"] else { return nil }
        guard let s = u.scalar?.string, let v = d.number(s, file: file, line: line(u), key: "creditriskplus.loss_unit") else { return nil }
        if !(v > 0) {
            d.add(file, line(u), "creditriskplus.loss_unit", s, "must be an amount > 0")
            return nil
        }
        return v
    }

    /// `output.language`: en (default) or zh.
    mutating func language(_ node: Node?) -> Language {
        choice(node, "output.language", allowed: "en, zh") ?? .en
    }

    /// `output.capital: [irb]`.
    mutating func capitalList(_ node: Node?) -> [String] {
        guard let node else { return [] }
        guard let seq = node.sequence else {
            d.add(file, line(node), "output.capital", node.scalar?.string, "must be a list such as [irb]")
            return []
        }
        var out: [String] = []
        for (i, item) in seq.enumerated() {
            guard let s = item.scalar?.string, s == "irb" else {
                d.add(file, line(item), "output.capital[\(i + 1)]", item.scalar?.string, "allowed: irb")
                continue
            }
            out.append(s)
        }
        return out
    }
}
