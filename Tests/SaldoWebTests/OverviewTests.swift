import Foundation
import Testing
import NIOCore
import Synchronization
import SaldoApp
import SaldoCore
import SaldoReports
import SaldoStore
import SaldoTestSupport
@testable import SaldoWeb

/// The Overview page and API: the use case's document, the same figures as the monthly report
/// and the forecast, and explanations instead of errors where a part cannot be computed.
@Suite struct OverviewWebTests {
    func member(_ text: String, _ key: String) throws -> JSONValue? {
        guard case .object(let ms) = try JSONParser.parse(Array(text.utf8)).value else { return nil }
        return ms.first { $0.key == key }?.value
    }

    @Test func apiAnswersTheUseCasesDocumentWithTheReportsFigures() async throws {
        let store = try LedgerLocation(path: webDemoLedger).open(.existing)
        let expected = try Overview.build(OverviewRequest(today: webDemoDay, floor: try ExactDecimal("1500")), store: store).json().serialized()
        try await withServer { s in
            let r = try await s.get("/api/v1/books/main/overview?floor=1500")
            #expect(r.status == 200, "\(r.text.prefix(300))")
            #expect(r.text == expected)
            // The monthly part is what the monthly report's API (the CLI's JSON) says for the same period.
            let monthly = try await s.get("/api/v1/books/main/reports/monthly?from=2025-12-01&to=2026-11-15")
            guard case .object(let earnings)? = try member(r.text, "earnings") else { Issue.record("no earnings"); return }
            #expect(earnings.first { $0.key == "monthly" }?.value == (try JSONParser.parse(Array(monthly.text.utf8)).value))
            // Asked again: the same answer (from the cache, the ledger has not changed).
            let again = try await s.get("/api/v1/books/main/overview?floor=1500")
            #expect(again.text == r.text)
            #expect(!r.text.contains("e+") && !r.text.contains("E+"), "no float amounts")
        }
    }

    static func payment(_ key: String, _ cents: Int64) -> Transaction {
        Transaction(date: Day(year: 2026, month: 11, day: 2)!, description: "Payment", kind: .earning, postings: [
            Posting(try! Account("assets:paypal"), Money(minorUnits: cents, currency: .EUR)),
            Posting(try! Account("income:prolific"), Money(minorUnits: -cents, currency: .EUR)),
        ], platform: "Prolific", dedupKey: key)
    }

    @Test func theCacheFollowsTheLedger() async throws {
        let path = Fixtures.temporaryDirectory().appendingPathComponent("overview-cache.sqlite").path
        let store = try SQLiteLedgerStore(path: path)
        try Settings.set(.jurisdiction, "es", in: store)
        _ = try store.record(ImportRecord(fileName: "a.csv", sha256: "a", format: "t", transactions: [Self.payment("a", 100_00)]))
        try await withServer(ledger: path) { s in
            let first = try await s.get("/api/v1/books/main/overview")
            #expect(first.text.contains("\"net\": \"100.00\""), "\(first.text.prefix(400))")
            // Another connection writes (as an import would): the next answer has the new figures.
            let writer = try SQLiteLedgerStore(path: path)
            _ = try writer.record(ImportRecord(fileName: "b.csv", sha256: "b", format: "t", transactions: [Self.payment("b", 50_00)]))
            let second = try await s.get("/api/v1/books/main/overview")
            #expect(second.text.contains("\"net\": \"150.00\""), "\(second.text.prefix(400))")
        }
    }

    /// A change made by another program (the CLI importing) is picked up without any request: the
    /// server computes the overview for the new version in the background, so opening the page
    /// answers from the cache.
    @Test func theOverviewIsComputedBeforeItIsAskedFor() async throws {
        let path = Fixtures.temporaryDirectory().appendingPathComponent("overview-ahead.sqlite").path
        let store = try SQLiteLedgerStore(path: path)
        try Settings.set(.jurisdiction, "es", in: store)
        _ = try store.record(ImportRecord(fileName: "a.csv", sha256: "a", format: "t", transactions: [Self.payment("a", 100_00)]))
        try await withServer(ledger: path, computeAhead: true) { s in
            let today = s.server.options.clock.today
            func cached() async throws -> OverviewCache.Entry? {
                let version = try await s.server.books.read("main") { try $0.dataVersion() }
                return s.server.overviews.get("main|\(version)|\(today)||")
            }
            func waitForCache() async throws -> OverviewCache.Entry? {
                for _ in 0..<100 {
                    if let e = try await cached() { return e }
                    try await Task.sleep(for: .milliseconds(100))
                }
                return nil
            }
            let before = try #require(try await waitForCache(), "computed after start, before any request")
            #expect(before.body.getString(at: 0, length: before.body.readableBytes)?.contains("\"net\": \"100.00\"") == true)
            let writer = try SQLiteLedgerStore(path: path)
            _ = try writer.record(ImportRecord(fileName: "b.csv", sha256: "b", format: "t", transactions: [Self.payment("b", 50_00)]))
            let after = try #require(try await waitForCache(), "computed after the change, before any request")
            #expect(after.body.getString(at: 0, length: after.body.readableBytes)?.contains("\"net\": \"150.00\"") == true)
        }
    }

