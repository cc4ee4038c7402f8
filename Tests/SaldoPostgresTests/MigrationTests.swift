import Foundation
import SaldoBatch
@testable import SaldoPostgres
import SaldoStore
import SaldoTestSupport
import Testing

/// Migrations carry an older PostgreSQL database forward (each test in a schema of its own, so
/// the shared test database's current schema is left alone).
@Suite(.enabled(if: Engine.postgresAvailable, Comment(rawValue: Engine.postgresMissing)))
struct PostgresMigrationTests {
    /// A schema of its own migrated up to `upTo`, and a session of the owner; `seed` writes the
    /// workspaces 7 and 8, each with a batch and two accounts (assets:paypal 1, income:prolific 2),
    /// then whatever else it writes, in each workspace's transaction. The schema is dropped after `body`.
    func olderSchema(upTo: String, seed: (PGTx, Int64) throws -> Void, _ body: (PGSession, String) throws -> Void) throws {
        let owner = Engine.ownerURL!
        let schema = "saldo_old_\(UInt32.random(in: 0...UInt32.max))"
        try PostgresSchema.migrate(ownerURL: owner, upTo: upTo, schema: schema)
        let session = try PGSession(try PostgresLocation(url: owner))
        defer { try? session.transaction(workspace: nil) { tx in try tx.run("DROP SCHEMA \(schema) CASCADE") } }
        for ws: Int64 in [7, 8] {
            try session.transaction(workspace: ws) { tx in
                try tx.run("SET LOCAL search_path TO \(schema)")
                try tx.run("INSERT INTO workspace (id) VALUES (\(ws))")
                try tx.run("INSERT INTO import_batch (workspace_id, id, file_name, sha256, format, imported_at) VALUES (\(ws), 1, 'a.csv', 'a', 't', 'x')")
                try tx.run("INSERT INTO account (workspace_id, id, path) VALUES (\(ws), 1, 'assets:paypal'), (\(ws), 2, 'income:prolific')")
                try seed(tx, ws)
            }
        }
        try body(session, schema)
    }

    /// v6 adds the stored first amount: the owner's backfill, run under forced row-level security
    /// (which the owner is subject to), fills the rows of every workspace, not only of one, and
    /// leaves the table's security forced.
    @Test func theFirstAmountIsBackfilledInEveryWorkspace() throws {
        try olderSchema(upTo: "2026-12-06-v5-statement-originals", seed: { tx, ws in
            try tx.run("""
                INSERT INTO txn (workspace_id, id, day, description, kind, batch_id, postings) VALUES
                  (\(ws), 1, 20000, 'p', 'earning', 1, '[[1,"USD",\(ws * 1000)],[2,"USD",-\(ws * 1000)]]'),
                  (\(ws), 2, 20001, 'c', 'conversion', 1, '[[1,"EUR",-\(ws),"USD",\(ws + 1)],[1,"USD",\(ws + 1)]]'),
                  (\(ws), 3, 20002, 'e', 'other', 1, '[]')
                """)
        }) { session, schema in
            let owner = Engine.ownerURL!
            let workspaces: [Int64] = [7, 8]
            #expect(PostgresSchema.migrationNames.count == 8)
            try PostgresSchema.migrate(ownerURL: owner, upTo: nil, schema: schema)
            // v7: the external ids are indexed, behind the workspace.
            let indexed = try session.transaction(workspace: nil) { tx in
                try tx.query("SELECT indexdef FROM pg_indexes WHERE schemaname = \(schema) AND indexname = 'txn_external_id'").map { try $0.decode(String.self) }
            }
            #expect(indexed.count == 1 && indexed[0].contains("(workspace_id, external_id)") && indexed[0].contains("external_id IS NOT NULL"), "\(indexed)")
            for ws in workspaces {
                let amounts = try session.transaction(workspace: ws) { tx in
                    try tx.run("SET LOCAL search_path TO \(schema)")
                    return try tx.query("SELECT first_amount FROM txn ORDER BY id").map { try $0.decode(Int64.self) }
                }
                #expect(amounts == [ws * 1000, -ws, 0])
            }
            let (forced, index) = try session.transaction(workspace: nil) { tx in
                try tx.run("SET LOCAL search_path TO \(schema)")
                let forced = try tx.query("SELECT relforcerowsecurity FROM pg_class WHERE oid = 'txn'::regclass").first!.decode(Bool.self)
                let index = try tx.query("SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() AND indexname = 'txn_first_amount'").first!.decode(String.self)
                let keys = try tx.query("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'txn'::regclass AND contype = 'f'")
                    .map { try $0.decode(String.self) }
                #expect(keys == ["FOREIGN KEY (workspace_id, batch_id) REFERENCES import_batch(workspace_id, id)"], "\(keys)")
                return (forced, index)
            }
            #expect(forced)
            #expect(index.hasSuffix("(workspace_id, first_amount)"), "\(index)")
        }
    }

