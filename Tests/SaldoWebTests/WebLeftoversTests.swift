import Foundation
import Testing
import SaldoApp
import SaldoCore
import SaldoStore
import SaldoTestSupport
@testable import SaldoWeb

/// The Import page's preview lists the first rows the import would write (date, description,
/// amount, platform or client, new or already in the ledger) and how many more: the dry run's own
/// rows, as the ledger's writer took them, in the session's JSON and in the OpenAPI document.
@Suite struct ImportPreviewRowsTests {
    /// A PayPal activity export (English headers, month first) with one row per `(day, id, gross)`;
    /// the transaction id is what the ledger knows a row by again.
    static func payPal(_ rows: [(day: Int, id: String, gross: String)]) -> String {
        let header = "Date,Time,TimeZone,Name,Type,Status,Currency,Gross,Fee,Net,Transaction ID,Balance"
        var balance = 0
        let lines = rows.map { r -> String in
            balance += Int(r.gross.replacingOccurrences(of: ".", with: ""))!
            let b = String(format: "%d.%02d", balance / 100, balance % 100)
            return "01/\(String(format: "%02d", r.day))/2026,10:00:00,CET,Cliente \(r.id),Payment,Completed,EUR,\"\(r.gross)\",\"0.00\",\"\(r.gross)\",\(r.id),\"\(b)\""
        }
        return ([header] + lines).joined(separator: "\n") + "\n"
    }

    /// Uploads `csv` as `name` and waits for its preview, asking in `language`.
    func preview(_ s: RunningServer, _ name: String, _ csv: String, language: String) async throws -> [String: Any] {
        let r = try await s.change("POST", "/api/v1/books/main/imports", body: Data(csv.utf8), contentType: "application/octet-stream",
                                   headers: [("X-File-Name", name)])
        #expect(r.status == 202, "\(r.text)")
        let id = try #require(ImportTests.object(r)["id"] as? String, "\(r.text)")
        return try await settled(s, id, language: language)
    }

    func settled(_ s: RunningServer, _ id: String, language: String) async throws -> [String: Any] {
        for _ in 0..<600 {
            let o = ImportTests.object(try await s.get("/api/v1/books/main/imports/\(id)", headers: [("Accept-Language", language)]))
            if let state = o["state"] as? String, state != "reading" && state != "committing" { return o }
            try await Task.sleep(nanoseconds: 100_000_000)
        }
        Issue.record("the import \(id) did not settle")
        return [:]
    }

    @Test func thePreviewListsTheFirstRowsAndSaysHowManyMore() async throws {
        let ledger = ImportTests.emptyLedger()
        try await withServer(ledger: ledger) { s in
            let rows = (0..<12).map { (day: $0 + 2, id: "PPA\($0)", gross: "\(100 + $0).50") }
            let session = try await preview(s, "paypal.csv", Self.payPal(rows), language: "es")
            #expect(session["state"] as? String == "previewed", "\(session)")
            let preview = try #require(session["preview"] as? [String: Any])
            #expect(preview["new"] as? Int == 12)
            let first = try #require(preview["first_rows"] as? [[String: Any]], "\(preview.keys.sorted())")
            #expect(first.count == 10)
            #expect(preview["more_rows"] as? Int == 2)
            #expect(preview["more_rows_text"] as? String == "2 movimientos más que no se muestran (12 en total).")
            let top = first[0]
            #expect(top["date"] as? String == "2026-01-02")
            #expect(top["date_text"] as? String == "2 ene 2026")
            #expect(top["amount"] as? String == "100.50")
            #expect(top["currency"] as? String == "EUR")
            #expect(top["amount_text"] as? String == "100,50 €")
            #expect(top["account"] as? String == "assets:paypal")
            #expect(top["status"] as? String == "new")
            #expect(top["line"] as? Int == 2)
            #expect(top["platform"] as? String == "PayPal", "\(top)")
            #expect(!((top["description_text"] as? String) ?? "").isEmpty)
            // In file order: the tenth row is the tenth of the file.
            #expect(first.map { $0["amount"] as? String } == (0..<10).map { "\(100 + $0).50" })
            // Nothing was written by the preview.
            #expect(!FileManager.default.fileExists(atPath: ledger))
        }
    }

