import Foundation
import SaldoCore
import SaldoStore
import SaldoPostgres

/// Where the ledger lives: a path given explicitly, else `$SALDO_LEDGER`, else
/// `$XDG_DATA_HOME/saldo/ledger.sqlite` (`~/.local/share/saldo/ledger.sqlite`).
public struct LedgerLocation: Sendable {
    public var path: String
    /// Where the path came from, for messages: "given", "$SALDO_LEDGER" or "the default location".
    public var origin: Origin
    /// How long opening, reading and writing wait for another program that holds the ledger
    /// locked (another import writing it), in seconds, before failing with how long they waited.
    public var lockTimeout: Double = SQLiteLedgerStore.defaultLockTimeout
    /// A read-only replica of the ledger's PostgreSQL database (streaming replication): what is read
    /// comes from it, what is written goes to the ledger's own database. Nil: everything from the ledger.
    public var readDatabase: String?

    public enum Origin: Sendable, Equatable { case given, environment, defaultLocation }

    public init(path: String, origin: Origin = .given, lockTimeout: Double = SQLiteLedgerStore.defaultLockTimeout) {
        self.path = path; self.origin = origin; self.lockTimeout = lockTimeout
    }

    /// Resolves the location from an explicit path and the environment.
    public static func resolve(explicit: String?, environment: [String: String]) -> LedgerLocation {
        if let l = explicit { return LedgerLocation(path: (l as NSString).expandingTildeInPath, origin: .given) }
        if let l = environment["SALDO_LEDGER"], !l.isEmpty { return LedgerLocation(path: (l as NSString).expandingTildeInPath, origin: .environment) }
        let home = environment["HOME"] ?? NSHomeDirectory()
        let data = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? home + "/.local/share"
        return LedgerLocation(path: data + "/saldo/ledger.sqlite", origin: .defaultLocation)
    }

    /// Opens the ledger. Use cases that add to a ledger which may not exist yet (import, rates
    /// import, settings) pass `.create`; every other passes `.existing`, so that a mistyped path
    /// creates nothing.
    /// The one place that picks the engine: a `postgres://…?workspace=N` location is that workspace
    /// of a PostgreSQL database, anything else a SQLite file.
    /// With a ``readDatabase``, reads go to it and writes to the ledger (a location that may create
    /// the ledger is one about to write: it reads from the ledger itself too).
    public func open(_ mode: LedgerOpenMode) throws -> any LedgerStore {
        try checkReadDatabase()
        do {
            if isPostgres { return try PostgresLedgerStore(url: path, mode: mode, readURL: mode == .existing ? readDatabase : nil) }
            return try SQLiteLedgerStore(path: path, mode: mode, lockTimeout: lockTimeout)
        } catch .noLedger {
            throw UserError(StoreError.noLedger(PostgresLocation.displayed(path)).description,
                            hint: "import a statement or e-invoice to start one, or build the demo ledger to try", fix: .startLedger)
        }
    }

    /// A database to read from goes only with a PostgreSQL ledger, and must be one itself.
    func checkReadDatabase() throws {
        guard let r = readDatabase, !isPostgres || !PostgresLocation.isURL(r) else { return }
        throw UserError(LocalizedText("error.read_database.not_postgres", ["path": PostgresLocation.displayed(isPostgres ? r : path)]).english,
                        hint: LocalizedText("error.read_database.not_postgres.hint").english)
    }

    /// The ledger as it is, or an empty one in memory when there is none: a dry run changes
    /// nothing, not even by creating the ledger.
    public func openForDryRun() throws -> any LedgerStore {
        if isPostgres {
            do { return try PostgresLedgerStore(url: path, mode: .existing) } catch .noLedger { return try SQLiteLedgerStore() }
        }
        return FileManager.default.fileExists(atPath: path) ? try open(.existing) : try SQLiteLedgerStore()
    }

    /// The location for messages: a PostgreSQL address without its password, a path as it is.
    public var displayed: String { PostgresLocation.displayed(path) }

    /// Whether a ledger is there: the file exists, or the database holds the workspace (false also when
    /// the database cannot be reached: opening it then says why).
    public func exists() -> Bool {
        guard isPostgres else { return FileManager.default.fileExists(atPath: path) }
        return (try? PostgresLedgerStore(url: path, mode: .existing)) != nil
    }

    /// Whether the location is a PostgreSQL database rather than a file.
    public var isPostgres: Bool { PostgresLocation.isURL(path) }
}
