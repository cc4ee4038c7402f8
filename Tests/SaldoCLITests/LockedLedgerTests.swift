import Foundation
import Testing
import SaldoCore
import SaldoStore
import SaldoCLI
import SaldoTestSupport

/// A ledger another program holds locked: the import fails cleanly (exit 1, nothing written)
/// and says why in plain words, without waiting for the reading thread to be stuck.
@Suite struct LockedLedgerTests {
    @Test func aLockedLedgerFailsCleanly() throws {
        guard let folder = DemoCommand.demoFolder else { Issue.record("no demo folder"); return }
        let path = Fixtures.temporaryDirectory().appendingPathComponent("locked.sqlite").path
        _ = try LedgerStore(path: path)   // create it
        guard let exe = ["/usr/bin/sqlite3", "/usr/local/bin/sqlite3"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            Issue.record("sqlite3 is not installed; .ci/run installs it"); return
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: exe)
        p.arguments = [path]
        let input = Pipe(), output = Pipe()
        p.standardInput = input; p.standardOutput = output
        try p.run()
        input.fileHandleForWriting.write(Data("BEGIN EXCLUSIVE;\nSELECT 'locked';\n".utf8))
        // Wait until the other program holds the lock.
        var seen = Data()
        while !String(decoding: seen, as: UTF8.self).contains("locked") {
            let d = output.fileHandleForReading.availableData
            if d.isEmpty { break }
            seen += d
        }
        let r = SaldoCLI.capture(["import", folder.appendingPathComponent("paypal-activity-2025-2026.csv").path, "--ledger", path])
        input.fileHandleForWriting.write(Data("COMMIT;\n.quit\n".utf8))
        try input.fileHandleForWriting.close()
        p.waitUntilExit()

        #expect(r.status == 1, "\(r.out)\(r.err)")
        #expect(r.err.contains("another program (perhaps another saldo command) is using it; try again when it has finished"), "\(r.err)")
        #expect(try LedgerStore(path: path).transactionCount() == 0)
    }
}
