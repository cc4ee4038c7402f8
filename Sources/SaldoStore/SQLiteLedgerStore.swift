import Foundation
import GRDB
import SaldoCore
import Crypto

/// The ledger: one SQLite file. Every write is one database transaction, so a failed or killed
/// command leaves the file as it was.
public final class SQLiteLedgerStore: LedgerStore {
    let db: DatabaseQueue
    public let path: String
    /// How long a statement waits for another program's lock on the file before giving up, in seconds.
    public let lockTimeout: Double

    /// How long a writer waits for another program's write by default, in seconds.
    public static let defaultLockTimeout: Double = 30

    public typealias OpenMode = LedgerOpenMode

    /// Opens and migrates the ledger at `path`; with `.create`, creates it first when it does not exist.
    /// `lockTimeout`: while another program (another saldo command, a database tool) holds the file
    /// locked, opening, reading and writing wait up to this many seconds for it to finish, then fail
    /// saying how long they waited.
    public init(path: String, mode: OpenMode = .create, lockTimeout: Double = SQLiteLedgerStore.defaultLockTimeout) throws(StoreError) {
        self.path = path
        // Negative or not a number: do not wait; at most a day (SQLite counts milliseconds in 32 bits).
        self.lockTimeout = lockTimeout.isNaN ? 0 : min(max(0, lockTimeout), 86_400)
        var isFolder: ObjCBool = false
        var created = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) {
            if isFolder.boolValue { throw .cannotOpen(path, reason: LocalizedText("os.sqlite.folder").english) }
        } else {
            guard mode == .create else { throw .noLedger(path) }
            do {
                try PrivateFiles.createFolder(URL(fileURLWithPath: path).deletingLastPathComponent().path)
                try PrivateFiles.createEmptyFile(path)
                created = true
            } catch {
                throw .cannotOpen(path, reason: LocalizedText("os.sqlite.cannot_create", ["path": error.path, "reason": error.reason]).english)
            }
        }
        var config = Configuration()
        config.foreignKeysEnabled = true
        // SQLite's busy handler retries while another connection holds the lock, up to the timeout.
        if self.lockTimeout > 0 { config.busyMode = .timeout(self.lockTimeout) }
        config.prepareDatabase { db in
            // Rollback journal, not WAL: an import appends mostly new pages, which a rollback journal
            // need not copy, while WAL would write every page twice. Commits stay atomic and durable.
            // A 64 MiB page cache keeps the indexes of a large import in memory within the 1 GiB budget.
            try db.execute(sql: "PRAGMA journal_mode = DELETE; PRAGMA synchronous = FULL; PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY;")
            db.add(function: Self.foldFunction)
        }
        do {
            db = try DatabaseQueue(path: path, configuration: config)
            // A ledger this call created gets its schema without a sync per migration (28 of the 32
            // syncs an import into a new ledger made, 0.23 s on a loaded machine), then one sync of
            // the file for all of it, before anything is recorded. Only a power cut during those
            // first milliseconds could leave the new, still empty file unreadable (no entry is lost:
            // there is none yet); every write after it is as durable as before.
            if created { try db.writeWithoutTransaction { try $0.execute(sql: "PRAGMA synchronous = OFF") } }
            try Migrations.migrator.migrate(db)
            if created {
                try db.writeWithoutTransaction { try $0.execute(sql: "PRAGMA synchronous = FULL") }
                let file = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
                defer { try? file.close() }
                try file.synchronize()
            }
        } catch {
            throw .cannotOpen(path, reason: Self.describe(error, waited: self.lockTimeout))
        }
    }

    /// A ledger in memory, for tests and the benchmark floor.
    /// `migratingUpTo`: tests stop the migrations at
    /// an older schema, to check that the later ones carry a ledger forward.
    public convenience init(inMemory: Void = ()) throws(StoreError) { try self.init(migratingUpTo: nil) }

    init(migratingUpTo last: String?) throws(StoreError) {
        path = ":memory:"
        lockTimeout = 0
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.prepareDatabase { db in db.add(function: Self.foldFunction) }
        do {
            db = try DatabaseQueue(configuration: config)
            if let last { try Migrations.migrator.migrate(db, upTo: last) } else { try Migrations.migrator.migrate(db) }
        } catch {
            throw .cannotOpen(":memory:", reason: Self.describe(error))
        }
    }

    static func describe(_ error: any Error, waited: Double = 0) -> String {
        if let e = error as? DatabaseError {
            switch e.resultCode {
            // The common codes as Saldo says them (`os.*` texts, shown in the reader's language);
            // anything else keeps SQLite's own words as a detail.
            case .SQLITE_NOTADB: return LocalizedText("os.sqlite.not_a_database").english
            case .SQLITE_CANTOPEN: return LocalizedText("os.sqlite.cannot_open").english
            case .SQLITE_BUSY, .SQLITE_LOCKED:
                guard waited > 0 else { return LocalizedText("os.sqlite.busy").english }
                return LocalizedText("os.sqlite.busy_waited" + (Self.secondsNumber(waited) == "1" ? ".one" : ".other"), ["count": Self.secondsNumber(waited)]).english
            case .SQLITE_READONLY: return LocalizedText("os.sqlite.read_only").english
            case .SQLITE_FULL: return LocalizedText("os.sqlite.full").english
            case .SQLITE_CORRUPT: return LocalizedText("os.sqlite.corrupt").english
            case .SQLITE_IOERR: return LocalizedText("os.io").english
            case .SQLITE_PERM, .SQLITE_AUTH: return LocalizedText("os.permission").english
            default: return LocalizedText("os.sqlite.other", ["detail": e.message ?? "\(e.resultCode)"]).english
            }
        }
        if let e = error as? PrivateFileError { return e.description }
        return "\(error)"
    }

    /// "30 seconds", "1.5 seconds", "1 second".
    static func seconds(_ s: Double) -> String {
        let text = secondsNumber(s)
        return text + (text == "1" ? " second" : " seconds")
    }

    /// "30", "1.5", "1": the number in ``seconds(_:)``.
    static func secondsNumber(_ s: Double) -> String { s == s.rounded() ? String(Int(s)) : String(format: "%.1f", s) }

    func write<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do { return try db.write(body) } catch let e as StoreError { throw e } catch { throw .database(Self.describe(error, waited: lockTimeout)) }
    }
    func read<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do { return try db.read(body) } catch let e as StoreError { throw e } catch { throw .database(Self.describe(error, waited: lockTimeout)) }
    }

    /// The schema as SQL, sorted, for the golden in fixtures/schema.
    public func schemaSQL() throws(StoreError) -> String {
        try read { db in
            let rows = try String.fetchAll(db, sql: "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'grdb_%' ORDER BY type DESC, name")
            let migrations = try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier")
            return "-- migrations: \(migrations.joined(separator: ", "))\n" + rows.map { $0 + ";" }.joined(separator: "\n") + "\n"
        }
    }

    /// The schema migrations' names in the order they apply: every engine has the same list.
    public static var migrationNames: [String] { Migrations.names }

    /// SHA-256 of a file's bytes, lower-case hex: the provenance of an import batch.
    public static func sha256(_ data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }
}

