import CreditRisk
import Foundation

/// Writes a portfolio as a scenario folder (`scenario.yaml`, `entities.csv`, `bonds.csv`, and
/// `correlation.csv` in full-correlation mode) that `ScenarioLoader` reads back to the same
/// portfolio. Used by `creditsim bench --export` to hand the benchmark portfolio to other tools,
/// such as the numpy peer, which read the same CSV columns.
public enum ScenarioWriter {
    /// Writes the folder whole (see ``OutputDirectory``): a failure leaves nothing behind.
    public static func write(_ p: Portfolio, name: String, paths: Int, seed: UInt64, to directory: URL) throws(OutputDirectory.Failure) {
        let out = try OutputDirectory.acquire(path: directory.path, markers: ["scenario.yaml"])
        try out.write(files(p, name: name, paths: paths, seed: seed))
    }

    /// The scenario's files, name → contents.
    public static func files(_ p: Portfolio, name: String, paths: Int, seed: UInt64) -> [(name: String, contents: String)] {
        var files: [(name: String, contents: String)] = []
        var factorIDs: [String] = []
        var yamlDependence = ""
        switch p.dependence {
        case let .factors(model):
            factorIDs = model.factorIDs
            yamlDependence = "factors: [\(factorIDs.joined(separator: ", "))]\n"
            if model.correlation != .identity(factorIDs.count) {
                yamlDependence += "factor_correlation:\n"
                for i in 0..<model.correlation.n {
                    let row = (0..<model.correlation.n).map { "\(model.correlation[i, $0])" }
                    yamlDependence += "  - [\(row.joined(separator: ", "))]\n"
                }
            }
        case let .fullCorrelation(matrix):
            yamlDependence = "correlation: correlation.csv\n"
            var c = "id," + p.entities.map { CSVExport.quoted($0.id) }.joined(separator: ",") + "\n"
            for i in 0..<matrix.n {
                c += CSVExport.quoted(p.entities[i].id)
                for j in 0..<matrix.n { c += ",\(matrix[i, j])" }
                c += "\n"
            }
            files.append(("correlation.csv", c))
        }
        // Extension columns only when used, so that plain portfolios stay readable by other tools.
        let capacities = p.entities.contains { $0.capacity != nil }
        let extensions = p.hasExtension
        let lgdSDs = p.bonds.contains { $0.lgdSD != nil }
        let extensionLGDs = p.bonds.contains { $0.extensionLGD != nil || $0.extensionLGDSD != nil }
        let triggers = p.bonds.contains {
            $0.guarantee?.triggers.contains(.extensionEvent) == true || $0.protection?.triggers.contains(.extensionEvent) == true
        }
        var e = "id,name,sector,pd" + (capacities ? ",capacity" : "") + (extensions ? ",extension_pd" : "")
            + factorIDs.map { ",\($0)" }.joined() + "\n"
        for entity in p.entities {
            e += "\(CSVExport.quoted(entity.id)),\(CSVExport.quoted(entity.name ?? "")),\(CSVExport.quoted(entity.sector ?? "")),\(entity.pd)"
            if capacities { e += "," + (entity.capacity.map { "\($0)" } ?? "") }
            if extensions { e += entity.extends ? ",\(entity.extensionPD)" : "," }
            for w in entity.loadings { e += ",\(w)" }
            e += "\n"
        }
        var b = "id,issuer,notional,maturity,lgd" + (lgdSDs ? ",lgd_sd" : "")
            + (extensionLGDs ? ",extension_lgd,extension_lgd_sd" : "")
            + ",guarantor,coverage,protection_seller,protection_notional,protection_spread_bps"
            + (triggers ? ",guarantee_triggers,protection_triggers" : "") + "\n"
        for bond in p.bonds {
            b += "\(CSVExport.quoted(bond.id)),\(CSVExport.quoted(p.entities[bond.issuer].id)),\(bond.notional),\(bond.maturity),\(bond.lgd)"
            if lgdSDs { b += "," + (bond.lgdSD.map { "\($0)" } ?? "") }
            if extensionLGDs {
                b += "," + (bond.extensionLGD.map { "\($0)" } ?? "") + "," + (bond.extensionLGDSD.map { "\($0)" } ?? "")
            }
            if let g = bond.guarantee { b += ",\(CSVExport.quoted(p.entities[g.guarantor].id)),\(g.coverage)" } else { b += ",," }
            if let pr = bond.protection {
                b += ",\(CSVExport.quoted(p.entities[pr.seller].id)),\(pr.notional),\(pr.spreadBps)"
            } else {
                b += ",,,"
            }
            if triggers { b += "," + (bond.guarantee.map(\.triggers.name) ?? "") + "," + (bond.protection.map(\.triggers.name) ?? "") }
            b += "\n"
        }
        let terms = p.extensionTerms
        let extensionBlock = terms == ExtensionTerms() ? ""
            : "extension: {years: \(terms.years), later_default: \(terms.laterDefault), discount_rate: \(terms.discountRate)}\n"
        var copula = "gaussian"
        if case let .studentT(nu) = p.copula { copula = "{type: student-t, degrees_of_freedom: \(nu)}" }
        let yaml = """
            version: 1
            name: "\(name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\""))"
            horizon: \(p.horizon)
            rollover: \(p.rollover)
            lgd_correlation: \(p.lgdCorrelation)
            simulation: {paths: \(paths), seed: \(seed)}
            copula: \(copula)
            \(extensionBlock)\(yamlDependence)entities: entities.csv
            bonds: bonds.csv

            """
        files += [("entities.csv", e), ("bonds.csv", b), ("scenario.yaml", yaml)]
        return files
    }
}
