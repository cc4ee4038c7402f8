import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresNIO
import SaldoStore

/// Where a PostgreSQL ledger is: a `postgres://user:password@host:port/database?workspace=N` URL.
public struct PostgresLocation: Sendable, Equatable {
    public var host: String
    public var port: Int
    public var user: String
    public var password: String?
    public var database: String
    /// The workspace (one client's ledger); nil when the URL names none (setting up the schema).
    public var workspace: Int64?

    /// Whether `text` names a PostgreSQL database rather than a file.
    public static func isURL(_ text: String) -> Bool { text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") }

    public init(url text: String) throws(StoreError) {
        guard Self.isURL(text), let c = URLComponents(string: text), let host = c.host, !host.isEmpty else {
            throw .cannotOpen(Self.redacted(text), reason: "it is not a PostgreSQL address of the form postgres://user:password@host:port/database?workspace=N")
        }
        self.host = host
        port = c.port ?? 5432
        guard let u = c.user, !u.isEmpty else { throw .cannotOpen(Self.redacted(text), reason: "the address names no database user") }
        user = u.removingPercentEncoding ?? u
        password = c.password.map { $0.removingPercentEncoding ?? $0 }
        let db = String(c.path.drop(while: { $0 == "/" }))
        guard !db.isEmpty else { throw .cannotOpen(Self.redacted(text), reason: "the address names no database") }
        database = db
        workspace = nil
        for item in c.queryItems ?? [] where item.name == "workspace" {
            guard let v = item.value, let id = Int64(v), id > 0 else {
                throw .cannotOpen(Self.redacted(text), reason: "the workspace must be a whole number above 0, not \"\(item.value ?? "")\"")
            }
            workspace = id
        }
    }

    /// The same address for another workspace.
    public func with(workspace id: Int64) -> PostgresLocation { var l = self; l.workspace = id; return l }

    /// The address without its password, for messages.
    public var description: String {
        "postgres://\(user)@\(host):\(port)/\(database)" + (workspace.map { "?workspace=\($0)" } ?? "")
    }

    /// A location for messages: a PostgreSQL address without its password, any other text as is.
    public static func displayed(_ text: String) -> String { isURL(text) ? redacted(text) : text }

    static func redacted(_ text: String) -> String {
        guard var c = URLComponents(string: text) else { return "the PostgreSQL address" }
        if c.password != nil { c.password = "***" }
        return c.string ?? "the PostgreSQL address"
    }
}

/// One connection to PostgreSQL used synchronously.
///
/// The store interface is synchronous (the use cases above it are), PostgresNIO is asynchronous.
/// The bridge: each statement is sent with PostgresNIO's `EventLoopFuture` API and the calling
/// thread blocks in `wait()` until its rows are all in. The caller is never an event loop thread
/// (NIO refuses `wait()` there) and never needs the Swift concurrency pool, so a blocked caller
/// cannot starve the tasks that complete its query. Calls are serialised by a lock: one store
/// holds one connection, as a SQLite store holds one file handle.
final class PGSession: @unchecked Sendable {
    let connection: PostgresConnection
    let logger: Logger
    private let lock = NSLock()
    let location: PostgresLocation

    static var eventLoops: MultiThreadedEventLoopGroup { MultiThreadedEventLoopGroup.singleton }

    init(_ location: PostgresLocation) throws(StoreError) {
        self.location = location
        var logger = Logger(label: "saldo.postgres")
        logger.logLevel = .critical
        self.logger = logger
        let config = PostgresConnection.Configuration(host: location.host, port: location.port, username: location.user,
                                                      password: location.password, database: location.database, tls: .disable)
        do {
            connection = try PostgresConnection.connect(on: Self.eventLoops.next(), configuration: config, id: 1, logger: logger).wait()
        } catch {
            throw .cannotOpen(location.description, reason: Self.describe(error))
        }
    }

    // Closed without waiting (the last reference may go away on any thread); the closure keeps the
    // connection alive until it is closed (PostgresNIO asserts that a connection is closed before
    // it goes away: found by `saldo config list` on a missing workspace, which trapped now and then).
    deinit {
        let c = connection
        c.close().whenComplete { _ in withExtendedLifetime(c) {} }
    }

