import Foundation
@testable import SaldoCLI
import SaldoCore
import SaldoTestSupport
import Testing

/// Errors, hints and rate notes in Spanish (issue #15, second part): the same exit status and
/// layout in both languages; English stays as it always was.
@Suite struct SpanishErrorTests {
    @Test func aMissingLedgerInSpanishSaysWhereThePathCameFromAndHowToStartOne() {
        let path = Fixtures.temporaryDirectory().appendingPathComponent("none.sqlite").path
        let es = SaldoCLI.capture(["--lang", "es", "report", "monthly", "--ledger", path])
        #expect(es.status == 1)
        #expect(es.err == "error: no hay ningún libro en \(path): todavía no se ha anotado nada ahí (la ruta viene de --ledger)\n"
                + "  sugerencia: `saldo import FICHERO` crea un libro a partir de un extracto o una factura electrónica; `saldo demo --keep` crea un libro de demostración para probar\n",
                "\(es.err)")
        let en = SaldoCLI.capture(["report", "monthly", "--ledger", path], environment: ["LANG": "C.UTF-8"])
        #expect(en.status == 1)
        #expect(en.err == "error: there is no ledger at \(path): nothing has been recorded there yet (the path comes from --ledger)\n"
                + "  hint: `saldo import FILE` creates a ledger from a statement or e-invoice; `saldo demo --keep` builds a demo ledger to try\n",
                "\(en.err)")
    }

    @Test func anErrorWithoutATemplateStaysAsWrittenButTheHintLabelIsSpanish() throws {
        // The path origin of the environment, and a message no template makes (shown as it is).
        let path = Fixtures.temporaryDirectory().appendingPathComponent("none2.sqlite").path
        let r = SaldoCLI.capture(["report", "monthly"], environment: ["LANG": "es_ES.UTF-8", "SALDO_LEDGER": path])
        #expect(r.err.contains("(la ruta viene de $SALDO_LEDGER)"), "\(r.err)")
        #expect(r.err.contains("\n  sugerencia: "))
        #expect(!r.err.contains("hint:"))
    }

    @Test func rateNotesAreRecognizedInSpanish() {
        let L = Catalog.shipped(.es)
        let english = LocalizedText("rate_note.freshness_bundled", ["newest_date": "2026-11-03", "latest_date": "2026-11-14", "days": "7"]).english
        #expect(english.hasPrefix("note: the newest exchange rate is from 2026-11-03 (the ECB history bundled with Saldo)"))
        #expect(L.translating(english, keyPrefix: "rate_note.").hasPrefix("nota: el tipo de cambio más reciente es del 3 nov 2026 (el historial del BCE incluido con Saldo); los importes hasta el 14 nov 2026"))
        let provisional = LocalizedText("rate_note.provisional.other", ["count": "3", "window": "7", "fix": "USD rates for 2026-01-02"]).english
        #expect(provisional == "note: 3 amounts are provisional: no exchange rate within 7 days\n  hint: add USD rates for 2026-01-02")
        #expect(L.translating(provisional, keyPrefix: "rate_note.") == "nota: 3 importes son provisionales: no hay tipo de cambio en 7 días\n  sugerencia: añade USD rates for 2026-01-02")
    }
}

