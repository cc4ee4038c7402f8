import Foundation
import Testing
import SaldoCLI
import SaldoTestSupport

/// Pinned (tester, 2026-12-07): `saldo import FOLDER` read a folder's files by a list of extensions
/// that lacked `.ofx` and `.xlsx`, so a folder of OFX and Excel statements imported nothing, printed
/// nothing and exited 0; an empty folder did the same.
@Suite struct FolderImportTests {
    /// A folder of statements of every kind, a PDF beside them, and one empty folder.
    private func folder() throws -> URL {
        let dir = Fixtures.temporaryDirectory().appendingPathComponent("downloads-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for (fixture, name) in [("statements/ofx/ofxparse-ofx102-sgml-checking-usd-tabs-intu.ofx", "checking.ofx"),
                                ("statements/xlsx/santander-es-cuenta-online.xlsx", "santander.XLSX")] {
            try FileManager.default.copyItem(at: Fixtures.url(fixture), to: dir.appendingPathComponent(name))
        }
        try Data("%PDF-1.4\n".utf8).write(to: dir.appendingPathComponent("invoice-scan.pdf"))
        return dir
    }

    @Test func aFolderOfOFXAndExcelStatementsIsReadAndWhatIsLeftOutIsSaid() throws {
        let dir = try folder()
        let ledger = dir.appendingPathComponent("ledger.sqlite").path
        let r = SaldoCLI.capture(["import", dir.path, "--ledger", ledger, "--dry-run", "--lang", "en"])
        #expect(r.status == 0, "\(r.out)\(r.err)")
        #expect(r.out.contains("checking.ofx"), "\(r.out)")
        #expect(r.out.contains("santander.XLSX"), "\(r.out)")
        #expect(r.out.contains("2 files:"), "\(r.out)")
        #expect(r.err.contains("left out 1 file whose name is not that of a statement or e-invoice: \(dir.path)/invoice-scan.pdf"), "\(r.err)")
        let es = SaldoCLI.capture(["import", dir.path, "--ledger", ledger, "--dry-run", "--lang", "es"])
        #expect(es.err.contains("nota: se ha dejado fuera 1 fichero"), "\(es.err)")
    }

    @Test func aFolderWithNothingToReadIsAnError() throws {
        let dir = try folder()
        let empty = dir.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        let ledger = dir.appendingPathComponent("ledger.sqlite").path
        let r = SaldoCLI.capture(["import", empty.path, "--ledger", ledger, "--lang", "es"])
        #expect(r.status == 1)
        #expect(r.err.contains("\(empty.path): en esta carpeta no hay extractos ni facturas electrónicas"), "\(r.err)")
        #expect(r.err.contains("sugerencia: guarda ahí los extractos"), "\(r.err)")
        #expect(!FileManager.default.fileExists(atPath: ledger), "an import that reads nothing starts no ledger")
        // Beside a folder that has statements, the empty one is a note, not an error.
        let both = SaldoCLI.capture(["import", empty.path, dir.path, "--ledger", ledger, "--dry-run", "--lang", "en"])
        #expect(both.status == 0, "\(both.out)\(both.err)")
        #expect(both.err.contains("\(empty.path): no statement or invoice files in this folder"), "\(both.err)")
    }
}

