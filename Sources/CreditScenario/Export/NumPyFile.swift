import Foundation

/// NumPy's `.npy` format, version 1.0 (NEP 1; numpy.lib.format): the magic string `\x93NUMPY`,
/// the version, a little-endian header length, a Python-literal header dictionary padded with
/// spaces to a multiple of 64 bytes and ended by a newline, then the array's bytes in C order.
/// `numpy.load` reads these files as they are, without pickling.
public enum NumPyFile {
    /// A C-order float64 array of the given shape.
    public static func float64(_ values: [Double], shape: [Int]) -> Data {
        precondition(shape.reduce(1, *) == values.count, "shape does not match the values")
        var data = header(descr: "<f8", shape: shape)
        appendLittleEndian(values, to: &data) { $0.bitPattern }
        return data
    }

    /// A C-order float32 array of the given shape.
    public static func float32(_ values: [Float], shape: [Int]) -> Data {
        precondition(shape.reduce(1, *) == values.count, "shape does not match the values")
        var data = header(descr: "<f4", shape: shape)
        appendLittleEndian(values, to: &data) { $0.bitPattern }
        return data
    }

    /// A 1-D little-endian integer array: int64 (`<i8`), int32 (`<i4`) or int8 (`|i1`).
    public static func integers<T: FixedWidthInteger & SignedInteger>(_ values: [T]) -> Data {
        let width = T.bitWidth / 8
        var data = header(descr: width == 1 ? "|i1" : "<i\(width)", shape: [values.count])
        appendLittleEndian(values, to: &data) { $0 }
        return data
    }

    /// The values' bytes, little-endian: copied whole on a little-endian machine (where memory
    /// already holds them so), value by value otherwise. One copy, not an append per value.
    private static func appendLittleEndian<T, Bits: FixedWidthInteger>(_ values: [T], to data: inout Data,
                                                                       bits: (T) -> Bits) {
        #if _endian(little)
        precondition(MemoryLayout<T>.size == MemoryLayout<Bits>.size, "a value is its bit pattern")
        values.withUnsafeBytes { data.append(contentsOf: $0) }
        #else
        var bytes = [UInt8]()
        bytes.reserveCapacity(values.count * MemoryLayout<Bits>.size)
        for v in values { withUnsafeBytes(of: bits(v).littleEndian) { bytes.append(contentsOf: $0) } }
        data.append(contentsOf: bytes)
        #endif
    }

    static func header(descr: String, shape: [Int]) -> Data {
        let dims = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var dict = "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(dims), }"
        // 6 magic + 2 version + 2 length bytes, then the dictionary and "\n", to a multiple of 64.
        let unpadded = 10 + dict.utf8.count + 1
        dict += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
        let length = UInt16(dict.utf8.count)
        data.append(contentsOf: [UInt8(length & 0xFF), UInt8(length >> 8)])
        data.append(contentsOf: Array(dict.utf8))
        return data
    }

    /// Reads a 1-D float64 or an n-D float32/float64 `.npy` written by this type (or by numpy
    /// with the same little-endian C-order layout), or a 1-D int64/int32/int8 one: the values as
    /// Double and the shape.
    public static func read(_ data: Data) -> (values: [Double], shape: [Int])? {
        let bytes = [UInt8](data)
        guard bytes.count >= 10, bytes[0] == 0x93, Array(bytes[1..<6]) == Array("NUMPY".utf8), bytes[6] == 1 else { return nil }
        let length = Int(bytes[8]) | Int(bytes[9]) << 8
        guard bytes.count >= 10 + length, let header = String(bytes: bytes[10..<(10 + length)], encoding: .ascii) else { return nil }
        // Floats, or (per-bond events) signed integers, each read as Double (exact below 2⁵³).
        let kinds: [(String, Int, Bool)] = [("'<f8'", 8, true), ("'<f4'", 4, true), ("'<i8'", 8, false), ("'<i4'", 4, false),
                                            ("'|i1'", 1, false)]
        guard let (_, width, isFloat) = kinds.first(where: { header.contains("'descr': " + $0.0) }) else { return nil }
        guard header.contains("'fortran_order': False"),
              let open = header.range(of: "'shape': ("), let close = header[open.upperBound...].firstIndex(of: ")") else { return nil }
        let shape = header[open.upperBound..<close].split(separator: ",").compactMap {
            Int($0.trimmingCharacters(in: .whitespaces))
        }
        // A damaged header may claim any shape: the element count is checked against the bytes
        // present without overflowing.
        var count = 1
        for d in shape {
            guard d >= 0 else { return nil }
            let (product, overflow) = count.multipliedReportingOverflow(by: d)
            guard !overflow else { return nil }
            count = product
        }
        let start = 10 + length
        guard (bytes.count - start) % width == 0, (bytes.count - start) / width == count else { return nil }
        var values = [Double](repeating: 0, count: count)
        for i in 0..<count {
            var bits: UInt64 = 0
            for b in 0..<width { bits |= UInt64(bytes[start + i * width + b]) << (8 * UInt64(b)) }
            if !isFloat {
                // Sign-extend the low `width` bytes.
                let shift = UInt64(64 - 8 * width)
                values[i] = Double(Int64(bitPattern: bits << shift) >> Int64(shift))
            } else {
                values[i] = width == 8 ? Double(bitPattern: bits) : Double(Float(bitPattern: UInt32(bits)))
            }
        }
        return (values, shape)
    }
}
