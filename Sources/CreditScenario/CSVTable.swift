/// A CSV file (RFC 4180: commas, double-quoted fields with "" escapes, LF or CRLF line ends).
struct CSVTable {
    struct Row {
        /// 1-based line of the file where the row starts.
        let line: Int
        let fields: [String]
    }

    let header: [String]
    let headerLine: Int
    let rows: [Row]

    enum ParseError: Error {
        case unterminatedQuote(line: Int)
        case empty
    }

    /// Parses `text`; blank lines are skipped, cells and header names are trimmed of spaces.
    init(text: String) throws(ParseError) {
        var records: [Row] = []
        var field = ""
        var fields: [String] = []
        var inQuotes = false
        var line = 1
        var recordLine = 1
        var fieldWasQuoted = false
        var scalars = text.unicodeScalars[...]
        if scalars.first == "\u{FEFF}" { scalars = scalars.dropFirst() }

        func endField() {
            fields.append(fieldWasQuoted ? field : field.trimmingSpaces())
            field = ""
            fieldWasQuoted = false
        }
        func endRecord() {
            endField()
            if !(fields.count == 1 && fields[0].isEmpty) {
                records.append(Row(line: recordLine, fields: fields))
            }
            fields = []
        }

        var iterator = scalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        while let c = pending ?? iterator.next() {
            pending = nil
            if inQuotes {
                if c == "\"" {
                    if let next = iterator.next() {
                        if next == "\"" { field.unicodeScalars.append("\"") } else { inQuotes = false; pending = next }
                    } else {
                        inQuotes = false
                    }
                } else {
                    if c == "\n" { line += 1 }
                    field.unicodeScalars.append(c)
                }
                continue
            }
            switch c {
            case "\"" where field.trimmingSpaces().isEmpty:
                field = ""
                inQuotes = true
                fieldWasQuoted = true
            case ",":
                endField()
            case "\r":
                break
            case "\n":
                endRecord()
                line += 1
                recordLine = line
            default:
                field.unicodeScalars.append(c)
            }
        }
        if inQuotes { throw .unterminatedQuote(line: recordLine) }
        if !field.isEmpty || !fields.isEmpty { endRecord() }
        guard let first = records.first else { throw .empty }
        header = first.fields
        headerLine = first.line
        rows = Array(records.dropFirst())
    }
}

extension String {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return String(s)
    }
}
