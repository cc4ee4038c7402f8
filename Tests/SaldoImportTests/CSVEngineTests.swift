import Foundation
import Testing
import PropertyBased
import SaldoCore
import SaldoTestSupport
@testable import SaldoImport

@Suite struct CSVEngineTests {
    func records(_ text: String, delimiter: UInt8 = 0x2C) throws -> (CSVTokenizer, [CSVRecord]) {
        let t0 = CSVTokenizer(bytes: Array(text.utf8), delimiter: delimiter)
        var t = t0
        var out: [CSVRecord] = []
        var r = CSVRecord()
        while try t.next(into: &r) { out.append(r) }
        return (t0, out)
    }

    @Test func quotingNewlinesAndPositions() throws {
        let text = "a,b,c\r\n\"x, y\",\"he said \"\"hi\"\"\",\"two\nlines\"\r\nlast,,\n"
        let (t, recs) = try records(text)
        #expect(recs.count == 3)
        #expect(recs[1].fields.map(t.text) == ["x, y", "he said \"hi\"", "two\nlines"])
        #expect(recs[1].line == 2)
        #expect(recs[2].line == 4)          // the record after a quoted newline starts on line 4
        #expect(recs[2].fields.map(t.text) == ["last", "", ""])   // trailing empty columns kept
        #expect(recs[1].fields[2].line == 2)
    }

    @Test func spacedHeaderAndTrailingComma() throws {
        let (t, recs) = try records("Date, Time, Name,\n\"1/2/2016\", \"10:00\",\"X\",\n")
        #expect(recs[0].fields.map { t.trimmedText($0) } == ["Date", "Time", "Name", ""])
        #expect(recs[1].fields.map(t.text) == ["1/2/2016", "10:00", "X", ""])
    }

    @Test func sniffsDelimiters() {
        #expect(CSVTokenizer.sniffDelimiter(Array("a;b;c\n1;2,5;3\n4;5;6\n".utf8)) == 0x3B)
        #expect(CSVTokenizer.sniffDelimiter(Array("a\tb\tc\n1\t2\t3\n".utf8)) == 0x09)
        #expect(CSVTokenizer.sniffDelimiter(Array("a|b|c\n1|2|3\n".utf8)) == 0x7C)
        #expect(CSVTokenizer.sniffDelimiter(Array("Title line\n\na,b,\"c;d\"\n1,2,3\n".utf8)) == 0x2C)
    }

    @Test func unterminatedQuoteIsAnError() throws {
        var t = CSVTokenizer(bytes: Array("a,b\n\"open,1\n2,3\n".utf8), delimiter: 0x2C)
        var r = CSVRecord()
        _ = try t.next(into: &r)
        #expect(throws: CSVSyntaxError.self) { _ = try t.next(into: &r) }
    }

    @Test func encodings() throws {
        let text = "Währung,Betrag\nEUR,\"1,00\"\n"
        func decode(_ d: Data) throws -> (String, TextEncoding) {
            let r = try TextDecoding.decode(d, file: "f").get()
            return (String(decoding: r.bytes.array, as: UTF8.self), r.encoding)
        }
        #expect(try decode(Data(text.utf8)) == (text, .utf8))
        #expect(try decode(Data([0xEF, 0xBB, 0xBF] + Array(text.utf8))) == (text, .utf8BOM))
        var le = Data([0xFF, 0xFE]); for u in text.utf16 { le.append(UInt8(u & 0xFF)); le.append(UInt8(u >> 8)) }
        #expect(try decode(le) == (text, .utf16LE))
        var be = Data([0xFE, 0xFF]); for u in text.utf16 { be.append(UInt8(u >> 8)); be.append(UInt8(u & 0xFF)) }
        #expect(try decode(be) == (text, .utf16BE))
        let latin1 = Data(text.unicodeScalars.map { UInt8($0.value) })
        #expect(try decode(latin1) == (text, .windows1252))
        #expect(try decode(Data([0x80, 0x20, 0x41])).0 == "€ A")   // 0x80 is the euro sign in Windows-1252
    }

