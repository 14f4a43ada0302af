import Foundation

/// Writes large synthetic scenarios (YAML + CSVs) for load-time benchmarks and scale tests:
/// `names` issuers on `factors` factors with deterministic PDs and loadings, `bonds` notes spread
/// over them, every tenth with a guarantee and every seventh with protection.
public enum SyntheticScenario {
    public static func write(to directory: URL, names: Int, bonds: Int, factors: Int = 10) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let factorIDs = (1...max(factors, 1)).map { "f\($0)" }.prefix(factors)
        var e = "id,name,sector,pd" + factorIDs.map { ",\($0)" }.joined() + "\n"
        e.reserveCapacity(names * (40 + 8 * factors))
        let bound = factors > 0 ? 0.9 / Double(factors).squareRoot() : 0
        for i in 0..<names {
            let pd = 0.002 + 0.02 * Double((i * 7919) % 1000) / 1000
            e += "e\(i),Entity \(i),s\(i % 12),\(pd)"
            for k in 0..<factors { e += ",\(bound * Double((i * 31 + k * 17) % 100) / 100)" }
            e += "\n"
        }
        var b = "id,issuer,notional,maturity,lgd,guarantor,coverage,protection_seller,protection_notional,protection_spread_bps\n"
        b.reserveCapacity(bonds * 80)
        for j in 0..<bonds {
            let issuer = j % names
            let notional = 1 + Double(j % 17)
            let maturity = [0.15, 0.25, 0.5, 0.75, 1, 2, 3, 5][j % 8]
            b += "b\(j),e\(issuer),\(notional),\(maturity),0.45"
            if j % 10 == 0 && names > 1 { b += ",e\((issuer + 1) % names),1.0" } else { b += ",," }
            if j % 7 == 0 && names > 2 { b += ",e\((issuer + 2) % names),\(notional),60\n" } else { b += ",,,\n" }
        }
        let yaml = """
            version: 1
            name: Synthetic \(names) names, \(bonds) bonds
            simulation: {paths: 10000, seed: 1}
            factors: [\(factorIDs.joined(separator: ", "))]
            entities: entities.csv
            bonds: bonds.csv

            """
        try Data(e.utf8).write(to: directory.appendingPathComponent("entities.csv"))
        try Data(b.utf8).write(to: directory.appendingPathComponent("bonds.csv"))
        try Data(yaml.utf8).write(to: directory.appendingPathComponent("scenario.yaml"))
    }
}
