import Foundation
import Testing
import PropertyBased
@testable import SaldoImport

/// The UTF-8 check runs over every byte of every statement, eight ASCII bytes at a time: it must
/// agree with the standard library on any input, wherever the bad byte sits relative to those words.
@Suite struct UTF8CheckTests {
    static let pieces: [[UInt8]] = [
        Array("a".utf8), Array("1234567".utf8), Array("é".utf8), Array("€".utf8), Array("😀".utf8), Array("\u{FFFD}".utf8),
        [0x80], [0xC3], [0xE2, 0x82], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xFF],
    ]

    func check(_ bytes: [UInt8]) -> Int? { bytes.withUnsafeBufferPointer { TextDecoding.firstInvalidUTF8($0) } }

    @Test func agreesWithTheStandardLibrary() async {
        await propertyCheck(count: 3000, input: Gen.int(in: 0...40), Gen.int(in: 0...Int.max)) { count, seed in
            var state = UInt64(truncatingIfNeeded: seed) | 1
            var bytes: [UInt8] = []
            for _ in 0..<count {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                let r = Int(state >> 33)
                // Mostly valid text, sometimes a broken sequence.
                let piece = r % 10 < 8 ? Self.pieces[r % 6] : Self.pieces[r % Self.pieces.count]
                bytes += piece
            }
            let valid = String(validating: bytes, as: UTF8.self) != nil
            let bad = check(bytes)
            #expect((bad == nil) == valid, "\(bytes)")
            if let b = bad {
                #expect(String(validating: bytes[..<b], as: UTF8.self) != nil, "prefix before \(b) of \(bytes)")
            }
        }
    }

    @Test func findsTheBadByteAtEveryOffsetOfAWord() {
        for offset in 0..<20 {
            var bytes = [UInt8](repeating: 0x41, count: 24)
            bytes[offset] = 0xFF
            #expect(check(bytes) == offset)
        }
        #expect(check([]) == nil)
        #expect(check(Array("plain ASCII, more than eight bytes".utf8)) == nil)
    }
}
