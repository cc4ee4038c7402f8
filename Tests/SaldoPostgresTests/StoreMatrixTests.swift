import Foundation
import SaldoBatch
import SaldoCore
import SaldoPostgres
@testable import SaldoStore
import SaldoTestSupport
import Testing

let fixedNow = Date(timeIntervalSince1970: 1_780_000_000)

func payment(_ day: String, _ cents: Int64, fee: Int64 = 0, id: String?, key: String? = nil, desc: String = "Payment",
             platform: String? = "Prolific", derived: Bool = false) -> Transaction {
    var postings = [
        Posting(try! Account("assets:paypal"), Money(minorUnits: cents - fee, currency: .USD)),
        Posting(try! Account("income:prolific"), Money(minorUnits: -cents, currency: .USD)),
    ]
    if fee != 0 { postings.append(Posting(try! Account("expenses:fees:paypal"), Money(minorUnits: fee, currency: .USD))) }
    var t = Transaction(date: Day(iso: day)!, description: desc, kind: .earning, postings: postings, platform: platform,
                        externalID: id, dedupKey: key ?? id.map { "paypal:\($0)" }, source: SourceLocation(file: "t.csv", line: 2))
    t.isDerived = derived
    return t
}

/// Everything a store answers, as text: two stores that hold the same ledger give the same text.
func snapshot(_ s: any LedgerStore) throws -> String {
    var out: [String] = []
    out.append("transactions: \(try s.transactions().map { "\($0.id) \($0.transaction)" })")
    out.append("facts: \(try s.facts(in: nil, roots: nil, aggregateByDay: false))")
    out.append("daily facts: \(try s.facts(in: nil, roots: nil, aggregateByDay: true))")
    out.append("income facts: \(try s.facts(in: nil, roots: [.income], aggregateByDay: true))")
    out.append("balances: \(try s.balances())")
    out.append("count: \(try s.transactionCount())")
    out.append("batches: \(try s.batches())")
    out.append("checks: \(try s.balanceChecks())")
    out.append("legs: \(try s.conversionLegs())")
    out.append("settings: \(try s.settings().map { "\($0.key)=\($0.value)" })")
    out.append("rates: \(try s.rates())")
    out.append("rate sources: \(try s.rateSources())")
    out.append("invoices: \(try s.invoices())")
    for sort in TransactionQuery.Sort.allCases {
        var q = TransactionQuery(sort: sort, limit: 7)
        var pages = 0
        while pages < 50 {
            let page = try s.transactionPage(q)
            out.append("page \(sort.rawValue): \(page.matching) \(page.rows.map(\.id)) \(page.next.map(\.token) ?? "-")")
            guard let next = page.next else { break }
            q.after = next; pages += 1
        }
    }
    out.append("integrity: \(try s.integrityCheck())")
    return out.joined(separator: "\n")
}

@Suite struct StoreMatrixTests {
    @Test(arguments: Engine.available)
    func recordsOnceAndCountsDuplicates(engine: Engine) throws {
        let store = try engine.emptyStore()
        let r = ImportRecord(fileName: "a.csv", sha256: "x", format: "paypal-activity",
                             transactions: [payment("2026-01-02", 1000, fee: 30, id: "A"), payment("2026-01-03", 2000, id: "B"), payment("2026-01-03", 5, id: nil)],
                             filteredCount: 2, problemCount: 1)
        let first = try store.record(r, dryRun: false, now: fixedNow)
        #expect(first.newTransactions == 3 && first.duplicateTransactions == 0 && first.batchID == 1)
        let second = try store.record(r, dryRun: false, now: fixedNow)
        // The keyless row goes in again; A and B are duplicates.
        #expect(second.newTransactions == 1 && second.duplicateTransactions == 2 && second.batchID == 2)
        #expect(try store.transactionCount() == 4)
        let usd = try store.balances().first { $0.account.path == "assets:paypal" }
        #expect(usd?.balance == Money(minorUnits: 970 + 2000 + 5 + 5, currency: .USD))
        #expect(try store.batches().map(\.newCount) == [3, 1])
        #expect(try store.integrityCheck() == "ok")
    }

