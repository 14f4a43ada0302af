import Foundation

/// The text `bench` prints: the machine and workload, one row per measurement (min, median, max
/// and spread of its repeats, its rate, speed-up and fraction of the bound), the bound, the
/// peer, and a comparison with a saved result.
public enum BenchTable {
    public static func render(_ r: BenchReport) -> String {
        let m = r.machine, w = r.workload
        var s = "creditsim bench, \(r.date)\n"
        s += "machine: \(m.cpuModel), \(m.cores) cores, " + String(format: "%.1f GiB", m.memoryBytes / 1_073_741_824)
        s += m.vectorTarget == "portable" ? "; portable core build" : "; core built for \(m.vectorTarget)" + (m.cpuVectorExtensions.isEmpty ? "" : " (CPU has \(m.cpuVectorExtensions.joined(separator: " ")))")
        s += "; OpenBLAS \(m.openBLASCore); \(m.buildConfiguration) build; creditsim \(m.toolVersion) (\(m.revision)); \(m.system)\n"
        s += "workload: \(w.description); "
        s += w.model == "creditriskplus" ? "CreditRisk+ (analytic)" : "\(w.method) sampling, \(w.valuation) valuation; \(w.paths ?? 0) paths, seed \(w.seed)"
        s += String(format: "; %d repeat%@, interleaved; setup %.3f s\n", w.repeats, w.repeats == 1 ? "" : "s", w.setupSeconds)
        s += "load: " + load(r.load) + "\n"
        if m.buildConfiguration == "debug" { s += "note: a debug build: its speed says nothing of a release build's\n" }
        s += "\n" + measurementTable(r.measurements)
        let bounded = r.measurements.filter { $0.bound != nil }
        if !bounded.isEmpty {
            let parts = bounded.map { b in
                String(format: "%@ uniforms/s on %d thread%@ (the engine reaches %.0f %% of it)", sci(b.bound?.uniformsPerSecond ?? 0),
                       b.threads ?? 0, b.threads == 1 ? "" : "s", 100 * (b.bound?.fraction ?? 0))
            }
            s += "\nbound: the random-number generator alone, with the engine's blocks and threads, draws " + parts.joined(separator: ", ")
                + ". Sampling needs at least one uniform per name-path, so no run can pass that rate.\n"
        }
        if let peer = r.peer { s += "\n" + peerLine(peer, r.measurements) }
        if let peak = r.peakResidentBytes {
            s += String(format: "\npeak resident memory of the process: %.0f MiB (VmHWM: the largest of all measurements and the setup)\n",
                        peak / 1_048_576)
        }
        return s
    }

    static func load(_ l: LoadSummary) -> String {
        var parts: [String] = []
        if let b = l.before { parts.append(String(format: "1-min average %.2f before", b)) }
        if let a = l.after { parts.append(String(format: "%.2f after (this run's threads included)", a)) }
        if let mean = l.othersDuringMean {
            parts.append(String(format: "other processes' runnable threads %.2f on average during (max %.0f, %d samples)",
                                mean, l.othersDuringMax ?? mean, l.samples))
        }
        if parts.isEmpty { return "not readable on this system" }
        return parts.joined(separator: ", ") + String(format: "; judged against %.1f (half the cores)", l.threshold)
    }

    static func measurementTable(_ ms: [BenchMeasurement]) -> String {
        var rows = [["measure", "threads", "min s", "median s", "max s", "spread", "rate (median)", "rate min–max", "speed-up", "of bound"]]
        for m in ms {
            let r = m.primaryRate
            rows.append([m.kind.rawValue, m.threads.map(String.init) ?? "-", String(format: "%.4f", m.seconds.min),
                         String(format: "%.4f", m.seconds.median), String(format: "%.4f", m.seconds.max),
                         String(format: "%.1f %%", 100 * m.seconds.relativeSpread), "\(sci(r.median)) \(m.primaryUnit)",
                         "\(sci(r.min))–\(sci(r.max))", m.speedupVsOneThread.map { String(format: "%.2fx", $0) } ?? "-",
                         m.bound.map { String(format: "%.0f %%", 100 * $0.fraction) } ?? "-"])
        }
        return columns(rows, left: [0])
    }