    @Test func eachRowSaysWhetherTheLedgerAlreadyHoldsIt() async throws {
        let ledger = ImportTests.emptyLedger()
        try await withServer(ledger: ledger) { s in
            // Two rows imported first (days after the 12th: a month-first file without doubt)...
            let earlier = try await preview(s, "january.csv", Self.payPal([(13, "PPX1", "10.00"), (14, "PPX2", "20.00")]), language: "en")
            let id = try #require(earlier["id"] as? String)
            let commit = try await s.change("POST", "/api/v1/books/main/imports/\(id)/commit")
            #expect(commit.status == 200, "\(commit.text)")
            let committed = try #require(ImportTests.object(try await s.get("/api/v1/books/main/imports/\(id)"))["committed"] as? [String: Any])
            #expect((committed["first_rows"] as? [[String: Any]])?.map { $0["status"] as? String } == ["new", "new"])
            // ...then a longer export that holds them among new ones: the writer says which is which.
            let csv = Self.payPal([(13, "PPX1", "10.00"), (14, "PPX2", "20.00"), (15, "PPX3", "30.00"), (16, "PPX4", "40.00"), (17, "PPX5", "50.00")])
            let session = try await preview(s, "january-again.csv", csv, language: "en")
            let preview = try #require(session["preview"] as? [String: Any], "\(session)")
            #expect(preview["new"] as? Int == 3 && preview["duplicates"] as? Int == 2, "\(preview)")
            let first = try #require(preview["first_rows"] as? [[String: Any]])
            #expect(first.map { $0["status"] as? String } == ["duplicate", "duplicate", "new", "new", "new"])
            #expect(first.map { $0["amount_text"] as? String } == ["10.00 EUR", "20.00 EUR", "30.00 EUR", "40.00 EUR", "50.00 EUR"])
            #expect(first.first?["date_text"] as? String == "2026-01-13")
            #expect(preview["more_rows"] as? Int == 0)
            #expect(preview["more_rows_text"] is NSNull)
            #expect(try SQLiteLedgerStore(path: ledger).transactionCount() == 2, "the preview wrote nothing")
        }
    }

    @Test func anEInvoiceIsOneRowInThePagesLanguage() async throws {
        let ledger = ImportTests.emptyLedger()
        try await withServer(ledger: ledger) { s in
            let xml = String(decoding: try Data(contentsOf: ImportTests.demoFile("invoices/LMS-2026-001.xml")), as: UTF8.self)
            let first = try await preview(s, "LMS-2026-001.xml", xml, language: "es")
            let rows = try #require((first["preview"] as? [String: Any])?["first_rows"] as? [[String: Any]], "\(first)")
            #expect(rows.count == 1)
            #expect((rows.first?["description_text"] as? String)?.hasPrefix("Factura LMS-2026-001 a ") == true, "\(rows)")
            #expect((rows.first?["description"] as? String)?.hasPrefix("Invoice LMS-2026-001 to ") == true, "\(rows)")
            #expect(rows.first?["status"] as? String == "new")
            #expect(rows.first?["currency"] as? String != nil && rows.first?["client"] as? String != nil, "\(rows)")
            let id = try #require(first["id"] as? String)
            #expect(try await s.change("POST", "/api/v1/books/main/imports/\(id)/commit").status == 200)
            // The same invoice again: the ledger holds it.
            let again = try await preview(s, "LMS-2026-001-again.xml", xml + "\n", language: "es")
            let rowsAgain = try #require((again["preview"] as? [String: Any])?["first_rows"] as? [[String: Any]], "\(again)")
            #expect(rowsAgain.map { $0["status"] as? String } == ["duplicate"])
        }
    }