    /// The file's copy is kept with its rows (once per distinct file, none on a dry run), read back
    /// in chunks byte for byte; a transaction says where it came from; the invoices some
    /// transaction books are found by key and number.
    @Test(arguments: Engine.available)
    func originalsAndBookedReferences(engine: Engine) throws {
        let store = try engine.emptyStore()
        let data = Data((0..<5_000).map { UInt8(truncatingIfNeeded: $0 &* 37) })
        var t = payment("2026-01-02", 1000, id: "A")
        t.source = SourceLocation(file: "a.csv", line: 9)
        let r = ImportRecord(fileName: "a.csv", sha256: "sha-a", format: "f", transactions: [t], original: data)
        _ = try store.record(r, dryRun: true, now: fixedNow)
        #expect(try store.keptOriginals() == (0, 0))
        _ = try store.record(r, dryRun: false, now: fixedNow)
        _ = try store.record(r, dryRun: false, now: fixedNow)
        #expect(try store.keptOriginals() == (1, data.count))
        for chunk in [1, 999, 1 << 20] {
            var back = Data()
            #expect(try store.readOriginal(sha256: "sha-a", chunkSize: chunk) { back.append(contentsOf: $0); return true })
            #expect(back == data, "chunk \(chunk)")
        }
        #expect(try !store.readOriginal(sha256: "nope", chunkSize: 10) { _ in true })
        let id = try #require(try store.transactions().first?.id)
        let o = try #require(try store.origin(ofTransaction: id))
        #expect(o.fileName == "a.csv" && o.line == 9 && o.sha256 == "sha-a" && o.keptBytes == data.count && o.format == "f")
        #expect(try store.origin(ofTransaction: 999_999) == nil)
        let booked = try store.bookedReferences(dedupKeys: ["paypal:A", "paypal:Z"], numbers: ["A", "Z"])
        #expect(booked.dedupKeys == ["paypal:A"] && booked.numbers == ["A"])
    }

