import Foundation
import SaldoApp
import SaldoCore
@testable import SaldoPostgres
import SaldoStore
import SaldoTestSupport
import Testing

/// Row-level security holds the workspaces apart even where the store's own filters are gone.
@Suite(.enabled(if: Engine.postgresAvailable, Comment(rawValue: Engine.postgresMissing)))
struct IsolationTests {
    /// A raw connection (no store) for catalog queries and context tests.
    static func connect(_ url: String) throws -> PGSession { try PGSession(try PostgresLocation(url: url)) }

    /// Every table with a `workspace_id` has row-level security enabled AND forced and a policy;
    /// the app role is neither superuser nor BYPASSRLS, and owns no table.
    @Test func catalogShowsRowSecurityEverywhere() throws {
        try Engine.migrated.get()
        let s = try Self.connect(Engine.appURL!)
        try s.transaction(workspace: nil, readOnly: true) { tx in
            let rows = try tx.query("""
                SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity,
                       EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid), pg_get_userbyid(c.relowner)
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE c.relkind = 'r' AND n.nspname = current_schema()
                  AND (EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'workspace_id' AND NOT a.attisdropped)
                       OR c.relname = 'workspace')
                ORDER BY 1
                """).map { try $0.decode((String, Bool, Bool, Bool, String).self) }
                // The office directory is keyed on the organisation (DirectoryTests checks it).
                .filter { !DirectorySchema.tables.contains($0.0) }
            #expect(rows.count == PostgresSchema.tenantTables.count + 1)
            for r in rows {
                #expect(r.1 && r.2 && r.3, "\(r.0): rowsecurity \(r.1), forced \(r.2), policy \(r.3)")
                #expect(r.4 != "saldo_app", "\(r.0) is owned by the app role")
            }
            let role = try tx.query("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user").first!.decode((Bool, Bool).self)
            #expect(role.0 == false && role.1 == false, "the store's role must be neither superuser nor BYPASSRLS")
            // Every tenant table's keys lead with workspace_id.
            let keys = try tx.query("""
                SELECT c.relname, i.relname, (SELECT a.attname FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum = x.indkey[0])
                FROM pg_index x JOIN pg_class c ON c.oid = x.indrelid JOIN pg_class i ON i.oid = x.indexrelid
                JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = current_schema() AND c.relname <> 'workspace' AND c.relname <> 'saldo_migration'
                """).map { try $0.decode((String, String, String).self) }
            #expect(!keys.isEmpty)
            for k in keys where !DirectorySchema.tables.contains(k.0) && k.0 != "saldo_directory_migration" {
                #expect(k.2 == "workspace_id", "index \(k.1) on \(k.0) leads with \(k.2)")
            }
        }
    }

