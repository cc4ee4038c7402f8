import Dispatch
import Foundation
import SaldoStore
import Synchronization

/// A few connections to one database, shared by the stores of many workspaces (the web app's
/// office mode): a workspace's store made from the pool costs no connection and no round trip, and
/// each of its transactions runs on whichever pooled connection is free (waiting for one when all
/// are busy). Every transaction sets its own workspace context (`set_config(…, true)`, local to
/// it), so nothing carries from one workspace's transaction to the next on a shared connection.
///
/// Opening one store per workspace instead (as a command does) costs a connection, its password
/// exchange and two transactions; a server keeping a few such stores for 200 clients reading at
/// once spent its time reconnecting (docs/scaling.md, "Measured").
public final class PostgresSessionPool: Sendable {
    let sessions: [PGSession]
    private let idle: Mutex<[Int]>
    private let free: DispatchSemaphore
    public let location: PostgresLocation

    /// Opens `size` connections to the database at `url` (its `?workspace=` is ignored) and checks
    /// once that the schema is up to date.
    public init(url: String, size: Int) throws(StoreError) {
        var location = try PostgresLocation(url: url)
        location.workspace = nil
        self.location = location
        let count = max(1, size)
        var opened: [PGSession] = []
        for _ in 0..<count { opened.append(try PGSession(location)) }
        sessions = opened
        idle = Mutex(Array(0..<count))
        free = DispatchSemaphore(value: count)
        let names = try opened[0].transaction(workspace: nil, readOnly: true) { tx in
            guard try tx.query("SELECT to_regclass('saldo_migration') IS NOT NULL").first!.decode(Bool.self) else { return [String]() }
            return try tx.query("SELECT name FROM saldo_migration ORDER BY name").map { try $0.decode(String.self) }
        }
        guard names == PostgresSchema.migrationNames else {
            throw .cannotOpen(location.description, reason: "the database's Saldo schema is missing or out of date (it has \(names.count) of \(PostgresSchema.migrationNames.count) migrations); let its owner apply the migrations first")
        }
    }

    /// How many connections the pool holds.
    public var size: Int { sessions.count }

    /// Workspace `id`'s ledger on the pool's connections. Nothing is read: the caller knows the
    /// workspace exists (a missing one reads as an empty ledger, as row-level security shows it).
    public func store(workspace id: Int64) -> PostgresLedgerStore { PostgresLedgerStore(pool: self, workspace: id) }

    /// Runs one transaction on a free connection (waiting for one when every connection is busy).
    func transaction<T>(workspace: Int64?, readOnly: Bool = false, rollbackIf: (T) -> Bool = { _ in false },
                        _ body: (PGTx) throws -> T) throws(StoreError) -> T {
        free.wait()
        let i = idle.withLock { $0.removeLast() }
        defer {
            idle.withLock { $0.append(i) }
            free.signal()
        }
        return try sessions[i].transaction(workspace: workspace, readOnly: readOnly, rollbackIf: rollbackIf, body)
    }
}
