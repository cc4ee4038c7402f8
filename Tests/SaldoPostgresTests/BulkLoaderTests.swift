import Foundation
import SaldoBatch
import SaldoCore
@testable import SaldoPostgres
import SaldoStore
import SaldoTestSupport
import Testing

/// The bulk loader role (`saldo_loader`): imports COPY rows straight into `txn` through it; it can
/// do nothing else, and the workspace guard keeps it (and everyone) to the workspace in context.
@Suite(.enabled(if: Engine.postgresAvailable, Comment(rawValue: Engine.postgresMissing)))
struct BulkLoaderTests {
    static func connect(_ url: String) throws -> PGSession { try PGSession(try PostgresLocation(url: url)) }

    /// One `txn` row of workspace `ws` in COPY text (batch 1, id `id`).
    static func copyRow(ws: Int64, id: Int64) -> [UInt8] {
        var e = CopyTextEncoder()
        e.int(ws); e.int(1); e.int(id); e.int(20_000); e.null(); e.null(); e.null(); e.null(); e.null(); e.text("intruder"); e.text("other")
        e.null(); e.text("k:\(ws):\(id)"); e.null(); e.null(); e.null(); e.text("[]"); e.bool(false); e.bool(false); e.int(0)
        e.endRow()
        return e.bytes
    }

    /// The test cluster makes the loader: the imports use it (so the suites run the COPY path).
    @Test func theTestDatabaseHasAUsableLoader() throws {
        try Engine.migrated.get()
        let s = try Self.connect(Engine.appURL!)
        let usable = try s.transaction(workspace: Engine.freshWorkspace(), readOnly: true) { tx in try PostgresSchema.loaderUsable(tx) }
        #expect(usable, "scripts/pg-test-cluster.sh creates saldo_loader and grants it to saldo_app")
    }

    /// The loader may insert into `txn` and nothing else: no reading, changing or deleting of any
    /// table, no insert elsewhere; it cannot log in. The app role stays without BYPASSRLS.
    @Test func theLoaderHoldsOnlyInsertOnTxn() throws {
        try Engine.migrated.get()
        let s = try Self.connect(Engine.appURL!)
        try s.transaction(workspace: nil, readOnly: true) { tx in
            let role = try tx.query("SELECT rolcanlogin, rolbypassrls, rolsuper FROM pg_roles WHERE rolname = \(PostgresSchema.loaderRole)").first!
                .decode((Bool, Bool, Bool).self)
            #expect(role.0 == false && role.2 == false)
            let app = try tx.query("SELECT rolbypassrls FROM pg_roles WHERE rolname = current_user").first!.decode(Bool.self)
            #expect(app == false, "the store's own role never bypasses row-level security")
            let grants = try tx.query("""
                SELECT c.relname, p.privilege FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace,
                       unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER']) AS p(privilege)
                WHERE n.nspname = current_schema() AND c.relkind = 'r'
                  AND has_table_privilege(\(PostgresSchema.loaderRole), c.oid, p.privilege)
                  AND NOT has_table_privilege('public', c.oid, p.privilege)
                """).map { try $0.decode((String, String).self) }
            #expect(grants.map { "\($0.0) \($0.1)" } == ["txn INSERT"])
        }
    }

