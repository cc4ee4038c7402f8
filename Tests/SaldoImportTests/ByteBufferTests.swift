import Foundation
import Testing
import SaldoTestSupport
@testable import SaldoImport

/// `ByteBuffer` takes the address of its bytes once; it must stay valid for every way a
/// buffer is made and for as long as the buffer lives.
@Suite struct ByteBufferTests {
    static func made(_ n: Int, slice: Bool) -> ByteBuffer {
        // The Data goes out of scope here: only the buffer keeps the bytes.
        let bytes = (0..<n).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let data = slice ? Data([0xAA, 0xBB] + bytes).dropFirst(2) : Data(bytes)
        return ByteBuffer(data)
    }

    @Test func bytesOutliveTheData() {
        for n in [0, 1, 14, 15, 64, 65, 4096, 1 << 20] {
            for slice in [false, true] {
                let b = Self.made(n, slice: slice)
                let expected = (0..<n).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
                #expect(b.count == n)
                #expect(b.withUnsafeBufferPointer { Array($0) } == expected, "\(n) bytes, slice \(slice)")
                // Copies share the bytes and keep them alive.
                let copy = b
                #expect(copy.withUnsafeBufferPointer { Array($0) } == expected)
            }
        }
    }

    @Test func mappedFileReadsInPlace() throws {
        let url = Fixtures.temporaryDirectory().appendingPathComponent("mapped.csv")
        let text = String(repeating: "Date,Amount\n2026-01-02,1.00\n", count: 1000)
        try Data(text.utf8).write(to: url)
        let b = ByteBuffer(try Data(contentsOf: url, options: .alwaysMapped))
        #expect(b.withUnsafeBufferPointer { String(decoding: $0, as: UTF8.self) } == text)
    }
}
