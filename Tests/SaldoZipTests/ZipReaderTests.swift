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