    /// v8 keeps each day total's parts: the owner fills those of the rows already there from the
    /// transactions (postings without a cost, grouped as the import writer groups them) in every
    /// workspace, with row-level security forced again after.
    @Test func dayTotalPartsAreFilledInEveryWorkspace() throws {
        try olderSchema(upTo: "2026-12-06-v7-external-id-index", seed: { tx, ws in
            try tx.run("""
                INSERT INTO txn (workspace_id, id, day, description, kind, platform, batch_id, postings) VALUES
                  (\(ws), 1, 20000, 'p', 'earning', 'Prolific', 1, '[[1,"USD",\(ws * 1000)],[2,"USD",-\(ws * 1000)]]'),
                  (\(ws), 2, 20000, 'q', 'earning', 'Prolific', 1, '[[1,"USD",333],[2,"USD",-333]]'),
                  (\(ws), 3, 20001, 'c', 'conversion', NULL, 1, '[[1,"EUR",-\(ws),"USD",\(ws + 1)],[1,"USD",\(ws + 1)]]')
                """)
            try tx.run("""
                INSERT INTO daily_total (workspace_id, day, account_id, currency, kind, platform, client, amount, postings) VALUES
                  (\(ws), 20000, 1, 'USD', 'earning', 'Prolific', '', \(ws * 1000 + 333), 2),
                  (\(ws), 20000, 2, 'USD', 'earning', 'Prolific', '', -\(ws * 1000 + 333), 2),
                  (\(ws), 20001, 1, 'USD', 'conversion', '', '', \(ws + 1), 1)
                """)
        }) { session, schema in
            let owner = Engine.ownerURL!
            let workspaces: [Int64] = [7, 8]
            try PostgresSchema.migrate(ownerURL: owner, upTo: nil, schema: schema)
            for ws in workspaces {
                let parts = try session.transaction(workspace: ws) { tx in
                    try tx.run("SET LOCAL search_path TO \(schema)")
                    return try tx.query("SELECT parts FROM daily_total ORDER BY day, account_id").map { try $0.decode(String.self) }
                }
                #expect(parts.map { DayTotalParts.decode($0)?.sorted() } == [[333, ws * 1000], [-ws * 1000, -333], [ws + 1]], "\(parts)")
            }
            let forced = try session.transaction(workspace: nil) { tx in
                try tx.run("SET LOCAL search_path TO \(schema)")
                return try tx.query("SELECT bool_and(relforcerowsecurity) FROM pg_class WHERE oid IN ('txn'::regclass, 'daily_total'::regclass)").first!.decode(Bool.self)
            }
            #expect(forced)
        }
    }

    /// Migrating a database that is already up to date takes no table lock: a reader holding its
    /// transaction open on the ledger's tables does not hold it up (it used to wait for ACCESS
    /// EXCLUSIVE on every table, and deadlocked with readers when an office was created; CI).
    @Test func anUpToDateDatabaseMigratesWithoutWaitingForReaders() throws {
        let owner = Engine.ownerURL!
        try PostgresSchema.migrate(ownerURL: owner)
        let check = try PGSession(try PostgresLocation(url: owner))
        #expect(try check.transaction(workspace: nil) { tx in try PostgresSchema.securityInPlace(tx, appRole: "saldo_app") })
        let reader = try PGSession(try PostgresLocation(url: owner))
        let started = DispatchSemaphore(value: 0), done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            _ = try? reader.transaction(workspace: 1, readOnly: true) { tx in
                _ = try tx.query("SELECT count(*) FROM txn")
                _ = try tx.query("SELECT count(*) FROM workspace")
                started.signal()
                Thread.sleep(forTimeInterval: 3)
            }
            done.signal()
        }
        started.wait()
        let t0 = Date()
        try PostgresSchema.migrate(ownerURL: owner)
        let waited = Date().timeIntervalSince(t0)
        done.wait()
        #expect(waited < 2, "migrate waited \(waited) s for a reader")
    }
}