/// Pinned (tester, 2026-12-07): a malformed `--period` exited 1 (the README gives 2 to wrong usage),
/// and a reversed range (`2026-06..2026-01`) was read as an empty period: "no earnings", and `export`
/// wrote a header and exited 0.
@Suite struct PeriodOptionTests {
    @Test func aMalformedOrReversedPeriodIsWrongUsageInTheUsersLanguage() throws {
        let ledger = Fixtures.temporaryDirectory().appendingPathComponent("period-\(UUID().uuidString).sqlite").path
        let csv = Fixtures.url("statements/paypal").path
        _ = SaldoCLI.capture(["import", csv, "--ledger", ledger])
        let bad = SaldoCLI.capture(["report", "monthly", "--period", "2026-13", "--ledger", ledger, "--lang", "en"])
        #expect(bad.status == 2, "\(bad.err)")
        #expect(bad.err.contains("\"2026-13\" is not a period"), "\(bad.err)")
        let reversed = SaldoCLI.capture(["export", "--period", "2026-06..2026-01", "--format", "csv", "--ledger", ledger, "--lang", "es"])
        #expect(reversed.status == 2, "\(reversed.out)\(reversed.err)")
        #expect(reversed.out.isEmpty, "\(reversed.out)")
        #expect(reversed.err.contains("«2026-06..2026-01» termina antes de empezar"), "\(reversed.err)")
    }
}

/// Pinned (tester): `profiles check` of a UBL e-invoice said "no profile reads it" and listed every CSV
/// profile's missing columns, though `import` reads it.
@Suite struct ProfilesCheckInvoiceTests {
    @Test func anEInvoiceIsClaimedByItsSpecification() {
        let file = Fixtures.url("invoices/ubl/saldo-ubl-usd-taxcurrency-eur.xml").path
        let r = SaldoCLI.capture(["profiles", "check", file, "--lang", "en"])
        #expect(r.status == 0, "\(r.out)\(r.err)")
        #expect(r.out.contains("read by Peppol BIS Billing 3.0 (UBL)"), "\(r.out)")
        #expect(!r.out.contains("missing"), "\(r.out)")
        let es = SaldoCLI.capture(["--lang", "es", "profiles", "check", file])
        #expect(es.out.contains("el documento es una factura electrónica"), "\(es.out)")
    }
}

/// Pinned (tester): English left in Spanish runs: the parser's list of accepted values, `<options>`
/// and other value names in usage lines, and a `--lang` Saldo does not speak.
@Suite struct SpanishParserTextTests {
    @Test func theParserSpeaksTheRunsLanguage() {
        let ledger = Fixtures.temporaryDirectory().appendingPathComponent("parser-\(UUID().uuidString).sqlite").path
        let bad = SaldoCLI.capture(["--lang", "es", "config", "get", "nope", "--ledger", ledger])
        #expect(bad.status == 2)
        #expect(bad.err.contains("El valor 'nope' no es válido para '<clave>'. Indica uno de estos:"), "\(bad.err)")
        let help = SaldoCLI.capture(["--lang", "es", "report", "monthly", "--help"])
        #expect(help.out.contains("saldo report monthly <opciones>") && !help.out.contains("<options>"), "\(help.out.prefix(300))")
        let link = SaldoCLI.capture(["--lang", "es", "invoices", "link", "--help"])
        #expect(link.out.contains("--seller <emisor>"), "\(link.out.prefix(400))")
        let lang = SaldoCLI.capture(["--lang", "xx", "accounts"], environment: ["LANG": "es_ES.UTF-8"])
        #expect(lang.status == 2)
        #expect(lang.err.contains("Saldo no habla este idioma"), "\(lang.err)")
    }
}

/// Pinned (web tester): a tax year Saldo ships no rules for showed "es-2030.json: $: expected shipped
/// rules for Spain 2030, found none (available: 2025, 2026)" in English on the Spanish page.
@Suite struct TaxYearWithoutRulesTests {
    @Test func aYearWithoutRulesSaysWhichYearsThereAre() throws {
        let path = try taxLedger(.EUR, income: [("2026-06-10", "4150.00")], settings: [("jurisdiction", "es")])
        let es = SaldoCLI.capture(["--lang", "es", "tax", "summary", "--year", "2030", "--ledger", path])
        #expect(es.status == 1)
        #expect(es.err.contains("Saldo aún no tiene las normas fiscales de España para 2030; tiene las de 2025, 2026"), "\(es.err)")
        #expect(!es.err.contains("$:") && !es.err.contains(".json"), "\(es.err)")
    }
}

