/// A table of text cells: a CSV file (RFC 4180: commas, double-quoted fields with "" escapes, LF or
/// CRLF line ends), or a workbook sheet made into the same form (`SheetTable`), so that both go
/// through the same checks. For a sheet, `line` is the sheet's row number.
///
/// Parsed over UTF-8 bytes: the structural characters are ASCII, so fields are cut as byte
/// ranges and decoded once, which keeps a 100 000-row file well under a second.
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

    init(header: [String], headerLine: Int, rows: [Row]) {
        self.header = header
        self.headerLine = headerLine
        self.rows = rows
    }

    /// Parses `text`; blank lines are skipped, unquoted cells and header names are trimmed of
    /// spaces and tabs.
    init(text: String) throws(ParseError) {
        let comma = UInt8(ascii: ","), quote = UInt8(ascii: "\""), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")
        var bytes = Array(text.utf8)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        var records: [Row] = []
        var fields: [String] = []
        var line = 1
        var recordLine = 1
        var i = 0
        let n = bytes.count

        func trimmed(_ lo: Int, _ hi: Int) -> String {
            var a = lo, b = hi
            while a < b, bytes[a] == 0x20 || bytes[a] == 0x09 { a += 1 }
            while b > a, bytes[b - 1] == 0x20 || bytes[b - 1] == 0x09 || bytes[b - 1] == cr { b -= 1 }
            return String(decoding: bytes[a..<b], as: UTF8.self)
        }

        while i <= n {
            // Start of a field: skip leading blanks to see whether it is quoted.
            var j = i
            while j < n, bytes[j] == 0x20 || bytes[j] == 0x09 { j += 1 }
            if j < n, bytes[j] == quote {
                var value: [UInt8] = []
                j += 1
                var closed = false
                while j < n {
                    let c = bytes[j]
                    if c == quote {
                        if j + 1 < n, bytes[j + 1] == quote {
                            value.append(quote)
                            j += 2
                            continue
                        }
                        closed = true
                        j += 1
                        break
                    }
                    if c == lf { line += 1 }
                    value.append(c)
                    j += 1
                }
                if !closed { throw .unterminatedQuote(line: recordLine) }
                fields.append(String(decoding: value, as: UTF8.self))
                // Skip to the separator (anything else after the closing quote is ignored).
                while j < n, bytes[j] != comma, bytes[j] != lf { j += 1 }
                i = j
            } else {
                var k = i
                while k < n, bytes[k] != comma, bytes[k] != lf { k += 1 }
                fields.append(trimmed(i, k))
                i = k
            }
            // At a separator, a line end, or the end of the text.
            if i < n, bytes[i] == comma {
                i += 1
                continue
            }
            if !(fields.count == 1 && fields[0].isEmpty) {
                records.append(Row(line: recordLine, fields: fields))
            }
            fields = []
            if i >= n { break }
            i += 1  // past the line feed
            line += 1
            recordLine = line
        }
        guard let first = records.first else { throw .empty }
        header = first.fields
        headerLine = first.line
        rows = Array(records.dropFirst())
    }
}
