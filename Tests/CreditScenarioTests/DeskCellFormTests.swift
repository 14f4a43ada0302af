import CreditRisk
@testable import CreditScenario
import Foundation
import Testing

/// Cell forms (percents, thousands separators, three date forms), header aliases and the PD
/// checks, on CSV books.
@Suite struct DeskCellFormTests {
    static func load(entities: String, bonds: String = Samples.bonds, extra: String = "") throws -> Scenario {
        let f = try Fixture(["s.yaml": Samples.scenario(extra), "entities.csv": entities, "bonds.csv": bonds])
        return try ScenarioLoader.load(path: f.path("s.yaml"))
    }

    static func problems(entities: String = Samples.entities, bonds: String = Samples.bonds, extra: String = "") -> [String] {
        do {
            _ = try load(entities: entities, bonds: bonds, extra: extra)
            return []
        } catch {
            return (error as? ScenarioError)?.problems.map(\.description) ?? ["\(error)"]
        }
    }

    @Test(arguments: [
        ("0.35%", "0.0035"), ("35%", "0.35"), ("100%", "1.00"), ("0.0035%", "0.000035"), ("-1.5%", "-0.015"),
        ("1.5e-1%", "1.5e-3"), (".5%", "0.005"), ("1,036.00", "1036.00"), ("-12,345,678.5", "-12345678.5"),
        ("1,000%", "10.00"), ("0.5", "0.5"), ("2e-3", "2e-3"),
    ])
    func numberForms(_ written: String, _ plain: String) throws {
        #expect(CellForms.decimalText(written) == plain)
        // Exact: the same bits as the plain decimal text, not a division by 100.
        #expect(CellForms.decimalText(written).flatMap(Double.init)?.bitPattern == Double(plain)?.bitPattern)
    }

    @Test(arguments: ["1,03", "1,0000", ",100", "1,,000", "1.000,5", "0x10", "1_000", "%", "0.3%%", "1,000.5,3", "12,34%"])
    func unsupportedNumberForms(_ written: String) {
        #expect(CellForms.decimalText(written) == nil)
    }

    @Test func percentIsExactWhereDivisionIsNot() {
        // 0.07 / 100 is 0.0007000000000000001 in binary floating point; moving the point is exact.
        #expect(0.07 / 100 != 0.0007)
        #expect(Double(CellForms.decimalText("0.07%") ?? "") == 0.0007)
    }

    @Test func dateForms() {
        let day = CivilDate.day(year: 2029, month: 3, day: 13)
        for text in ["2029-03-13", "2029/3/13", "2029/03/13", "2029年3月13日", "2029年03月13日"] {
            #expect(CellForms.date(text) == .day(day ?? 0), "\(text)")
        }
        for text in ["2029-3-13", "2029/2/30", "2029/13/1", "2029年3月13", "2029年13日3月", "2029/3/13/1", "2029/x/1"] {
            #expect(CellForms.date(text) == .invalid, "\(text)")
        }
        for text in ["5", "0.5", "-1", "2e-3", "202"] { #expect(CellForms.date(text) == .notADate, "\(text)") }
    }

    @Test func cellFormsInACSVBook() throws {
        let plain = try Self.load(entities: Samples.entities, bonds: Samples.bonds, extra: "as_of: 2026-03-02")
        let entities = Samples.entities.replacingOccurrences(of: "a,Alpha,tech,0.02,", with: "a,Alpha,tech,2%,")
            .replacingOccurrences(of: "s,Seller,bank,0.005,", with: "s,Seller,bank,0.5%,")
        let bonds = Samples.bonds.replacingOccurrences(of: "b1,a,100,0.5,", with: "b1,a,100.0,0.5,")
            .replacingOccurrences(of: "b2,b,50,2,0.4,", with: "b2,b,\"50.00\",2,40%,")
            .replacingOccurrences(of: "s,50,80", with: "s,\"50\",80")
        let forms = try Self.load(entities: entities, bonds: bonds, extra: "as_of: 2026-03-02")
        #expect(forms.portfolio.entities.map(\.pd.bitPattern) == plain.portfolio.entities.map(\.pd.bitPattern))
        #expect(forms.portfolio.bonds.map(\.lgd.bitPattern) == plain.portfolio.bonds.map(\.lgd.bitPattern))
        // A maturity in each date form gives the same years.
        var years: [Double] = []
        for date in ["2029-03-13", "2029/3/13", "2029年3月13日"] {
            let b = Samples.bonds.replacingOccurrences(of: "b3,a,70,1,", with: "b3,a,\"1,070.0\",\(date),")
            let s = try Self.load(entities: Samples.entities, bonds: b, extra: "as_of: 2026-03-02")
            years.append(s.portfolio.bonds[2].maturity)
            #expect(s.portfolio.bonds[2].notional == 1070)
        }
        #expect(Set(years.map(\.bitPattern)).count == 1)
        #expect(years.first == Double((CivilDate.day(year: 2029, month: 3, day: 13) ?? 0) - (CivilDate.day(year: 2026, month: 3, day: 2) ?? 0)) / 365.25)
    }

    @Test func unsupportedFormsSayWhichWork() {
        let bonds = Samples.bonds.replacingOccurrences(of: "b3,a,70,1,", with: "b3,a,\"1,07\",2029.3.13,")
        let p = Self.problems(bonds: bonds, extra: "as_of: 2026-03-02")
        #expect(p.contains("bonds.csv:4: column \"notional\": value \"1,07\": not a number; \(CellForms.numberForms)"), "\(p)")
        #expect(p.contains("bonds.csv:4: column \"maturity\": value \"2029.3.13\": not a number"), "\(p)")
        let dated = Samples.bonds.replacingOccurrences(of: "b3,a,70,1,", with: "b3,a,70,2029/2/30,")
        #expect(Self.problems(bonds: dated, extra: "as_of: 2026-03-02")
            == ["bonds.csv:4: column \"maturity\": value \"2029/2/30\": not a valid date nor a number of years; \(CellForms.dateForms)"])
    }

