import Foundation
@testable import SaldoCLI
@testable import SaldoApp
import SaldoCore
@testable import SaldoStore
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

/// `profiles check` in Spanish, every line: the workbook and sheet lines of a spreadsheet, the
/// MT940, MT942 and QIF claims, a problem with the file itself.
@Suite struct SpanishProfileCheckTests {
    @Test(arguments: ["xlsx/features.xlsx", "xlsx/date1904.xlsx", "statements/qif/saldo-qif-ccard-mdy-apostrophe-years.qif",
                      "statements/mt942/wolph-mbank-mt942-pl-interim-90d-90c.sta", "statements/mt940/wolph-asnb-mt940-nl-swift-blocks-daily.sta",
                      "xlsx/hostile/truncated.xlsx"])
    func everyExplanationLineIsSpanish(_ fixture: String) {
        let path = Fixtures.url(fixture).path
        let es = SaldoCLI.capture(["--lang", "es", "profiles", "check", path]).out.components(separatedBy: "\n")
        let en = SaldoCLI.capture(["profiles", "check", path], environment: ["LANG": "C.UTF-8"]).out.components(separatedBy: "\n")
        #expect(es.count == en.count && es.count > 2, "\(es)")
        for (s, e) in zip(es, en) where !e.isEmpty {
            #expect(s != e, "\(fixture): this line stays English: \(s)")
        }
    }

    @Test func aWorkbooksLinesReadSpanishWithItsSheetNamesAsWritten() {
        let es = SaldoCLI.capture(["--lang", "es", "profiles", "check", Fixtures.url("xlsx/features.xlsx").path]).out
        #expect(es.contains("  libro de Excel (.xlsx), sistema de fechas 1900; hojas: \"Notes\" (oculta), \"Data sheet\"\n"), "\(es)")
        #expect(es.contains("  se lee la hoja \"Data sheet\" (la primera hoja visible"))
        #expect(es.contains("  importes: celdas numéricas (no hay marca decimal que deducir); fechas: las celdas de fecha se leen como fechas\n"))
    }
}

/// `saldo bench` tells its results in the reader's language; numbers as the language writes them.
@Suite struct SpanishBenchTests {
    @Test func theLedgerBenchmarkSpeaksSpanish() {
        let es = SaldoCLI.capture(["--lang", "es", "bench", "ledger", "--transactions", "1200"])
        #expect(es.status == 0)
        let lines = es.out.split(separator: "\n").map(String.init)
        #expect(lines.count == 2, "\(es.out)")
        #expect(lines.first?.range(of: #"^generados 1\.200 movimientos en \d+,\d\d s$"#, options: .regularExpression) != nil, "\(es.out)")
        #expect(lines.last?.range(of: #"^anotados 1\.200 nuevos en \d+,\d\d s \([\d.]+ movimientos/s\)$"#, options: .regularExpression) != nil, "\(es.out)")
        let en = SaldoCLI.capture(["bench", "ledger", "--transactions", "1200"], environment: ["LANG": "C.UTF-8"])
        #expect(en.out.range(of: #"^generated 1200 transactions in \d+\.\d\d s\nrecorded 1200 new in \d+\.\d\d s \(\d+ transactions/s\)\n$"#, options: .regularExpression) != nil, "\(en.out)")
    }

    @Test func theImportBenchmarkSpeaksSpanish() {
        let file = Demo.folder!.appendingPathComponent("paypal-activity-2025-2026.csv").path
        let es = SaldoCLI.capture(["--lang", "es", "bench", "import", file])
        #expect(es.status == 0, "\(es.err)")
        let lines = es.out.split(separator: "\n").map(String.init)
        #expect(lines.count == 6, "\(es.out)")
        #expect(lines[0].range(of: #"^\d+ filas, \d+ movimientos \(paypal-activity\)$"#, options: .regularExpression) != nil, "\(es.out)")
        #expect(lines[1].hasPrefix("solo leer y anotar:") && lines[1].contains("descodificar "), "\(es.out)")
        #expect(lines[2].hasPrefix("importar a un libro nuevo:"))
        #expect(lines[5].hasPrefix("  cronología: ") && lines[5].contains("confirmado "), "\(es.out)")
        for english in ["rows", "transactions", "read and book", "thread", "waited", "timeline", "decode", "committed"] {
            #expect(!es.out.contains(english), "\(english): \(es.out)")
        }
        let en = SaldoCLI.capture(["bench", "import", file], environment: ["LANG": "C.UTF-8"]).out
        #expect(en.contains("read and book only:") && en.contains("  timeline: ") && en.contains("decode "), "\(en)")
    }

