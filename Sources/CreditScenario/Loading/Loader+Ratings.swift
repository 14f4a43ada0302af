import CreditRisk
import Foundation
import Yams

/// The `ratings:` block (see ScenarioFormat, ratings), read before the entities that refer to it.
struct RatingTables: Sendable {
    var scale: [String] = []
    var index: [String: Int] = [:]
    /// One-year PD per rating: `ratings.pd`, else the transition matrix's D column; nil if neither.
    var pd: [Double?] = []
    /// Whether `pd` came from the `ratings.pd` mapping (else from the D column).
    var pdFromTable = false
    /// n × (n + 1), rows in scale order; nil without `ratings.transition`.
    var transition: [[Double]]? = nil
    /// Cumulative PD curve per rating index (ratings without a row are absent).
    var curves: [Int: PDCurve] = [:]
    var transitionSource: String? = nil
    var cumulativeSource: String? = nil
    /// Line of each `ratings.pd` entry, for errors found later.
    var pdLines: [Int: Int] = [:]
    /// Line of each rating's row of the transition file, for errors found later.
    var transitionLines: [Int: Int] = [:]
}

/// `valuation:` (see ScenarioFormat, valuation).
struct ValuationSettings {
    var market = false
    var curvesSource: String? = nil
    var curves: [String: (tenors: [Double], rates: [Double], line: Int)] = [:]
    var compounding: Compounding = .annual
}

extension Loader {
    /// Reads a small numeric CSV: header `first,<numbers…>`, rows `label,<numbers…>`.
    struct LabelledRow {
        let label: String
        let values: [Double]
        let line: Int
    }

    struct LabelledTable {
        let header: [String]
        let tenors: [Double]
        let rows: [LabelledRow]
    }

    mutating func labelledTable(_ name: String, firstColumn: String,
                                numericHeader: Bool) throws(ScenarioError) -> LabelledTable? {
        guard let table = try csvTable(name, unreadable: "not a readable CSV table with a header row") else { return nil }
        guard table.header.first == firstColumn else {
            d.add(name, table.headerLine, table.header.first ?? "", table.header.first, "the first column must be \(firstColumn)")
            return nil
        }
        var tenors: [Double] = []
        var ok = true
        if numericHeader {
            for h in table.header.dropFirst() {
                guard let t = DecimalNumber.finite(h), t >= 0 else {
                    d.add(name, table.headerLine, h, h, "a tenor must be a number of years ≥ 0")
                    ok = false
                    continue
                }
                if let last = tenors.last, !(t > last) {
                    d.add(name, table.headerLine, h, h, "tenors must be strictly increasing (\(shortText(last)) then \(h))")
                    ok = false
                }
                tenors.append(t)
            }
            if table.header.count < 2 {
                d.add(name, table.headerLine, nil, nil, "needs at least one tenor column after \(firstColumn)")
                ok = false
            }
        }
        var rows: [LabelledRow] = []
        for row in table.rows {
            guard row.fields.count == table.header.count else {
                d.add(name, row.line, nil, nil, "has \(row.fields.count) cells but the header has \(table.header.count)")
                ok = false
                continue
            }
            var values: [Double] = []
            for (h, cell) in zip(table.header.dropFirst(), row.fields.dropFirst()) {
                guard let v = d.number(cell, file: name, line: row.line, key: h) else { ok = false; values.append(.nan); continue }
                values.append(v)
            }
            rows.append(LabelledRow(label: row.fields[0], values: values, line: row.line))
        }
        return ok ? LabelledTable(header: table.header, tenors: tenors, rows: rows) : nil
    }

