import Foundation
import Testing
import SaldoCore
import SaldoTestSupport
@testable import SaldoWeb

/// The Import page's explanation of how a file was recognised, and its problems, in the page's
/// language (issue #15): the API adds the texts a person reads (`explanation_text`,
/// `problems_text`, `failure_text`) beside the neutral fields, which stay as they were.
@Suite struct SpanishImportPageTests {
    @Test func theProfileCheckAndTheProblemsComeInTheAskedLanguage() async throws {
        let t = ImportTests()
        try await t.withImportServer(ledger: ImportTests.emptyLedger()) { s, _ in
            let (id, _) = try await t.previewOf(s, "features.xlsx", try Data(contentsOf: Fixtures.url("xlsx/features.xlsx")))
            for (headers, spanish) in [([("Accept-Language", "es-ES,es;q=0.9")], true), ([("Cookie", "saldo_lang=es")], true),
                                       ([("Accept-Language", "en")], false)] {
                let r = try await s.get("/api/v1/books/main/imports/\(id)", headers: headers)
                let o = ImportTests.object(r)
                let check = try #require(o["profile_check"] as? [String: Any], "\(r.text)")
                let neutral = try #require(check["explanation"] as? [String])
                let text = try #require(check["explanation_text"] as? [String])
                #expect(neutral.first == "Excel workbook (.xlsx), 1900 date system; sheets: \"Notes\" (hidden), \"Data sheet\"", "\(neutral)")
                #expect(text.count == neutral.count)
                if spanish {
                    #expect(text.first == "libro de Excel (.xlsx), sistema de fechas 1900; hojas: \"Notes\" (oculta), \"Data sheet\"", "\(text)")
                    for (a, b) in zip(text, neutral) { #expect(a != b, "stays English: \(a)") }
                } else {
                    #expect(text == neutral)
                }
                let preview = try #require(o["preview"] as? [String: Any])
                let problems = try #require(preview["problems"] as? [[String: Any]])
                let problemsText = try #require(preview["problems_text"] as? [[String: Any]])
                #expect(problems.count == problemsText.count && !problems.isEmpty)
                if spanish, let p = problems.first, let q = problemsText.first {
                    #expect((q["message"] as? String) != (p["message"] as? String), "\(q)")
                    #expect((q["message"] as? String)?.hasSuffix("[\(p["code"] as? String ?? "")]") == true, "\(q)")
                }
            }
        }
    }
}

/// The balance check's amounts on the Import page as the page's language writes them: they were
/// shown as the JSON's "1234.56" on Spanish pages (`balances_text`, beside the neutral fields).
@Suite struct SpanishImportBalancesTests {
    @Test func theBalanceCheckAmountsFollowThePagesLanguage() async throws {
        let t = ImportTests()
        try await t.withImportServer(ledger: ImportTests.emptyLedger()) { s, _ in
            let (id, _) = try await t.previewOf(s, "wise-eur.csv", try Data(contentsOf: ImportTests.demoFile("wise-statement-eur.csv")))
            for (language, expectMark) in [("es", ","), ("en", ".")] {
                let o = ImportTests.object(try await s.get("/api/v1/books/main/imports/\(id)", headers: [("Accept-Language", language)]))
                let preview = try #require(o["preview"] as? [String: Any])
                let checks = try #require(preview["balance_checks"] as? [String: Any])
                let neutral = try #require(checks["currencies"] as? [[String: Any]])
                let shown = try #require(preview["balances_text"] as? [[String: Any]])
                #expect(shown.count == neutral.count && !neutral.isEmpty)
                for (n, w) in zip(neutral, shown) {
                    let closing = try #require(n["closing"] as? String), closingText = try #require(w["closing"] as? String)
                    // The same figure: digits equal once the marks are dropped; the decimal mark the language's.
                    #expect(closing.filter(\.isNumber) == closingText.filter(\.isNumber), "\(closing) / \(closingText)")
                    #expect(closingText.suffix(3).first.map(String.init) == expectMark, "\(language): \(closingText)")
                }
            }
        }
    }
}

/// The Forecast, Invoices and Tax pages' report titles and the tax page's unconfirmed figures in
/// the page's language (they were the English documents' on the Spanish pages).
@Suite struct SpanishPageTitleTests {
    @Test func reportTitlesAndUnconfirmedFiguresFollowThePage() async throws {
        // Spanish pages only (each computes its reports; the English titles are the English catalog's).
        let en = Catalog.shipped(.en)
        #expect(en.text("forecast.title") == "Income forecast" && en.text("invoice.list.title") == "Invoices")
        try await withServer { s in
            let html = [("Accept", "text/html")]
            let esForecast = try await s.get("/books/main/forecast?lang=es", headers: html).text
            #expect(!esForecast.contains("Income forecast") && esForecast.contains("<h2 id=\"forecast-title\">Previsión de ingresos"), "\(esForecast.prefix(400))")
            let esInvoices = try await s.get("/books/main/invoices?lang=es", headers: html).text
            #expect(!esInvoices.contains("<h2 id=\"invoices-list-title\">Invoices</h2>") && esInvoices.contains("<h2 id=\"invoices-list-title\">Facturas"))
            let esTax = try await s.get("/books/main/tax?lang=es", headers: html).text
            #expect(!esTax.contains("status: provisional") && !esTax.contains("tax estimate") && !esTax.contains("not confirmed from an official source"))
            #expect(esTax.contains("estado: provisional"))
        }
    }
}

/// A problem page (a page that does not exist) in the page's language; the API's JSON stays neutral.
@Suite struct SpanishProblemPageTests {
    @Test func aMissingPageSaysSoInSpanish() async throws {
        try await withServer { s in
            let es = try await s.get("/books/main/nosuchpage", headers: [("Accept", "text/html"), ("Accept-Language", "es")])
            #expect(es.status == 404)
            #expect(es.text.contains("<h1>No encontrado</h1>") && !es.text.contains("Not Found"), "\(es.text)")
            // No empty what-to-do line, and the title said once: what is missing and where to go.
            #expect(!es.text.contains("<strong>Qué hacer:</strong> </p>"), "an empty what-to-do line")
            #expect(es.text.contains("No hay ninguna página en esta dirección.") && es.text.contains("vuelve al resumen"), "\(es.text)")
            #expect(!es.text.contains("<p class=\"detail\">No encontrado</p>"))
            let en = try await s.get("/books/main/nosuchpage", headers: [("Accept", "text/html"), ("Accept-Language", "en")])
            #expect(en.text.contains("<h1>Not Found</h1>"))
            // The API answers in the request's language too (the pages' scripts show its words); its code does not change.
            let api = try await s.get("/api/v1/books/nosuch/overview", headers: [("Accept-Language", "es")])
            #expect(api.status == 404 && api.text.contains("\"title\": \"No encontrado\""), "\(api.text)")
            let plain = try await s.get("/api/v1/books/nosuch/overview")
            #expect(plain.status == 404 && plain.text.contains("\"title\": \"Not found\""), "\(plain.text)")
        }
    }
}

/// The Import page's filtered rows with their day and amount as the page's language writes them:
/// a Spanish page showed the machine text "2019-12-19 44.12 EUR …" (`filtered_rows_text`, beside
/// `filtered[].row`, which stays machine text).
@Suite struct SpanishImportFilteredRowsTests {
    @Test func filteredRowsAreWrittenInThePagesLanguage() async throws {
        let t = ImportTests()
        try await t.withImportServer(ledger: ImportTests.emptyLedger()) { s, _ in
            let file = "statements/paypal/sercxanto-paypal-de-full41col-bom.csv"
            let (id, _) = try await t.previewOf(s, "sercxanto.csv", try Data(contentsOf: Fixtures.url(file)))
            for (language, expected) in [("es", "19 dic 2019 44,12 € Allgemeine Gutschrift auf Kreditkarte — Produktname"),
                                         ("en", "2019-12-19 44.12 EUR Allgemeine Gutschrift auf Kreditkarte — Produktname")] {
                let o = ImportTests.object(try await s.get("/api/v1/books/main/imports/\(id)", headers: [("Accept-Language", language)]))
                let preview = try #require(o["preview"] as? [String: Any])
                let neutral = try #require(preview["filtered"] as? [[String: Any]])
                let shown = try #require(preview["filtered_rows_text"] as? [String])
                #expect(shown.count == neutral.count && neutral.count == 2, "\(shown)")
                #expect(shown.first == expected, "\(language): \(shown)")
                #expect(neutral.first?["row"] as? String == "2019-12-19 44.12 EUR Allgemeine Gutschrift auf Kreditkarte — Produktname")
            }
        }
    }
}
