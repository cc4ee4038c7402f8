import Foundation
import SaldoBatch
import SaldoCore
import SaldoPostgres
import SaldoStore

/// The engines the store test matrix runs on: SQLite always, PostgreSQL when a test cluster's URLs
/// are set (`scripts/pg-test-cluster.sh start` prints them):
/// - `SALDO_TEST_POSTGRES_URL`: the owner role (applies the migrations),
/// - `SALDO_TEST_POSTGRES_APP_URL`: the app role (what every store connects as; no BYPASSRLS).
public enum Engine: String, CaseIterable, CustomStringConvertible, Sendable {
    case sqlite, postgres
    public var description: String { rawValue }

    public static let ownerURL = ProcessInfo.processInfo.environment["SALDO_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    public static let appURL = ProcessInfo.processInfo.environment["SALDO_TEST_POSTGRES_APP_URL"].flatMap { $0.isEmpty ? nil : $0 } ?? ownerURL
    public static var postgresAvailable: Bool { ownerURL != nil }
    public static let postgresMissing = "SALDO_TEST_POSTGRES_URL is not set: PostgreSQL tests are off (scripts/pg-test-cluster.sh start prints it)"

    /// Every engine this run can test.
    public static var available: [Engine] { postgresAvailable ? [.sqlite, .postgres] : [.sqlite] }

    /// The schema, applied once per test process by the owner role (concurrent callers wait on
    /// the migrator's advisory lock).
    public static let migrated: Result<Void, StoreError> = {
        guard let owner = ownerURL else { return .failure(.invalid(postgresMissing)) }
        do throws(StoreError) { try PostgresSchema.migrate(ownerURL: owner); return .success(()) } catch { return .failure(error) }
    }()

    /// A fresh workspace id: each test its own, so that tests run in parallel on one database.
    public static func freshWorkspace() -> Int64 { Int64.random(in: 1_000_000...Int64(Int32.max) * 1000) }

    /// A new, empty ledger on this engine.
    public func emptyStore() throws -> any LedgerStore {
        switch self {
        case .sqlite: return try SQLiteLedgerStore()
        case .postgres: return try Self.postgresStore(workspace: Self.freshWorkspace())
        }
    }

    /// The workspace as a store, connected as the app role.
    public static func postgresStore(workspace: Int64, mode: LedgerOpenMode = .create) throws -> PostgresLedgerStore {
        try migrated.get()
        return try PostgresLedgerStore(url: appURL!, workspace: workspace, mode: mode)
    }

    /// A location as messages and outputs show it (a PostgreSQL address without its password).
    public static func displayed(_ location: String) -> String { PostgresLocation.displayed(location) }

    /// A location string for the application layer's factory (LedgerLocation).
    public func location(in folder: URL, name: String) -> String {
        switch self {
        case .sqlite: return folder.appendingPathComponent(name + ".sqlite").path
        case .postgres:
            _ = try? Self.migrated.get()   // the schema first: the app role cannot apply it
            return Self.appURL! + "?workspace=\(Self.freshWorkspace())"
        }
    }
}


/// Every row of the ledger's tables (all, or those named), as text, in key order, through the engine's
/// own whole-ledger reading (``LedgerStore/exportTables(_:)``): what "holds the same rows" compares,
/// on either engine. `columns` keeps only those columns of each table.
public func ledgerRows(_ store: any LedgerStore, tables: Set<String>? = nil, columns: Set<String>? = nil) throws -> [String] {
    var out: [String] = []
    try store.exportTables { table, rows in
        guard tables.map({ $0.contains(table.name) }) ?? true else { return }
        let keep = table.columns.indices.filter { i in columns.map { c in c.contains(table.columns[i].name) } ?? true }
        // A day total's parts are a multiset: their order is the order the writes came in, which
        // differs between writers that write the same amounts (sorted here).
        let parts = table.name == "daily_total" ? table.columns.firstIndex { $0.name == "parts" } : nil
        for r in rows {
            out.append(table.name + ": " + keep.map { i -> String in
                if i == parts, case .text(let t) = r[i], let p = DayTotalParts.decode(t) { return "'" + DayTotalParts.encode(p.sorted()) + "'" }
                switch r[i] {
                case .null: return "NULL"
                case .integer(let v): return String(v)
                case .text(let t): return "'" + t + "'"
                case .blob(let d): return "blob(\(d.count) \(SQLiteLedgerStore.sha256(d)))"
                }
            }.joined(separator: ", "))
        }
    }
    return out
}
