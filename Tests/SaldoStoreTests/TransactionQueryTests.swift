import Foundation
import Testing
import PropertyBased
@testable import SaldoStore
import SaldoCore
import SaldoTestSupport

/// Keyset pages of transactions: every transaction exactly once, in order, whatever the page size,
/// the sort and the filters.
@Suite struct TransactionQueryTests {
    static func ledger(seed: Int, count: Int, on engine: Engine = .sqlite) throws -> any LedgerStore {
        var ts = randomTransactions(seed: seed, count: count)
        for i in ts.indices { ts[i].dedupKey = "k:\(i)" }
        // Several transactions on one day, so that ties on the sort key are broken by id.
        for i in ts.indices where i % 3 == 0 { ts[i].date = ts[0].date }
        let store = try engine.emptyStore()
        _ = try store.record(ImportRecord(fileName: "r.csv", sha256: "r\(seed)", format: "t", transactions: ts),
                             now: Date(timeIntervalSince1970: 1_800_000_000))
        return store
    }

    /// Every page of `query`, following the cursor.
    static func walk(_ store: any LedgerStore, _ query: TransactionQuery) throws -> (ids: [Int64], matching: Set<Int>, pages: Int) {
        var q = query
        var ids: [Int64] = []
        var matching: Set<Int> = []
        var pages = 0
        while true {
            let page = try store.transactionPage(q)
            pages += 1
            #expect(page.rows.count <= q.limit)
            ids += page.rows.map(\.id)
            matching.insert(page.matching)
            guard let next = page.next else { break }
            #expect(page.rows.count == q.limit, "a page before the last is full")
            q.after = next
            if pages > 10_000 { Issue.record("pagination does not end"); break }
        }
        return (ids, matching, pages)
    }

    /// Whether a transaction's description, payee or reference holds `folded` once folded (the search's rule).
    static func holds(_ t: Transaction, _ folded: String) -> Bool {
        [t.description, t.payee, t.externalID, t.platform, t.client].contains { $0.map { SearchFolding.fold($0).contains(folded) } == true }
    }

    static func firstAmount(_ t: Transaction) -> Int64 { t.postings.first?.amount.minorUnits ?? 0 }

    static func expected(_ all: [StoredTransaction], sort: TransactionQuery.Sort) -> [Int64] {
        let keyed = all.map { s -> (Int64, Int64) in
            (sort == .amountAsc || sort == .amountDesc ? firstAmount(s.transaction) : Int64(s.transaction.date.ordinal), s.id)
        }
        let ascending = keyed.sorted { $0 < $1 }.map(\.1)
        return sort == .dateDesc || sort == .amountDesc ? ascending.reversed() : ascending
    }

    @Test(arguments: Engine.available)
    func walkingEveryPageReturnsEveryTransactionOnceInOrder(engine: Engine) async throws {
        await propertyCheck(count: 25, input: Gen.int(in: 0...1_000_000), Gen.int(in: 0...120), Gen.int(in: 1...40)) { seed, n, limit in
            do {
                let store = try Self.ledger(seed: seed, count: n, on: engine)
                let all = try store.transactions()
                for sort in TransactionQuery.Sort.allCases {
                    let walked = try Self.walk(store, TransactionQuery(sort: sort, limit: limit))
                    #expect(walked.ids == Self.expected(all, sort: sort), "seed \(seed) n \(n) limit \(limit) sort \(sort.rawValue)")
                    #expect(Set(walked.ids).count == walked.ids.count, "no transaction twice")
                    #expect(walked.matching == [all.count])
                }
            } catch { Issue.record("seed \(seed): \(error)") }
        }
    }

