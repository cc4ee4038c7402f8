import Dispatch
import Foundation
import Testing
@testable import SaldoStore
import SaldoTestSupport

/// Another connection holding the ledger's write lock: a writer waits for it up to its lock
/// timeout, then fails saying how long it waited, and writes nothing.
@Suite(.serialized) struct LockWaitTests {
    /// Holds an exclusive transaction on `path` for `seconds` on another thread; returns once it holds it.
    static func holdLock(_ path: String, for seconds: Double) throws -> DispatchSemaphore {
        let holder = try SQLiteLedgerStore(path: path)
        let held = DispatchSemaphore(value: 0), done = DispatchSemaphore(value: 0)
        Thread {
            // A write transaction kept open: its write lock is the other program's.
            try? holder.execute("CREATE TABLE lock_holder (x)", beforeCommit: {
                held.signal()
                Thread.sleep(forTimeInterval: seconds)
            })
            done.signal()
        }.start()
        held.wait()
        return done
    }

    @Test func aWriterWaitsForALockReleasedInTime() throws {
        let path = Fixtures.temporaryDirectory().appendingPathComponent("wait.sqlite").path
        _ = try SQLiteLedgerStore(path: path)
        let store = try SQLiteLedgerStore(path: path, lockTimeout: 10)
        let done = try Self.holdLock(path, for: 0.8)
        let started = Date()
        try store.setSetting("base-currency", "EUR")
        #expect(Date().timeIntervalSince(started) >= 0.5, "did not wait for the lock")
        #expect(try store.setting("base-currency") == "EUR")
        done.wait()
    }

    @Test func aLockHeldPastTheTimeoutFailsSayingHowLongItWaited() throws {
        let path = Fixtures.temporaryDirectory().appendingPathComponent("timeout.sqlite").path
        _ = try SQLiteLedgerStore(path: path)
        let store = try SQLiteLedgerStore(path: path, lockTimeout: 0.3)
        let done = try Self.holdLock(path, for: 2)
        let started = Date()
        #expect {
            try store.setSetting("base-currency", "EUR")
        } throws: { error in
            "\(error)".contains("is using it and did not finish within 0.3 seconds; try again when it has finished, or allow a longer wait for the lock")
        }
        let waited = Date().timeIntervalSince(started)
        #expect(waited >= 0.3 && waited < 1.8, "\(waited)")
        done.wait()
        #expect(try SQLiteLedgerStore(path: path).setting("base-currency") == nil)
    }

    @Test func timeoutsOutOfRangeAreBoundedNotTrapped() throws {
        let path = Fixtures.temporaryDirectory().appendingPathComponent("bounds.sqlite").path
        #expect(try SQLiteLedgerStore(path: path, lockTimeout: .infinity).lockTimeout == 86_400)
        #expect(try SQLiteLedgerStore(path: path, lockTimeout: -5).lockTimeout == 0)
        #expect(try SQLiteLedgerStore(path: path, lockTimeout: .nan).lockTimeout == 0)
        #expect(try SQLiteLedgerStore(path: path, lockTimeout: 1e12).lockTimeout == 86_400)
    }

    @Test func secondsAreSaidPlainly() {
        #expect(SQLiteLedgerStore.seconds(30) == "30 seconds")
        #expect(SQLiteLedgerStore.seconds(1) == "1 second")
        #expect(SQLiteLedgerStore.seconds(0.25) == "0.2 seconds" || SQLiteLedgerStore.seconds(0.25) == "0.3 seconds")
    }
}