    /// A transaction that sets no workspace context fails on every tenant table (the strict
    /// `current_setting`), also on a connection whose previous transaction did set one.
    @Test func aConnectionWithoutContextFails() throws {
        try Engine.migrated.get()
        let ws = Engine.freshWorkspace()
        let store = try Engine.postgresStore(workspace: ws)
        try store.setSetting("k", "v")
        let s = try Self.connect(Engine.appURL!)
        let seen = try s.transaction(workspace: ws) { tx in try tx.query("SELECT count(*) FROM setting").first!.decode(Int.self) }
        #expect(seen == 1)
        // The same connection, next transaction, no context: an error, not rows and not an empty answer.
        #expect(throws: StoreError.self) {
            try s.transaction(workspace: nil) { tx in try tx.query("SELECT count(*) FROM setting").first!.decode(Int.self) }
        }
        // A session-wide setting is refused by nothing, but the store never makes one: after a
        // local one the variable is empty, and the cast fails.
        #expect(throws: StoreError.self) {
            try s.transaction(workspace: nil) { tx in try tx.query("SELECT count(*) FROM txn").first!.decode(Int.self) }
        }
    }

    /// The store with its own `workspace_id = $1` predicates switched off, reading as workspace A
    /// over a database that also holds B, answers exactly what A's store answers with them on.
    @Test func filterOffStillSeesOnlyItsOwnWorkspace() throws {
        let a = Engine.freshWorkspace(), b = Engine.freshWorkspace()
        let storeA = try Engine.postgresStore(workspace: a), storeB = try Engine.postgresStore(workspace: b)
        for (store, seed) in [(storeA, 11), (storeB, 12)] {
            try store.setSetting("base-currency", seed == 11 ? "EUR" : "USD")
            _ = try store.addRates([ExchangeRate(date: Day(iso: "2026-01-0\(seed - 9)")!, base: .EUR, quote: .USD, rate: try ExactDecimal("1.1"), source: "s\(seed)")])
            _ = try store.record(ImportRecord(fileName: "f\(seed).csv", sha256: "\(seed)", format: "f", transactions: randomTransactions(seed: seed, count: 200)),
                                 dryRun: false, now: fixedNow)
        }
        let unfiltered = try PostgresLedgerStore(url: Engine.appURL!, workspace: a, mode: .existing, filterOff: true)
        #expect(try snapshot(unfiltered) == snapshot(storeA))
        #expect(try snapshot(storeA) != snapshot(storeB))
        let countA = try storeA.transactionCount()
        #expect(try unfiltered.transactionCount() == countA)
        #expect(countA > 20)
        // Writing as A cannot put a row into B (WITH CHECK), whatever the statement says.
        let s = try Self.connect(Engine.appURL!)
        #expect(throws: StoreError.self) {
            try s.transaction(workspace: a) { tx in try tx.query("INSERT INTO setting (workspace_id, key, value) VALUES (\(b), 'intruder', 'x')") }
        }
        #expect(try storeB.setting("intruder") == nil)
    }

    /// Opening a workspace that does not exist with `.existing` creates nothing.
    @Test func existingModeDoesNotCreate() throws {
        let ws = Engine.freshWorkspace()
        #expect(throws: StoreError.noLedger(try PostgresLocation(url: Engine.appURL!).with(workspace: ws).description)) {
            _ = try Engine.postgresStore(workspace: ws, mode: .existing)
        }
        _ = try Engine.postgresStore(workspace: ws, mode: .create)
        _ = try Engine.postgresStore(workspace: ws, mode: .existing)
    }

    /// A missing workspace opened through the application's factory: the message names the
    /// database without its password, and the store given up in the middle of opening closes its
    /// connection cleanly (PostgresNIO traps in debug builds on a connection dropped unclosed; seen
    /// now and then in `saldo config list` on a missing workspace).
    @Test func missingWorkspaceHidesThePasswordAndClosesCleanly() throws {
        try Engine.migrated.get()
        let password = try #require(try PostgresLocation(url: Engine.appURL!).password)
        for _ in 0..<25 {
            let url = Engine.appURL! + "?workspace=\(Engine.freshWorkspace())"
            do {
                _ = try LedgerLocation(path: url).open(.existing)
                Issue.record("a missing workspace opened")
            } catch {
                #expect(!"\(error)".contains(password))
                #expect("\(error)".contains("***"))
            }
        }
    }

    @Test func addressesAreCheckedAndPasswordsNotShown() throws {
        let l = try PostgresLocation(url: "postgres://u:s3cret@db.example:6543/saldo?workspace=7")
        #expect(l.host == "db.example" && l.port == 6543 && l.user == "u" && l.password == "s3cret" && l.database == "saldo" && l.workspace == 7)
        #expect(!l.description.contains("s3cret"))
        for bad in ["postgres://db/saldo", "postgres://u@db/", "postgres://u@db/x?workspace=-1", "postgres://u@db/x?workspace=abc"] {
            do { _ = try PostgresLocation(url: bad); Issue.record("\(bad) was accepted") } catch { #expect(!error.description.contains("s3cret")) }
        }
    }
}
