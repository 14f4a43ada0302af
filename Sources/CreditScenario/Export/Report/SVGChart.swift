import Foundation

/// A small SVG line/bar chart writer for the HTML report: one plot area, linear x, linear or
/// log10 y, tick labels, series as polylines or bars, and vertical markers.
struct SVGChart {
    struct Series {
        var name: String
        var color: String
        var points: [(x: Double, y: Double)]
        var bars = false
    }

    struct Marker {
        var x: Double
        var label: String
        var color: String
    }

    var title: String
    var xLabel: String
    var yLabel: String
    var logY = false
    var width = 720.0
    var height = 320.0
    var series: [Series] = []
    var markers: [Marker] = []
    /// Names of the bars at x = 1, 2, …, drawn slanted under the axis instead of numeric ticks.
    var categories: [String]? = nil
    /// Legend as rows under the plot instead of inside its top-right corner (many series).
    var legendBelow = false

    private let left = 70.0, right = 20.0, top = 30.0
    private var bottom: Double {
        if categories != nil { return 110 }
        return legendBelow ? 50 + 16 * ceil(Double(series.count) / 4) + 8 : 45
    }

    func render() -> String {
        let all = series.flatMap(\.points).filter { !logY || $0.y > 0 }
        guard !all.isEmpty else {
            return "<p class=\"empty\">\(escape(title)): nothing to plot (no losses on any path).</p>"
        }
        let xMin = categories == nil ? min(0, all.map(\.x).min() ?? 0) : 0.4
        var xMax = max(all.map(\.x).max() ?? 1, markers.map(\.x).max() ?? 0) + (categories == nil ? 0 : 0.6)
        if xMax <= xMin { xMax = xMin + 1 }
        var yMin: Double, yMax: Double
        if logY {
            yMin = pow(10, floor(log10(all.map(\.y).min() ?? 1e-6)))
            yMax = pow(10, ceil(log10(all.map(\.y).max() ?? 1)))
            if yMax <= yMin { yMax = yMin * 10 }
        } else {
            yMin = 0
            yMax = (all.map(\.y).max() ?? 1) * 1.05
            if yMax <= 0 { yMax = 1 }
        }
        let plotW = width - left - right, plotH = height - top - bottom
        func px(_ x: Double) -> Double { left + (x - xMin) / (xMax - xMin) * plotW }
        func py(_ y: Double) -> Double {
            let f = logY ? (log10(max(y, yMin)) - log10(yMin)) / (log10(yMax) - log10(yMin)) : (y - yMin) / (yMax - yMin)
            return top + (1 - f) * plotH
        }
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"\(Int(width))\" height=\"\(Int(height))\" "
            + "viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"\(escape(title))\">"
        s += "<text x=\"\(f(left))\" y=\"18\" class=\"title\">\(escape(title))</text>"
        s += "<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(plotW))\" height=\"\(f(plotH))\" class=\"frame\"/>"
        // Axes ticks.
        for (i, name) in (categories ?? []).enumerated() {
            let x = px(Double(i + 1)), y = top + plotH + 12
            s += "<text x=\"\(f(x))\" y=\"\(f(y))\" class=\"tick\" text-anchor=\"end\" transform=\"rotate(-40 \(f(x)) \(f(y)))\">\(escape(name))</text>"
        }
        for t in categories == nil ? ticks(xMin, xMax) : [] {
            s += "<line x1=\"\(f(px(t)))\" y1=\"\(f(top + plotH))\" x2=\"\(f(px(t)))\" y2=\"\(f(top + plotH + 5))\" class=\"axis\"/>"
            s += "<text x=\"\(f(px(t)))\" y=\"\(f(top + plotH + 18))\" class=\"tick\" text-anchor=\"middle\">\(label(t))</text>"
        }
        let yTicks: [Double] = logY
            ? stride(from: log10(yMin), through: log10(yMax), by: 1).map { pow(10, $0) }
            : ticks(yMin, yMax)
        for t in yTicks {
            s += "<line x1=\"\(f(left - 5))\" y1=\"\(f(py(t)))\" x2=\"\(f(left + plotW))\" y2=\"\(f(py(t)))\" class=\"grid\"/>"
            s += "<text x=\"\(f(left - 8))\" y=\"\(f(py(t) + 4))\" class=\"tick\" text-anchor=\"end\">\(logY ? String(format: "%.0e", t) : label(t))</text>"
        }
        s += "<text x=\"\(f(left + plotW / 2))\" y=\"\(f(top + plotH + 32))\" class=\"label\" text-anchor=\"middle\">\(escape(xLabel))</text>"
        s += "<text x=\"14\" y=\"\(f(top + plotH / 2))\" class=\"label\" text-anchor=\"middle\" transform=\"rotate(-90 14 \(f(top + plotH / 2)))\">\(escape(yLabel))</text>"
        for line in series {
            if line.bars {
                let w = max(1, plotW / Double(max(line.points.count, 1)) * (categories == nil ? 0.9 : 0.6))
                for p in line.points where p.y > 0 {
                    // Histogram bars end at their upper edge; category bars are centred.
                    let x0 = categories == nil ? px(p.x) - w : px(p.x) - w / 2
                    s += "<rect x=\"\(f(x0))\" y=\"\(f(py(p.y)))\" width=\"\(f(w))\" height=\"\(f(top + plotH - py(p.y)))\" fill=\"\(line.color)\"/>"
                }
            } else {
                let pts = line.points.filter { !logY || $0.y > 0 }.map { "\(f(px($0.x))),\(f(py($0.y)))" }
                s += "<polyline fill=\"none\" stroke=\"\(line.color)\" stroke-width=\"2\" points=\"\(pts.joined(separator: " "))\"/>"
            }
        }
        for (i, m) in markers.enumerated() {
            s += "<line x1=\"\(f(px(m.x)))\" y1=\"\(f(top))\" x2=\"\(f(px(m.x)))\" y2=\"\(f(top + plotH))\" stroke=\"\(m.color)\" stroke-dasharray=\"4 3\"/>"
            s += "<text x=\"\(f(px(m.x) + 4))\" y=\"\(f(top + 14 + Double(i % 4) * 13))\" class=\"marker\" fill=\"\(m.color)\">\(escape(m.label))</text>"
        }
        // Legend.
        if legendBelow {
            for (i, line) in series.enumerated() {
                let lx = left + Double(i % 4) * (plotW / 4), ly = top + plotH + 54 + Double(i / 4) * 16
                s += "<rect x=\"\(f(lx))\" y=\"\(f(ly - 10))\" width=\"12\" height=\"12\" fill=\"\(line.color)\"/>"
                s += "<text x=\"\(f(lx + 16))\" y=\"\(f(ly))\" class=\"tick\">\(escape(line.name))</text>"
            }
            return s + "</svg>"
        }
        var lx = left + plotW - 10
        for line in series.reversed() {
            let w = Double(line.name.count) * 7 + 26
            lx -= w
            s += "<rect x=\"\(f(lx))\" y=\"\(f(top + 8))\" width=\"12\" height=\"12\" fill=\"\(line.color)\"/>"
            s += "<text x=\"\(f(lx + 16))\" y=\"\(f(top + 18))\" class=\"tick\">\(escape(line.name))</text>"
        }
        return s + "</svg>"
    }

    private func f(_ x: Double) -> String { String(format: "%.1f", x) }

    private func label(_ x: Double) -> String {
        if x == 0 { return "0" }
        if abs(x) >= 1e5 || abs(x) < 1e-3 { return String(format: "%.1e", x) }
        return String(format: abs(x) >= 100 ? "%.0f" : (abs(x) >= 1 ? "%.1f" : "%.3f"), x)
    }

    /// About five round ticks between a and b.
    private func ticks(_ a: Double, _ b: Double) -> [Double] {
        let span = b - a
        guard span > 0 else { return [a] }
        let raw = span / 5
        let mag = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 2.5, 5, 10].map { $0 * mag }.first { $0 >= raw } ?? raw
        var t = ceil(a / step) * step
        var out: [Double] = []
        while t <= b + 1e-9 * span { out.append(t); t += step }
        return out
    }
}

/// Escapes text for HTML/XML content and attributes.
func escape(_ s: String) -> String {
    var out = ""
    for c in s {
        switch c {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&#39;"
        default: out.append(c)
        }
    }
    return out
}
