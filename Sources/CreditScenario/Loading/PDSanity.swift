/// PDs that look like a percent typed as a fraction (`0.4` meant as 0.4 %), found entity by
/// entity whatever the rest of the book holds (README and DocC "DeskFiles", "PD checks"):
/// - against its rating: pd ≥ 10 × the rating's one-year PD (from `ratings.pd` or the D column
///   of the transition matrix);
/// - against the book: pd > 20 × the median PD of all entities and pd ≥ 0.1 (the median is
///   robust: a few typos do not move it; the floor keeps a B name at 5 % in a book of
///   investment-grade names from being flagged, while 0.35 meant as 0.35 % is);
/// - the whole column: more than half of the PDs above 0.2 (at least three PDs), which no real
///   book of issuers has; then each PD is likely a percent.
enum PDSanity {
    static let ratingFactor = 10.0
    static let bookFactor = 20.0
    static let bookFloor = 0.1

    struct Finding: Equatable {
        let entity: Int
        let pd: Double
        /// The rating's one-year PD, when the rating rule fired.
        let ratingPD: Double?
        /// The book's median PD, when the book rule fired.
        let median: Double?
    }

    /// Findings for the entities whose own PD is given (`given[i]`), in entity order.
    static func findings(pds: [Double], ratingPDs: [Double?], given: [Bool]) -> [Finding] {
        let m = median(pds)
        var out: [Finding] = []
        for i in pds.indices where given[i] && pds[i].isFinite {
            let pd = pds[i]
            let rating = ratingPDs[i].flatMap { r in r > 0 && pd >= ratingFactor * r ? r : nil }
            // A median of 0 (most names given pd 0) is no scale to compare with: no book finding.
            let book = m.flatMap { m in m > 0 && pds.count >= 3 && pd > bookFactor * m && pd >= bookFloor ? m : nil }
            if rating != nil || book != nil { out.append(Finding(entity: i, pd: pd, ratingPD: rating, median: book)) }
        }
        return out
    }

    /// True when the whole column looks like percents.
    static func columnLooksLikePercents(_ pds: [Double]) -> Bool {
        let finite = pds.filter(\.isFinite)
        guard finite.count >= 3 else { return false }
        return 2 * finite.filter { $0 > 0.2 }.count > finite.count
    }

    static func median(_ values: [Double]) -> Double? {
        let v = values.filter(\.isFinite).sorted()
        guard !v.isEmpty else { return nil }
        return v.count % 2 == 1 ? v[v.count / 2] : (v[v.count / 2 - 1] + v[v.count / 2]) / 2
    }

    /// Why a finding is suspicious, for a warning or a table.
    static func reason(_ f: Finding, ratingName: String?) -> String {
        var parts: [String] = []
        if let r = f.ratingPD {
            parts.append("\(ratio(f.pd / r))× the one-year PD of its rating\(ratingName.map { " " + $0 } ?? "") (\(SummaryTable.fmt(r)))")
        }
        if let m = f.median { parts.append("\(ratio(f.pd / m))× the book's median PD (\(SummaryTable.fmt(m)))") }
        return parts.joined(separator: " and ")
    }

    /// A whole number from 100 on, in exponent form past 10¹⁵ (a rating PD near 0 makes the ratio
    /// huge, even infinite: it must print, not trap).
    static func ratio(_ x: Double) -> String { x >= 100 && x < 1e15 ? String(Int(x.rounded())) : SummaryTable.fmt(x, 3) }
}
