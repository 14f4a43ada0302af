/// Excel's date serial numbers ↔ days since 1970-01-01 (the loader's day numbers).
///
/// In the 1900 system serial 1 is 1900-01-01, and serial 60 is 1900-02-29, a day that never was:
/// Lotus 1-2-3 took 1900 for a leap year and Excel kept it for compatibility (ECMA-376 Part 1,
/// §18.17.4.1). Serials after 60 are therefore one more than the count of real days. In the 1904
/// system (`<workbookPr date1904="1"/>`, old Mac workbooks) serial 0 is 1904-01-01.
enum ExcelDate {
    /// 1899-12-31 and 1904-01-01 as days since 1970-01-01.
    static let day1900 = -25_568
    static let day1904 = -24_107

    enum Failure: Error, Equatable {
        /// Serial 60 of the 1900 system, which names no real day.
        case phantomLeapDay
        /// Before the system's first day, or past 9999-12-31.
        case outOfRange
        /// A fraction of a day (a time of day).
        case timeOfDay
    }

    /// The day of a whole serial number.
    static func day(serial: Double, date1904: Bool) throws(Failure) -> Int {
        guard serial.isFinite, serial >= 0, serial < 2_958_466 else { throw .outOfRange }
        guard serial == serial.rounded(.down) else { throw .timeOfDay }
        let s = Int(serial)
        if date1904 { return day1904 + s }
        guard s >= 1 else { throw .outOfRange }
        if s == 60 { throw .phantomLeapDay }
        return day1900 + (s < 60 ? s : s - 1)
    }

    /// The serial of a day in the 1900 system (the system the writer uses).
    static func serial1900(day: Int) -> Int {
        let s = day - day1900
        return s < 60 ? s : s + 1
    }
}
