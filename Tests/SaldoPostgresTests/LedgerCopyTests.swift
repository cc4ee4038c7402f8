import Foundation
import PostgresNIO
import SaldoApp
import SaldoCore
import SaldoPostgres
import SaldoStore
import SaldoTestSupport
import Testing

/// A whole ledger copied between engines (SaldoApp's `LedgerCopy`): the demo ledger from a SQLite
/// file into a second ledger on each engine and back into a new SQLite file answers every document
/// byte for byte as the original, holds the same rows, and takes none of its statements again.
@Suite struct LedgerCopyTests {
    static func rows(_ store: any LedgerStore) throws -> [String] { try ledgerRows(store) }

    static func balances(_ store: any LedgerStore) throws -> [String] {
        try store.balances().map { "\($0.account.path) \($0.balance.currency.code) \($0.balance.minorUnits) \($0.postings)" }.sorted()
    }

    @Test(arguments: Engine.available)
    func demoRoundTripIsExact(via engine: Engine) throws {
        let folder = Fixtures.temporaryDirectory()
        let original = folder.appendingPathComponent("demo.sqlite").path
        _ = try Demo.buildLedger(at: original)
        let middle = engine.location(in: folder, name: "middle")
        let back = folder.appendingPathComponent("back.sqlite").path

        let there = try LedgerCopy.copy(from: LedgerLocation(path: original), to: LedgerLocation(path: middle))
        let home = try LedgerCopy.copy(from: LedgerLocation(path: middle), to: LedgerLocation(path: back))
        #expect(there.counts == home.counts)
        #expect(there.transactions > 300, "the demo has hundreds of transactions: \(there.transactions)")
        #expect(there.statements == 7 || there.statements > 5)
        #expect(there.invoices > 0 && there.rates > 0 && there.settings == 2 && there.keptFiles > 0)
        if engine == .postgres { #expect(!there.to.contains(try #require(URLComponents(string: Engine.appURL!)?.password))) }

        let stores = try [original, middle, back].map { try LedgerLocation(path: $0).open(.existing) }
        let rowSets = try stores.map(Self.rows)
        #expect(rowSets[0].count > 1000)
        #expect(rowSets[0] == rowSets[1], "the copy on \(engine) holds other rows than the original")
        #expect(rowSets[0] == rowSets[2], "the copy back home holds other rows than the original")
        let balanceSets = try stores.map(Self.balances)
        #expect(balanceSets[0] == balanceSets[1] && balanceSets[0] == balanceSets[2])
        #expect(try stores[2].integrityCheck() == "ok")

        let docs = try [original, middle, back].map { try DemoOnBothEnginesTests.documents(existing: $0) }
        for ((name, a), ((_, b), (_, c))) in zip(docs[0], zip(docs[1], docs[2])) {
            #expect(a.count > 40)
            #expect(a == b, "\(name) differs on the copy on \(engine)")
            #expect(a == c, "\(name) differs on the copy back home")
        }

        // Every original statement and invoice imported again into the copy back home: nothing new.
        let demo = try #require(Demo.folder)
        let before = try stores[2].transactionCount()
        let again = try ImportFiles.run(ImportRequest(paths: Demo.files.map { demo.appendingPathComponent($0).path },
                                                      profilesPath: demo.appendingPathComponent(Demo.rules).path),
                                        ledger: LedgerLocation(path: back), environment: [:])
        #expect(again.totals.new == 0 && again.failedFiles == 0)
        #expect(again.totals.duplicates >= before - 10, "every statement row and invoice is seen as already there: \(again.totals.duplicates) of \(before)")
        let reopened = try LedgerLocation(path: back).open(.existing)
        #expect(try reopened.transactionCount() == before)
        #expect(try Self.balances(reopened) == balanceSets[0])
    }

    /// A ledger that holds anything is refused before anything is written, on both engines; the
    /// copy into it leaves it as it was.
    @Test(arguments: Engine.available)
    func nonEmptyTargetIsRefused(engine: Engine) throws {
        let folder = Fixtures.temporaryDirectory()
        let source = folder.appendingPathComponent("source.sqlite").path
        let s = try SQLiteLedgerStore(path: source)
        _ = try s.record(ImportRecord(fileName: "a.csv", sha256: "aa", format: "csv", transactions: randomTransactions(seed: 1, count: 5)), now: fixedNow)
        let target = engine.location(in: folder, name: "target")
        let t = try LedgerLocation(path: target).open(.create)
        try t.setSetting("base-currency", "EUR")   // one setting is enough to make it not empty
        let before = try Self.rows(t)
        #expect(throws: UserError.self) { try LedgerCopy.copy(from: LedgerLocation(path: source), to: LedgerLocation(path: target)) }
        do { _ = try LedgerCopy.copy(from: LedgerLocation(path: source), to: LedgerLocation(path: target)) } catch let e as UserError {
            #expect(e.message.contains("is not empty"))
            #expect(!e.message.contains("--"), "library messages name no options")
        }
        #expect(try Self.rows(LedgerLocation(path: target).open(.existing)) == before)
        // The engine itself refuses too, naming the table.
        #expect(throws: StoreError.notEmpty(t.path, table: "setting")) { _ = try t.importTables { _ in } }
    }

    /// Whether a ledger is there (what `serve` says on starting): a workspace is there once the database
    /// holds it, whatever files exist. Pinned: `serve --ledger postgres://…` said there was no ledger yet,
    /// because no file had that name.
    @Test(arguments: Engine.available)
    func aLocationKnowsWhetherItsLedgerIsThere(engine: Engine) throws {
        let l = LedgerLocation(path: engine.location(in: Fixtures.temporaryDirectory(), name: "there"))
        #expect(!l.exists())
        _ = try l.open(.create)
        #expect(l.exists())
        if engine == .postgres, let password = URLComponents(string: Engine.appURL!)?.password {
            #expect(!l.displayed.contains(password), "the password is never shown")
        } else {
            #expect(l.displayed == l.path)
        }
    }

    @Test func sameLedgerIsRefused() throws {
        let folder = Fixtures.temporaryDirectory()
        let path = folder.appendingPathComponent("one.sqlite").path
        _ = try SQLiteLedgerStore(path: path)
        #expect(throws: UserError.self) { try LedgerCopy.copy(from: LedgerLocation(path: path), to: LedgerLocation(path: folder.path + "/./one.sqlite")) }
    }

    @Test func missingSourceCreatesNothing() throws {
        let folder = Fixtures.temporaryDirectory()
        let target = folder.appendingPathComponent("new.sqlite").path
        #expect(throws: UserError.self) { try LedgerCopy.copy(from: LedgerLocation(path: folder.path + "/none.sqlite"), to: LedgerLocation(path: target)) }
        #expect(!FileManager.default.fileExists(atPath: target))
    }

    /// All or nothing: a copy that fails halfway (the source hands over a row the target cannot take)
    /// leaves the target empty, and a file the copy created is removed.
    @Test(arguments: Engine.available)
    func failedCopyLeavesNothing(engine: Engine) throws {
        let t = try engine.emptyStore()
        let txn = try #require(LedgerTable.all.first { $0.name == "import_batch" })
        #expect(throws: StoreError.self) {
            _ = try t.importTables { add in
                try add(txn, [[.integer(1), .text("a.csv"), .text("aa"), .text("csv"), .text("2026-01-01T00:00:00Z"), .integer(0), .integer(0), .integer(0), .integer(0)]])
                try add(txn, [[.integer(1), .text("b.csv"), .text("bb"), .text("csv"), .text("2026-01-01T00:00:00Z"), .integer(0), .integer(0), .integer(0), .integer(0)]])   // the same id again
            }
        }
        #expect(try Self.rows(t).isEmpty)
        #expect(try t.batches().isEmpty)
    }