/// Library diagnostics in Spanish, by code: same position and code, message and hint from the
/// catalog (`diag.<code>…`), the code printed after the message.
@Suite struct SpanishDiagnosticTests {
    func badStatement() throws -> String {
        let header = "\"TransferWise ID\",Date,Amount,Currency,Description,\"Payment Reference\",\"Running Balance\",\"Exchange From\",\"Exchange To\",\"Exchange Rate\",\"Payer Name\",\"Payee Name\",\"Payee Account Number\",Merchant,\"Card Last Four Digits\",\"Card Holder Full Name\",Attachment,Note,\"Total fees\",\"Exchange To Amount\""
        let rows = [
            "TRANSFER-1,16-10-2026,-25.00,EURO,\"Sent money\",,0.00,,,,\"\",\"Lucia\",,,,,,,0.00,",
            "TRANSFER-2,17-10-2026,12.3.4,EUR,\"Sent money\",,0.00,,,,\"\",\"Lucia\",,,,,,,0.00,",
        ]
        let path = Fixtures.temporaryDirectory().appendingPathComponent("wise-bad.csv").path
        try (([header] + rows).joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func importProblemsInSpanishKeepPositionsAndCodes() throws {
        let file = try badStatement()
        let ledger = Fixtures.temporaryDirectory().appendingPathComponent("bad.sqlite").path
        let en = SaldoCLI.capture(["import", "--dry-run", "--ledger", ledger, file], environment: ["LANG": "C.UTF-8"])
        let es = SaldoCLI.capture(["--lang", "es", "import", "--dry-run", "--ledger", ledger, file])
        #expect(en.status == es.status)
        let enText = en.out + en.err, esText = es.out + es.err
        #expect(enText.contains("unknown currency code \"EURO\": expected an ISO 4217 code such as EUR, USD or GBP"), "\(enText)")
        #expect(!enText.contains("[csv.currency]"))
        #expect(esText.contains("wise-bad.csv:2:4 (Currency): código de divisa desconocido \"EURO\": se esperaba un código ISO 4217 como EUR, USD o GBP [csv.currency]"), "\(esText)")
        #expect(esText.contains("sugerencia: comprueba que es la exportación original de la plataforma"))
        #expect(esText.contains("[csv.amount]"))
        #expect(esText.contains("se esperaba un importe, se encontró \"12.3.4\""))
        #expect(!esText.contains("hint:"))
    }

    @Test func aDiagnosticIsTranslatedWithOrWithoutItsArguments() {
        let withArgs = Diagnostic.error("csv.date", "expected a date (dd/mm/yyyy), found \"31/02\"", at: SourceLocation(file: "a.csv", line: 3, column: 2, field: "Date"),
                                        hint: "fix the cell, or say the file's date order", arguments: ["convention": "dd/mm/yyyy", "raw": "31/02"])
        var without = withArgs
        without.arguments = [:]
        let expected = "a.csv:3:2 (Date): se esperaba una fecha (dd/mm/yyyy), se encontró \"31/02\" [csv.date]\n  sugerencia: corrige la celda o indica el orden de fecha del fichero"
        #expect(withArgs.text(in: .shipped(.es)) == expected)
        #expect(without.text(in: .shipped(.es)) == expected)
        #expect(withArgs.text(in: .shipped(.en)) == withArgs.description)
        // A code with no catalog entry: the English message, with its code.
        let other = Diagnostic.error("xml.unknown", "something odd", at: SourceLocation(file: "b.xml", line: 1))
        #expect(other.text(in: .shipped(.es)) == "b.xml:1: something odd [xml.unknown]")
    }

    @Test func xmlAndRateDiagnosticsAreReadBackFromTheirEnglishMessage() {
        let es = Catalog.shipped(.es)
        let xml = Diagnostic.error("xml.malformed", "the document is not well-formed XML (libxml2 error 76)", at: SourceLocation(file: "s.xml"),
                                   hint: "the file may be cut short; export it again")
        #expect(xml.text(in: es) == "s.xml: el documento no es XML bien formado (error 76 de libxml2) [xml.malformed]\n  sugerencia: puede que el fichero esté cortado; vuelve a exportarlo")
        let doctype = Diagnostic.error("xml.doctype", "the document has a DOCTYPE declaration; Saldo refuses DTDs (they enable entity expansion and external loads)")
        #expect(doctype.localizedMessage(in: es).hasPrefix("el documento tiene una declaración DOCTYPE"))
        // A message under another code's template is not taken for it: the code chooses the templates.
        let other = Diagnostic.error("csv.binary", "the document is empty")
        #expect(other.localizedMessage(in: es) == "the document is empty")
    }

    @Test func argumentsAreEncodedOnlyWhenGiven() throws {
        let plain = Diagnostic.error("csv.empty", "the file is empty: expected a header row and at least one transaction")
        let text = String(decoding: try JSONEncoder().encode(plain), as: UTF8.self)
        #expect(!text.contains("arguments"))
        let back = try JSONDecoder().decode(Diagnostic.self, from: Data(text.utf8))
        #expect(back == plain)
        let rich = Diagnostic.error("csv.date", "x", arguments: ["raw": "1"])
        #expect(try JSONDecoder().decode(Diagnostic.self, from: JSONEncoder().encode(rich)).arguments == ["raw": "1"])
    }
}

/// `--help` in Spanish for every command (issue #15, step 4, abstracts so far): each runnable
/// command and each group says what it does from the Spanish catalog, not in English.
@Suite struct SpanishCommandHelpTests {
    @Test(arguments: SaldoCommand.runnableCommands.map { $0.joined(separator: " ") })
    func everyCommandSaysWhatItDoesInSpanish(_ words: String) {
        let args = words.split(separator: " ").map(String.init)
        let es = SaldoCLI.capture(["--lang", "es"] + args + ["--help"])
        let en = SaldoCLI.capture(args + ["--help"], environment: ["LANG": "C.UTF-8"])
        let spanish = Catalog.shipped(.es).entries.filter { $0.key.hasPrefix("cli.help.") || $0.key.hasPrefix("cli.saldo.") || $0.key.hasPrefix("cli.demo.") }
        let english = Catalog.shipped(.en)
        // The abstract is the help's first paragraph (OVERVIEW: …), wrapped to the screen.
        func overview(_ text: String) -> String {
            let first = text.components(separatedBy: "\n\n").first ?? ""
            return first.split(whereSeparator: { $0 == " " || $0 == "\n" }).joined(separator: " ")
        }
        func collapsed(_ text: String) -> String { text.split(whereSeparator: { $0 == " " || $0 == "\n" }).joined(separator: " ") }
        let esOverview = overview(es.out), enOverview = overview(en.out)
        #expect(esOverview != enOverview, "\(words): \(esOverview)")
        #expect(esOverview.hasPrefix("DESCRIPCIÓN: ") && enOverview.hasPrefix("OVERVIEW: "), "\(words): \(esOverview)")
        let abstract = esOverview.replacingOccurrences(of: "DESCRIPCIÓN: ", with: "")
        let key = spanish.first { collapsed($0.value) == abstract }?.key
        #expect(key != nil, "\(words): the abstract is not a Spanish catalog text: \(abstract)")
        #expect(key.map { collapsed(english.text($0)) != abstract } ?? false)
    }

    static var everyCommand: [String] { SaldoCommand.everyCommand.map { $0.joined(separator: " ") } }

    static func collapsed(_ text: String) -> String { text.split(whereSeparator: { $0 == " " || $0 == "\n" }).joined(separator: " ") }

    /// The discussion of a `--help`: the paragraphs between the overview and USAGE.
    static func discussion(_ help: String) -> String {
        collapsed(help.components(separatedBy: "\n\n").dropFirst().prefix { !$0.hasPrefix("USAGE:") && !$0.hasPrefix("USO:") }.joined(separator: "\n\n"))
    }

    /// The long help (explanation and examples) of every command comes from the catalog: in Spanish it is
    /// a Spanish catalog text (a template filled, for one-line examples) and differs from the English one.
    @Test(arguments: everyCommand)
    func everyCommandExplainsItselfInSpanish(_ words: String) {
        let args = words.split(separator: " ").map(String.init)
        let es = Self.discussion(SaldoCLI.capture(["--lang", "es"] + args + ["--help"]).out)
        let en = Self.discussion(SaldoCLI.capture(args + ["--help"], environment: ["LANG": "C.UTF-8"]).out)
        #expect(!es.isEmpty && !en.isEmpty, "\(words): no discussion")
        #expect(es != en, "\(words): the discussion is the same in both languages: \(es)")
        let english = Catalog.shipped(.en)
        let key = Catalog.shipped(.es).entries.first { $0.key.hasPrefix("cli.") && TemplateProbe.match(Self.collapsed($0.value), es) != nil }?.key
        #expect(key != nil, "\(words): the discussion is not a Spanish catalog text: \(es)")
        #expect(key.map { TemplateProbe.match(Self.collapsed(english.text($0)), en) != nil } ?? false, "\(words): English is not \(key ?? "?")")
    }

    /// The argument parser's own words (headings, usage errors) in Spanish; names of commands and options as they are.
    @Test func theParsersWordsAreSpanishToo() {
        let help = SaldoCLI.capture(["--lang", "es", "invoices", "--help"]).out
        for word in ["DESCRIPCIÓN: ", "USO: ", "OPCIONES:", "SUBCOMANDOS:", "Muestra la ayuda.", "summary (por defecto)   Por cliente"] {
            #expect(help.contains(word), "\(word): \(help)")
        }
        for word in ["OVERVIEW:", "USAGE:", "OPTIONS:", "Show help information."] { #expect(!help.contains(word), "\(word)") }
        let bad = SaldoCLI.capture(["--lang", "es", "report", "monthly", "--format", "pdf"])
        #expect(bad.status == 2)
        #expect(bad.err.hasPrefix("Error: El valor 'pdf' no es válido para '--format <formato>'. Indica uno de estos: 'table', 'csv', 'json', 'markdown' o 'html'.\n"), "\(bad.err)")
        #expect(bad.err.contains("\n  Consulta 'saldo report monthly --help' para más información."))
        let unknown = SaldoCLI.capture(["--lang", "es", "report", "monthly", "--bogus"])
        #expect(unknown.err.hasPrefix("Error: Opción desconocida '--bogus'\nUso: saldo report monthly"), "\(unknown.err)")
        let en = SaldoCLI.capture(["report", "monthly", "--bogus"], environment: ["LANG": "C.UTF-8"])
        #expect(en.err.hasPrefix("Error: Unknown option '--bogus'\nUsage: saldo report monthly"), "\(en.err)")
    }

    /// `--ledger ""` (an unset shell variable) is a usage error in the user's language; it was a
    /// half-English "there is no ledger at : …" before, and `import` tried to create a ledger at "".
    @Test func anEmptyLedgerPathIsAUsageError() {
        for command in [["report", "monthly"], ["import", "x.csv"], ["tax", "calendar"]] {
            let es = SaldoCLI.capture(["--lang", "es"] + command + ["--ledger", ""])
            #expect(es.status == 2)
            #expect(es.err.hasPrefix("Error: --ledger necesita la ruta del fichero de un libro y se dio vacía; quita --ledger para usar tu libro de siempre\n"), "\(es.err)")
            let en = SaldoCLI.capture(command + ["--ledger", "  "], environment: ["LANG": "C.UTF-8"])
            #expect(en.status == 2)
            #expect(en.err.hasPrefix("Error: --ledger needs the path of a ledger file, and it was given empty;"), "\(en.err)")
        }
    }

    /// Why a profile reads a file or not, in Spanish (profile names and columns as they are).
    @Test func profileCheckExplainsInSpanish() throws {
        let path = Fixtures.temporaryDirectory().appendingPathComponent("unknown.csv").path
        try "foo,bar\n1,2\n".write(toFile: path, atomically: true, encoding: .utf8)
        let es = SaldoCLI.capture(["--lang", "es", "profiles", "check", path]).out
        #expect(es.contains("  codificación: UTF-8\n  separador: coma\n"), "\(es)")
        #expect(es.contains("  paypal-activity no lo reconoce: faltan las columnas obligatorias \"Date\""), "\(es)")
        #expect(es.contains("ningún perfil reconoce este fichero; escribe un perfil propio"))
        #expect(!es.contains("does not:") && !es.contains("delimiter:"))
        let en = SaldoCLI.capture(["profiles", "check", path], environment: ["LANG": "C.UTF-8"]).out
        #expect(en.contains("  encoding: UTF-8\n  delimiter: comma\n") && en.contains("paypal-activity does not: missing required column(s) \"Date\""), "\(en)")
    }

    @Test func optionHelpIsSpanishToo() {
        let es = SaldoCLI.capture(["--lang", "es", "report", "monthly", "--help"]).out
        #expect(es.contains("El fichero del libro."), "\(es)")
        #expect(es.contains("Agrupa por plataforma"))
        #expect(!es.contains("The ledger file."))
        let tax = SaldoCLI.capture(["--lang", "es", "tax", "summary", "--help"]).out
        #expect(tax.contains("Trimestre 1-4"), "\(tax)")
        // The main commands' explanations and examples too.
        for command in ["import", "report", "tax", "forecast", "invoices"] {
            let help = SaldoCLI.capture(["--lang", "es", command, "--help"]).out
            #expect(help.contains("Ejemplos:") && !help.contains("Examples:"), "\(command): \(help)")
        }
        let en = SaldoCLI.capture(["report", "monthly", "--help"], environment: ["LANG": "C.UTF-8"]).out
        #expect(en.contains("The ledger file.") && en.contains("Group by platform, client, currency or account."))
    }
}
