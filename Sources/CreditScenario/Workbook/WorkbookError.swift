/// Why a workbook could not be read, located as precisely as the file allows.
struct WorkbookError: Error, Equatable, Sendable {
    /// The sheet, when the problem is in one.
    var sheet: String?
    /// The cell, when the problem is in one.
    var cell: CellReference?
    var rule: String
    /// The offending value as written, when there is one.
    var value: String?

    init(sheet: String? = nil, cell: CellReference? = nil, value: String? = nil, _ rule: String) {
        self.sheet = sheet
        self.cell = cell
        self.value = value
        self.rule = rule
    }
}
