import Foundation
import SaldoCore
import SaldoPostgres
import SaldoStore
import SaldoTestSupport
import Testing

/// The engines the store test matrix runs on: SQLite always, PostgreSQL when a test cluster's URLs
/// are set (`scripts/pg-test-cluster.sh start` prints them):
/// - `SALDO_TEST_POSTGRES_URL`: the owner role (applies the migrations),
/// - `SALDO_TEST_POSTGRES_APP_URL`: the app role (what every store connects as; no BYPASSRLS).
enum Engine: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite, postgres
    var testDescription: String { rawValue }

    static let ownerURL = ProcessInfo.processInfo.environment["SALDO_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    static let appURL = ProcessInfo.processInfo.environment["SALDO_TEST_POSTGRES_APP_URL"].flatMap { $0.isEmpty ? nil : $0 } ?? ownerURL
    static var postgresAvailable: Bool { ownerURL != nil }
    static let postgresMissing = "SALDO_TEST_POSTGRES_URL is not set: PostgreSQL tests are off (scripts/pg-test-cluster.sh start prints it)"

    /// Every engine this run can test.
    static var available: [Engine] { postgresAvailable ? [.sqlite, .postgres] : [.sqlite] }

    /// The schema, applied once per test process by the owner role (concurrent callers wait on
    /// the migrator's advisory lock).
    static let migrated: Result<Void, StoreError> = {
        guard let owner = ownerURL else { return .failure(.invalid(postgresMissing)) }
        do throws(StoreError) { try PostgresSchema.migrate(ownerURL: owner); return .success(()) } catch { return .failure(error) }
    }()

    /// A fresh workspace id: each test its own, so that tests run in parallel on one database.
    static func freshWorkspace() -> Int64 { Int64.random(in: 1_000_000...Int64(Int32.max) * 1000) }

    /// A new, empty ledger on this engine.
    func emptyStore() throws -> any LedgerStore {
        switch self {
        case .sqlite: return try SQLiteLedgerStore()
        case .postgres: return try Self.postgresStore(workspace: Self.freshWorkspace())
        }
    }

    /// The workspace as a store, connected as the app role.
    static func postgresStore(workspace: Int64, mode: LedgerOpenMode = .create) throws -> PostgresLedgerStore {
        try migrated.get()
        return try PostgresLedgerStore(url: appURL!, workspace: workspace, mode: mode)
    }

    /// A location string for the application layer's factory (LedgerLocation).
    func location(in folder: URL, name: String) -> String {
        switch self {
        case .sqlite: return folder.appendingPathComponent(name + ".sqlite").path
        case .postgres: return Self.appURL! + "?workspace=\(Self.freshWorkspace())"
        }
    }
}

@Suite struct EngineMatrixTests {
    /// On CI the PostgreSQL half of the matrix must run: a missing URL is a failure, not a skip.
    @Test func postgresIsConfiguredOnCI() {
        if ProcessInfo.processInfo.environment["CI"] != nil {
            #expect(Engine.postgresAvailable, "CI is set but SALDO_TEST_POSTGRES_URL is not: .ci/run starts the cluster with scripts/pg-test-cluster.sh")
        }
    }

    /// Both engines apply the same migrations, by name, in the same order.
    @Test func migrationListsAreEqual() {
        #expect(PostgresSchema.migrationNames == SQLiteLedgerStore.migrationNames)
        #expect(PostgresSchema.migrationNames.last == "2026-12-06-v6-first-amount-column")
    }
}