    /// Runs `body` in one transaction whose first statement sets the workspace context
    /// (`set_config('app.workspace_id', $1, true)`: local to the transaction, so a pooled or
    /// reused connection never carries it into the next one). Commits, or rolls back on any error
    /// and when `rollbackIf` says so of the result.
    @discardableResult
    /// `snapshot`: REPEATABLE READ, every statement sees the same snapshot (a whole-ledger read).
    func transaction<T>(workspace: Int64?, readOnly: Bool = false, snapshot: Bool = false, rollbackIf: (T) -> Bool = { _ in false }, _ body: (PGTx) throws -> T) throws(StoreError) -> T {
        lock.lock(); defer { lock.unlock() }
        let tx = PGTx(session: self)
        do {
            try tx.run((readOnly ? "BEGIN READ ONLY" : "BEGIN") + (snapshot ? " ISOLATION LEVEL REPEATABLE READ" : ""))
            do {
                if let w = workspace { try tx.query("SELECT set_config('app.workspace_id', \(String(w)), true)") }
                let value = try body(tx)
                try tx.run(rollbackIf(value) ? "ROLLBACK" : "COMMIT")
                return value
            } catch {
                try? tx.run("ROLLBACK")
                throw error
            }
        } catch let e as StoreError {
            throw e
        } catch {
            throw .database(Self.describe(error))
        }
    }

    static let readOnlyReplica = "the database is a read-only replica, which takes no changes; changes go to the primary database, so name the primary as the ledger and the replica only for reading"

    /// The server's message, without the query text or the bound values.
    static func describe(_ error: any Error) -> String {
        if let e = error as? PSQLError {
            // A hot standby refuses every change: say so in the ledger's words.
            if e.serverInfo?[.sqlState] == "25006" { return readOnlyReplica }
            if let m = e.serverInfo?[.message] {
                let hint = e.serverInfo?[.hint].map { " (\($0))" } ?? ""
                return m + hint
            }
            switch e.code {
            case .connectionError: return "the database server cannot be reached (check the host, port and that it is running)"
            case .serverClosedConnection, .clientClosedConnection: return "the connection to the database server was closed"
            default: return "\(e.code)"
            }
        }
        if let e = error as? StoreError { return e.description }
        return String(describing: error)
    }
}

/// The statements of one transaction.
struct PGTx {
    let session: PGSession

    /// A statement without parameters (BEGIN, COMMIT, DDL).
    func run(_ sql: String) throws {
        _ = try session.connection.query(PostgresQuery(unsafeSQL: sql), logger: session.logger).wait()
    }

    /// A statement with bind parameters (string interpolation in `PostgresQuery` binds values).
    @discardableResult
    func query(_ q: PostgresQuery) throws -> PostgresQueryResult {
        try session.connection.query(q, logger: session.logger).wait()
    }

    /// A statement built by ``SQL``.
    @discardableResult
    func query(_ s: SQL) throws -> PostgresQueryResult {
        try session.connection.query(PostgresQuery(unsafeSQL: s.text, binds: s.binds), logger: session.logger).wait()
    }

    /// Rows affected by the statement.
    func execute(_ s: SQL) throws -> Int {
        try query(s).metadata.rows ?? 0
    }
}

/// A statement assembled from constant SQL text and bound values: `bind` appends a value to the
/// bindings and returns its placeholder; no value is ever written into the text.
struct SQL {
    var text: String
    var binds = PostgresBindings()

    init(_ text: String = "") { self.text = text }

    mutating func bind<V: PostgresDynamicTypeEncodable>(_ v: V) -> String {
        binds.append(v)
        return "$\(binds.count)"
    }
    mutating func bind<V: PostgresDynamicTypeEncodable>(_ v: V?) -> String {
        binds.append(v)
        return "$\(binds.count)"
    }
    static func += (l: inout SQL, r: String) { l.text += r }
}