    @Test func headerNormalisation() {
        #expect(HeaderText.normalize("\u{FEFF}Bruto ") == "bruto")
        #expect(HeaderText.normalize("  Währung") == "wahrung")
        #expect(HeaderText.normalize("Id. de  transacción") == "id. de transaccion")
        // Asked again (from the cache of folded names), the same answer.
        #expect(HeaderText.normalize("Id. de  transacción") == "id. de transaccion")
    }

    /// The ASCII fast path gives exactly what lower-casing and folding give, on random ASCII text
    /// (spaces, tabs, line breaks, quotes, upper and lower case, punctuation).
    @Test func headerNormalisationFastPathAgreesWithFolding() {
        var g = SplitMix(state: 17)
        let alphabet = Array(" \t\n\r\u{0B}\u{0C}\"AZaz09.-_/()#'Ee".unicodeScalars)
        for _ in 0..<5_000 {
            let n = Int.random(in: 0...14, using: &g)
            let s = String(String.UnicodeScalarView((0..<n).map { _ in alphabet.randomElement(using: &g)! }))
            #expect(HeaderText.normalize(s) == HeaderText.folded(s), "\(s.debugDescription)")
        }
    }

    @Test func datesInferredOncePerFile() {
        func parts(_ s: String) -> DateParts? { Array(s.utf8).withUnsafeBufferPointer { DateText.split($0, 0, $0.count) } }
        #expect(parts("13/7/2025").map { DateText.day($0, order: .dmy) } == Day(year: 2025, month: 7, day: 13))
        #expect(parts("Sep 8, 2026").map { DateText.day($0, order: .dmy) } == Day(year: 2026, month: 9, day: 8))
        #expect(parts("05 Jul, 2024").map { DateText.day($0, order: .mdy) } == Day(year: 2024, month: 7, day: 5))
        #expect(parts("2024-04-12 14:00:47")?.seconds == 14 * 3600 + 47)
        #expect(parts("24-08-2020 13:43:54.496").map { DateText.day($0, order: .dmy) } == Day(year: 2020, month: 8, day: 24))
        #expect(parts("4/6/26").map { DateText.day($0, order: .mdy) } == Day(year: 2026, month: 4, day: 6))
        #expect(DateConvention.parseOption("dd.mm.yyyy")?.order == .dmy)
        #expect(DateConvention.parseOption("mm/dd/yyyy")?.order == .mdy)
        #expect(DateConvention.parseOption("nonsense") == nil)
    }

    /// The byte-level amount reader agrees with SaldoCore's `AmountText` wherever it answers.
    @Test func fastAmountsAgreeWithAmountText() async {
        let chars: [Character] = ["0", "1", "2", "5", "9", ".", ",", "-", " ", "(", ")", "0", "3"]
        let gen = Gen.int(in: 0..<chars.count).array(of: 1...12)
        await propertyCheck(count: 600, input: gen, Gen.bool) { idx, comma in
            let text = String(idx.map { chars[$0] })
            let notation: NumberNotation = comma ? .comma : .point
            let fast = FastAmount(notation: notation)
            let out = Array(text.utf8).withUnsafeBufferPointer { fast.parse($0, 0, $0.count, exponent: 2) }
            let slow = (try? AmountText.parse(text, notation: notation)).flatMap { try? Money($0, currency: .EUR) }
            switch out {
            case .value(let v): #expect(slow?.minorUnits == v, "\(text) \(notation): fast \(v), AmountText \(String(describing: slow))")
            case .empty: #expect(text.trimmingCharacters(in: .whitespaces).isEmpty)
            case .tooManyDecimals, .overflow, .fallback: break   // handed to AmountText by the reader
            }
        }
    }

    @Test func fastAmountShapes() {
        let fast = FastAmount(notation: .comma)
        func p(_ s: String) -> FastAmount.Outcome { Array(s.utf8).withUnsafeBufferPointer { fast.parse($0, 0, $0.count, exponent: 2) } }
        #expect(p("-4.000,00") == .value(-400000))
        #expect(p("(12,5)") == .value(-1250))
        #expect(p("12,00-") == .value(-1200))
        #expect(p("1,001") == .tooManyDecimals)
        #expect(p("1.234,5O") == .fallback)
        #expect(p("€ 3,00") == .fallback)
    }
}