    /// Requests that arrive while the overview is being computed wait for that one computation.
    @Test func oneComputationServesEveryWaitingRequest() async throws {
        let cache = OverviewCache()
        final class Count: Sendable { let value = Mutex(0) }
        let count = Count()
        let doc = try Overview.build(OverviewRequest(today: Day(year: 2026, month: 11, day: 15)!), store: try SQLiteLedgerStore(path: webDemoLedger, mode: .existing))
        let entry = OverviewCache.Entry(document: doc, body: ByteBuffer(string: "x"))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<20 {
                group.addTask {
                    _ = try await cache.value("k") {
                        count.value.withLock { $0 += 1 }
                        try await Task.sleep(for: .milliseconds(300))
                        return entry
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(count.value.withLock { $0 } == 1)
        #expect(cache.running == 0)
        #expect(cache.get("k") != nil)
    }

    /// An office's clients read their overviews at the same time: the office server's cache keeps
    /// one per client for many clients (it kept 16, so 200 clients reading their overviews under
    /// load recomputed each one on nearly every request); the least recently used goes first.
    @Test func anOfficeCacheKeepsEveryClientsOverview() throws {
        let doc = try Overview.build(OverviewRequest(today: Day(year: 2026, month: 11, day: 15)!), store: try SQLiteLedgerStore(path: webDemoLedger, mode: .existing))
        let entry = OverviewCache.Entry(document: doc, body: ByteBuffer(string: "x"))
        let office = OverviewCache(capacity: OverviewCache.officeCapacity)
        for book in 1...2000 { office.put("\(book)|1|2026-11-15|||", entry) }
        #expect((1...2000).filter { office.get("\($0)|1|2026-11-15|||") == nil }.isEmpty, "every client's overview is still cached")
        let small = OverviewCache(capacity: 3)
        for key in ["a", "b", "c"] { small.put(key, entry) }
        _ = small.get("a")          // used again: "b" is now the least recently used
        small.put("d", entry)
        #expect(small.get("a") != nil && small.get("c") != nil && small.get("d") != nil)
        #expect(small.get("b") == nil)
        #expect(OverviewCache().capacity == OverviewCache.singleLedgerCapacity)
    }

    /// In Spanish the page's charts, days and periods are Spanish too (they came from the English
    /// documents once).
    @Test func theSpanishPageSpeaksSpanishThroughout() async throws {
        try await withServer { s in
            let page = try await s.get("/books/main/overview?lang=es", headers: [("Accept", "text/html")])
            #expect(page.status == 200)
            #expect(page.text.contains("Neto mensual por plataforma"), "the earnings chart's title")
            #expect(!page.text.contains("Net per month by platform"))
            #expect(!page.text.contains("forecast fan"))
            #expect(page.text.contains("15 nov 2026"), "today as Spanish writes it")
            #expect(!page.text.contains("2026-11-15"))
            #expect(page.text.contains("4T 2026"), "the quarter card")
        }
    }

    @Test func anEmptyLedgerExplainsInsteadOfFailing() async throws {
        let path = Fixtures.temporaryDirectory().appendingPathComponent("overview-empty.sqlite").path
        _ = try SQLiteLedgerStore(path: path)
        try await withServer(ledger: path) { s in
            let r = try await s.get("/api/v1/books/main/overview")
            #expect(r.status == 200, "\(r.text.prefix(300))")
            guard case .object(let e)? = try member(r.text, "earnings") else { Issue.record("no earnings"); return }
            #expect(e.first { $0.key == "available" }?.value == .bool(false))
            #expect(e.first { $0.key == "fix" }?.value == .string("import-statements"))
            guard case .object(let t)? = try member(r.text, "next_tax_payment") else { Issue.record("no tax"); return }
            #expect(t.first { $0.key == "fix" }?.value == .string("choose-jurisdiction"))
            let page = try await s.get("/books/main/overview", headers: [("Accept", "text/html")])
            #expect(page.status == 200)
            #expect(page.text.contains("class=\"ov-missing\""))
            #expect(page.text.contains("href=\"/books/main/import\""), "offers the import")
            #expect(page.text.contains("href=\"/books/main/settings\""), "offers the settings for the tax jurisdiction")
            // Nothing stated a balance: the page does not claim that every balance agrees.
            #expect(page.text.contains("No imported statement has stated a balance yet") && !page.text.contains("agrees with the ledger"))
        }
    }

    /// Pinned (web tester): a ledger with only older statements (a first try with 2023 exports) showed
    /// "no earnings for 2026-01-01..2026-12-07 … or choose another period" in English on the Spanish
    /// page, with no way to choose one. It says when the latest figures are and links to their reports.
    @Test func olderStatementsOnlyLeadToTheirYearsReportsInTheReadersLanguage() async throws {
        let path = Fixtures.temporaryDirectory().appendingPathComponent("overview-old-\(UUID().uuidString).sqlite").path
        let store = try SQLiteLedgerStore(path: path)
        _ = try store.record(ImportRecord(fileName: "old.csv", sha256: "old", format: "t", transactions: [Self.payment("old-1", 12_345)].map { t in
            var t = t; t.date = Day(year: 2023, month: 10, day: 4)!; return t
        }))
        try await withServer(ledger: path) { s in
            let r = try await s.get("/api/v1/books/main/overview")
            guard case .object(let e)? = try member(r.text, "earnings") else { Issue.record("no earnings"); return }
            #expect(e.first { $0.key == "fix" }?.value == .string("see-reports"))
            #expect(e.first { $0.key == "fix_period" }?.value == .string("2023"))
            let page = try await s.get("/books/main/overview?lang=es", headers: [("Accept", "text/html")])
            #expect(page.text.contains("no hay ingresos ni gastos en los últimos doce meses; lo más reciente es de oct 2023"), "\(page.text)")
            #expect(page.text.contains("href=\"/books/main/reports?period=2023\">Abrir los informes de 2023</a>"), "\(page.text)")
            #expect(!page.text.contains("no earnings"))
        }
    }

    @Test func thePageShowsEveryPartWithoutInlineCode() async throws {
        try await withServer { s in
            let r = try await s.get("/books/main/overview?floor=1500", headers: [("Accept", "text/html")])
            #expect(r.status == 200, "\(r.text.prefix(300))")
            let html = r.text
            for part in ["This month (2026-11)", "This quarter (2026-Q4)", "Year to date (2026)", "Next tax payment", "Invoices overdue",
                         "Statement balances", "Forecast", "Chance of earning less than", "<svg"] {
                #expect(html.contains(part), "\(part)")
            }
            #expect(html.contains("/assets/overview.js") && html.contains("/assets/overview.css"))
            #expect(!html.contains("<script>") && !html.contains("<style") && !html.contains(" style=\"") && !html.contains(" onclick="))
            #expect(html.contains("<label>Monthly amount you need"))
            let es = try await s.get("/books/main/overview?lang=es", headers: [("Accept", "text/html")])
            #expect(es.text.contains("<html lang=\"es\"") && es.text.contains("Este mes (nov 2026)") && es.text.contains("Próximo pago de impuestos"))
            // Amounts as Spanish writes them: the quarter's net, 3,848.36 in English.
            #expect(html.contains("3,848.36 EUR") && es.text.contains("3.848,36 €"))
        }
    }

    /// The page's own part is made once per overview, language and query, then put in the layout
    /// again for each request; a new ledger version makes it again with the new figures.
    @Test func thePagesOwnPartIsMadeOncePerOverviewLanguageAndQuery() async throws {
        let path = Fixtures.temporaryDirectory().appendingPathComponent("overview-page-parts.sqlite").path
        let store = try SQLiteLedgerStore(path: path)
        _ = try store.record(ImportRecord(fileName: "a.csv", sha256: "a", format: "t", transactions: [Self.payment("a", 100_00)]))
        try await withServer(ledger: path) { s in
            let today = s.server.options.clock.today
            func entry() async throws -> OverviewCache.Entry? {
                let version = try await s.server.books.read("main") { try $0.dataVersion() }
                return s.server.overviews.get("main|\(version)|\(today)||")
            }
            let html = [("Accept", "text/html")]
            let first = try await s.get("/books/main/overview", headers: html)
            let again = try await s.get("/books/main/overview", headers: html)
            #expect(first.status == 200 && again.text == first.text)
            #expect(try await entry()?.pages.count == 1)
            let es = try await s.get("/books/main/overview?lang=es", headers: html)
            #expect(es.text.contains("<html lang=\"es\"") && es.text.contains("100,00 €") && !es.text.contains("100.00 EUR"))
            #expect(try await entry()?.pages.count == 2)
            _ = try SQLiteLedgerStore(path: path).record(ImportRecord(fileName: "b.csv", sha256: "b", format: "t", transactions: [Self.payment("b", 50_00)]))
            let after = try await s.get("/books/main/overview", headers: html)
            #expect(after.text.contains("150.00 EUR") && !first.text.contains("150.00 EUR"))
            #expect(try await entry()?.pages.count == 1, "a new version's overview starts with no page made")
        }
    }

    @Test func badParametersNameTheParameter() async throws {
        try await withServer { s in
            for (query, text) in [("?floor=lots", "floor: expected an amount"), ("?floor=-5", "floor: expected an amount"),
                                  ("?currency=EURO", "currency: expected an ISO 4217 code")] {
                let r = try await s.get("/api/v1/books/main/overview" + query)
                #expect(r.status == 400, "\(query): \(r.text)")
                #expect(r.header("Content-Type") == "application/problem+json")
                #expect(r.text.contains(text), "\(query): \(r.text)")
            }
            let unknown = try await s.get("/api/v1/books/nope/overview")
            #expect(unknown.status == 404)
            let post = try await s.change("POST", "/api/v1/books/main/overview", json: "{}")
            #expect([404, 405].contains(post.status))
        }
    }
}
