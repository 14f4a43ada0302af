#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Input files' text: UTF-8 (a byte-order mark is dropped), or else GB18030, the encoding Excel
/// uses for CSV files saved on a Chinese-language Windows, which the loader reads and names in a
/// warning. Any other encoding is refused with the fix named.
enum TextDecoding {
    enum Result {
        case utf8(String)
        case gb18030(String)
        case undecodable
    }

    static func decode(_ data: Data) -> Result {
        var bytes = data
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        if let text = String(data: bytes, encoding: .utf8) { return .utf8(text) }
        if let text = convert(bytes, from: "GB18030") { return .gb18030(text) }
        return .undecodable
    }

    /// `bytes` in `encoding` as a String, by the C library's iconv; nil when not valid in it.
    static func convert(_ bytes: Data, from encoding: String) -> String? {
        let handle = iconv_open("UTF-8", encoding)
        guard handle != iconv_t(bitPattern: -1) else { return nil }
        defer { iconv_close(handle) }
        var input = [CChar](repeating: 0, count: bytes.count)
        bytes.withUnsafeBytes { raw in
            for (i, b) in raw.enumerated() { input[i] = CChar(bitPattern: b) }
        }
        // GB18030 takes at most 4 bytes per character and UTF-8 at most 4: 4× is ample... but a
        // 2-byte GB character may be 3 UTF-8 bytes, so allow 2× plus slack.
        var output = [CChar](repeating: 0, count: bytes.count * 2 + 16)
        let produced: Int? = input.withUnsafeMutableBufferPointer { inBuffer -> Int? in
            output.withUnsafeMutableBufferPointer { outBuffer -> Int? in
                var inPointer = inBuffer.baseAddress
                var inLeft = inBuffer.count
                var outPointer = outBuffer.baseAddress
                var outLeft = outBuffer.count
                let result = iconv(handle, &inPointer, &inLeft, &outPointer, &outLeft)
                guard result != -1, inLeft == 0 else { return nil }
                return outBuffer.count - outLeft
            }
        }
        guard let produced else { return nil }
        let utf8 = output[0..<produced].map { UInt8(bitPattern: $0) }
        return String(bytes: utf8, encoding: .utf8)
    }
}
