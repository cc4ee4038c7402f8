import Foundation
import Testing
import SaldoCore
import SaldoTestSupport
@testable import SaldoWeb

/// The API answers with the CLI's documents, and with problem details when it cannot.
@Suite struct APITests {
    @Test func reportsEqualTheCommandLinesJSON() async throws {
        try await withServer { s in
            for (path, golden) in [
                ("/api/v1/books/main/reports/monthly?period=2026", "cli/report-monthly.json"),
                ("/api/v1/books/main/reports/monthly?period=2026-Q3&by=client&show-original=true", "cli/report-monthly-by-client-original.json"),
            ] {
                let r = try await s.get(path)
                #expect(r.status == 200, "\(path): \(r.text.prefix(300))")
                #expect(r.header("Content-Type")?.hasPrefix("application/json") == true)
                if let diff = Fixtures.compareGolden(r.text, golden) { Issue.record("\(path): \(diff)") }
            }
        }
    }

    @Test func downloadsInEveryFormat() async throws {
        try await withServer { s in
            for (format, type, golden) in [("csv", "text/csv", "cli/report-monthly.csv"), ("markdown", "text/markdown", "cli/report-monthly.md"),
                                           ("html", "text/html", "cli/report-monthly.html")] {
                let r = try await s.get("/api/v1/books/main/reports/monthly?period=2026&format=\(format)")
                #expect(r.status == 200)
                #expect(r.header("Content-Type")?.hasPrefix(type) == true)
                #expect(r.header("Content-Disposition")?.hasPrefix("attachment") == true)
                let text = r.text.hasSuffix("\n") ? r.text : r.text + "\n"
                if let diff = Fixtures.compareGolden(text, golden) { Issue.record("\(format): \(diff)") }
            }
        }
    }

    @Test func badParametersAreProblemsThatNameTheParameter() async throws {
        try await withServer { s in
            let cases: [(String, Int, String)] = [
                ("/api/v1/books/main/reports/monthly?by=planet", 400, "by: expected one of platform, client, currency, account, found \\\"planet\\\""),
                ("/api/v1/books/main/reports/monthly?currency=EURO", 400, "currency: expected an ISO 4217 code"),
                ("/api/v1/books/main/reports/monthly?format=pdf", 400, "format: expected one of"),
                ("/api/v1/books/main/reports/monthly?from=2026-13-01", 400, "the first day 2026-13-01 is not a date"),
                ("/api/v1/books/main/reports/monthly?period=yesterday", 400, "yesterday"),
                ("/api/v1/books/other/reports/monthly", 404, "there is no book named"),
            ]
            for (path, status, text) in cases {
                let r = try await s.get(path)
                #expect(r.status == status, "\(path): \(r.status) \(r.text)")
                #expect(r.header("Content-Type") == "application/problem+json", "\(path)")
                #expect(r.text.contains(text), "\(path): \(r.text)")
                #expect(r.text.contains("\"type\"") && r.text.contains("\"title\"") && r.text.contains("\"detail\""))
            }
        }
    }

    @Test func aMissingLedgerSaysHowToStart() async throws {
        let path = Fixtures.temporaryDirectory().appendingPathComponent("none.sqlite").path
        try await withServer(ledger: path) { s in
            let r = try await s.get("/api/v1/books/main/reports/monthly")
            #expect(r.status == 404)
            #expect(r.text.contains("start-ledger"))
            // Tester's M8: every page of a new ledger answered 404 in an error panel that named the
            // file and advised the command line's demo. A person is welcomed instead.
            for (page, title) in [("overview", "Resumen"), ("transactions", "Movimientos"), ("reports", "Informes"), ("invoices", "Facturas"),
                                  ("forecast", "Previsión"), ("tax", "Impuestos")] {
                let r = try await s.get("/books/main/\(page)?lang=es", headers: [("Accept", "text/html")])
                #expect(r.status == 200, "\(page): \(r.status)")
                #expect(r.text.contains("<h1>\(title)</h1>"), "\(page)")
                #expect(r.text.contains("<section class=\"welcome\"") && r.text.contains("Este libro todavía está vacío"), "\(page)")
                #expect(r.text.contains("<a class=\"button\" href=\"/books/main/import\">"), "\(page)")
                #expect(!r.text.contains("class=\"problem\"") && !r.text.contains(path) && !r.text.contains("none.sqlite"), "\(page): no error panel, no path")
                #expect(!r.text.lowercased().contains("demo"), "\(page): no advice the web cannot follow")
                #expect(r.text.contains("aria-current=\"page\">\(title)<"), "\(page): its place in the menu")
            }
            let english = try await s.get("/books/main/reports?lang=en", headers: [("Accept", "text/html")])
            #expect(english.status == 200 && english.text.contains("This book is still empty"))
            #expect(!FileManager.default.fileExists(atPath: path), "reading must not create a ledger")
        }
    }

