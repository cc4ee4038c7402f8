import Foundation
import Testing
import SaldoApp
import SaldoCore
import SaldoStore
import SaldoTestSupport
@testable import SaldoWeb

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
