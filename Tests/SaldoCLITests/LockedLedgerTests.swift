import Foundation
import Testing
import SaldoCore
import SaldoStore
import SaldoCLI
import SaldoTestSupport

/// A ledger another program holds locked: the import waits for the lock up to its timeout; a
/// lock released in time lets it through, one held longer makes it fail cleanly (exit 1, nothing
/// written) saying how long it waited and what to do.
@Suite(.serialized) struct LockedLedgerTests {
    /// `sqlite3` holding `BEGIN EXCLUSIVE` on the ledger until `release` is called.
    final class LockHolder: @unchecked Sendable {
        let process = Process()
        let input = Pipe(), output = Pipe()
        init?(path: String) throws {
            guard let exe = ["/usr/bin/sqlite3", "/usr/local/bin/sqlite3"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
                Issue.record("sqlite3 is not installed; .ci/run installs it"); return nil
            }
            process.executableURL = URL(fileURLWithPath: exe)
            process.arguments = [path]
            process.standardInput = input; process.standardOutput = output
            try process.run()
            input.fileHandleForWriting.write(Data("BEGIN EXCLUSIVE;\nSELECT 'locked';\n".utf8))
            // Wait until the other program holds the lock.
            var seen = Data()
            while !String(decoding: seen, as: UTF8.self).contains("locked") {
                let d = output.fileHandleForReading.availableData
                if d.isEmpty { break }
                seen += d
            }
        }
        func release() throws {
            input.fileHandleForWriting.write(Data("COMMIT;\n.quit\n".utf8))
            try input.fileHandleForWriting.close()
            process.waitUntilExit()
        }
    }

    static func newLedger(_ name: String) throws -> String {
        let path = Fixtures.temporaryDirectory().appendingPathComponent(name).path
        _ = try SQLiteLedgerStore(path: path)   // create it
        return path
    }

    @Test func aLockHeldPastTheTimeoutFailsCleanly() throws {
        guard let folder = DemoCommand.demoFolder else { Issue.record("no demo folder"); return }
        let path = try Self.newLedger("locked.sqlite")
        guard let holder = try LockHolder(path: path) else { return }
        let started = Date()
        let r = SaldoCLI.capture(["import", folder.appendingPathComponent("paypal-activity-2025-2026.csv").path, "--ledger", path, "--lock-timeout", "0.5"])
        let waited = Date().timeIntervalSince(started)
        try holder.release()

        #expect(r.status == 1, "\(r.out)\(r.err)")
        #expect(r.err.contains("another program (perhaps another saldo command) is using it and did not finish within 0.5 seconds; try again when it has finished, or allow a longer wait for the lock"), "\(r.err)")
        #expect(waited >= 0.5, "gave up after \(waited) s, before the timeout")
        #expect(waited < 20, "waited \(waited) s for a 0.5 s timeout")
        #expect(try SQLiteLedgerStore(path: path).transactionCount() == 0)
    }

    @Test func aLockReleasedWithinTheTimeoutIsWaitedFor() throws {
        guard let folder = DemoCommand.demoFolder else { Issue.record("no demo folder"); return }
        let path = try Self.newLedger("released.sqlite")
        guard let holder = try LockHolder(path: path) else { return }
        let release = Thread { Thread.sleep(forTimeInterval: 1); try? holder.release() }
        let started = Date()
        release.start()
        let r = SaldoCLI.capture(["import", folder.appendingPathComponent("paypal-activity-2025-2026.csv").path, "--ledger", path, "--lock-timeout", "20"])
        let took = Date().timeIntervalSince(started)
        #expect(r.status == 0, "\(r.out)\(r.err)")
        #expect(took >= 0.9, "the import cannot have waited for the lock: \(took) s")
        #expect(try SQLiteLedgerStore(path: path).transactionCount() > 0)
    }
}
