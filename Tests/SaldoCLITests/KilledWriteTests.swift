import Foundation
import Testing
import SaldoCore
import SaldoStore
import SaldoCLI
import SaldoTestSupport

/// A `saldo import` killed with SIGKILL in the middle of its write leaves the previous ledger intact.
@Suite struct KilledWriteTests {
    @Test func killedImportLeavesThePreviousLedger() throws {
        let saldo = Fixtures.root.appendingPathComponent(".build/debug/saldo").path
        guard FileManager.default.isExecutableFile(atPath: saldo) else {
            Issue.record("\(saldo) is not built; run `swift build` first (.ci/run does)")
            return
        }
        let dir = Fixtures.temporaryDirectory()
        let ledger = dir.appendingPathComponent("ledger.sqlite").path
        // The ledger before: the demo files.
        _ = try DemoCommand.buildLedger(at: ledger)
        let before = try SQLiteLedgerStore(path: ledger).transactions()
        #expect(before.count > 600)

        // A statement large enough that its write takes a while.
        let big = dir.appendingPathComponent("big.csv").path
        let gen = Process()
        gen.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        gen.arguments = ["python3", Fixtures.root.appendingPathComponent("scripts/gen_paypal_csv.py").path, "--rows", "150000", "--out", big]
        try gen.run(); gen.waitUntilExit()
        #expect(gen.terminationStatus == 0)

        let p = Process()
        p.executableURL = URL(fileURLWithPath: saldo)
        p.arguments = ["import", big, "--ledger", ledger]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        // The rollback journal appears when the write transaction starts: kill then.
        let journal = ledger + "-journal"
        let deadline = Date().addingTimeInterval(120)
        while !FileManager.default.fileExists(atPath: journal) && p.isRunning && Date() < deadline { usleep(2_000) }
        let caughtWriting = FileManager.default.fileExists(atPath: journal) && p.isRunning
        usleep(100_000)
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        #expect(caughtWriting, "the import finished or never started writing before it could be killed")
        #expect(p.terminationReason == .uncaughtSignal)

        // Opening the ledger rolls the interrupted write back.
        let store = try SQLiteLedgerStore(path: ledger)
        let integrity = try store.integrityCheck()
        #expect(integrity == "ok", "\(integrity)")
        #expect(try store.transactions() == before)
        #expect(try store.batches().count == (try SQLiteLedgerStore(path: ledger).batches().count))
    }
}
