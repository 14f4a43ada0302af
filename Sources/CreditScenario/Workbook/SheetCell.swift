/// A cell's content as a sheet stores it, before any column gives it a meaning.
enum SheetCell: Equatable, Sendable {
    /// A number, as the text of its `<v>` (so that it reads back to the very same Double).
    case number(String)
    case text(String)
    case bool(Bool)
    /// A number in a date format: days since 1970-01-01.
    case date(Int)
    /// A cell that cannot be used; the reason says why and what to do.
    case invalid(value: String, rule: String)
}

/// One sheet's cells and merged ranges, as read.
struct Sheet: Sendable {
    let name: String
    var cells: [CellReference: SheetCell] = [:]
    /// `<mergeCell ref="A1:H1">` ranges: (top-left, bottom-right).
    var merged: [(CellReference, CellReference)] = []
}