    /// A format read in one step (QIF) has no timed steps: the line ends with its seconds, not "()".
    @Test func aFormatWithoutStepsPrintsNoEmptyBrackets() throws {
        let file = Fixtures.url("statements/qif/saldo-qif-bank-dmy-comma-thousands.qif").path
        let run = SaldoCLI.capture(["bench", "import", file], environment: ["LANG": "C.UTF-8"])
        #expect(run.status == 0, "\(run.err)")
        let line = try #require(run.out.split(separator: "\n").first { $0.hasPrefix("read and book only:") })
        #expect(line.range(of: #"^read and book only: +\d+\.\d\d s$"#, options: .regularExpression) != nil, "\(line)")
    }
}

/// What the operating system or SQLite reported, with real failures: the sentence around it, the
/// reason and the hint in Spanish; English as it was.
@Suite struct SpanishSystemFailureTests {
    let es = Catalog.shipped(.es)

    func importProblem(_ url: URL) throws -> Diagnostic {
        let store = try SQLiteLedgerStore(inMemory: ())
        return try #require(FileImporter(store: store).importFile(url).problems.first)
    }

    @Test func aMissingFileIsSaidInSpanish() throws {
        let missing = Fixtures.temporaryDirectory().appendingPathComponent("no-such-statement.csv")
        let d = try importProblem(missing)
        #expect(d.description.contains("cannot read the file: no such file or directory"), "\(d.description)")
        #expect(d.text(in: es).hasSuffix("no se puede leer el fichero: no existe ese fichero ni esa carpeta [file.read]\n  sugerencia: comprueba que existe y que puedes leerlo"), "\(d.text(in: es))")
    }

    @Test func aFolderGivenAsAFileIsSaidInSpanish() throws {
        let folder = Fixtures.temporaryDirectory()
        let d = try importProblem(folder)
        #expect(d.description.contains("cannot read the file: it is a folder"), "\(d.description)")
        #expect(d.text(in: es).contains("no se puede leer el fichero: es una carpeta [file.read]"), "\(d.text(in: es))")
        // A folder as the ledger.
        let r = SaldoCLI.capture(["--lang", "es", "report", "monthly", "--ledger", folder.path])
        #expect(r.status == 1)
        #expect(r.err == "error: no se puede abrir el libro \(folder.path): es una carpeta, no un fichero de libro\n", "\(r.err)")
    }

    @Test func aFileThatIsNotALedgerIsSaidInSpanish() throws {
        let path = Fixtures.temporaryDirectory().appendingPathComponent("notes.sqlite").path
        try "these are notes, not a ledger\n".write(toFile: path, atomically: true, encoding: .utf8)
        let r = SaldoCLI.capture(["--lang", "es", "report", "monthly", "--ledger", path])
        #expect(r.status == 1)
        #expect(r.err == "error: no se puede abrir el libro \(path): el fichero no es un libro de Saldo (no es una base de datos SQLite)\n", "\(r.err)")
        let en = SaldoCLI.capture(["report", "monthly", "--ledger", path], environment: ["LANG": "C.UTF-8"])
        #expect(en.err == "error: cannot open the ledger \(path): the file is not a Saldo ledger (not an SQLite database)\n", "\(en.err)")
    }

