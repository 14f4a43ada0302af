import CreditRisk

/// Files of the analytic models: CreditRisk+ distributions, risk contributions, IRB capital.
extension CSVExport {
    /// `loss-distribution.csv` of a CreditRisk+ net loss: the atom at zero, then 200 equal bins
    /// up to the largest loss with probability above 10⁻¹².
    public static func lossDistribution(_ net: LatticeLoss, bins: Int = 200) -> String {
        var s = "loss,probability,cumulative_probability\n"
        for b in LossHistogram(net, binCount: bins).bins {
            s += "\(number(b.upperEdge)),\(number(b.probability)),\(number(b.cumulativeProbability))\n"
        }
        return s
    }

    /// `quantiles.csv` of a CreditRisk+ evaluation, on the full fine grid of levels.
    public static func quantiles(net: LatticeLoss, gross: LatticeLoss) -> String {
        var s = "level,net_var,net_es,gross_var,gross_es\n"
        for q in RiskReport.fineLevels(paths: Int.max / 2) {
            s += "\(number(q)),\(number(net.valueAtRisk(q))),\(number(net.expectedShortfall(q))),"
                + "\(number(gross.valueAtRisk(q))),\(number(gross.expectedShortfall(q)))\n"
        }
        return s
    }

    /// `risk-contributions.csv`: CSFB's contributions of each obligor to the net loss's standard
    /// deviation (they sum to σ), with its exposure and expected loss.
    public static func riskContributions(_ model: CreditRiskPlus) -> String {
        var s = "obligor,exposure,expected_loss,sd_contribution\n"
        for c in model.contributions {
            s += "\(quoted(c.id)),\(number(c.exposure)),\(number(c.expectedLoss)),\(number(c.standardDeviation))\n"
        }
        return s
    }

    /// `capital.csv`: Basel IRB capital per bond (and per substituted part of a bond).
    public static func capital(_ lines: [BaselIRB.Line]) -> String {
        var s = "bond,pd,lgd,maturity,correlation,capital_k,risk_weight,capital\n"
        for l in lines {
            s += "\(quoted(l.id)),\(number(l.pd)),\(number(l.lgd)),\(number(l.maturity)),\(number(l.correlation)),"
                + "\(number(l.capitalRate)),\(number(l.riskWeight)),\(number(l.capital))\n"
        }
        return s
    }
}

extension SummaryTable {
    /// The readable summary of a CreditRisk+ evaluation.
    public static func render(analytic r: AnalyticResult) -> String {
        let scenario = r.scenario, o = r.outcome
        let p = scenario.portfolio
        let d = r.document
        var s = "Scenario   \(scenario.name)\n"
        s += "Portfolio  \(p.entities.count) entities, \(p.bonds.count) bonds, notional \(fmt(p.totalNotional))\n"
        s += "Horizon    \(fmt(p.horizon)) y\n"
        s += "Model      CreditRisk+ (CSFB 1997), exact on a lattice of loss unit \(fmt(d.header.lossUnit ?? 0)); "
            + "\(o.netModel.obligors.count) obligors, \(o.netModel.sectorCount) sectors; \(fmt(d.run.elapsedSeconds, 3)) s\n"
        s += "           guarantees and protection by substitution (net); no Monte Carlo error\n\n"
        var rows: [[String]] = [["", "net", "gross"]]
        rows.append(["EL", fmt(d.losses.net.expectedLoss), fmt(d.losses.gross.expectedLoss)])
        rows.append(["std dev", fmt(d.losses.net.stdDev), fmt(d.losses.gross.stdDev)])
        for (n, g) in zip(d.losses.net.quantiles, d.losses.gross.quantiles) {
            rows.append(["VaR \(pct(n.level))", fmt(n.valueAtRisk), fmt(g.valueAtRisk)])
            rows.append(["ES  \(pct(n.level))", fmt(n.expectedShortfall), fmt(g.expectedShortfall)])
        }
        for (n, g) in zip(d.losses.net.tail ?? [], d.losses.gross.tail ?? []) {
            rows.append(["P(L > \(fmt(n.threshold)))", pct(n.probability), pct(g.probability)])
        }
        s += table(rows)
        if let c = d.answers.capital { s += "\n" + capitalTable(c) }
        return s
    }

    /// IRB capital beside VaR − EL and ES − EL of the net loss.
    public static func capitalTable(_ c: SummaryDocument.Capital) -> String {
        var rows: [[String]] = [["capital (net loss)", "VaR − EL", "ES − EL", "IRB capital", "IRB RWA"]]
        for e in c.economic {
            rows.append([pct(e.level), fmt(e.varMinusEL), fmt(e.esMinusEL), fmt(c.irb.capital), fmt(c.irb.riskWeightedAssets)])
        }
        return "Basel IRB capital (foundation corporate, §272; guarantees and protection by substitution)\n" + table(rows)
    }
}
