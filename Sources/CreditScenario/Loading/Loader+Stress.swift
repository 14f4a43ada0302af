import CreditRisk
import Foundation
import Yams

/// The `stress:` list.
extension Loader {

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
            guard let m = mapping(item, at: at, allowed: ScenarioKeys.stress, rule: "must be a mapping with at least a name") else { continue }
            guard let name = m["name"]?.scalar?.string, !name.isEmpty else {
                d.add(file, line(item), at + ".name", nil, "missing: every stress needs a name")
                continue
            }
            // The name becomes a folder name (stress-NAME/) and a command-line word.
            let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.")
            if !name.allSatisfy(allowed.contains) || name.hasPrefix(".") {
                d.add(file, line(m["name"]), at + ".name", name, "a stress name may use letters, digits, _ - and . (not first)")
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
                guard let tm = mapping(tn, at: "\(at).\(key)", allowed: nil, rule: "must be a mapping {sector: {…}, entity: {…}}") else { return ([:], [:]) }
                checkKeys(tm, allowed: ScenarioKeys.stressTargets, prefix: "\(at).\(key).")
                for (kind, group) in tm {
                    let kindName = kind.scalar?.string ?? ""
                    guard let pairs = mapping(group, at: "\(at).\(key).\(kindName)", allowed: nil, rule: "must be a mapping {name: value}") else { continue }
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
            let extensionPD = targets("extension_pd_multiplier", value: positive)
            stress.extensionPDMultiplierBySector = extensionPD.bySector
            stress.extensionPDMultiplierByEntity = extensionPD.byEntity
            let shifts = targets("loading_shift") { (n: Node, key: String) -> [Int: Double]? in
                guard let fm = mapping(n, at: key, allowed: nil, rule: "must be a mapping {factor: Δ}") else { return nil }
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
                    let floors = targets("lgd_floor", value: level)
                    stress.lgdFloorBySector = floors.bySector
                    stress.lgdFloorByEntity = floors.byEntity
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
}
