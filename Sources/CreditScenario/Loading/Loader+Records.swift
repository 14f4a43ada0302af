import CreditRisk
import Foundation
import Yams

/// Entities, bonds and the full correlation matrix, from CSV files or inline lists.
extension Loader {

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
            guard let m = mapping(item, at: where_, allowed: nil, rule: "each item must be a mapping such as {id: …, …}") else { continue }
            var r = Record(file: file, line: line(item) ?? 0)
            for (k, v) in m {
                guard let name = k.scalar?.string else { continue }
                if isEntity && name == "loadings" {
                    guard let lm = mapping(v, at: "\(where_).loadings", allowed: nil, rule: "must be a mapping {factor: loading}") else { continue }
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
                          "unknown key; allowed: \((isEntity ? allowed.union(ScenarioKeys.inlineEntity) : allowed).sorted().joined(separator: ", "))")
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

    mutating func buildEntities(_ records: [Record], factorIDs: [String], ratings: RatingTables? = nil,
                                market: MarketValuation? = nil) -> [Entity] {
        records.enumerated().map { index, r in
            let id = r.text("id") ?? ""
            if id.isEmpty { d.add(r.file, r.line, "id", nil, "missing: every entity needs an id") }
            // A malformed cell is reported here and replaced by a neutral value, so that the
            // model checks below do not report it a second time.
            var rating: Int? = nil
            if let cell = r.cells["rating"] {
                if let ratings {
                    rating = ratings.index[cell.text]
                    if rating == nil {
                        d.add(r.file, cell.line, "rating", cell.text, "unknown rating; the scale (ratings.scale) is \(ratings.scale.joined(separator: ", "))")
                    }
                } else {
                    d.add(r.file, cell.line, "rating", cell.text, "a rating needs a ratings: block with the scale and its PDs")
                }
            }
            var pd = d.number(r, "pd", required: false)
            var curve: PDCurve? = nil
            let spread = d.number(r, "spread_bps", required: false)
            let spreadLGD = d.number(r, "spread_lgd", required: false)
            if let spreadLGD, r.cells["spread_bps"] == nil {
                d.add(r.file, r.cells["spread_lgd"]?.line, "spread_lgd", "\(spreadLGD)", "given without spread_bps")
            }
            if let spread {
                let lgd = spreadLGD ?? 0.6
                if r.cells["pd"] != nil {
                    d.add(r.file, r.cells["spread_bps"]?.line, "spread_bps", r.text("spread_bps"), "give pd or spread_bps, not both")
                } else if !(spread > 0) {
                    d.add(r.file, r.cells["spread_bps"]?.line, "spread_bps", r.text("spread_bps"), "must be a spread in basis points > 0")
                } else if !(lgd > 0 && lgd <= 1) {
                    d.add(r.file, r.cells["spread_lgd"]?.line, "spread_lgd", r.text("spread_lgd"), "must be a number with 0 < spread_lgd ≤ 1")
                } else {
                    // Credit triangle: hazard λ = s / (10⁴ · LGD); one-year PD 1 − e^{−λ}.
                    pd = -expm1(-spread / (10_000 * lgd))
                    spreads[index] = SpreadInput(bps: spread, lgd: lgd)
                }
            } else if r.cells["pd"] == nil && r.cells["spread_bps"] == nil {
                if let rating, let ratings {
                    if let p = ratings.pd[rating] {
                        pd = p
                        // Market valuation: the curve shapes event times inside the horizon only.
                        curve = ratings.curves[rating]
                    } else {
                        d.add(r.file, r.cells["rating"]?.line, "rating", r.text("rating"),
                              "this rating has no one-year PD: give it in ratings.pd or give ratings.transition")
                    }
                } else if rating == nil && r.cells["rating"] == nil {
                    d.add(r.file, r.line, "pd", nil, "missing: an entity needs pd, rating or spread_bps")
                }
            }
            if let market, let rating, let p = pd, r.cells["pd"] != nil || r.cells["spread_bps"] != nil {
                let dColumn = market.transition[rating][market.scale.count]
                if abs(p - dColumn) > 1e-12 {
                    let key = r.cells["pd"] != nil ? "pd" : "spread_bps"
                    d.add(r.file, r.cells[key]?.line, key, r.text(key),
                          "disagrees with rating \(market.scale[rating])'s one-year PD in the transition matrix (\(dColumn)); in market valuation the matrix rules defaults (leave \(key) empty)")
                }
            }
            let loadings = factorIDs.map { f -> Double in
                guard let cell = r.loadings[f] else { return 0 }
                return d.number(cell.text, file: r.file, line: cell.line, key: f, cellForms: true) ?? 0
            }
            let capacity = d.number(r, "capacity", required: false)
            let pdSD = d.number(r, "pd_sd", required: false)
            // The default rate is a probability with mean pd: its standard deviation is at most
            // √(pd·(1 − pd)) (the Bhatia–Davis bound for a variable in [0, 1]). A larger one (say
            // 1e100) is a typing error, and would make CreditRisk+'s sector variances absurd.
            if let sd = pdSD, let p = pd, p > 0, 1 > p {
                let bound = (p * (1 - p)).squareRoot()
                if sd > bound * (1 + 1e-12) {
                    d.add(r.file, r.cells["pd_sd"]?.line, "pd_sd", r.text("pd_sd"),
                          "must be at most √(pd·(1 − pd)) = \(shortText(bound)), the largest standard deviation of a default rate with mean pd \(shortText(p))")
                }
            }
            let extensionPD = d.number(r, "extension_pd", required: false) ?? 0
            return Entity(id: id, name: r.text("name"), sector: r.text("sector"), pd: pd ?? 0.5, loadings: loadings,
                          capacity: capacity, pdSD: pdSD, pdCurve: curve, rating: rating, extensionPD: extensionPD)
        }
    }

    /// The bonds that could be built, and for each the index of its record (rows with an unknown
    /// issuer are reported and left out).
    mutating func buildBonds(_ records: [Record], entityIndex: [String: Int], asOf: Int? = nil) -> ([Bond], [Int]) {
        var bonds: [Bond] = []
        var rows: [Int] = []
        for (row, r) in records.enumerated() {
            let id = r.text("id") ?? ""
            if id.isEmpty { d.add(r.file, r.line, "id", nil, "missing: every bond needs an id") }
            let issuer = reference(r, "issuer", entityIndex, required: true)
            let notional = d.number(r, "notional", required: true) ?? 1
            var maturity = 1.0
            if let cell = r.cells["maturity"], CellForms.date(cell.text) != .notADate {
                if case let .day(day) = CellForms.date(cell.text) {
                    if let asOf {
                        maturity = Double(day - asOf) / 365.25
                        if maturity <= 0 { d.add(r.file, cell.line, "maturity", cell.text, "matures on or before as_of; the date must be later") ; maturity = 1 }
                    } else {
                        d.add(r.file, cell.line, "maturity", cell.text, "a maturity date needs as_of: (the valuation date) in the scenario; otherwise give years")
                    }
                } else {
                    d.add(r.file, cell.line, "maturity", cell.text, "not a valid date nor a number of years; \(CellForms.dateForms)")
                }
            } else {
                maturity = d.number(r, "maturity", required: true) ?? 1
            }
            let lgd = d.number(r, "lgd", required: true) ?? 0.5

            var guarantee: Guarantee? = nil
            let guarantor = reference(r, "guarantor", entityIndex, required: false)
            let coverage = d.number(r, "coverage", required: false)
            let guaranteeTriggers = triggers(r, "guarantee_triggers", provider: "guarantor")
            let protectionTriggers = triggers(r, "protection_triggers", provider: "protection_seller")
            if let guarantor {
                if r.cells["coverage"] == nil {
                    d.add(r.file, r.line, "coverage", nil, "missing: a guarantee needs a coverage with 0 < coverage ≤ 1")
                } else {
                    guarantee = Guarantee(guarantor: guarantor, coverage: coverage ?? 1, triggers: guaranteeTriggers)
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
                    protection = Protection(seller: seller, notional: pn ?? min(notional, 1), spreadBps: spread ?? 0,
                                            triggers: protectionTriggers)
                }
            } else if r.cells["protection_seller"] == nil {
                for key in ["protection_notional", "protection_spread_bps"] where r.cells[key] != nil {
                    d.add(r.file, r.cells[key]?.line, key, r.text(key), "given without a protection_seller")
                }
            }
            guard let issuer else { continue }
            let lgdSD = d.number(r, "lgd_sd", required: false)
            let coupon = d.number(r, "coupon", required: false) ?? 0
            var frequency = 1
            if let cell = r.cells["coupon_frequency"] {
                if let f = DecimalNumber.whole(cell.text, as: Int.self), [1, 2, 4].contains(f) { frequency = f } else {
                    d.add(r.file, cell.line, "coupon_frequency", cell.text, "allowed: 1, 2, 4 (coupons a year)")
                }
            }
            let extensionLGD = d.number(r, "extension_lgd", required: false)
            let extensionLGDSD = d.number(r, "extension_lgd_sd", required: false)
            bonds.append(Bond(id: id, issuer: issuer, notional: notional, maturity: maturity, lgd: lgd,
                              guarantee: guarantee, protection: protection, lgdSD: lgdSD,
                              coupon: coupon, couponFrequency: frequency,
                              extensionLGD: extensionLGD, extensionLGDSD: extensionLGDSD))
            rows.append(row)
        }
        return (bonds, rows)
    }

    /// A bond's `guarantee_triggers` or `protection_triggers` cell: `default` (also when empty) or
    /// `default+extension`; refused without the enhancement it belongs to.
    mutating func triggers(_ r: Record, _ key: String, provider: String) -> CreditTriggers {
        guard let cell = r.cells[key] else { return .defaultOnly }
        if r.cells[provider] == nil {
            d.add(r.file, cell.line, key, cell.text, "given without a \(provider)")
            return .defaultOnly
        }
        guard let triggers = CreditTriggers(name: cell.text) else {
            d.add(r.file, cell.line, key, cell.text, "allowed: default, default+extension")
            return .defaultOnly
        }
        return triggers
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
        guard let table = try csvTable(name, unreadable: "not a readable CSV table") else { return nil }
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
