import Dispatch
import Foundation
import SaldoCore
import SaldoPostgres
import SaldoStore
import SaldoTestSupport
import Synchronization
import Testing

/// Stores of many workspaces on a few shared connections (the web app's office mode, the office's
/// quarter-end): each transaction sets its own workspace context, so nothing leaks between them.
@Suite(.enabled(if: Engine.postgresAvailable, Comment(rawValue: Engine.postgresMissing)))
struct PooledStoreTests {
    @Test func storesOfManyWorkspacesShareThePoolsConnections() throws {
        try Engine.migrated.get()
        let ids = (0..<6).map { _ in Engine.freshWorkspace() }
        for (n, id) in ids.enumerated() { try Engine.postgresStore(workspace: id).setSetting("who", "client \(n)") }
        let pool = try PostgresSessionPool(url: Engine.appURL!, size: 2)
        #expect(pool.size == 2)
        // 120 reads of 6 workspaces from several threads over 2 connections: each sees its own.
        let wrong = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 120) { i in
            let n = i % ids.count
            let seen = (try? pool.store(workspace: ids[n]).setting("who")) ?? "an error"
            if seen != "client \(n)" { wrong.withLock { $0.append("workspace \(n) read \(seen)") } }
        }
        #expect(wrong.withLock { $0 }.isEmpty)
        // A write through a pooled store lands in its own workspace and moves its data version.
        let store = pool.store(workspace: ids[0])
        let before = try store.dataVersion()
        try store.setSetting("k", "v")
        #expect(try store.dataVersion() > before)
        #expect(try Engine.postgresStore(workspace: ids[0], mode: .existing).setting("k") == "v")
        #expect(try Engine.postgresStore(workspace: ids[1], mode: .existing).setting("k") == nil)
    }
}
