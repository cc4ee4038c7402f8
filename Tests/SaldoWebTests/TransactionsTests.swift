import Foundation
import Testing
import SaldoApp
import SaldoCore
import SaldoReports
import SaldoStore
import SaldoTestSupport
@testable import SaldoWeb

/// The Transactions page and API: the use case's document as JSON, pages with a cursor, filters,
/// and problems that name the parameter.
@Suite struct TransactionsTests {
    func store() throws -> any LedgerStore { try LedgerLocation(path: webDemoLedger).open(.existing) }

    @Test func apiAnswersTheUseCasesDocument() async throws {
        let store = try store()
        try await withServer { s in
            for (path, query) in [
                ("", TransactionQuery()),
                ("?platform=Upwork&sort=amount-desc&limit=7", TransactionQuery(platforms: ["Upwork"], sort: .amountDesc, limit: 7)),
                ("?period=2026-Q2&currency=usd&q=upwork", TransactionQuery(period: try Period.parse("2026-Q2"), currencies: [.USD], text: "upwork")),
                ("?account=assets:wise&from=2026-01-01&to=2026-03-31&sort=date",
                 TransactionQuery(period: try PeriodChoice.resolve(period: nil, from: "2026-01-01", to: "2026-03-31"), accounts: [try Account("assets:wise")], sort: .dateAsc)),
            ] {
                let r = try await s.get("/api/v1/books/main/transactions" + path)
                #expect(r.status == 200, "\(path): \(r.text.prefix(300))")
                #expect(r.header("Content-Type")?.hasPrefix("application/json") == true)
                let expected = render(try Transactions.page(query, store: store), format: .json)
                #expect(r.text == expected, "\(path)")
                #expect(r.text.contains("\"matching\""))
            }
        }
    }

    @Test func walkingTheCursorReturnsEveryTransactionOnce() async throws {
        let total = try store().transactionCount()
        try await withServer { s in
            for sort in ["date-desc", "amount"] {
                var path = "/api/v1/books/main/transactions?limit=97&sort=\(sort)"
                var ids: [String] = []
                var pages = 0
                while pages < 100 {
                    let r = try await s.get(path)
                    #expect(r.status == 200, "\(path): \(r.text.prefix(200))")
                    guard case .object(let top) = try JSONParser.parse(Array(r.text.utf8)).value else { Issue.record("not an object"); return }
                    guard case .array(let rows)? = top.first(where: { $0.key == "transactions" })?.value else { Issue.record("no rows"); return }
                    for row in rows { if case .object(let m) = row, case .number(let id)? = m.first(where: { $0.key == "id" })?.value { ids.append(id) } }
                    pages += 1
                    guard case .string(let next)? = top.first(where: { $0.key == "next_cursor" })?.value else { break }
                    path = "/api/v1/books/main/transactions?limit=97&sort=\(sort)&cursor=\(next)"
                }
                #expect(ids.count == total, "\(sort)")
                #expect(Set(ids).count == total, "\(sort): no transaction twice")
                #expect(pages == (total + 96) / 97)
            }
        }
    }

    @Test func badParametersAreProblemsThatNameTheParameter() async throws {
        let otherOrder = TransactionCursor(sort: .amountAsc, key: 1, id: 1).token
        try await withServer { s in
            let cases: [(String, Int, String)] = [
                ("?cursor=not-a-cursor", 400, "cursor: expected the next_cursor of an earlier page"),
                ("?cursor=\(otherOrder)", 400, "cursor: this position belongs to the order amount"),
                ("?limit=0", 400, "limit: expected a whole number from 1 to 200, found \\\"0\\\""),
                ("?limit=201", 400, "limit: expected a whole number from 1 to 200"),
                ("?limit=ten", 400, "limit: expected a whole number"),
                ("?sort=sideways", 400, "sort: expected one of date-desc, date, amount-desc, amount"),
                ("?currency=EURO", 400, "currency: expected an ISO 4217 code"),
                ("?account=Assets::x", 400, "account:"),
                ("?from=2026-02-30", 400, "2026-02-30"),
                ("?q=" + String(repeating: "a", count: 201), 400, "q: expected at most 200 characters"),
            ]
            for (query, status, text) in cases {
                let r = try await s.get("/api/v1/books/main/transactions" + query)
                #expect(r.status == status, "\(query): \(r.status) \(r.text)")
                #expect(r.header("Content-Type") == "application/problem+json", "\(query)")
                #expect(r.text.contains(text), "\(query): \(r.text)")
            }
            let unknown = try await s.get("/api/v1/books/nope/transactions")
            #expect(unknown.status == 404 && unknown.text.contains("there is no book named"))
            let post = try await s.change("POST", "/api/v1/books/main/transactions", json: "{\"limit\": 5}")
            #expect([404, 405].contains(post.status), "\(post.status)")
            #expect(post.header("Content-Type") == "application/problem+json")
            let malformed = try await s.change("PUT", "/api/v1/books/main/transactions", json: "{not json")
            #expect([404, 405].contains(malformed.status))
        }
    }

    @Test func thePageShowsRowsSourcesAndTheNextPageWithoutInlineCode() async throws {
        try await withServer { s in
            let r = try await s.get("/books/main/transactions?platform=Upwork&limit=5", headers: [("Accept", "text/html")])
            #expect(r.status == 200, "\(r.text.prefix(300))")
            let html = r.text
            #expect(html.contains("<table class=\"tx\" role=\"table\">"))
            #expect(html.components(separatedBy: "<tr id=\"tx-").count - 1 == 5)
            #expect(html.contains("upwork-transactions.csv:"), "source file and line")
            #expect(html.contains("rel=\"next\"") && html.contains("cursor="))
            #expect(html.contains("/assets/transactions.js") && html.contains("/assets/transactions.css"))
            #expect(!html.contains("<script>") && !html.contains("<style") && !html.contains(" style=\"") && !html.contains(" onclick="))
            for label in ["<label>Search", "<label>Period", "<label>Platform", "<label>Order"] { #expect(html.contains(label), "\(label)") }
            // The next page link works and the first page link appears on it.
            let next = try #require(html.range(of: "href=\"/books/main/transactions?[^\"]*cursor=[^\"]*\"", options: .regularExpression))
            let href = String(html[next]).dropFirst(6).dropLast().replacingOccurrences(of: "&amp;", with: "&")
            let second = try await s.get(String(href), headers: [("Accept", "text/html")])
            #expect(second.status == 200)
            #expect(second.text.contains(">First page<"))
            let es = try await s.get("/books/main/transactions?lang=es&q=zzzz-nothing", headers: [("Accept", "text/html")])
            #expect(es.text.contains("<html lang=\"es\""))
            #expect(es.text.contains("Ningún movimiento coincide"))
            #expect(es.text.contains("0 movimientos coinciden"))
        }
    }

    @Test func theOpenAPIDocumentDescribesEveryParameter() async throws {
        try await withServer { s in
            let r = try await s.get("/api/v1/openapi.json")
            for name in ["listTransactions", "getOverview", "\"cursor\"", "\"limit\"", "\"sort\"", "\"q\"", "\"floor\""] {
                #expect(r.text.contains(name), "\(name)")
            }
        }
    }
}
