import SaldoCore
import Testing
@testable import SaldoImport

/// The fingerprint key's description normalisation: the ASCII byte path must give exactly what the
/// Unicode path gives, or stored dedup keys would change between versions.
@Suite struct NormalizeForKeyTests {
    /// Pieces the random strings are built from: ASCII (every control byte, `|`, both cases), Latin-1,
    /// no-break and other Unicode spaces, combining marks (also after a space or `|`), emoji with
    /// modifiers and joiners, `\r\n`, and letters whose lowercase differs in length.
    static let alphabet: [String] = {
        var a = (0..<128).map { String(UnicodeScalar(UInt8($0))) }
        a += ["é", "É", "ß", "ñ", "Ñ", "Ø", "ÿ", "\u{00A0}", "\u{0085}", "\u{2007}", "\u{202F}", "\u{3000}", "\u{2028}",
              "\u{0301}", "\u{0308}", " \u{0301}", "|\u{0301}", "\r\n", "\u{1F600}", "\u{1F44D}\u{1F3FD}", "\u{1F468}\u{200D}\u{1F469}",
              "İ", "Σ", "ǅ", "\u{FEFF}", "\u{200B}"]
        return a
    }()

    @Test func asciiPathEqualsTheUnicodePathOnRandomStrings() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ n: Int) -> Int { state ^= state << 13; state ^= state >> 7; state ^= state << 17; return Int(state % UInt64(n)) }
        var asciiSeen = 0, otherSeen = 0
        for round in 0..<20_000 {
            // Half the strings are ASCII only (the fast path), half may hold anything.
            let pool = round % 2 == 0 ? 128 : Self.alphabet.count
            let s = (0..<next(24)).map { _ in Self.alphabet[next(pool)] }.joined()
            let fast = Booker.normalizeForKey(s), exact = Booker.normalizeForKeyUnicode(s)
            #expect(fast == exact, "\(Array(s.unicodeScalars.map(\.value)))")
            if s.utf8.allSatisfy({ $0 < 0x80 }) { asciiSeen += 1 } else { otherSeen += 1 }
        }
        #expect(asciiSeen > 5_000 && otherSeen > 5_000)
    }

    @Test func examplesOfTheNormalisation() {
        #expect(Booker.normalizeForKey("  Coffee |\tSHOP\r\n 42  ") == "coffee shop 42")
        #expect(Booker.normalizeForKey("Café\u{00A0}CRÈME") == "café crème")
        #expect(Booker.normalizeForKey("") == "")
        #expect(Booker.normalizeForKey("|| \u{0B}\u{0C}") == "")
        // 0x1C-0x1F are not Unicode white space: kept.
        #expect(Booker.normalizeForKey("a\u{1F}b") == "a\u{1F}b")
    }

    /// The amount in the key is written digit by digit; it must read as `ExactDecimal.description`.
    @Test func decimalWriterEqualsExactDecimalDescription() {
        var state: UInt64 = 0x1234_5678_9ABC_DEF1
        func next() -> UInt64 { state ^= state << 13; state ^= state >> 7; state ^= state << 17; return state }
        var values: [Int64] = [0, 1, -1, 5, -5, 10, 99, -100, 12345, Int64.max, Int64.min, Int64.min + 1]
        for _ in 0..<5_000 { values.append(Int64(bitPattern: next()) >> Int64(next() % 64)) }
        for v in values {
            for scale in [0, 1, 2, 3, 4, 8, 19, 25] {
                let written = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 64) { buf in
                    String(decoding: UnsafeBufferPointer(rebasing: buf[0..<Booker.decimal(v, scale: scale, into: buf)]), as: UTF8.self)
                }
                #expect(written == ExactDecimal(significand: Int128(v), scale: scale).description, "\(v) scale \(scale)")
            }
        }
    }

    /// The payer named by a description, now lowercased once instead of once per prefix.
    @Test func payerFromDescriptionKeepsItsPrefixes() {
        #expect(Booker.payerFromDescription("PAGO DE Ana García — factura 7") == "Ana García")
        #expect(Booker.payerFromDescription("Received money from Bob Ltd with reference INV-9") == "Bob Ltd")
        #expect(Booker.payerFromDescription("payment FROM  Carla ") == "Carla")
        #expect(Booker.payerFromDescription("Zahlung von Müller GmbH") == "Müller GmbH")
        #expect(Booker.payerFromDescription("PAGO TARJETA ADOBE") == nil)
        #expect(Booker.payerFromDescription("Pago de ") == nil)
        #expect(Booker.payerFromDescription("TRANSFERENCIA DE ACME") == nil)
    }
}
