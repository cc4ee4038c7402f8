import Foundation
import Testing
import SaldoApp
import SaldoCore
import SaldoStore
import SaldoTestSupport
@testable import SaldoWeb

/// Each transaction row links to the line of the file it came from: a page with the lines around
/// it (its own marked), the same document as JSON, and the kept copy as a download.
@Suite struct TransactionSourceWebTests {
    @Test func aRowLinksToItsLineAndTheLineIsShown() async throws {
        let store = try LedgerLocation(path: webDemoLedger).open(.existing)
        let row = try #require(try store.transactions().first { $0.transaction.source?.line != nil && $0.transaction.source?.file.hasSuffix(".csv") == true })
        let line = try #require(row.transaction.source?.line)
        try await withServer { s in
            let list = try await s.get("/books/main/transactions?sort=date&limit=200", headers: [("Accept", "text/html")])
            #expect(list.text.contains("href=\"/books/main/transactions/"), "rows link to their source")
            let page = try await s.get("/books/main/transactions/\(row.id)/source", headers: [("Accept", "text/html")])
            #expect(page.status == 200, "\(page.text.prefix(300))")
            #expect(page.text.contains("id=\"L\(line)\" class=\"src-row\""), "the transaction's line is marked")
            #expect(page.text.contains("/books/main/transactions/\(row.id)/original"), "the copy can be downloaded")
            #expect(!page.text.contains("style=\""), "no inline style (CSP)")
            let api = try await s.get("/api/v1/books/main/transactions/\(row.id)/source?context=1")
            #expect(api.status == 200)
            #expect(api.text == (try Transactions.source(id: row.id, context: 1, store: store).json().serialized()))
            let download = try await s.get("/books/main/transactions/\(row.id)/original")
            #expect(download.status == 200)
            #expect(download.header("Content-Disposition")?.hasPrefix("attachment; filename=\"") == true)
            #expect(download.header("Content-Type") == "application/octet-stream")
            #expect(download.body == (try Transactions.original(id: row.id, store: store).bytes))
            let es = try await s.get("/books/main/transactions/\(row.id)/source?lang=es", headers: [("Accept", "text/html")])
            #expect(es.text.contains("Volver a los movimientos"))
        }
    }

    @Test func unknownOrMalformedIdsAreNotFound() async throws {
        try await withServer { s in
            for id in ["987654321", "0", "-3", "abc", "1%27%20OR%201=1"] {
                let api = try await s.get("/api/v1/books/main/transactions/\(id)/source")
                #expect(api.status == 404, "\(id): \(api.status)")
                #expect(api.header("Content-Type")?.hasPrefix("application/problem+json") == true)
                let download = try await s.get("/books/main/transactions/\(id)/original")
                #expect(download.status == 404, "\(id)")
            }
            let bad = try await s.get("/api/v1/books/main/transactions/1/source?context=500")
            #expect(bad.status == 400 && bad.text.contains("context"))
        }
    }
}