    func shortText(_ x: Double) -> String { x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x) }

    mutating func ratingTables(_ node: Node?) throws(ScenarioError) -> RatingTables? {
        guard let node, let m = mapping(node, at: "ratings", allowed: ScenarioKeys.ratings,
                                        rule: "must be a mapping {scale: [...], pd: {...}, transition: file.csv, cumulative_pd: file.csv}")
        else { return nil }
        var t = RatingTables()
        guard let scaleNode = m["scale"], let seq = scaleNode.sequence, !seq.isEmpty else {
            d.add(file, line(m["scale"] ?? node), "ratings.scale", nil, "missing: the ratings, best first, e.g. [AAA, AA, A, BBB, BB, B, CCC]")
            return nil
        }
        for item in seq {
            let s = item.scalar?.string ?? ""
            if s.isEmpty || s == "D" {
                d.add(file, line(item), "ratings.scale", s, s == "D" ? "D (default) is implicit; list only the non-default ratings" : "each rating must be a non-empty text")
            } else if t.index[s] != nil {
                d.add(file, line(item), "ratings.scale", s, "duplicate rating")
            } else {
                t.index[s] = t.scale.count
                t.scale.append(s)
            }
        }
        let n = t.scale.count
        t.pd = [Double?](repeating: nil, count: n)
        let known = t.scale.joined(separator: ", ")
        if let pdNode = m["pd"] {
            if let pm = pdNode.mapping {
                t.pdFromTable = true
                for (k, v) in pm {
                    let r = k.scalar?.string ?? ""
                    guard let i = t.index[r] else {
                        d.add(file, line(k), "ratings.pd.\(r)", v.scalar?.string, "unknown rating; the scale is \(known)")
                        continue
                    }
                    guard let text = v.scalar?.string, let p = d.number(text, file: file, line: line(v), key: "ratings.pd.\(r)") else { continue }
                    if !(p > 0 && p < 1) {
                        d.add(file, line(v), "ratings.pd.\(r)", text, "must be a number with 0 < pd < 1")
                        continue
                    }
                    t.pd[i] = p
                    t.pdLines[i] = line(v)
                }
            } else {
                d.add(file, line(pdNode), "ratings.pd", nil, "must be a mapping {rating: one-year PD}")
            }
        }
        if let trNode = m["transition"] {
            if let name = trNode.scalar?.string, let table = try labelledTable(name, firstColumn: "from", numericHeader: false) {
                t.transitionSource = name
                let expected = ["from"] + t.scale + ["D"]
                if table.header != expected {
                    d.add(name, 1, nil, table.header.joined(separator: ","), "the header must be \(expected.joined(separator: ",")) (the scale, best first, then D)")
                } else {
                    var matrix = [[Double]?](repeating: nil, count: n)
                    for row in table.rows {
                        guard let i = t.index[row.label] else {
                            d.add(name, row.line, "from", row.label, "unknown rating; the scale is \(known)")
                            continue
                        }
                        if matrix[i] != nil { d.add(name, row.line, "from", row.label, "duplicate row") }
                        t.transitionLines[i] = row.line
                        for (j, v) in row.values.enumerated() where !(v >= 0 && v <= 1) {
                            d.add(name, row.line, expected[j + 1], "\(v)", "a transition probability must lie in [0, 1]")
                        }
                        let sum = row.values.reduce(0, +)
                        if abs(sum - 1) > 1e-6 {
                            d.add(name, row.line, row.label, "sum \(sum)", "a row must sum to 1 (within 1e-6)")
                        }
                        matrix[i] = row.values
                    }
                    let missing = t.scale.indices.filter { matrix[$0] == nil }.map { t.scale[$0] }
                    if !missing.isEmpty {
                        d.add(name, nil, "from", missing.joined(separator: ", "), "missing rows: one row per rating of the scale")
                    } else {
                        let rows = matrix.compactMap { $0 }
                        t.transition = rows
                        if !t.pdFromTable { t.pd = rows.map { Optional($0[n]) } }
                    }
                }
            } else if trNode.scalar?.string == nil {
                d.add(file, line(trNode), "ratings.transition", nil, "must be a CSV file name")
            }
        }
        if let cNode = m["cumulative_pd"] {
            if let name = cNode.scalar?.string, let table = try labelledTable(name, firstColumn: "rating", numericHeader: true) {
                t.cumulativeSource = name
                for row in table.rows {
                    guard let i = t.index[row.label] else {
                        d.add(name, row.line, "rating", row.label, "unknown rating; the scale is \(known)")
                        continue
                    }
                    if table.tenors.first == 0 {
                        d.add(name, 1, "0", "0", "tenors must be > 0")
                        break
                    }
                    let curve = PDCurve(tenors: table.tenors, cumulative: row.values)
                    var bad = false
                    for (j, p) in row.values.enumerated() {
                        let col = table.header[j + 1]
                        if !(p >= 0 && p < 1) {
                            d.add(name, row.line, col, "\(p)", "a cumulative PD must lie in [0, 1)"); bad = true
                        } else if j > 0 && p < row.values[j - 1] {
                            d.add(name, row.line, col, "\(p)", "cumulative PDs must not decrease with the tenor (\(row.values[j - 1]) at \(table.header[j]))"); bad = true
                        }
                    }
                    if !bad, let problem = curve.problem {
                        d.add(name, row.line, row.label, nil, problem)
                        bad = true
                    }
                    if t.curves[i] != nil { d.add(name, row.line, "rating", row.label, "duplicate row") }
                    if !bad { t.curves[i] = curve }
                }
            } else if cNode.scalar?.string == nil {
                d.add(file, line(cNode), "ratings.cumulative_pd", nil, "must be a CSV file name")
            }
        }
        return t
    }

    mutating func valuationSettings(_ node: Node?) throws(ScenarioError) -> ValuationSettings {
        var v = ValuationSettings()
        guard let m = mapping(node, at: "valuation", allowed: ScenarioKeys.valuation,
                              rule: "must be a mapping {mode: default | market, curves: curves.csv, compounding: annual | continuous}")
        else { return v }
        switch m["mode"]?.scalar?.string {
        case nil, "default": v.market = false
        case "market": v.market = true
        case let other: d.add(file, line(m["mode"]), "valuation.mode", other, "allowed: default, market")
        }
        if let value: Compounding = choice(m["compounding"], "valuation.compounding", allowed: "annual, continuous") {
            v.compounding = value
        }
        if let c = m["curves"] {
            if let name = c.scalar?.string, let table = try labelledTable(name, firstColumn: "rating", numericHeader: true) {
                v.curvesSource = name
                for row in table.rows {
                    if v.curves[row.label] != nil { d.add(name, row.line, "rating", row.label, "duplicate row") }
                    for (j, r) in row.values.enumerated() where !(r > -1) {
                        d.add(name, row.line, table.header[j + 1], "\(r)", "a zero rate must be a fraction > -1 (0.0563 for 5.63 %)")
                    }
                    v.curves[row.label] = (table.tenors, row.values, row.line)
                }
            }
        } else if v.market {
            d.add(file, keyLine(m, "mode"), "valuation.curves", nil, "missing: market valuation needs curves: curves.csv (zero rates at the horizon by rating and tenor)")
        }
        return v
    }

    /// The market valuation model, or nil (after reporting) when something it needs is missing.
    mutating func marketValuation(_ v: ValuationSettings, ratings: RatingTables?, top: Node.Mapping) -> MarketValuation? {
        guard v.market else { return nil }
        let where_ = keyLine(top, "valuation")
        guard let ratings, let transition = ratings.transition else {
            d.add(file, where_, "valuation.mode", "market", "market valuation needs ratings: with a scale and a transition matrix (ratings.transition)")
            return nil
        }
        let name = v.curvesSource ?? "curves"
        var curves: [RateCurve] = []
        for r in ratings.scale {
            guard let c = v.curves[r] else {
                d.add(name, nil, "rating", r, "missing curve: every rating of the scale needs a row")
                continue
            }
            curves.append(RateCurve(tenors: c.tenors, rates: c.rates))
        }
        for (label, c) in v.curves where ratings.index[label] == nil {
            d.add(name, c.line, "rating", label, "unknown rating; the scale is \(ratings.scale.joined(separator: ", "))")
        }
        if ratings.pdFromTable {
            for (i, p) in ratings.pd.enumerated() {
                if let p, abs(p - transition[i][ratings.scale.count]) > 1e-12 {
                    d.add(file, ratings.pdLines[i], "ratings.pd.\(ratings.scale[i])", "\(p)",
                          "disagrees with the transition matrix's D column (\(transition[i][ratings.scale.count])); in market valuation the matrix rules defaults")
                }
            }
        }
        guard curves.count == ratings.scale.count else { return nil }
        return MarketValuation(scale: ratings.scale, transition: transition, curves: curves, compounding: v.compounding)
    }

    /// An ISO date (YYYY-MM-DD) as a day number, or nil.
    static func dayNumber(_ text: String) -> Int? {
        let parts = text.split(separator: "-")
        guard parts.count == 3, parts[0].count == 4, let y = Int(parts[0]), let mo = Int(parts[1]), let da = Int(parts[2]),
              (1...12).contains(mo), (1...31).contains(da) else { return nil }
        var c = DateComponents()
        c.year = y; c.month = mo; c.day = da
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        guard let date = calendar.date(from: c), calendar.component(.day, from: date) == da else { return nil }
        return Int((date.timeIntervalSince1970 / 86_400).rounded())
    }
}