    @Test(arguments: Engine.available)
    func filtersCombineAndMatchTheLedger(engine: Engine) throws {
        let store = try Self.ledger(seed: 2026, count: 400, on: engine)
        let all = try store.transactions()
        let days = all.map(\.transaction.date).sorted()
        let period = Period(start: days[days.count / 4], end: days[days.count * 3 / 4])
        let paypal = try Account("assets:paypal"), income = try Account("income")
        let cases: [(TransactionQuery, (Transaction) -> Bool)] = [
            (TransactionQuery(period: period), { period.contains($0.date) }),
            (TransactionQuery(platforms: ["Invoice 12"]), { $0.platform == "Invoice 12" }),
            (TransactionQuery(clients: ["", "Invoice 12"]), { $0.client == "" || $0.client == "Invoice 12" }),
            (TransactionQuery(accounts: [income]), { $0.postings.contains { $0.account.isUnder(income) } }),
            (TransactionQuery(currencies: [.JPY]), { $0.postings.contains { $0.amount.currency == .JPY } }),
            (TransactionQuery(text: "café"), { t in Self.holds(t, "cafe") }),
            (TransactionQuery(text: "INVOICE"), { t in Self.holds(t, "invoice") }),
            (TransactionQuery(text: "%"), { t in [t.description, t.payee, t.externalID].contains { $0?.contains("%") == true } }),
            // Pinned (tester): "CAFÉ", "Cafe" and "café" find the same; a platform typed in lower case is found.
            (TransactionQuery(text: "CAFE"), { t in Self.holds(t, "cafe") }),
            (TransactionQuery(platforms: ["invoice 12"]), { $0.platform == "Invoice 12" }),
            (TransactionQuery(clients: ["INVOICE 12"]), { $0.client == "Invoice 12" }),
            (TransactionQuery(period: period, platforms: ["Invoice 12", "PPB-0000000000000001"], accounts: [paypal], currencies: [.EUR, .USD], text: "a"),
             { t in period.contains(t.date) && ["Invoice 12", "PPB-0000000000000001"].contains(t.platform ?? "-")
                 && t.postings.contains { $0.account.isUnder(paypal) } && t.postings.contains { [.EUR, .USD].contains($0.amount.currency) }
                 && Self.holds(t, "a") }),
        ]
        for (i, (query, keep)) in cases.enumerated() {
            var q = query
            q.limit = 13
            let want = all.filter { keep($0.transaction) }
            let walked = try Self.walk(store, q)
            #expect(walked.ids == Self.expected(want, sort: .dateDesc), "case \(i)")
            #expect(walked.matching == [want.count], "case \(i)")
            // "%" is a character to find, not a wildcard: no text holds one, so nothing matches.
            if i == 7 { #expect(want.isEmpty && walked.ids.isEmpty) } else if i < cases.count - 1 { #expect(!want.isEmpty, "case \(i) selects something") }
        }
    }

    @Test func cursorTokensRoundTripAndRefuseAnythingElse() throws {
        let c = TransactionCursor(sort: .amountDesc, key: -123_456, id: 42)
        #expect(TransactionCursor(token: c.token) == c)
        #expect(!c.token.contains("=") && !c.token.contains("+") && !c.token.contains("/"))
        for bad in ["", "abc", "djEuZGF0ZS4xLg", String(repeating: "A", count: 300), "v1.date.1.2",
                    Data("v1.sideways.1.2".utf8).base64EncodedString(), Data("v2.date.1.2".utf8).base64EncodedString(),
                    Data("v1.date.x.2".utf8).base64EncodedString()] {
            #expect(TransactionCursor(token: bad) == nil, "\(bad)")
        }
        for engine in Engine.available {
        let store = try Self.ledger(seed: 1, count: 5, on: engine)
        #expect(throws: StoreError.self) { try store.transactionPage(TransactionQuery(sort: .dateAsc, after: TransactionCursor(sort: .amountAsc, key: 0, id: 0))) }
        }
    }

    @Test(arguments: Engine.available)
    func sourcesComeWithTheirFileAndLine(engine: Engine) throws {
        let store = try engine.emptyStore()
        var t = payment("2026-03-01", 1000, id: "A")
        t.source = SourceLocation(file: "activity.csv", line: 7)
        var u = payment("2026-03-02", 2000, id: "B")
        u.source = nil
        _ = try store.record(ImportRecord(fileName: "batch.csv", sha256: "s", format: "t", transactions: [t, u]))
        let page = try store.transactionPage(TransactionQuery(sort: .dateAsc))
        #expect(page.rows.map(\.transaction.source?.file) == ["activity.csv", "batch.csv"])
        #expect(page.rows.first?.transaction.source?.line == 7)
    }

    @Test func pagesUseTheIndexesNotAFullSort() throws {
        let store = try Self.ledger(seed: 3, count: 10) as! SQLiteLedgerStore
        let plans = try store.rowTexts("EXPLAIN QUERY PLAN SELECT t.id FROM txn t WHERE t.platform IN ('x') AND t.day >= 1 AND t.day < 9 ORDER BY t.day DESC, t.id DESC LIMIT 51")
            + store.rowTexts("EXPLAIN QUERY PLAN SELECT t.id FROM txn t ORDER BY \(SQLiteLedgerStore.firstAmountSQL) DESC, t.id DESC LIMIT 51")
        #expect(!plans.joined().contains("TEMP B-TREE"), "\(plans)")
    }
}

/// Migration v6 adds the stored first amount the amount orders read (instead of an index on a JSON
/// expression): a ledger written before it is backfilled and then answers exactly as a new one.
@Suite struct FirstAmountMigrationTests {
    @Test func aLedgerFromBeforeTheColumnAnswersAsANewOne() throws {
        var ts = randomTransactions(seed: 5, count: 150)
        for i in ts.indices { ts[i].dedupKey = "k:\(i)" }
        let (older, current) = try olderLedger(upTo: "2026-12-06-v5-statement-originals", ts)
        #expect(try !older.rowTexts("PRAGMA table_info(txn)").joined().contains("first_amount"))
        try older.migrate()
        #expect(try older.rowTexts("SELECT * FROM txn ORDER BY id") == current.rowTexts("SELECT * FROM txn ORDER BY id"))
        #expect(try older.rowTexts("SELECT id FROM txn WHERE first_amount != 0").count > 100, "the backfill wrote the amounts")
        #expect(try older.schemaSQL() == current.schemaSQL())
        #expect(try older.integrityCheck() == "ok")
        let all = try current.transactions()
        for sort in TransactionQuery.Sort.allCases {
            for limit in [1, 7, 50] {
                let walked = try TransactionQueryTests.walk(older, TransactionQuery(sort: sort, limit: limit))
                #expect(walked.ids == TransactionQueryTests.expected(all, sort: sort), "\(sort.rawValue) limit \(limit)")
                #expect(walked.ids == (try TransactionQueryTests.walk(current, TransactionQuery(sort: sort, limit: limit))).ids)
            }
        }
        // The next import into the migrated ledger writes the column itself.
        var more = randomTransactions(seed: 6, count: 20)
        for i in more.indices { more[i].dedupKey = "m:\(i)" }
        _ = try older.record(ImportRecord(fileName: "b.csv", sha256: "b", format: "t", transactions: more))
        #expect(try older.rowTexts("SELECT id FROM txn WHERE first_amount != COALESCE(json_extract(postings, '$[0][2]'), 0)").isEmpty)
        #expect(try TransactionQueryTests.walk(older, TransactionQuery(sort: .amountDesc, limit: 9)).ids
                == TransactionQueryTests.expected(try older.transactions(), sort: .amountDesc))
    }
}