    /// Every alias of a column the loader reads names that column: the book loads to the same bits.
    @Test func everyAliasNamesItsColumn() throws {
        let entities = "id,name,sector,pd,capacity,pd_sd,global\na,Alpha,tech,0.02,50,0.01,0.3\nb,Beta,coal,0.05,,,0.4\ng,G,state,0.002,,,0.3\ns,S,bank,0.005,,,0.4\n"
        let bonds = "id,issuer,notional,maturity,lgd,lgd_sd,guarantor,coverage,protection_seller,protection_notional,protection_spread_bps,coupon,coupon_frequency\n"
            + "b1,a,100,0.5,0.6,0.2,g,1.0,,,,0.03,2\nb2,b,50,2,0.4,,,,s,50,80,,\n"
        let base = try Self.load(entities: entities, bonds: bonds)
        var checked = 0
        for (table, aliases) in [(true, ColumnAliases.entities), (false, ColumnAliases.bonds)] {
            for (column, names) in aliases {
                let csv = table ? entities : bonds
                let header = csv.prefix { $0 != "\n" }.split(separator: ",").map(String.init)
                guard header.contains(column) else { continue }
                for alias in names {
                    let renamed = header.map { $0 == column ? alias : $0 }.joined(separator: ",") + csv.drop { $0 != "\n" }
                    let s = try Self.load(entities: table ? renamed : entities, bonds: table ? bonds : renamed)
                    #expect(WorkbookLoadingTests.fingerprint(s) == WorkbookLoadingTests.fingerprint(base), "\(alias)")
                    #expect(s.portfolio.entities[0].pdSD == base.portfolio.entities[0].pdSD && s.portfolio.bonds[0].coupon == base.portfolio.bonds[0].coupon)
                    checked += 1
                }
            }
        }
        #expect(checked == 24)  // the aliases of the columns above
        // Full-width parentheses and spaces.
        let fullWidth = bonds.replacingOccurrences(of: "protection_spread_bps", with: "信用保护费率（bp）")
        #expect(WorkbookLoadingTests.fingerprint(try Self.load(entities: entities, bonds: fullWidth)) == WorkbookLoadingTests.fingerprint(base))
    }

