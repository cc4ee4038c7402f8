import Foundation
@testable import SaldoCLI
import SaldoCore
import SaldoTestSupport
import Testing

/// The last English fragments inside Spanish output (issue #15): what a bank format's field was
/// expected to hold, the fields Saldo names itself, the benchmark's lines, the profile check,
/// the operating system's and SQLite's failures.
@Suite struct SpanishExpectationTests {
    /// Each bank reader's field-error helper, its diagnostic code, and how to find the
    /// expectation (the English text that says what the field should hold) in its calls.
    static let raiseSites: [(file: String, code: String, message: String, pattern: String)] = [
        ("Norma43/Norma43Reader.swift", "n43.field", "expected {e}, found \"x\"", #"bad\(ln, \d+, "[^"]*", "((?:[^"\\]|\\.)*)""#),
        ("MT940/MT940Reader.swift", "mt940.entry", "expected {e}, found \"x\"", #"fail\([^,]+, "[^"]*", "((?:[^"\\]|\\.)*)""#),
        ("OFX/OFXReader.swift", "ofx.field", "transaction: expected {e}, found \"x\"", #"bad\("[^"]*", "((?:[^"\\]|\\.)*)""#),
        ("Camt/CamtReader.swift", "camt.field", "entry: expected {e}, found \"x\"", #"bad\("[^"]*", "((?:[^"\\]|\\.)*)""#),
    ]

    /// The expectations written at every raise site, read from the readers' sources so a new
    /// one written in English only makes this fail.
    static func expectations() throws -> [(code: String, message: String, expected: String)] {
        var out: [(String, String, String)] = []
        for site in raiseSites {
            let source = try String(contentsOf: Fixtures.root.appendingPathComponent("Sources/SaldoImport/" + site.file), encoding: .utf8)
            let regex = try NSRegularExpression(pattern: site.pattern)
            for m in regex.matches(in: source, range: NSRange(source.startIndex..., in: source)) {
                let raw = String(source[Range(m.range(at: 1), in: source)!]).replacingOccurrences(of: "\\\"", with: "\"")
                out.append((site.code, site.message, raw))
            }
        }
        return out
    }

    @Test func everyRaiseSitesExpectationReadsSpanish() throws {
        let found = try Self.expectations()
        // 5 Norma 43 calls, 4 MT940, 4 OFX, 3 camt: the scan itself must see them.
        #expect(found.count >= 16, "the scan found only \(found.map(\.expected))")
        let es = Catalog.shipped(.es)
        for (code, template, expected) in found {
            let message = template.replacingOccurrences(of: "{e}", with: expected)
            // As the readers raise it (with its arguments) and read back from the English message alone.
            let withArguments = Diagnostic.error(code, message, at: SourceLocation(file: "f", line: 2), arguments: ["expected": expected, "found": "x"])
            var bare = withArguments
            bare.arguments = [:]
            for d in [withArguments, bare] {
                let spanish = d.text(in: es), english = d.text(in: .shipped(.en))
                #expect(english.contains(expected))
                #expect(!spanish.contains(expected), "\(code): the expectation stays English: \(spanish)")
                #expect(spanish.contains("se esperaba "), "\(code): \(spanish)")
                #expect(Catalog.recognize(expected, keyPrefix: "expected.") != nil, "no expected.* text for \(expected)")
            }
        }
    }

    @Test func aDamagedNorma43FileIsExplainedInSpanishWhole() throws {
        let good = "11" + "2100" + "0418" + "4500001234" + "260101" + "260131" + "2" + String(repeating: "0", count: 10) + "1000" + "978" + "3" + "LUCIA GARCIA".padding(toLength: 26, withPad: " ", startingAt: 0) + "   "
        let move = "22" + "    " + "0418" + "26AB01" + "260102" + "02" + "000" + "2" + "00000000012345" + "0000000000" + "000000000000" + String(repeating: " ", count: 16)
        #expect(good.count == 80 && move.count == 80, "\(good.count) \(move.count)")
        let path = Fixtures.temporaryDirectory().appendingPathComponent("damaged.n43").path
        try ([good, move, "88" + String(repeating: "9", count: 18) + String(repeating: " ", count: 60)].joined(separator: "\r\n") + "\r\n").write(toFile: path, atomically: true, encoding: .utf8)
        let ledger = Fixtures.temporaryDirectory().appendingPathComponent("n43.sqlite").path
        let es = SaldoCLI.capture(["--lang", "es", "import", "--dry-run", "--ledger", ledger, path])
        let en = SaldoCLI.capture(["import", "--dry-run", "--ledger", ledger, path], environment: ["LANG": "C.UTF-8"])
        #expect(en.out.contains("damaged.n43:2:11 (operation date): expected a date YYMMDD, found \"26AB01\""), "\(en.out)")
        #expect(es.out.contains("damaged.n43:2:11 (fecha de operación): se esperaba una fecha AAMMDD, se encontró \"26AB01\" [n43.field]"), "\(es.out)")
        #expect(es.status == en.status)
    }

    /// A file's own column names are not Saldo's words: they stay as the file writes them.
    @Test func aFilesOwnColumnNameIsNotTranslated() {
        let csv = Diagnostic.error("csv.amount", "expected an amount, found \"x\"", at: SourceLocation(file: "s.csv", line: 3, column: 2, field: "amount"))
        #expect(csv.text(in: .shipped(.es)).hasPrefix("s.csv:3:2 (amount): "))
        let n43 = Diagnostic.error("n43.field", "expected 14 digits, found \"x\"", at: SourceLocation(file: "s.n43", line: 3, column: 29, field: "amount"))
        #expect(n43.text(in: .shipped(.es)).hasPrefix("s.n43:3:29 (importe): se esperaba 14 dígitos"))
    }
}