/// Problems with the ledger file itself.
public enum StoreError: Error, CustomStringConvertible, Sendable, Equatable {
    case cannotOpen(String, reason: String)
    case database(String)
    case invalid(String)
    case notFound(String)
    /// No ledger file at this path: nothing has been recorded there yet.
    case noLedger(String)
    /// A full copy goes only into an empty ledger: this one already holds rows in `table`.
    case notEmpty(String, table: String)

    public var description: String {
        switch self {
        case .cannotOpen(let p, let r): return "cannot open the ledger \(p): \(r)"
        case .database(let m): return "the ledger could not be updated: \(m); nothing was changed"
        case .invalid(let m): return m
        case .notFound(let m): return m
        case .noLedger(let p): return "there is no ledger at \(p): nothing has been recorded there yet"
        case .notEmpty(let p, _):
            return "the ledger at \(p) is not empty, and a copy goes only into an empty ledger, so that nothing already in it is mixed with the copy"
        }
    }
}

extension SQLiteLedgerStore {
    /// SQLite's own consistency check of the file: `ok`, or what is wrong.
    public func integrityCheck() throws(StoreError) -> String {
        try read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check").joined(separator: "; ") }
    }

    /// Runs `sql` outside any transaction (tests switch the journal mode with it).
    func executeOutsideTransaction(_ sql: String) throws(StoreError) {
        do { try db.writeWithoutTransaction { try $0.execute(sql: sql) } } catch { throw .database(Self.describe(error)) }
    }

    /// Runs `sql` in a write transaction and calls `beforeCommit` while it is still open (tests look at
    /// the files SQLite keeps next to the ledger then).
    func execute(_ sql: String, beforeCommit: () -> Void) throws(StoreError) {
        try write { db in try db.execute(sql: sql); beforeCommit() }
    }

    /// Runs the migrations not yet applied (tests that start from an older schema).
    func migrate() throws(StoreError) {
        do { try Migrations.migrator.migrate(db) } catch { throw .database(Self.describe(error)) }
    }

    /// Every row of a query as text (tests compare ledgers with it).
    func rowTexts(_ sql: String) throws(StoreError) -> [String] {
        try read { db in try Row.fetchAll(db, sql: sql).map(\.description) }
    }
}

