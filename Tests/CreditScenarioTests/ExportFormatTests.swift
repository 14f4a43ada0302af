@testable import CreditScenario
import Foundation
import Testing

/// The binary and digest formats written into result folders, against their specifications.
@Suite struct ExportFormatTests {
    /// FIPS 180-4 / NIST CSRC example vectors.
    @Test func sha256KnownVectors() {
        #expect(SHA256.hex(Data()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(Data("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex(Data("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(SHA256.hex(Data(repeating: UInt8(ascii: "a"), count: 1_000_000))
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    /// The header of `.npy` version 1.0: magic, version, length, a dictionary padded to 64 bytes.
    @Test func npyHeaderFollowsTheFormat() throws {
        let data = NumPyFile.float64([1.5, -2, 0], shape: [3])
        let bytes = [UInt8](data)
        #expect(Array(bytes[0..<8]) == [0x93] + Array("NUMPY".utf8) + [1, 0])
        let length = Int(bytes[8]) | Int(bytes[9]) << 8
        #expect((10 + length) % 64 == 0 && bytes[9 + length] == UInt8(ascii: "\n"))
        let header = try #require(String(bytes: bytes[10..<(10 + length)], encoding: .ascii))
        #expect(header.hasPrefix("{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }"))
        #expect(bytes.count == 10 + length + 24)
        let back = try #require(NumPyFile.read(data))
        #expect(back.values == [1.5, -2, 0] && back.shape == [3])
        let matrix = try #require(NumPyFile.read(NumPyFile.float32([1, 2, 3, 4, 5, 6], shape: [3, 2])))
        #expect(matrix.values == [1, 2, 3, 4, 5, 6] && matrix.shape == [3, 2])
    }

    /// numpy itself reads the files, when this machine has it (it does: the peer needs it).
    @Test func numpyLoadsTheFiles() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("creditsim-npy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try NumPyFile.float64([0.25, 1e-300, -7], shape: [3]).write(to: dir.appendingPathComponent("a.npy"))
        try NumPyFile.float32([1, 2, 3, 4, 5, 6], shape: [2, 3]).write(to: dir.appendingPathComponent("b.npy"))
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", """
            import numpy as np, sys
            a = np.load(sys.argv[1]); b = np.load(sys.argv[2])
            assert a.dtype == np.float64 and a.tolist() == [0.25, 1e-300, -7.0], a
            assert b.dtype == np.float32 and b.shape == (2, 3) and b[1, 2] == 6, b
            print("ok")
            """, dir.appendingPathComponent("a.npy").path, dir.appendingPathComponent("b.npy").path]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = Pipe()
        try p.run()
        p.waitUntilExit()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(p.terminationStatus == 0 && text == "ok\n", "numpy could not load the files")
    }
}