    /// The app role, outside any import, entering the loader role itself: a row for another
    /// workspace than the one in context is refused (by COPY and by INSERT), a transaction without
    /// a context cannot write at all, and the loader reads nothing. A row of its own workspace
    /// goes in (the refusals are the guard, not a broken loader).
    @Test func theLoaderCannotWriteAnotherWorkspace() throws {
        try Engine.migrated.get()
        let a = Engine.freshWorkspace(), b = Engine.freshWorkspace()
        let storeA = try Engine.postgresStore(workspace: a), storeB = try Engine.postgresStore(workspace: b)
        for store in [storeA, storeB] {
            _ = try store.record(ImportRecord(fileName: "a.csv", sha256: "a", format: "f", transactions: [payment("2026-01-01", 1, id: "X")]),
                                 dryRun: false, now: fixedNow)
        }
        let s = try Self.connect(Engine.appURL!)
        func asLoader(in context: Int64?, _ body: (PGTx) throws -> Void) throws {
            try s.transaction(workspace: context) { tx in
                try tx.run("SET LOCAL ROLE \(PostgresSchema.loaderRole)")
                try body(tx)
            }
        }
        // COPY and INSERT of B's row while A is in context.
        #expect(throws: (any Error).self) { try asLoader(in: a) { tx in try tx.copy(into: "txn", columns: PGBatchWriter.copyColumns, data: Self.copyRow(ws: b, id: 50)) } }
        #expect(throws: (any Error).self) {
            try asLoader(in: a) { tx in
                try tx.query("INSERT INTO txn (workspace_id, id, day, description, kind, batch_id, postings) VALUES (\(b), 51, 1, 'x', 'other', 1, '[]')")
            }
        }
        // No context at all.
        #expect(throws: (any Error).self) { try asLoader(in: nil) { tx in try tx.copy(into: "txn", columns: PGBatchWriter.copyColumns, data: Self.copyRow(ws: b, id: 52)) } }
        // The loader reads nothing, changes nothing.
        #expect(throws: (any Error).self) { try asLoader(in: b) { tx in _ = try tx.query("SELECT count(*) FROM txn") } }
        #expect(throws: (any Error).self) { try asLoader(in: b) { tx in try tx.run("DELETE FROM txn") } }
        #expect(throws: (any Error).self) { try asLoader(in: b) { tx in try tx.run("UPDATE txn SET description = 'x'") } }
        #expect(throws: (any Error).self) { try asLoader(in: b) { tx in try tx.run("INSERT INTO setting (workspace_id, key, value) VALUES (\(b), 'k', 'v')") } }
        #expect(try storeB.transactionCount() == 1 && storeB.setting("k") == nil)
        // The positive control: A's own row, A in context, goes in.
        try asLoader(in: a) { tx in try tx.copy(into: "txn", columns: PGBatchWriter.copyColumns, data: Self.copyRow(ws: a, id: 53)) }
        #expect(try storeA.transactionCount() == 2 && storeB.transactionCount() == 1)
    }

    /// The guard holds the app role too, where row-level security already does: a write of
    /// another workspace's row is refused by both.
    @Test func theGuardIsOnTxn() throws {
        try Engine.migrated.get()
        let s = try Self.connect(Engine.appURL!)
        try s.transaction(workspace: nil, readOnly: true) { tx in
            let def = try tx.query("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'txn'::regclass AND conname = \(PostgresSchema.workspaceGuard)")
                .first?.decode(String.self)
            #expect(def?.contains("current_setting('app.workspace_id'") == true, "\(def ?? "no guard")")
        }
    }

    /// The same imports through the loader's COPY and through the temporary table answer the same:
    /// a large stream with unique keys into the empty workspace (several chunks, the copy kept open
    /// across batches, texts with tabs, newlines and backslashes), records with duplicates and a
    /// derived row replaced, and a stream with repeated keys into a ledger that has rows already.
    @Test func loaderAndStagingWriteTheSameLedger() throws {
        try Engine.migrated.get()
        func stream(_ store: PostgresLedgerStore, _ name: String, distinct: Int) throws -> ImportOutcome? {
            try store.recordStream(fileName: name, sha256: name, format: "csv", dryRun: false, now: fixedNow, keysAreUnique: true) { sink in
                var b = TransactionBatchBuilder(sourceFile: name)
                for i in 0..<20_000 {
                    b.append(payment("2026-02-\(String(format: "%02d", i % 28 + 1))", Int64(i + 1), fee: Int64(i % 3),
                                     id: "\(name)-\(i % distinct)", desc: i % 7 == 0 ? "tab\there \\ back\nslash\r" : "Payment \(i)"))
                    if b.count == 3000 { try sink.add(b.take()) }
                }
                try sink.add(b.take())
                try sink.noMoreBatches()
                return ImportStreamEnd(keep: true, format: "paypal-activity", balanceChecks: [], filteredCount: 0, problemCount: 0)
            }
        }
        var snapshots: [String] = []
        for loader in [true, false] {
            let store = try Engine.postgresStore(workspace: Engine.freshWorkspace())
            store.useLoader = loader
            let first = try stream(store, "s.csv", distinct: 20_000)
            #expect(first?.newTransactions == 20_000)
            let ts = randomTransactions(seed: 41, count: 700)
            _ = try store.record(ImportRecord(fileName: "r.csv", sha256: "r", format: "f", transactions: ts), dryRun: false, now: fixedNow)
            _ = try store.record(ImportRecord(fileName: "r2.csv", sha256: "r2", format: "f", transactions: Array(ts.prefix(300)) + randomTransactions(seed: 42, count: 300)),
                                 dryRun: false, now: fixedNow)
            _ = try store.record(ImportRecord(fileName: "d.csv", sha256: "d", format: "f", transactions: [payment("2026-03-01", 1000, id: "D", derived: true)]),
                                 dryRun: false, now: fixedNow)
            _ = try store.record(ImportRecord(fileName: "e.csv", sha256: "e", format: "f", transactions: [payment("2026-03-02", 1234, id: "D")]),
                                 dryRun: false, now: fixedNow)
            // Into a ledger with rows, a repeated key is a duplicate like any other.
            let second = try stream(store, "t.csv", distinct: 15_000)
            #expect(second?.newTransactions == 15_000 && second?.duplicateTransactions == 5_000)
            #expect(try store.integrityCheck() == "ok")
            snapshots.append(try snapshot(store))
        }
        #expect(snapshots[0] == snapshots[1])
    }

    /// A streamed import that fails while its copy is open (the reader throws half way) keeps
    /// nothing, and the store's connection is usable right after.
    @Test(arguments: [true, false])
    func aFailureWithTheCopyOpenKeepsNothing(loader: Bool) throws {
        try Engine.migrated.get()
        let store = try Engine.postgresStore(workspace: Engine.freshWorkspace())
        store.useLoader = loader
        #expect(throws: (any Error).self) {
            try store.recordStream(fileName: "f.csv", sha256: "f", format: "csv", dryRun: false, now: fixedNow, keysAreUnique: true) { sink in
                var b = TransactionBatchBuilder(sourceFile: "f.csv")
                for i in 0..<9_000 { b.append(payment("2026-02-01", Int64(i + 1), id: "F\(i)")) }
                try sink.add(b.take())
                throw StoreError.invalid("the reader failed half way")
            }
        }
        #expect(try store.transactionCount() == 0 && store.batches().isEmpty && store.balances().isEmpty)
        let out = try store.record(ImportRecord(fileName: "a.csv", sha256: "a", format: "f", transactions: [payment("2026-01-01", 1, id: "A")]),
                                   dryRun: false, now: fixedNow)
        #expect(out.newTransactions == 1 && out.batchID == 1)
    }

    /// A repeated key in a file whose keys are unique, going into an empty workspace, fails the
    /// file with the profile's-bug message (the unique index refuses it) on both paths.
    @Test(arguments: [true, false])
    func aRepeatedUniqueKeySaysItIsTheProfilesBug(loader: Bool) throws {
        try Engine.migrated.get()
        let store = try Engine.postgresStore(workspace: Engine.freshWorkspace())
        store.useLoader = loader
        do {
            _ = try store.recordStream(fileName: "u.csv", sha256: "u", format: "csv", dryRun: false, now: fixedNow, keysAreUnique: true) { sink in
                var b = TransactionBatchBuilder(sourceFile: "u.csv")
                for i in 0..<600 { b.append(payment("2026-02-01", Int64(i + 1), id: i == 599 ? "S3" : "S\(i)")) }
                try sink.add(b.take())
                try sink.noMoreBatches()
                return ImportStreamEnd(keep: true, format: nil, balanceChecks: [], filteredCount: 0, problemCount: 0)
            }
            Issue.record("a repeated key was accepted")
        } catch {
            #expect(error.description.contains("two transactions of this file have the same dedup key"), "\(error)")
        }
        #expect(try store.transactionCount() == 0)
    }
}