    @Test func twoHeadersForOneColumnAreAnError() {
        let entities = Samples.entities.replacingOccurrences(of: "id,name,sector,pd,", with: "代码,name,主体代码,pd,")
        #expect(Self.problems(entities: entities).contains(
            "entities.csv:1: column \"主体代码\": duplicate column: 代码 and 主体代码 both name column id"))
        let unknown = Samples.entities.replacingOccurrences(of: "id,name,sector,pd,", with: "id,name,板块,pd,")
        let p = Self.problems(entities: unknown)
        #expect(p.contains { $0.hasPrefix("entities.csv:1: column \"板块\": unknown column; allowed:") && $0.contains("Chinese headers: 担保能力, 展期概率, 主体代码, 代码") }, "\(p)")
    }

    static let ratings = """
        ratings:
          scale: [AAA, AA, A, BBB]
          pd: {AAA: 0.0002, AA: 0.0006, A: 0.0007, BBB: 0.0018}
        """

    /// A percent typed as a fraction is warned about by entity, in a book where most PDs are small.
    @Test func typoIsWarnedAboutByEntity() throws {
        var rows = "id,name,sector,pd,rating,global,tech\n"
        for i in 0..<29 { rows += "e\(i),Issuer \(i),tech,\(["0.0006", "0.0007", "0.0018"][i % 3]),\(["AA", "A", "BBB"][i % 3]),0.3,\n" }
        rows += "yili,伊利股份,consumer,0.4,AA,0.3,\n"
        let bonds = "id,issuer,notional,maturity,lgd\nb1,yili,100,1,0.6\nb2,e0,100,1,0.6\n"
        let s = try Self.load(entities: rows, bonds: bonds, extra: Self.ratings)
        #expect(s.warnings.map(\.description) == [
            "entities.csv:31: column \"pd\": value \"0.4\": entity yili (伊利股份): pd 0.4000 is 667× the one-year PD of its rating AA (0.0006000) and 571× the book's median PD (0.0007000); a percent typed as a fraction? pd is a one-year probability: write 0.004 or 0.4% for 0.4 %",
        ])
        // The rating rule alone: 0.01 on AA is 17× its rating's PD but not far above the book.
        let rated = rows.replacingOccurrences(of: "yili,伊利股份,consumer,0.4,", with: "yili,伊利股份,consumer,0.01,")
        let w = try Self.load(entities: rated, bonds: bonds, extra: Self.ratings).warnings.map(\.description)
        #expect(w.count == 1 && w[0].contains("entity yili (伊利股份): pd 0.01000 is 16.7× the one-year PD of its rating AA (0.0006000);"), "\(w)")
        // The book rule alone, without ratings.
        let unrated = rows.replacingOccurrences(of: ",AA,", with: ",,").replacingOccurrences(of: ",A,", with: ",,")
            .replacingOccurrences(of: ",BBB,", with: ",,")
        let u = try Self.load(entities: unrated, bonds: bonds).warnings.map(\.description)
        #expect(u.count == 1 && u[0].contains("entity yili (伊利股份): pd 0.4000 is 571× the book's median PD"), "\(u)")
        // validate lists it beside its rating's PD.
        let text = PortfolioDescription.render(try Self.load(entities: rows, bonds: bonds, extra: Self.ratings))
        #expect(text.contains("PD checks   each entity's own pd beside its rating's one-year pd; 1 look like a percent typed as a fraction"), "\(text)")
        #expect(text.contains { _ in true } && text.split(separator: "\n").contains { $0.hasPrefix("yili") && $0.contains("伊利股份") && $0.contains("0.4000") && $0.contains("0.0006000") && $0.contains("a percent?") }, "\(text)")
    }

    /// Found by the fuzzer: with most PDs 0 (an error, reported at the end of loading) the book's
    /// median is 0, and the percent check divided by it on the way (pd / 0 = ∞, then Int(∞)
    /// trapped). A median of 0 gives no book finding; a rating PD near 0 still prints its (huge)
    /// ratio.
    @Test func zeroMedianOrTinyRatingPDDoesNotTrap() throws {
        let zeros = "id,name,sector,pd,global\na,A,tech,0.3,0.3\nb,B,tech,0,0.3\nc,C,tech,0,0.3\n"
        let bonds = "id,issuer,notional,maturity,lgd\nb1,a,100,1,0.6\n"
        // pd 0 is an error, reported after the checks: the load must get there, not trap on the way.
        #expect { try Self.load(entities: zeros, bonds: bonds) } throws: { error in
            "\(error)".contains("entities.csv:3: column \"pd\": value \"0\": must be a number with 0 < pd < 1")
        }
        #expect(PDSanity.ratio(.infinity) == "inf" && PDSanity.ratio(.nan) == "nan" && PDSanity.ratio(3e20) == "3.000e+20" && PDSanity.ratio(250.4) == "250")
        let f = PDSanity.findings(pds: [0.3, 0, 0], ratingPDs: [.leastNonzeroMagnitude, nil, nil], given: [true, true, true])
        #expect(f == [PDSanity.Finding(entity: 0, pd: 0.3, ratingPD: .leastNonzeroMagnitude, median: nil)])
        #expect(PDSanity.reason(f[0], ratingName: "AAA").hasPrefix("inf× the one-year PD of its rating AAA"))
    }

    @Test func aBNameAmongInvestmentGradeIsNotFlagged() throws {
        let entities = Samples.entities.replacingOccurrences(of: "b,Beta,coal,0.05,", with: "b,Beta,coal,0.052,")
        #expect(try Self.load(entities: entities).warnings.isEmpty)
    }

    @Test func displayWidthCountsCJKTwice() {
        #expect(TextWidth.of("CITIC") == 5)
        #expect(TextWidth.of("中信证券") == 8)
        #expect(TextWidth.of("ｅ") == 2)
        #expect(TextWidth.of("e\u{301}") == 1)
        let t = SummaryTable.table([["issuer", "EL"], ["中信证券", "1.0"], ["CITIC", "22.5"]])
        let lines = t.split(separator: "\n").map(String.init)
        #expect(Set(lines.map(TextWidth.of)).count == 1, "\(t)")
    }
}