    /// SQLite refusing to write (SQLITE_READONLY, as for a read-only file; the tests may run as
    /// root, for whom file permissions do not hold, so the connection is made read-only).
    @Test func aReadOnlyLedgerIsSaidInSpanish() throws {
        let path = Fixtures.temporaryDirectory().appendingPathComponent("ro.sqlite").path
        let store = try SQLiteLedgerStore(path: path)
        try store.executeOutsideTransaction("PRAGMA query_only = 1")
        var thrown: StoreError?
        do { _ = try store.record(ImportRecord(fileName: "a.csv", sha256: "0", format: "t", transactions: [])) } catch { thrown = error }
        let error = try #require(thrown, "the read-only ledger took the write")
        #expect(error.description == "the ledger could not be updated: the file is read-only; nothing was changed", "\(error)")
        // As an import's problem (the importer's code for a failed write), and as the command line says it.
        let d = Diagnostic.error("ledger.write", error.description, at: SourceLocation(file: "a.csv"))
        #expect(d.text(in: es) == "a.csv: no se pudo actualizar el libro: el fichero es de solo lectura; no se cambió nada [ledger.write]", "\(d.text(in: es))")
        #expect(es.translating(error.description, keyPrefix: "error.") == "no se pudo actualizar el libro: el fichero es de solo lectura; no se cambió nada")
    }

    /// Every common errno has its own text in both languages; anything else keeps the system's words as a detail.
    @Test func commonSystemErrorsHaveCatalogTexts() {
        for code in [ENOENT, EACCES, EPERM, EISDIR, ENOTDIR, ENOSPC, EROFS, EIO, EMFILE, ENAMETOOLONG] {
            let english = SystemFailure.reason(errno: code)
            let t = Catalog.recognize(english, keyPrefix: "os.")
            #expect(t != nil && t?.key != "os.other", "\(code): \(english)")
            let spanish = es.localizing(["reason": english])["reason"]
            #expect(spanish != english, "\(code): \(english)")
        }
        let other = SystemFailure.reason(errno: EXDEV)
        #expect(other.hasPrefix("the system reported: "))
        #expect(es.localizing(["reason": other])["reason"]?.hasPrefix("el sistema ha dicho: ") == true)
    }
}

/// `profiles list` in Spanish: every built-in profile's title from the catalog (`profile.title.<name>`),
/// whose English text is the profile's own title, so a title changed in one place only shows.
@Suite struct SpanishProfileListTests {
    @Test func everyBuiltInTitleIsSpanish() {
        let es = SaldoCLI.capture(["--lang", "es", "profiles", "list"]).out.split(separator: "\n").map(String.init)
        let en = SaldoCLI.capture(["profiles", "list"], environment: ["LANG": "C.UTF-8"]).out.split(separator: "\n").map(String.init)
        #expect(es.count == en.count && es.count >= 19, "\(es)")
        let english = Catalog.shipped(.en).entries
        for (s, e) in zip(es, en) {
            let name = String(e.prefix { $0 != " " })
            let title = e.dropFirst(name.count).trimmingCharacters(in: .whitespaces)
            #expect(english["profile.title.\(name)"] == title, "\(name): the catalog's English title is not the profile's: \(title)")
            if name != "qif" { #expect(s != e, "\(name): the title stays English: \(s)") }
        }
    }
}

/// A tax profile that does not decode is said in Saldo's words (it was the decoder's English).
@Suite struct SpanishDecodingErrorTests {
    struct Profile: Decodable { var jurisdiction: String; var filing_status: String }

    func reason(_ json: String) -> String {
        do { _ = try JSONDecoder().decode(Profile.self, from: Data(json.utf8)); return "" } catch { return describeDecoding(error) }
    }

    @Test func decodingProblemsReadSpanish() {
        let es = Catalog.shipped(.es)
        let wrongType = reason(#"{"jurisdiction": 5, "filing_status": "single"}"#)
        #expect(wrongType == "expected a text, found another kind of value at jurisdiction", "\(wrongType)")
        let message = "perfil.json: not a valid tax profile: " + wrongType
        #expect(es.translating(message, keyPrefix: "error.") == "perfil.json: no es un perfil fiscal válido: se esperaba un texto, se encontró otro tipo de valor en jurisdiction",
                "\(es.translating(message, keyPrefix: "error."))")
        let missing = reason(#"{"jurisdiction": "ES"}"#)
        #expect(missing == #"missing key "filing_status""#, "\(missing)")
        #expect(es.translating("perfil.json: not a valid tax profile: " + missing, keyPrefix: "error.").hasSuffix(#"falta la clave "filing_status""#))
    }
}
