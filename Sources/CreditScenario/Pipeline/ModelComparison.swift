import CreditRisk
import Foundation

/// `run --model all`: one portfolio under the Gaussian and the Student-t copula (simulated, same
/// seed), CreditRisk+ (analytic) and Basel IRB capital, side by side.
public struct ModelComparison: Sendable {
    public struct Column: Sendable {
        /// gaussian, student-t, creditriskplus.
        public let name: String
        public let document: SummaryDocument
    }
    public let columns: [Column]
    public let simulations: [RunOutcome]
    public let analytic: AnalyticOutcome
    public let capital: [BaselIRB.Line]
    public let irb: SummaryDocument.Capital.IRB
    /// The model whose run Ctrl-C stopped (gaussian, student-t), or nil when all are complete.
    /// The models before it are complete; its own column is there when it kept some paths.
    public let interruptedModel: String?
    public var isPartial: Bool { interruptedModel != nil }

    /// ν of the Student-t column: the scenario's when its copula is Student-t, else 5.
    public static let defaultDegreesOfFreedom = 5.0

    /// Runs every model. CreditRisk+ comes first, filling in what the scenario leaves open for
    /// it (`CreditRiskPlus.Assumptions.comparison`, said in `notes`); a Ctrl-C during it throws
    /// `RunError.interrupted` (nothing is complete). A Ctrl-C during a simulation keeps what is
    /// complete: the models before it, and its own paths when at least one block finished.
    public init(scenario: Scenario, request: RunRequest, monitor: (any RunMonitor)? = nil) throws(RunError) {
        let base = scenario.portfolio
        let analytic = try RunPipeline(scenario: scenario).creditRiskPlus(seed: request.settings.seed, assumptions: .comparison, monitor: monitor)
        var nu = Self.defaultDegreesOfFreedom
        if case let .studentT(v) = base.copula { nu = v }
        var sims: [RunOutcome] = []
        var columns: [Column] = []
        var interrupted: String? = nil
        for (name, copula) in [("gaussian", Copula.gaussian), ("student-t", Copula.studentT(degreesOfFreedom: nu))] {
            let portfolio: Portfolio
            do {
                portfolio = try Portfolio(entities: base.entities, bonds: base.bonds, dependence: base.dependence, copula: copula,
                                          horizon: base.horizon, rollover: base.rollover, lgdCorrelation: base.lgdCorrelation)
            } catch {
                throw .creditRiskPlus("the \(name) copula cannot use these factor columns as loadings: \(error.description)")
            }
            var outcome: RunOutcome
            do {
                outcome = try RunPipeline(scenario: scenario).simulate(portfolio, stress: nil, request: request, monitor: monitor)
            } catch {
                guard case .interruptedBeforeAnyPath = error else { throw error }
                interrupted = name
                break
            }
            outcome.document.model = name
            sims.append(outcome)
            columns.append(Column(name: name == "student-t" ? "student-t(\(SummaryTable.fmt(nu)))" : name, document: outcome.document))
            if outcome.isPartial {
                interrupted = name
                break
            }
        }
        columns.append(Column(name: "creditriskplus", document: analytic.document))
        let lines = BaselIRB.lines(for: base)
        let k = lines.reduce(0) { $0 + $1.capital }
        self.columns = columns
        simulations = sims
        self.analytic = analytic
        capital = lines
        irb = .init(capital: k, riskWeightedAssets: 12.5 * k)
        interruptedModel = interrupted
    }

    /// The comparison as JSON-ready values: one summary per model and the IRB figures; `notes`
    /// lists what CreditRisk+ filled in; `partial` and `interrupted_model` after a Ctrl-C.
    public struct Document: Codable, Sendable {
        public var scenario: String
        public var models: [String: SummaryDocument]
        public var irb: SummaryDocument.Capital.IRB
        public var notes: [String]
        public var partial: Bool
        public var interruptedModel: String?

        enum CodingKeys: String, CodingKey {
            case scenario, models, irb, notes, partial
            case interruptedModel = "interrupted_model"
        }
    }

