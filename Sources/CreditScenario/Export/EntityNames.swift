import CreditRisk

/// Issuer names beside ids, wherever results list entities or bonds: `contributions.csv`,
/// `results.xlsx`, the terminal tables and the report.
public struct EntityNames: Sendable {
    private let names: [String: String]
    private let issuerOfBond: [String: String]

    public init(_ portfolio: Portfolio) {
        var names: [String: String] = [:]
        for e in portfolio.entities { if let n = e.name, !n.isEmpty, n != e.id, names[e.id] == nil { names[e.id] = n } }
        var issuers: [String: String] = [:]
        for b in portfolio.bonds where issuers[b.id] == nil { issuers[b.id] = portfolio.entities[b.issuer].id }
        self.names = names
        issuerOfBond = issuers
    }

    /// The name of the entity a row of `kind` names (issuer, guarantor, seller); "" for bonds,
    /// sectors and entities without a name.
    public func name(kind: String, id: String) -> String {
        kind == "bond" || kind == "sector" ? "" : names[id] ?? ""
    }

    /// For a bond row, its issuer's name; "" otherwise.
    public func issuerName(kind: String, id: String) -> String {
        kind == "bond" ? issuerOfBond[id].flatMap { names[$0] } ?? "" : ""
    }

    /// `id (name)` for an entity with a name, or a bond whose issuer has one; the id otherwise.
    public func label(kind: String, id: String) -> String {
        let n = kind == "bond" ? issuerName(kind: kind, id: id) : name(kind: kind, id: id)
        return n.isEmpty ? id : "\(id) (\(n))"
    }
}
