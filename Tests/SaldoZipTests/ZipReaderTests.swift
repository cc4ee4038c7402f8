import Foundation
import SaldoTestSupport
import SaldoZip
import Testing

@Suite struct ZipReaderTests {
    static func fixture(_ p: String) throws -> Data { try Fixtures.data(p) }

    @Test func readsAWorkbooksEntries() throws {
        var z = try ZipReader(data: try Self.fixture("statements/xlsx/dnb-mastercard.xlsx"))
        #expect(z.contains("xl/workbook.xml"))
        #expect(z.entries.count == 9)
        let wb = try z.data(of: "xl/workbook.xml")
        #expect(String(decoding: wb, as: UTF8.self).contains("transaksjonsliste"))
        #expect(throws: ZipError.missingEntry("nope.xml")) { try z.data(of: "nope.xml") }
    }

    @Test func limitsOnEntriesSizeAndRatio() throws {
        let data = try Self.fixture("xlsx/hostile/many-entries.xlsx")
        #expect(throws: ZipError.tooManyEntries(found: 12007, limit: 10_000)) { try ZipReader(data: data) }
        #expect(throws: ZipError.tooManyEntries(found: 12007, limit: 50)) { try ZipReader(data: data, limits: ZipLimits(maxEntries: 50)) }
        var small = try ZipReader(data: try Self.fixture("statements/xlsx/dnb-mastercard.xlsx"), limits: ZipLimits(maxEntryBytes: 1000))
        #expect(throws: ZipError.tooLarge(entry: "xl/worksheets/sheet1.xml", bytes: 2234, limit: 1000)) { try small.data(of: "xl/worksheets/sheet1.xml") }
        var ratio = try ZipReader(data: try Self.fixture("statements/xlsx/dnb-mastercard.xlsx"), limits: ZipLimits(maxRatio: 2, ratioFloorBytes: 0))
        #expect(throws: ZipError.self) { try ratio.data(of: "xl/theme/theme1.xml") }
        // The declared size lies: inflation stops just past it.
        var lie = try ZipReader(data: try Self.fixture("xlsx/hostile/bomb-declared-small.xlsx"))
        #expect(throws: ZipError.damaged("xl/worksheets/sheet1.xml inflates to more than the 2048 bytes its directory entry declares")) {
            try lie.data(of: "xl/worksheets/sheet1.xml")
        }
    }

    @Test func unsafeNamesAreRefused() throws {
        for (f, name) in [("name-traversal", "../../evil.xml"), ("name-absolute", "/etc/evil.xml"), ("name-backslash", "xl\\..\\..\\evil.xml")] {
            #expect(throws: ZipError.unsafeName(name)) { try ZipReader(data: try Self.fixture("xlsx/hostile/\(f).xlsx")) }
        }
    }

    @Test func notAZipAndCutShort() throws {
        #expect(throws: ZipError.notAZip) { try ZipReader(data: Data("Date,Amount\n".utf8)) }
        #expect(throws: ZipError.notAZip) { try ZipReader(data: Data()) }
        let whole = try Self.fixture("statements/xlsx/dnb-mastercard.xlsx")
        for n in [4, 30, whole.count / 2, whole.count - 1] {
            #expect(throws: ZipError.self) { try ZipReader.files(whole.prefix(n)) }
        }
    }

    /// ZIPFoundation 0.9.20 traps (`Range requires lowerBound <= upperBound` in
    /// `Archive.MemoryFile.readData`) when a damaged offset makes it read past the end; the
    /// preflight refuses those archives first. Every byte flipped four ways: errors, never a trap.
    @Test func everyFlippedByteIsAnErrorNotATrap() throws {
        let d = try Self.fixture("xlsx/date1904.xlsx")
        var refused = 0
        for i in 0..<d.count {
            for x: UInt8 in [0x5A, 0xFF, 0x01, 0x80] {
                var bad = d
                bad[i] ^= x
                if (try? ZipReader.files(bad)) == nil { refused += 1 }
            }
        }
        #expect(refused > d.count)
    }
}

/// The zip checksum computed by SaldoZip (eight bytes at a time) and its check on every entry.
@Suite struct ZipChecksumTests {
    @Test func knownValuesAndChunkingDoNotMatter() {
        #expect(ZipCRC32.checksum(UnsafeRawBufferPointer(start: nil, count: 0)) == 0)
        #expect(Array("123456789".utf8).withUnsafeBytes { ZipCRC32.checksum($0) } == 0xCBF4_3926)
        #expect(Array("The quick brown fox jumps over the lazy dog".utf8).withUnsafeBytes { ZipCRC32.checksum($0) } == 0x414F_A339)
        // Any split into chunks gives the checksum of the whole.
        var state: UInt64 = 0x0DDB_1A5E_5BAD_5EED
        func next(_ n: Int) -> Int { state ^= state << 13; state ^= state >> 7; state ^= state << 17; return Int(state % UInt64(n)) }
        let bytes = (0..<5000).map { _ in UInt8(next(256)) }
        let whole = bytes.withUnsafeBytes { ZipCRC32.checksum($0) }
        for _ in 0..<50 {
            var c = ZipCRC32(), i = 0
            while i < bytes.count { let k = min(bytes.count - i, 1 + next(37)); bytes[i..<(i + k)].withUnsafeBytes { c.update($0) }; i += k }
            #expect(c.value == whole)
        }
    }

    /// A stored checksum that does not match the inflated bytes is reported, not ignored.
    @Test func aWrongChecksumIsDamage() throws {
        var bytes = [UInt8](try Fixtures.data("xlsx/features.xlsx"))
        // The first local header's CRC-32 (offset 14) and the central directory's copy of it.
        let name = Array("xl/worksheets/sheet1.xml".utf8)
        #expect(bytes[0..<4] == [0x50, 0x4B, 0x03, 0x04])
        let crc = Array(bytes[14..<18])
        bytes[14] ^= 0xFF
        var found = false
        for i in 0..<(bytes.count - 46) where bytes[i] == 0x50 && bytes[i + 1] == 0x4B && bytes[i + 2] == 0x01 && bytes[i + 3] == 0x02 {
            if Array(bytes[(i + 46)..<(i + 46 + name.count)]) == name && Array(bytes[(i + 16)..<(i + 20)]) == crc { bytes[i + 16] ^= 0xFF; found = true }
        }
        #expect(found)
        var z = try ZipReader(data: Data(bytes))
        #expect(throws: ZipError.damaged("the checksum of xl/worksheets/sheet1.xml does not match")) { try z.data(of: "xl/worksheets/sheet1.xml") }
        var ok = try ZipReader(data: Data(bytes))
        #expect(throws: Never.self) { try ok.data(of: "xl/workbook.xml") }
    }
}
