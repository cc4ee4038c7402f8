import Foundation
import SaldoApp
import SaldoCore
import SaldoPostgres
import SaldoReports
import SaldoStore
import SaldoTestSupport
import Testing

/// Reads from a streaming replica (`--read-database`), on the test cluster's replica
/// (`scripts/pg-test-cluster.sh replica start`: `pg_basebackup -R`, hot standby, loopback).
/// Serialized: one test pauses the replica's replay.
let testReplicaURL = ProcessInfo.processInfo.environment["SALDO_TEST_POSTGRES_REPLICA_URL"].flatMap { $0.isEmpty ? nil : $0 }
let testReplicaOwnerURL = ProcessInfo.processInfo.environment["SALDO_TEST_POSTGRES_REPLICA_OWNER_URL"].flatMap { $0.isEmpty ? nil : $0 }

@Suite(.serialized, .enabled(if: testReplicaURL != nil && testReplicaOwnerURL != nil && Engine.postgresAvailable,
                             "SALDO_TEST_POSTGRES_REPLICA_URL is not set: scripts/pg-test-cluster.sh replica start prints it"))
struct ReadReplicaTests {
    static let replicaURL = testReplicaURL
    static let replicaOwnerURL = testReplicaOwnerURL

    static func location(_ url: String, _ ws: Int64) -> String { url + "?workspace=\(ws)" }

    /// A write through a store that reads from the replica is read back from the replica once it has
    /// replayed the write (the store waits for the primary's WAL position), never from before it.
    @Test func aWriteOnThePrimaryIsReadBackFromTheReplica() throws {
        try Engine.migrated.get()
        let ws = Engine.freshWorkspace()
        let store = try PostgresLedgerStore(url: Engine.appURL!, workspace: ws, mode: .create, readURL: Self.replicaURL!)
        let started = Date()
        for round in 1...3 {
            try store.setSetting("base-currency", round == 2 ? "USD" : "EUR")
            _ = try store.record(ImportRecord(fileName: "r\(round).csv", sha256: "r\(round)", format: "random",
                                              transactions: randomTransactions(seed: round, count: 50)), now: fixedNow)
            #expect(try store.setting("base-currency") == (round == 2 ? "USD" : "EUR"))
            #expect(try store.batches().count == round)
        }
        let seconds = Date().timeIntervalSince(started)
        let reads = store.replicaReads
        #expect(reads.served >= 6 && reads.passedOver == 0, "reads: \(reads)")
        // The replica alone (as the ledger, reading only) holds the same rows as the primary.
        let replicaOnly = try PostgresLedgerStore(url: Self.location(Self.replicaURL!, ws), mode: .existing)
        let primaryOnly = try Engine.postgresStore(workspace: ws, mode: .existing)
        #expect(try ledgerRows(replicaOnly) == ledgerRows(primaryOnly))
        #expect(try replicaOnly.transactionCount() == primaryOnly.transactionCount() && primaryOnly.transactionCount() > 20)
        print("replica: 3 writes each read back from the replica in \(String(format: "%.3f", seconds)) s (reads \(reads))")
    }

    /// Reports read from the replica: with its replay paused, a write made on the primary by someone
    /// else is not in the report read through the replica until the replay resumes.
    @Test func aReportReadsFromTheReplica() throws {
        try Engine.migrated.get()
        let ws = Engine.freshWorkspace()
        let primary = try Engine.postgresStore(workspace: ws)
        try primary.setSetting("base-currency", "USD")
        _ = try primary.record(ImportRecord(fileName: "a.csv", sha256: "a", format: "t", transactions: [payment("2026-01-02", 1000, id: "A")]), now: fixedNow)
        var location = LedgerLocation(path: Self.location(Engine.appURL!, ws))
        location.readDatabase = Self.replicaURL!
        func balance() throws -> String {
            let reader = try location.open(.existing)   // reads only: the replica answers, as for `report --read-database`
            return render(try Reports.balances(ReportRequest(), store: reader).report, format: .csv)
        }
        // Caught up first (the workspace and its first payment replayed).
        try waitUntil { try balance().contains("10.00") }
        let before = try balance()
        try PGAdmin.execute(url: Self.replicaOwnerURL!, "SELECT pg_wal_replay_pause()")
        do {
            _ = try primary.record(ImportRecord(fileName: "b.csv", sha256: "b", format: "t", transactions: [payment("2026-01-03", 2000, id: "B")]), now: fixedNow)
            Thread.sleep(forTimeInterval: 0.3)
            #expect(try balance() == before, "the replica's replay is paused: the report must not see the new payment yet")
            #expect(render(try Reports.balances(ReportRequest(), store: primary).report, format: .csv) != before, "the primary has it")
        }
        try PGAdmin.execute(url: Self.replicaOwnerURL!, "SELECT pg_wal_replay_resume()")
        try waitUntil { try balance().contains("30.00") }
    }

    /// A change sent to the replica alone is refused, saying it is a read-only replica; a database
    /// to read from with a SQLite ledger is refused too.
    @Test func aWriteToTheReplicaIsRefused() throws {
        try Engine.migrated.get()
        let ws = Engine.freshWorkspace()
        _ = try Engine.postgresStore(workspace: ws)
        let replica = LedgerLocation(path: Self.location(Self.replicaURL!, ws))
        try waitUntil { (try? replica.open(.existing)) != nil }
        let store = try replica.open(.existing)
        do {
            try store.setSetting("base-currency", "EUR")
            Issue.record("a write to a replica went through")
        } catch {
            #expect("\(error)".contains("read-only replica"), "\(error)")
            #expect(!"\(error)".contains("--"))
        }
        // A new workspace cannot be started on a replica either.
        #expect(throws: (any Error).self) { _ = try LedgerLocation(path: Self.location(Self.replicaURL!, Engine.freshWorkspace())).open(.create) }
        var sqlite = LedgerLocation(path: Fixtures.temporaryDirectory().appendingPathComponent("l.sqlite").path)
        sqlite.readDatabase = Self.replicaURL!
        #expect(throws: UserError.self) { _ = try sqlite.open(.existing) }
    }

    func waitUntil(_ condition: () throws -> Bool) throws {
        let deadline = Date().addingTimeInterval(10)
        while try !condition() {
            if Date() > deadline { Issue.record("the replica did not catch up within 10 s"); return }
            Thread.sleep(forTimeInterval: 0.02)
        }
    }
}