    public var document: Document {
        Document(scenario: columns.first?.document.scenario ?? "",
                 models: Dictionary(uniqueKeysWithValues: columns.map { ($0.name, $0.document) }), irb: irb,
                 notes: analytic.notes, partial: isPartial, interruptedModel: interruptedModel)
    }

    /// Rows of the side-by-side table: net loss figures per model, then IRB.
    public var rows: [[String]] {
        let fmt = SummaryTable.fmt, pct = SummaryTable.pct
        var rows: [[String]] = [["net loss"] + columns.map(\.name)]
        rows.append(["EL"] + columns.map { fmt($0.document.net.expectedLoss, 4) })
        rows.append(["std dev"] + columns.map { fmt($0.document.net.stdDev, 4) })
        let levels = columns.first?.document.net.quantiles.map(\.level) ?? []
        for (i, q) in levels.enumerated() {
            rows.append(["VaR \(pct(q))"] + columns.map { fmt($0.document.net.quantiles[i].valueAtRisk, 4) })
            rows.append(["ES  \(pct(q))"] + columns.map { fmt($0.document.net.quantiles[i].expectedShortfall, 4) })
        }
        for (i, q) in levels.enumerated() {
            rows.append(["VaR − EL \(pct(q))"] + columns.map { fmt($0.document.net.quantiles[i].valueAtRisk - $0.document.net.expectedLoss, 4) })
            rows.append(["ES − EL  \(pct(q))"] + columns.map { fmt($0.document.net.quantiles[i].expectedShortfall - $0.document.net.expectedLoss, 4) })
        }
        rows.append(["IRB capital (99.9 %)"] + columns.map { _ in fmt(irb.capital, 4) })
        return rows
    }

    public var table: String {
        "Model comparison (net loss; simulations with the same seed; CreditRisk+ with guarantees and protection by double default; IRB by the lower of substitution and double default)\n"
            + SummaryTable.table(rows)
    }

    /// `report.html` of `--model all`: the comparison table and the exceedance curves of every
    /// model on one chart; each model's own report is in its folder.
    public var html: String {
        var h = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/>\n<title>CreditSim model comparison: \(escape(document.scenario))</title>\n<style>\(HTMLReport.css)</style></head><body>\n"
        h += "<h1>Model comparison: \(escape(document.scenario))</h1>\n"
        h += "<p class=\"meta\">Net loss under the Gaussian and Student-t copula simulations (same seed, \(simulations.first?.output.paths ?? 0) paths each), CreditRisk+ (analytic; a guaranteed or protected part is lost only when its provider defaults too: double default) and Basel II IRB foundation capital (a covered part by substitution or double default, whichever is lower). Each model's full report is in its folder: "
            + columns.map { "<a href=\"\($0.name.hasPrefix("student-t") ? "student-t" : $0.name)/report.html\">\(escape($0.name))</a>" }.joined(separator: ", ") + ".</p>\n"
        let r = rows
        h += "<table class=\"summary\"><thead><tr>" + r[0].map { "<th>\(escape($0))</th>" }.joined() + "</tr></thead><tbody>\n"
        for row in r.dropFirst() {
            h += "<tr><th>\(escape(row[0]))</th>" + row.dropFirst().map { "<td>\($0)</td>" }.joined() + "</tr>\n"
        }
        h += "</tbody></table>\n"
        var chart = SVGChart(title: "Net loss exceedance P(L > x) by model", xLabel: "loss", yLabel: "P(L > x)", logY: true)
        let colors = ["#2b6cb0", "#c05621", "#2f855a"]
        for (i, o) in simulations.enumerated() {
            chart.series.append(.init(name: columns[i].name, color: colors[i], points: HTMLReport.curve(o.report.netDistribution)))
        }
        chart.series.append(.init(name: "creditriskplus", color: colors[2], points: HTMLReport.latticeCurve(analytic.net)))
        chart.markers = [.init(x: irb.capital + (columns.first?.document.net.expectedLoss ?? 0), label: "EL + IRB capital", color: "#1a202c")]
        h += chart.render() + "\n"
        h += "<footer>IRB capital is the sum over bonds of K·EAD (capital.csv). Marker: Gaussian EL + IRB capital, comparable with VaR 99.9 %.</footer>\n"
        return h + "</body></html>\n"
    }
}
