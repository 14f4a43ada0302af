import Foundation
import ZIPFoundation

/// The parts (files) of a workbook's ZIP package, read on demand with a size cap so that a small
/// file cannot inflate into an unbounded amount of memory.
struct WorkbookArchive {
    /// The most one part may inflate to: far above a 100 000-row sheet (about 40 MB of XML).
    static let partLimit = 256 << 20
    private let archive: Archive

    init(data: Data) throws(WorkbookError) {
        // Every ZIP file starts with a local file header (or is an empty archive).
        guard data.starts(with: [0x50, 0x4B, 0x03, 0x04]) || data.starts(with: [0x50, 0x4B, 0x05, 0x06]) else {
            if data.starts(with: [0xD0, 0xCF, 0x11, 0xE0]) {
                throw WorkbookError("an Excel 97–2003 (.xls) or encrypted workbook; save it as an Excel Workbook (.xlsx) without a password")
            }
            throw WorkbookError("not an Excel workbook (.xlsx is a ZIP package); save it as an Excel Workbook (.xlsx)")
        }
        do {
            archive = try Archive(data: data, accessMode: .read)
        } catch {
            throw WorkbookError("not a readable .xlsx package (\(error)); save it again as an Excel Workbook (.xlsx)")
        }
    }

    /// The part at `path` (no leading slash), nil when the package has none.
    func part(_ path: String) throws(WorkbookError) -> Data? {
        let wanted = path.hasPrefix("/") ? String(path.dropFirst()) : path
        // Part names are case-insensitive (ECMA-376 Part 2, §9.1.1.1).
        guard let entry = archive[wanted] ?? archive.first(where: { $0.path.lowercased() == wanted.lowercased() }) else { return nil }
        guard entry.uncompressedSize <= UInt64(Self.partLimit) else {
            throw WorkbookError("part \(wanted) inflates to \(entry.uncompressedSize) bytes, more than the \(Self.partLimit >> 20) MiB allowed")
        }
        var out = Data()
        do {
            _ = try archive.extract(entry, skipCRC32: false) { chunk in
                guard out.count + chunk.count <= Self.partLimit else { throw CocoaError(.fileReadTooLarge) }
                out.append(chunk)
            }
        } catch {
            throw WorkbookError("part \(wanted) of the package is damaged (\(error)); save the workbook again")
        }
        return out
    }
}
