import Foundation
import ZIPFoundation

/// A ZIP package's parts in memory, for tests that alter one part of a workbook.
struct ZIPTestArchive {
    var parts: [String: Data] = [:]
    var order: [String] = []

    init(_ data: Data) throws {
        let archive = try Archive(data: data, accessMode: .read)
        for entry in archive {
            var bytes = Data()
            _ = try archive.extract(entry) { bytes.append($0) }
            parts[entry.path] = bytes
            order.append(entry.path)
        }
    }

    static func make(_ parts: [String: Data]) throws -> Data {
        let archive = try Archive(accessMode: .create)
        for (path, bytes) in parts.sorted(by: { $0.key < $1.key }) {
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(bytes.count), compressionMethod: .deflate) { pos, size in
                bytes.subdata(in: Int(pos)..<Int(pos) + size)
            }
        }
        return archive.data ?? Data()
    }
}
