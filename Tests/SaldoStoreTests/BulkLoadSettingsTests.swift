import Foundation
import Testing
@testable import SaldoStore
import SaldoCore
import SaldoBatch
import SaldoTestSupport

/// A statement streamed into an empty ledger runs with settings of its own (no foreign-key checks
/// during the load, SQLite's sorter threads and a smaller page cache for the index builds at the
/// end); afterwards, whether the import succeeded or failed, the connection is as it was, and the
/// ledger is whole.
@Suite struct BulkLoadSettingsTests {
    func settings(_ store: SQLiteLedgerStore) throws -> [String: Int] { try store.connectionSettings() }

    /// `rows` payments with long keys (so that the key index's sort takes more than one run), or a repeated key.
    func stream(_ store: SQLiteLedgerStore, rows: Int, repeatKey: Bool = false) throws(StoreError) -> ImportOutcome? {
        try store.recordStream(fileName: "b.csv", sha256: "b", format: "csv", dryRun: false, now: Date(), keysAreUnique: true,
                               original: Data("kept copy".utf8)) { sink in
            var b = TransactionBatchBuilder(sourceFile: "b.csv")
            let pad = String(repeating: "k", count: 200)
            for i in 0..<rows {
                let id = repeatKey && i == rows - 1 ? "T0" : "T\((i &* 7919) % rows)"
                b.append(payment("2026-02-0\(i % 9 + 1)", Int64(i + 1), id: id, key: "paypal:\(pad):\(id)"))
                if b.count == 4096 { try sink.add(b.take()) }
            }
            if b.count > 0 { try sink.add(b.take()) }
            try sink.noMoreBatches()
            return ImportStreamEnd(keep: true, format: "t", balanceChecks: [], filteredCount: 0, problemCount: 0)
        }
    }

    @Test func settingsComeBackAfterABulkLoadAndTheLedgerIsWhole() throws {
        let store = try SQLiteLedgerStore(path: Fixtures.temporaryDirectory().appendingPathComponent("bulk-settings.sqlite").path)
        let before = try settings(store)
        #expect(before == ["foreign_keys": 1, "threads": 0, "cache_size": -65536, "temp_store": 2, "synchronous": 2, "foreign_key_problems": 0])
        // 50,000 keys of about 220 bytes: more than the sorter's run size during the builds.
        let out = try #require(try stream(store, rows: 50_000))
        #expect(out.newTransactions == 50_000)
        #expect(try settings(store) == before)
        #expect(try store.integrityCheck() == "ok")
        #expect(try store.keptOriginals().count == 1)
        // The same file again takes the ordinary path (the ledger is not empty): every key is
        // found through the index the sorter threads built, so all are duplicates.
        let again = try #require(try stream(store, rows: 50_000))
        #expect(again.newTransactions == 0 && again.duplicateTransactions == 50_000)
        #expect(try settings(store) == before)
    }

    /// A new ledger's migrations run without a sync each; the connection is then back to full syncs,
    /// and so is the ledger opened again.
    @Test func aNewLedgerSyncsFullyOnceCreated() throws {
        let path = Fixtures.temporaryDirectory().appendingPathComponent("new-ledger.sqlite").path
        let store = try SQLiteLedgerStore(path: path)
        #expect(try store.connectionSettings()["synchronous"] == 2)
        #expect(try store.integrityCheck() == "ok")
        let again = try SQLiteLedgerStore(path: path, mode: .existing)
        #expect(try again.connectionSettings()["synchronous"] == 2)
        #expect(try again.schemaSQL() == SQLiteLedgerStore().schemaSQL())
    }

    @Test func settingsComeBackAfterAFailedBulkLoad() throws {
        let store = try SQLiteLedgerStore(path: Fixtures.temporaryDirectory().appendingPathComponent("bulk-failed.sqlite").path)
        let before = try settings(store)
        #expect(throws: StoreError.self) { try stream(store, rows: 1_000, repeatKey: true) }
        #expect(try settings(store) == before)
        #expect(try store.transactionCount() == 0 && store.batches().isEmpty && store.keptOriginals().count == 0)
    }
}
