import Foundation
import ZIPFoundation

/// The parts (files) of a workbook's ZIP package, read on demand with a size cap so that a small
/// file cannot inflate into an unbounded amount of memory.
struct WorkbookArchive {
    /// The most one part may inflate to: far above a 100 000-row sheet (about 40 MB of XML).
    static let partLimit = 256 << 20
    private let archive: Archive

    /// Opens the workbook file at `url`. ZIPFoundation reads it as a file, not from memory: its
    /// in-memory reader traps on an archive whose offsets point past its end (found by fuzzing),
    /// where reading a file just stops.
    init(url: URL) throws(WorkbookError) {
        let head = (try? FileHandle(forReadingFrom: url)).flatMap { h -> Data? in
            defer { try? h.close() }
            return try? h.read(upToCount: 4)
        } ?? Data()
        // Every ZIP file starts with a local file header (or is an empty archive).
        guard head.starts(with: [0x50, 0x4B, 0x03, 0x04]) || head.starts(with: [0x50, 0x4B, 0x05, 0x06]) else {
            if head.starts(with: [0xD0, 0xCF, 0x11, 0xE0]) {
                throw WorkbookError("an Excel 97–2003 (.xls) or encrypted workbook; save it as an Excel Workbook (.xlsx) without a password")
            }
            throw WorkbookError("not an Excel workbook (.xlsx is a ZIP package); save it as an Excel Workbook (.xlsx)")
        }
        do {
            archive = try Archive(url: url, accessMode: .read)
        } catch {
            throw WorkbookError("not a readable .xlsx package (\(error)); save it again as an Excel Workbook (.xlsx)")
        }
    }

    /// A workbook's bytes, staged in a temporary file (removed at once: the open handle keeps it
    /// readable) and read as `init(url:)` does.
    init(data: Data) throws(WorkbookError) {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("creditsim-workbook-\(UUID().uuidString).xlsx")
        do {
            try data.write(to: url, options: .withoutOverwriting)
        } catch {
            throw WorkbookError("cannot stage the workbook in \(url.deletingLastPathComponent().path): \(error.localizedDescription)")
        }
        defer { try? FileManager.default.removeItem(at: url) }
        try self.init(url: url)
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