    /// Rows of cells as aligned columns (right-aligned but for the `left` columns), two spaces apart.
    static func columns(_ rows: [[String]], left: Set<Int>) -> String {
        let widths = (0..<(rows.map(\.count).max() ?? 0)).map { c in rows.map { c < $0.count ? $0[c].count : 0 }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { c, cell in
                let pad = String(repeating: " ", count: widths[c] - cell.count)
                return left.contains(c) ? cell + pad : pad + cell
            }.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }.joined(separator: "\n") + "\n"
    }

    static func peerLine(_ p: PeerSummary, _ ms: [BenchMeasurement]) -> String {
        if let skipped = p.skipped { return "peer: skipped: \(skipped)\n" }
        var s = "peer: \(p.script ?? "numpy")"
        if let note = ms.first(where: { $0.kind == .peer })?.note { s += " (\(note))" }
        let ratios = ms.filter { $0.kind == .engine && $0.ratioToPeer != nil }
            .map { String(format: "%.1fx on %d thread%@", $0.ratioToPeer ?? 0, $0.threads ?? 0, $0.threads == 1 ? "" : "s") }
        if !ratios.isEmpty { s += "; the engine's name-paths/s over the peer's: " + ratios.joined(separator: ", ") }
        if let el = p.expectedLoss, let se = p.expectedLossSE {
            s += String(format: "; expected loss %.6g ± %.2g", el, se)
            if let c = p.creditsimExpectedLoss, let cse = p.creditsimExpectedLossSE, let z = p.z {
                s += String(format: " against creditsim's %.6g ± %.2g (z = %.2f%@)", c, cse, z,
                            abs(z) <= 4 ? ": the same model within the errors" : ": they differ")
            }
        }
        return s + "\n"
    }

    /// `bench --against OLD.json`.
    public static func render(_ c: BenchComparison) -> String {
        let oldPath = c.file
        var s = "against \(oldPath) (\(c.oldDate), revision \(c.oldRevision)):\n"
        var rows = [["measurement", "old median", "new median", "new/old", "verdict"]]
        for row in c.rows {
            rows.append([row.key, "\(sci(row.old.median)) \(row.unit)", "\(sci(row.new.median)) \(row.unit)",
                         String(format: "%.3f", row.ratio), row.verdict.rawValue])
        }
        if !c.rows.isEmpty { s += columns(rows, left: [0, 4]) }
        if c.rows.isEmpty { s += "no measurement of this run is in \(oldPath) (keys: portfolio | kind | method | valuation | threads)\n" }
        for k in c.onlyNew { s += "only in this run: \(k)\n" }
        for k in c.onlyOld { s += "only in \(oldPath): \(k)\n" }
        if !c.machineDifferences.isEmpty {
            s += "note: the machines or builds differ (\(c.machineDifferences.joined(separator: "; "))): the ratios mix the code and the machine\n"
        }
        if !c.workloadDifferences.isEmpty { s += "note: the workloads differ (\(c.workloadDifferences.joined(separator: "; "))): rates stay comparable\n" }
        s += "beyond noise: every repeat of one side faster than every repeat of the other (the [min, max] ranges of the rates do not overlap)\n"
        return s
    }

    /// 4.567e+08 → "4.567e8".
    static func sci(_ x: Double) -> String {
        guard x.isFinite, x != 0 else { return String(format: "%g", x) }
        let e = Int(floor(log10(abs(x))))
        if (-3...3).contains(e) { return String(format: "%.4g", x) }
        return String(format: "%.3fe%d", x / pow(10, Double(e)), e)
    }
}