    /// Random ledgers (every field, conversions with costs, derived rows, invoices are not part of
    /// the random ledger) survive a round trip through the other engine row for row.
    @Test(arguments: Engine.available)
    func randomLedgersRoundTrip(via engine: Engine) throws {
        /// Random transactions, every one with its own dedup key (those without one are added again by any import).
        func keyed(_ seed: Int, _ n: Int) -> [Transaction] {
            randomTransactions(seed: seed, count: n).enumerated().map { i, t in var t = t; t.dedupKey = "k:\(seed):\(i)"; return t }
        }
        for seed in 1...3 {
            let a = try SQLiteLedgerStore()
            try a.setSetting("base-currency", "EUR")
            _ = try a.addRates([ExchangeRate(date: Day(year: 2026, month: 1, day: 2)!, base: .EUR, quote: .USD, rate: try ExactDecimal("1.0375"), source: "ecb")])
            _ = try a.record(ImportRecord(fileName: "r\(seed).csv", sha256: "\(seed)", format: "random", transactions: keyed(seed, 300)), now: fixedNow)
            _ = try a.record(ImportRecord(fileName: "x\(seed).csv", sha256: "x\(seed)", format: "random", transactions: randomTransactions(seed: seed + 100, count: 100)), now: fixedNow)
            let b = try engine.emptyStore()
            _ = try b.importTables { add in try a.exportTables(add) }
            let c = try SQLiteLedgerStore()
            _ = try c.importTables { add in try b.exportTables(add) }
            let ra = try Self.rows(a)
            #expect(ra.count > 300)
            #expect(try Self.rows(b) == ra)
            #expect(try Self.rows(c) == ra)
            #expect(try Self.balances(c) == Self.balances(a))
            #expect(try Self.balances(b) == Self.balances(a))
            #expect(try c.transactions().map(\.transaction) == a.transactions().map(\.transaction))
            // Importing the same file again into the copy adds nothing.
            let again = try c.record(ImportRecord(fileName: "r\(seed).csv", sha256: "\(seed)", format: "random", transactions: keyed(seed, 300)), now: fixedNow)
            #expect(again.newTransactions == 0)
        }
    }

    /// The table list covers every column of both engines' schemas: a migration that adds a table or
    /// a column must add it to `LedgerTable.all`, or a copy would silently leave it behind.
    @Test(.enabled(if: Engine.postgresAvailable, Comment(rawValue: Engine.postgresMissing)))
    func tableListCoversThePostgreSQLSchema() throws {
        let store = try Engine.postgresStore(workspace: Engine.freshWorkspace())
        for t in LedgerTable.all {
            #expect(try store.columnNames(of: t.name).sorted() == t.columnNames.sorted(), "\(t.name)")
        }
    }

    @Test func tableListCoversTheSQLiteSchema() throws {
        let store = try SQLiteLedgerStore()
        let schema = try store.schemaSQL()
        var tables = Set<String>()
        for line in schema.split(separator: "\n") where line.hasPrefix("CREATE TABLE ") {
            tables.insert(String(line.dropFirst("CREATE TABLE ".count).prefix { $0 != " " && $0 != "(" }).replacingOccurrences(of: "\"", with: ""))
        }
        #expect(tables == Set(LedgerTable.all.map(\.name)))
        for t in LedgerTable.all {
            let columns = try store.columnNames(of: t.name)
            #expect(columns.sorted() == t.columnNames.sorted(), "\(t.name)")
        }
    }
}