    @Test(arguments: Engine.available)
    func dryRunAndFailedWritesKeepNothing(engine: Engine) throws {
        let store = try engine.emptyStore()
        let r = ImportRecord(fileName: "a.csv", sha256: "x", format: "f", transactions: (1...50).map { payment("2026-01-02", Int64($0), id: "T\($0)") })
        let dry = try store.record(r, dryRun: true, now: fixedNow)
        #expect(dry.newTransactions == 50 && dry.batchID == nil)
        #expect(try store.transactionCount() == 0 && store.batches().isEmpty)
        let version = try store.dataVersion()
        do {
            switch engine {
            case .sqlite: _ = try (store as! SQLiteLedgerStore).record(r, dryRun: false, now: fixedNow, failAfter: 20)
            case .postgres: _ = try (store as! PostgresLedgerStore).record(r, dryRun: false, now: fixedNow, failAfter: 20)
            }
            Issue.record("the injected failure did not fail")
        } catch {
            #expect(error.description.contains("injected failure"))
        }
        #expect(try store.transactionCount() == 0 && store.batches().isEmpty && store.balances().isEmpty)
        if engine == .postgres { #expect(try store.dataVersion() == version) }
    }

    @Test(arguments: Engine.available)
    func streamedFileNotKeptLeavesNothing(engine: Engine) throws {
        let store = try engine.emptyStore()
        func stream(keep: Bool) throws -> ImportOutcome? {
            try store.recordStream(fileName: "s.csv", sha256: "y", format: "csv", dryRun: false, now: fixedNow, keysAreUnique: true) { sink in
                var b = TransactionBatchBuilder(sourceFile: "s.csv")
                for i in 0..<300 { b.append(payment("2026-02-0\(i % 9 + 1)", Int64(i + 1), id: "S\(i)")) }
                try sink.add(b.take())
                try sink.noMoreBatches()
                return ImportStreamEnd(keep: keep, format: "paypal-activity",
                                       balanceChecks: [BalanceCheck(account: try Account("assets:paypal"), date: Day(iso: "2026-02-09")!,
                                                                    stated: Money(minorUnits: 1, currency: .USD), computed: Money(minorUnits: 2, currency: .USD),
                                                                    location: SourceLocation(file: "s.csv", line: 9))],
                                       filteredCount: 0, problemCount: 0)
            }
        }
        #expect(try stream(keep: false) == nil)
        #expect(try store.transactionCount() == 0 && store.batches().isEmpty)
        let kept = try #require(try stream(keep: true))
        #expect(kept.newTransactions == 300)
        #expect(try store.batches().map(\.format) == ["paypal-activity"])
        #expect(try store.balanceChecks().count == 1)
        let again = try #require(try stream(keep: true))
        #expect(again.newTransactions == 0 && again.duplicateTransactions == 300)
    }

    /// A stream whose reader promised unique keys: a repeated key fails the file when the ledger
    /// is empty (SQLite builds the key's index at the end), and is a plain duplicate otherwise.
    @Test(arguments: Engine.available)
    func repeatedKeyInAUniqueKeyStream(engine: Engine) throws {
        let store = try engine.emptyStore()
        func stream() throws(StoreError) -> ImportOutcome? {
            try store.recordStream(fileName: "u.csv", sha256: "u", format: "csv", dryRun: false, now: fixedNow, keysAreUnique: true) { sink in
                var b = TransactionBatchBuilder(sourceFile: "u.csv")
                b.append(payment("2026-02-01", 100, id: "SAME")); b.append(payment("2026-02-02", 200, id: "SAME"))
                try sink.add(b.take())
                try sink.noMoreBatches()
                return ImportStreamEnd(keep: true, format: nil, balanceChecks: [], filteredCount: 0, problemCount: 0)
            }
        }
        #expect(throws: StoreError.self) { try stream() }
        #expect(try store.transactionCount() == 0 && store.batches().isEmpty)
        _ = try store.record(ImportRecord(fileName: "a.csv", sha256: "a", format: "f", transactions: [payment("2026-01-01", 1, id: "OTHER")]),
                             dryRun: false, now: fixedNow)
        let out = try #require(try stream())
        #expect(out.newTransactions == 1 && out.duplicateTransactions == 1)
    }

    @Test(arguments: Engine.available)
    func derivedTransactionGivesWayToTheStatedOne(engine: Engine) throws {
        let store = try engine.emptyStore()
        _ = try store.record(ImportRecord(fileName: "a.csv", sha256: "a", format: "f", transactions: [payment("2026-03-01", 1000, id: "D", derived: true)]),
                             dryRun: false, now: fixedNow)
        let out = try store.record(ImportRecord(fileName: "b.csv", sha256: "b", format: "f", transactions: [payment("2026-03-02", 1234, id: "D")]),
                                   dryRun: false, now: fixedNow)
        #expect(out.newTransactions == 0 && out.duplicateTransactions == 1)
        let page = try store.transactionPage(TransactionQuery())
        #expect(page.rows.count == 1 && page.rows[0].transaction.isDerived == false)
        #expect(page.rows[0].transaction.date == Day(iso: "2026-03-02"))
        #expect(try store.balances().first { $0.account.path == "assets:paypal" }?.balance.minorUnits == 1234)
        #expect(try store.integrityCheck() == "ok")
    }

    @Test(arguments: Engine.available)
    func settingsRatesAndInvoices(engine: Engine) throws {
        let store = try engine.emptyStore()
        try store.setSetting("base-currency", "EUR")
        try store.setSetting("x", "1"); try store.setSetting("x", "2"); try store.setSetting("gone", "y"); try store.setSetting("gone", nil)
        #expect(try store.settings().map { "\($0.key)=\($0.value)" } == ["base-currency=EUR", "x=2"])
        #expect(try store.setting("x") == "2" && store.setting("gone") == nil)
        let rates = [ExchangeRate(date: Day(iso: "2026-01-02")!, base: .EUR, quote: .USD, rate: try ExactDecimal("1.0345"), source: "ecb"),
                     ExchangeRate(date: Day(iso: "2026-01-02")!, base: .EUR, quote: .GBP, rate: try ExactDecimal("0.8301"), source: "ecb")]
        #expect(try store.addRates(rates, settings: ["ecb-etag": "abc"]) == (2, 0))
        #expect(try store.addRates(rates, settings: [:]) == (0, 2))
        #expect(try store.rateCount() == 2 && store.setting("ecb-etag") == "abc")
        #expect(try store.rates(quote: .USD, from: nil, to: nil).map(\.rate.description) == ["1.0345"])
        #expect(try store.rates(currencies: [.EUR, .GBP], from: Day(iso: "2026-01-01")!, to: Day(iso: "2026-01-31")!).count == 1)
        #expect(try store.rateSources().map(\.count) == [2])

        let inv = Invoice(number: "F-1", typeCode: "380", kind: .invoice, direction: .issued, issueDate: Day(iso: "2026-01-05")!, dueDate: nil,
                          seller: Party(name: "Lucía"), buyer: Party(name: "Acme"), currency: .USD,
                          net: Money(minorUnits: 1000, currency: .USD), tax: Money(minorUnits: 0, currency: .USD),
                          withholding: Money(minorUnits: 0, currency: .USD), total: Money(minorUnits: 1000, currency: .USD),
                          prepaid: Money(minorUnits: 0, currency: .USD), payable: Money(minorUnits: 1000, currency: .USD),
                          status: .open, format: "ubl")
        let rec = ImportRecord(fileName: "f.xml", sha256: "i", format: "ubl", transactions: [payment("2026-01-20", 1000, id: "P")], invoices: [(inv, nil)])
        #expect(try store.record(rec, dryRun: false, now: fixedNow).newInvoices == 1)
        #expect(try store.record(rec, dryRun: false, now: fixedNow).duplicateInvoices == 1)
        let id = try store.invoiceID(number: "F-1")
        #expect(throws: StoreError.self) { try store.invoiceID(number: "nope") }
        #expect(throws: StoreError.self) { try store.link(invoiceID: id, transactionID: 999, amount: Money(minorUnits: 1, currency: .USD), method: "manual", explanation: "") }
        try store.link(invoiceID: id, transactionID: 1, amount: Money(minorUnits: 400, currency: .USD), method: "manual", explanation: "part")
        #expect(try store.invoices()[0].invoice.status == .partiallyPaid)
        try store.link(invoiceID: id, transactionID: 1, amount: Money(minorUnits: 1000, currency: .USD), method: "manual", explanation: "all")
        #expect(try store.invoices()[0].invoice.status == .paid && store.invoices()[0].payments.map(\.explanation) == ["all"])
        #expect(try store.unlink(invoiceID: id, transactionID: nil) == 1)
        #expect(try store.invoices()[0].invoice.status == .open)
    }

    @Test(arguments: Engine.available)
    func pagesFilterAndContinue(engine: Engine) throws {
        let store = try engine.emptyStore()
        var ts: [Transaction] = []
        for i in 0..<40 {
            let day = "2026-04-" + String(format: "%02d", i % 28 + 1)
            let desc = i % 5 == 0 ? "Café 100%_off" : "Payment"
            let platform = i % 2 == 0 ? "Prolific" : "Upwork"
            ts.append(payment(day, Int64(100 * (i % 7) + i), id: "Q\(i)", desc: desc, platform: platform))
        }
        ts[3].payee = "ACME Corp"
        _ = try store.record(ImportRecord(fileName: "p.csv", sha256: "p", format: "f", transactions: ts), dryRun: false, now: fixedNow)
        #expect(try store.transactionPage(TransactionQuery(platforms: ["Upwork"])).matching == 20)
        #expect(try store.transactionPage(TransactionQuery(text: "100%_")).matching == 8)
        #expect(try store.transactionPage(TransactionQuery(text: "acme")).matching == 1)
        // Words find the platform too, in any case (pinned: "upwork" found 20 of 224 Upwork rows).
        #expect(try store.transactionPage(TransactionQuery(text: "upwork")).matching == 20)
        #expect(try store.transactionPage(TransactionQuery(text: "cafe 100%_")).matching == 8)
        #expect(try store.transactionPage(TransactionQuery(accounts: [try Account("income")])).matching == 40)
        #expect(try store.transactionPage(TransactionQuery(accounts: [try Account("expenses")])).matching == 0)
        #expect(try store.transactionPage(TransactionQuery(currencies: [.USD])).matching == 40)
        #expect(try store.transactionPage(TransactionQuery(currencies: [.EUR])).matching == 0)
        var seen: [Int64] = []
        var q = TransactionQuery(sort: .amountDesc, limit: 6)
        while true {
            let p = try store.transactionPage(q)
            seen += p.rows.map(\.id)
            guard let n = p.next else { break }
            q.after = n
        }
        #expect(Set(seen).count == 40 && seen.count == 40)
        #expect(throws: StoreError.self) { try store.transactionPage(TransactionQuery(sort: .dateAsc, after: TransactionCursor(sort: .dateDesc, key: 1, id: 1))) }
    }

    /// The amount orders read the stored first amount: every write path (a stream into an empty
    /// ledger: SQLite's bulk load, PostgreSQL's COPY; a stream into a ledger with rows; a whole
    /// record; a derived row replaced by the stated one) stores the first posting's amount.
    @Test(arguments: Engine.available)
    func amountOrderFollowsTheFirstPostingOnEveryWritePath(engine: Engine) throws {
        let store = try engine.emptyStore()
        func keyed(_ seed: Int, _ count: Int) -> [Transaction] {
            randomTransactions(seed: seed, count: count).enumerated().map { i, t in var t = t; t.dedupKey = "s\(seed):\(i)"; t.isDerived = false; return t }
        }
        for (name, seed) in [("s1.csv", 21), ("s2.csv", 22)] {
            _ = try store.recordStream(fileName: name, sha256: name, format: "csv", dryRun: false, now: fixedNow, keysAreUnique: true, original: nil) { sink in
                var builder = TransactionBatchBuilder(sourceFile: name)
                for t in keyed(seed, 300) { builder.append(t) }
                try sink.add(builder.take())
                try sink.noMoreBatches()
                return ImportStreamEnd(keep: true, format: nil, balanceChecks: [], filteredCount: 0, problemCount: 0)
            }
        }
        _ = try store.record(ImportRecord(fileName: "r.csv", sha256: "r", format: "f", transactions: keyed(23, 50)), dryRun: false, now: fixedNow)
        _ = try store.record(ImportRecord(fileName: "a.csv", sha256: "a", format: "f", transactions: [payment("2026-03-01", 1000, id: "D", derived: true)]),
                             dryRun: false, now: fixedNow)
        _ = try store.record(ImportRecord(fileName: "b.csv", sha256: "b", format: "f", transactions: [payment("2026-03-02", 9_876_543_210, id: "D")]),
                             dryRun: false, now: fixedNow)
        let all = try store.transactions()
        #expect(all.count == 651)
        let ascending = all.map { (key: $0.transaction.postings.first?.amount.minorUnits ?? 0, id: $0.id) }.sorted { ($0.key, $0.id) < ($1.key, $1.id) }
        for sort in [TransactionQuery.Sort.amountAsc, .amountDesc] {
            var q = TransactionQuery(sort: sort, limit: 37)
            var ids: [Int64] = []
            while true {
                let p = try store.transactionPage(q)
                ids += p.rows.map(\.id)
                guard let n = p.next, ids.count <= all.count else { break }
                q.after = n
            }
            let expected = sort == .amountAsc ? ascending.map(\.id) : ascending.reversed().map(\.id)
            #expect(ids == expected, "\(engine) \(sort.rawValue)")
        }
        // The replaced row sorts by its stated amount, the largest of all.
        #expect(try store.transactionPage(TransactionQuery(sort: .amountDesc, limit: 1)).rows.first?.transaction.externalID == "D")
    }

    /// The same random ledger (every field exercised, conversions with costs, derived rows),
    /// imported into both engines in the same steps, answers every read the same.
    @Test(.enabled(if: Engine.postgresAvailable, Comment(rawValue: Engine.postgresMissing)))
    func bothEnginesAnswerTheSame() throws {
        let a = try Engine.sqlite.emptyStore(), b = try Engine.postgres.emptyStore()
        for store in [a, b] {
            try store.setSetting("base-currency", "EUR")
            for seed in 1...3 {
                let ts = randomTransactions(seed: seed, count: 400)
                _ = try store.record(ImportRecord(fileName: "r\(seed).csv", sha256: "\(seed)", format: "random", transactions: ts), dryRun: false, now: fixedNow)
            }
            // A file seen again, and a streamed one.
            _ = try store.record(ImportRecord(fileName: "r1.csv", sha256: "1", format: "random", transactions: randomTransactions(seed: 1, count: 400)),
                                 dryRun: false, now: fixedNow)
            _ = try store.recordStream(fileName: "s.csv", sha256: "s", format: "csv", dryRun: false, now: fixedNow, keysAreUnique: false) { sink in
                var builder = TransactionBatchBuilder(sourceFile: "s.csv")
                for t in randomTransactions(seed: 9, count: 300) { builder.append(t) }
                try sink.add(builder.take())
                try sink.noMoreBatches()
                return ImportStreamEnd(keep: true, format: nil, balanceChecks: [], filteredCount: 1, problemCount: 0)
            }
        }
        let sa = try snapshot(a), sb = try snapshot(b)
        #expect(sa == sb)
        if sa != sb {
            let la = sa.split(separator: "\n"), lb = sb.split(separator: "\n")
            for (x, y) in zip(la, lb) where x != y { Issue.record("first difference:\nsqlite:   \(x.prefix(600))\npostgres: \(y.prefix(600))"); break }
        }
    }
}