/// Pinned (newcomer, 2026-12-07): `saldo export hledger` answered only "Unexpected argument
/// 'hledger'" and the usage; the format is an option, and the answer now says so when the same
/// line with `--format` before the word is a valid command.
@Suite struct FormatWordHintTests {
    @Test func aFormatTypedAsAWordGetsTheOption() throws {
        let ledger = Fixtures.temporaryDirectory().appendingPathComponent("l.sqlite").path
        let es = SaldoCLI.capture(["--lang", "es", "export", "hledger", "--ledger", ledger])
        #expect(es.status == 2)
        #expect(es.err.contains("sugerencia: el formato de salida es una opción: --format hledger"), "\(es.err)")
        let en = SaldoCLI.capture(["report", "monthly", "csv", "--ledger", ledger])
        #expect(en.status == 2 && en.err.contains("hint: the output format is an option: --format csv"), "\(en.err)")
        // A word that is no format, or a command without --format: no such hint.
        for args in [["export", "blah", "--ledger", ledger], ["rates", "update", "csv", "--ledger", ledger]] {
            let r = SaldoCLI.capture(args)
            #expect(r.status == 2 && !r.err.contains("format is an option"), "\(args): \(r.err)")
        }
    }
}

/// Pinned (2026-12-07, newcomer pass): a mistyped subcommand (`saldo reprot monthly`, `saldo report
/// montly`) got only "unexpected argument" (and in Spanish the several-words form stayed English);
/// the hint now names what the word most likely meant, or the group's subcommands.
@Suite struct SubcommandTypoHintTests {
    @Test func aMistypedSubcommandIsNamed() throws {
        let ledger = Fixtures.temporaryDirectory().appendingPathComponent("typo-\(UUID().uuidString).sqlite").path
        let root = SaldoCLI.capture(["--lang", "es", "reprot", "monthly", "--ledger", ledger])
        #expect(root.status == 2)
        // The parser meets --ledger first (the root takes no such option); the word is still found.
        #expect(root.err.contains("Opción desconocida '--ledger'"), "\(root.err)")
        let words = SaldoCLI.capture(["--lang", "es", "reprot", "monthly"])
        #expect(words.err.contains("Error: 2 argumentos inesperados: 'reprot', 'monthly'"), "Spanish, not the parser's English: \(words.err)")
        #expect(words.err.contains("sugerencia: ¿querías decir `saldo report monthly`?"), "\(words.err)")
        #expect(root.err.contains("sugerencia: ¿querías decir `saldo report monthly --ledger \(ledger)`?"), "\(root.err)")
        let group = SaldoCLI.capture(["report", "montly", "--ledger", ledger])
        #expect(group.status == 2)
        #expect(group.err.contains("hint: did you mean `saldo report monthly --ledger \(ledger)`?"), "\(group.err)")
        // Too far from any subcommand: the group's subcommands are listed.
        let far = SaldoCLI.capture(["tax", "estimate", "--ledger", ledger])
        #expect(far.status == 2 && far.err.contains("hint: `saldo tax` has these subcommands: summary, calendar, set-aside, quarter-end"), "\(far.err)")
        // A word after a command that takes no subcommand, or a format word: no such hint.
        let extra = SaldoCLI.capture(["report", "monthly", "extra", "--ledger", ledger])
        #expect(extra.status == 2 && !extra.err.contains("did you mean") && !extra.err.contains("subcommands:"), "\(extra.err)")
        // A value of an option is not taken for the word: only the word the parser named.
        let period = SaldoCLI.capture(["report", "--period", "2026", "montly", "--ledger", ledger])
        #expect(period.status == 2 && !period.err.contains("subcommands:"), "\(period.err)")
        let format = SaldoCLI.capture(["export", "hledger", "--ledger", ledger])
        #expect(format.err.contains("--format hledger") && !format.err.contains("did you mean"), "\(format.err)")
        #expect(!FileManager.default.fileExists(atPath: ledger), "a usage error starts no ledger")
    }
}