    @Test func theOpenAPIDocumentDescribesTheRows() async throws {
        try await withServer { s in
            let doc = try JSONParser.parse(Array(try await s.get("/api/v1/openapi.json").text.utf8)).value
            let schemas = doc.objectValue("components").objectValue("schemas")
            let row = schemas.objectValue("ImportRow").objectValue("properties")
            for field in ["date", "date_text", "description", "counterparty", "amount", "currency", "amount_text", "platform", "client", "status"] {
                #expect(row[field] != nil, "ImportRow lacks \(field)")
            }
            let preview = "\(schemas.objectValue("ImportPreview").serialized())"
            #expect(preview.contains("\"first_rows\"") && preview.contains("\"more_rows\"") && preview.contains("#/components/schemas/ImportRow"))
            let get = doc.objectValue("paths").objectValue("/books/{book}/imports/{id}").objectValue("get")
            let schema = get.objectValue("responses").objectValue("200").objectValue("content").objectValue("application/json").objectValue("schema")
            #expect(schema["$ref"] == .string("#/components/schemas/ImportSession"))
            #expect(schemas.objectValue("ImportSession").objectValue("properties")["preview"] != nil)
        }
    }
}

/// A page of transactions opened from a cursor alone (a link kept or shared, without `page`)
/// still says where it is, as the pages reached through the pager do.
@Suite struct TransactionsPositionTests {
    /// The cursor of the page after `hops` pages of `query`, followed through the API.
    func cursor(_ s: RunningServer, _ query: String, hops: Int) async throws -> (cursor: String, matching: Int) {
        var cursor: String?
        var matching = 0
        for _ in 0..<hops {
            let r = try await s.get("/api/v1/books/main/transactions?" + query + (cursor.map { "&cursor=\($0)" } ?? ""))
            let doc = try JSONParser.parse(Array(r.text.utf8)).value
            guard case .string(let next)? = doc["next_cursor"] else { Issue.record("no next page: \(r.text.prefix(200))"); return ("", 0) }
            if case .number(let n)? = doc["matching"] { matching = Int(n) ?? 0 }
            cursor = next
        }
        return (cursor!, matching)
    }

    @Test func aMiddlePageOpenedFromItsCursorSaysWhichPageItIs() async throws {
        try await withServer { s in
            for (query, limit) in [("limit=10", 10), ("limit=10&sort=amount", 10), ("limit=5&platform=Upwork", 5)] {
                let (c, matching) = try await cursor(s, query, hops: 3)
                let pages = (matching + limit - 1) / limit
                #expect(pages > 5, "\(query): \(matching) transactions")
                let en = try await s.get("/books/main/transactions?\(query)&cursor=\(c)", headers: [("Accept", "text/html")])
                #expect(en.status == 200)
                #expect(en.text.contains("Page 4 of \(pages)"), "\(query)")
                // The pager's own links carry the number on.
                #expect(en.text.contains("page=5"), "\(query)")
                let es = try await s.get("/books/main/transactions?\(query)&cursor=\(c)&lang=es", headers: [("Accept", "text/html")])
                #expect(es.text.contains("Página 4 de \(pages)"), "\(query)")
            }
        }
    }

    @Test func theAPIAnswersThePageAsBefore() async throws {
        try await withServer { s in
            let (c, _) = try await cursor(s, "limit=10", hops: 2)
            let r = try await s.get("/api/v1/books/main/transactions?limit=10&cursor=\(c)")
            let doc = try JSONParser.parse(Array(r.text.utf8)).value
            guard case .object(let members) = doc else { Issue.record("not an object"); return }
            #expect(members.map(\.key) == ["report", "schema", "sort", "limit", "matching", "next_cursor", "has_previous", "previous_cursor", "transactions"])
        }
    }
}

/// Money on charts is written as the page writes amounts: a floor of 1500.50 is 1.500,50 in
/// Spanish and 1,500.50 in English, never rounded to 1.501; cents are left out only when zero.
@Suite struct ChartMoneyLabelTests {
    @Test func theForecastsFloorLabelKeepsItsCents() async throws {
        try await withServer { s in
            let es = try await s.get("/books/main/forecast?floor=1500,50&lang=es", headers: [("Accept", "text/html")])
            #expect(es.status == 200)
            #expect(es.text.contains("mínimo 1.500,50</text>"), "\(es.text.components(separatedBy: "mínimo").dropFirst().first?.prefix(40) ?? "no floor")")
            #expect(!es.text.contains("mínimo 1.501"))
            let en = try await s.get("/books/main/forecast?floor=1500.50", headers: [("Accept", "text/html")])
            #expect(en.text.contains("floor 1,500.50</text>"))
            let whole = try await s.get("/books/main/forecast?floor=3000", headers: [("Accept", "text/html")])
            #expect(whole.text.contains("floor 3,000</text>"), "cents dropped when they are zero")
        }
    }