    /// Tester's M8: Settings could not be opened before the first import, although an import may
    /// need the base currency first. It opens on a new ledger (every setting unset, nothing
    /// created), and saving a setting creates the ledger, as `saldo config set` does.
    @Test func settingsWorkBeforeTheFirstImport() async throws {
        let path = Fixtures.temporaryDirectory().appendingPathComponent("new.sqlite").path
        try await withServer(ledger: path) { s in
            let page = try await s.get("/books/main/settings?lang=es", headers: [("Accept", "text/html")])
            #expect(page.status == 200, "\(page.text.prefix(500))")
            #expect(page.text.contains("id=\"settings\"") && page.text.contains("name=\"base-currency\""))
            let list = try await s.get("/api/v1/books/main/settings")
            #expect(list.status == 200)
            #expect(list.text.contains("\"base-currency\": null") || list.text.contains("\"base-currency\":null"), "\(list.text.prefix(300))")
            #expect(!FileManager.default.fileExists(atPath: path), "reading the settings creates nothing")
            let saved = try await s.change("PUT", "/api/v1/books/main/settings", json: "{\"base-currency\": \"USD\"}")
            #expect(saved.status == 200, "\(saved.text)")
            #expect(saved.text.contains("\"USD\""))
            #expect(FileManager.default.fileExists(atPath: path), "saving a setting starts the ledger")
            let again = try await s.get("/books/main/settings", headers: [("Accept", "text/html")])
            #expect(again.status == 200 && again.text.contains("value=\"USD\""))
        }
    }

    @Test func theOpenAPIDocumentDescribesEveryOperation() async throws {
        try await withServer { s in
            let r = try await s.get("/api/v1/openapi.json")
            #expect(r.status == 200)
            let doc = try JSONParser.parse(Array(r.text.utf8)).value
            #expect(doc["openapi"] == .string("3.1.0"))
            let paths = doc.objectValue("paths")
            for op in s.server.registeredOperations {
                let entry = paths[op.path]?[op.method.rawValue.lowercased()]
                #expect(entry != nil, "\(op.method) \(op.path) is not described")
            }
            #expect(paths["/books/{book}/reports/monthly"] != nil)
        }
    }

    @Test func unknownPathsAreProblemsNotStackTraces() async throws {
        try await withServer { s in
            let r = try await s.get("/api/v1/books/main/reports/nothing")
            #expect(r.status == 404)
            #expect(!r.text.contains("Swift"))
        }
    }

    @Test func theLanguageSwitchIsRemembered() async throws {
        try await withServer { s in
            let es = try await s.get("/books/main/reports?lang=es")
            #expect(es.text.contains("<html lang=\"es\">"))
            #expect(es.text.contains("Informes"))
            #expect(es.headers("Set-Cookie").contains { $0.hasPrefix("saldo_lang=es") })
            let again = try await s.get("/books/main/reports", headers: [("Cookie", "saldo_lang=es")])
            #expect(again.text.contains("<html lang=\"es\">"))
            let browser = try await s.get("/books/main/reports", headers: [("Accept-Language", "es-ES,es;q=0.9,en;q=0.5")])
            #expect(browser.text.contains("<html lang=\"es\">"))
            let english = try await s.get("/books/main/reports")
            #expect(english.text.contains("<html lang=\"en\">"))
        }
    }
}
