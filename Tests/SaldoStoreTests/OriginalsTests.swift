import Foundation
import Testing
@testable import SaldoStore
import SaldoCore
import SaldoTestSupport

/// The ledger keeps a copy of every imported file, in the import's own database transaction: kept
/// exactly when the rows are, once per distinct file, read back byte for byte in chunks.
@Suite struct OriginalsTests {
    func ledger(_ name: String, _ engine: Engine) throws -> any LedgerStore {
        engine == .sqlite ? try SQLiteLedgerStore(path: Fixtures.temporaryDirectory().appendingPathComponent("\(name).sqlite").path) : try engine.emptyStore()
    }

    func readBack(_ store: any LedgerStore, _ sha: String, chunk: Int) throws -> Data? {
        var out = Data()
        let found = try store.readOriginal(sha256: sha, chunkSize: chunk) { out.append(contentsOf: $0); return true }
        return found ? out : nil
    }

    @Test(arguments: Engine.available, [1, 7, 4096, 1 << 20])
    func aRecordedFileIsKeptByteForByte(engine: Engine, chunk: Int) throws {
        let store = try ledger("originals-\(chunk)", engine)
        // Bytes of every value, a NUL and invalid UTF-8 among them: kept as they are.
        let data = Data((0..<10_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        let sha = SQLiteLedgerStore.sha256(data)
        var t = payment("2026-01-02", 1000, id: "A")
        t.source = SourceLocation(file: "a.csv", line: 7)
        _ = try store.record(ImportRecord(fileName: "a.csv", sha256: sha, format: "t", transactions: [t], original: data))
        #expect(try readBack(store, sha, chunk: chunk) == data)
        #expect(try store.keptOriginals() == (1, data.count))
        let id = try #require(try store.transactions().first?.id)
        let origin = try #require(try store.origin(ofTransaction: id))
        #expect(origin.sha256 == sha && origin.keptBytes == data.count && origin.fileName == "a.csv" && origin.line == 7)
    }

    @Test(arguments: Engine.available)
    func aStreamedImportKeepsItsFileAndADryRunKeepsNothing(engine: Engine) throws {
        let store = try ledger("originals-stream", engine)
        let data = Data("date,amount\n2026-01-02,10.00\n".utf8)
        let sha = SQLiteLedgerStore.sha256(data)
        let end = SQLiteLedgerStore.StreamEnd(keep: true, format: "t", balanceChecks: [], filteredCount: 0, problemCount: 0)
        _ = try store.recordStream(fileName: "s.csv", sha256: sha, format: "t", dryRun: true, original: data) { _ in end }
        #expect(try store.keptOriginals().count == 0)
        _ = try store.recordStream(fileName: "s.csv", sha256: sha, format: "t", original: data) { _ in end }
        #expect(try readBack(store, sha, chunk: 5) == data)
        // A file not to keep (a fatal problem found late) keeps no copy either.
        let other = Data("other".utf8)
        _ = try store.recordStream(fileName: "o.csv", sha256: SQLiteLedgerStore.sha256(other), format: "t", original: other) { _ in
            SQLiteLedgerStore.StreamEnd(keep: false, format: nil, balanceChecks: [], filteredCount: 0, problemCount: 1)
        }
        #expect(try readBack(store, SQLiteLedgerStore.sha256(other), chunk: 5) == nil)
    }

    @Test(arguments: Engine.available)
    func aFailedImportKeepsNoCopyAndAReimportKeepsOne(engine: Engine) throws {
        let store = try ledger("originals-failed", engine)
        let data = Data("x".utf8), sha = SQLiteLedgerStore.sha256(data)
        let record = ImportRecord(fileName: "f.csv", sha256: sha, format: "t",
                                  transactions: [payment("2026-01-02", 1000, id: "A"), payment("2026-01-03", 2000, id: "B")], original: data)
        #expect(throws: StoreError.self) { try SaldoStoreTests.record(record, into: store, failAfter: 1) }
        #expect(try store.keptOriginals().count == 0)
        _ = try store.record(record)
        _ = try store.record(record)   // the same file again: its rows are duplicates, its copy is not kept twice
        #expect(try store.keptOriginals() == (1, 1))
        #expect(try store.batches().count == 2)
    }

    @Test(arguments: Engine.available)
    func aRowOfAnotherFileHasNoCopyAndAnUnknownIdIsNil(engine: Engine) throws {
        let store = try ledger("originals-other", engine)
        let data = Data("batch file".utf8)
        var t = payment("2026-01-02", 1000, id: "A")
        t.source = SourceLocation(file: "inner.csv", line: 4)
        var u = payment("2026-01-03", 500, id: "B")
        u.source = nil
        _ = try store.record(ImportRecord(fileName: "outer.zip", sha256: SQLiteLedgerStore.sha256(data), format: "t", transactions: [t, u], original: data))
        let rows = try store.transactions()
        let inner = try #require(try store.origin(ofTransaction: rows[0].id))
        #expect(inner.fileName == "inner.csv" && inner.line == 4 && inner.batchFileName == "outer.zip" && inner.keptBytes == nil)
        let own = try #require(try store.origin(ofTransaction: rows[1].id))
        #expect(own.fileName == "outer.zip" && own.keptBytes == data.count)
        #expect(try store.origin(ofTransaction: 999_999) == nil)
    }
}