    @Test func theMonthlyBarsTotalsAreTheTablesAmounts() async throws {
        // The demo's net income in January 2026 is 3239.55 EUR (the monthly table says so): the
        // bar's total said 3,240.
        try await withServer { s in
            let json = try await s.get("/api/v1/books/main/reports/monthly?period=2026-01")
            #expect(json.text.contains("3239.55"), "\(json.text.prefix(400))")
            let en = try await s.get("/books/main/reports?period=2026", headers: [("Accept", "text/html")])
            #expect(en.text.contains(">3,239.55</text>"))
            #expect(!en.text.contains(">3,240</text>"))
            let es = try await s.get("/books/main/reports?period=2026&lang=es", headers: [("Accept", "text/html")])
            #expect(es.text.contains(">3.239,55</text>"))
        }
    }
}

/// The security checks' problems (Origin, CSRF token, Host) follow the request's language like
/// every other problem of the API; their `code` does not change.
@Suite struct SecurityProblemLanguageTests {
    static func problem(_ r: RawHTTPResponse) throws -> JSONValue { try JSONParser.parse(Array(r.text.utf8)).value }

    @Test func originAndCSRFProblemsAreInSpanishWhenAskedFor() async throws {
        try await withServer { s in
            let spanish = [("Accept-Language", "es-ES,es;q=0.9")]
            var r = try await s.send("POST", "/api/v1/books/main/settings", headers: spanish + [("Content-Type", "application/json")], body: Data("{}".utf8))
            #expect(r.status == 403)
            var p = try Self.problem(r)
            #expect(p["code"] == .string("foreign-origin"))
            #expect(p["title"] == .string("Prohibido"))
            #expect(p["detail"] == .string("los cambios solo pueden venir de las páginas de esta aplicación (falta la cabecera Origin)"))
            #expect(p["hint"] == .string("usa la página; los scripts envían Origin: http://127.0.0.1:\(s.port)"), "\(r.text)")

            r = try await s.send("POST", "/api/v1/books/main/settings", headers: spanish + [("Origin", "http://evil.example")])
            p = try Self.problem(r)
            #expect(p["code"] == .string("foreign-origin"))
            #expect(p["detail"] == .string("los cambios solo pueden venir de las páginas de esta aplicación (Origin http://evil.example)"))

            r = try await s.send("POST", "/api/v1/books/main/settings", headers: [("Cookie", "saldo_lang=es"), ("Origin", s.origin)])
            #expect(r.status == 403)
            p = try Self.problem(r)
            #expect(p["code"] == .string("csrf-token"))
            #expect(p["detail"] == .string("a la petición le falta el token CSRF de esta página"))
            #expect(p["hint"] == .string("recarga la página y vuelve a intentarlo; los scripts leen el token en GET /api/v1/session"))

            r = try await s.send("GET", "/api/v1/books/main/reports/monthly", headers: spanish, host: "evil.example:\(s.port)")
            #expect(r.status == 421)
            p = try Self.problem(r)
            #expect(p["code"] == .string("foreign-host"))
            #expect(p["title"] == .string("Dirección incorrecta"))
            #expect(r.text.contains("\"detail\": \"este servidor solo responde a "), "\(r.text)")
        }
    }

    @Test func englishStaysAsItWas() async throws {
        try await withServer { s in
            let r = try await s.send("POST", "/api/v1/books/main/settings", headers: [("Origin", s.origin)])
            let p = try Self.problem(r)
            #expect(p["code"] == .string("csrf-token"))
            #expect(p["title"] == .string("Forbidden"))
            #expect(p["detail"] == .string("the request lacks this page's CSRF token"))
            let none = try Self.problem(try await s.send("POST", "/api/v1/books/main/settings"))
            #expect(none["detail"] == .string("a change must come from this app's own pages (Origin missing)"))
        }
    }
}
