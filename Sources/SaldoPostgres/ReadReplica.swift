import Foundation
import PostgresNIO
import SaldoStore

/// A read-only streaming replica that a store reads from (`--read-database`): reports, the
/// overview and the web app's GETs read there; every write goes to the primary.
///
/// A replica replays the primary's WAL a little later. So that a store never answers from before its
/// own last write (an import, then its report), every write notes the primary's WAL position after
/// its commit (`pg_current_wal_lsn()`), and the next read waits until the replica has replayed that
/// far (`pg_last_wal_replay_lsn()`), polling every few milliseconds up to ``maximumWait``; a replica
/// still behind then is passed over and that read goes to the primary. Writes by others (another
/// staff member, another process) show on the replica as soon as it replays them.
///
/// The replica's transactions are `BEGIN READ ONLY` with the same workspace context as on the
/// primary (anchors §2 item 8: `set_config` is allowed on a hot standby), so row-level security holds
/// there too.
final class ReadReplica: @unchecked Sendable {
    let session: PGSession
    /// How long a read waits for the replica to replay the store's own last write.
    static let maximumWait: TimeInterval = 5
    private let lock = NSLock()
    /// The primary's WAL position after this store's last write, until the replica has replayed it.
    private var pending: String?
    /// Reads answered by the replica, and reads sent to the primary because the replica was behind.
    private(set) var served = 0, passedOver = 0

    init(session: PGSession) { self.session = session }

    /// After a write committed on `primary`: remember where its WAL ends.
    func wrote(on primary: PGSession) throws(StoreError) {
        let lsn = try primary.transaction(workspace: nil, readOnly: true) { tx in
            try tx.query("SELECT pg_current_wal_lsn()::text").first!.decode(String.self)
        }
        lock.withLock { pending = lsn }
    }

    /// Whether the replica has replayed this store's last write (waiting up to ``maximumWait`` for it).
    func caughtUp() -> Bool {
        let ok = waitForReplay()
        if ok { lock.withLock { served += 1 } }
        return ok
    }

    private func waitForReplay() -> Bool {
        guard let lsn = lock.withLock({ pending }) else { return true }
        let deadline = Date().addingTimeInterval(Self.maximumWait)
        while true {
            let replayed = (try? session.transaction(workspace: nil, readOnly: true) { tx in
                try tx.query("SELECT COALESCE(pg_last_wal_replay_lsn() >= \(lsn)::pg_lsn, NOT pg_is_in_recovery())").first!.decode(Bool.self)
            }) ?? false
            if replayed {
                lock.withLock { if pending == lsn { pending = nil } }
                return true
            }
            if Date() >= deadline { lock.withLock { passedOver += 1 }; return false }
            Thread.sleep(forTimeInterval: 0.005)
        }
    }
}

extension PostgresLedgerStore {
    /// How many reads the replica answered, and how many went to the primary because the replica had
    /// not replayed this store's last write in time (tests check where reads went).
    package var replicaReads: (served: Int, passedOver: Int) { replica.map { ($0.served, $0.passedOver) } ?? (0, 0) }
}

/// Statements outside any workspace, for tests that drive the test cluster (pausing a replica's replay).
package enum PGAdmin {
    package static func execute(url: String, _ sql: String) throws(StoreError) {
        let session = try PGSession(try PostgresLocation(url: url))
        try session.transaction(workspace: nil) { tx in try tx.run(sql) }
    }
}
