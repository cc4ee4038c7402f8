import Foundation
import Testing
@testable import SaldoStore
import SaldoBatch
import SaldoCore
import SaldoTestSupport

/// What an import's preview shows comes from the ledger's writer itself, on every engine: for the
/// first rows it is handed, whether it added each or skipped it as already in the ledger; and a
/// page of transactions can count the rows before it.
@Suite struct WriterTellsTests {
    static func transactions(_ seed: Int, _ count: Int) -> [Transaction] {
        var ts = randomTransactions(seed: seed, count: count)
        for i in ts.indices { ts[i].dedupKey = "k:\(i)"; ts[i].source = nil; ts[i].isDerived = false }
        return ts
    }

    /// Streams `ts` as a dry run, asking about the first `first` rows: what the writer said, and its counts.
    static func stream(_ ts: [Transaction], into store: any LedgerStore, first: Int, keysAreUnique: Bool = false) throws -> ([Bool], ImportOutcome?) {
        var told: [Bool] = []
        let out = try store.recordStream(fileName: "b.csv", sha256: "b", format: "t", dryRun: true, keysAreUnique: keysAreUnique) { sink in
            try TransactionBatchBuilder.batches(of: ts, size: 40) { batch in
                let n = min(first - told.count, batch.count)
                if n > 0 { told += try sink.add(batch, tellingFirst: n) } else { try sink.add(batch) }
            }
            try sink.noMoreBatches()
            return ImportStreamEnd(keep: true, format: nil, balanceChecks: [], filteredCount: 0, problemCount: 0)
        }
        return (told, out)
    }

    @Test(arguments: Engine.available)
    func theWriterSaysWhichOfTheFirstRowsAreAlreadyInTheLedger(engine: Engine) throws {
        let ts = Self.transactions(11, 100)
        let store = try engine.emptyStore()
        let held: Set<Int> = Set(10..<20).union([33, 45, 70])
        _ = try store.record(ImportRecord(fileName: "a.csv", sha256: "a", format: "t", transactions: held.sorted().map { ts[$0] }))
        let (told, out) = try Self.stream(ts, into: store, first: 75)
        #expect(told == (0..<75).map { !held.contains($0) })
        #expect(out?.newTransactions == 100 - held.count && out?.duplicateTransactions == held.count)
        #expect(try store.transactionCount() == held.count, "a dry run writes nothing")
    }

    @Test(arguments: Engine.available)
    func intoAnEmptyLedgerEveryRowIsNew(engine: Engine) throws {
        let ts = Self.transactions(12, 50)
        let (told, _) = try Self.stream(ts, into: try engine.emptyStore(), first: 10, keysAreUnique: true)
        #expect(told == Array(repeating: true, count: 10))
    }

    @Test(arguments: Engine.available)
    func aPageCountsTheRowsBeforeIt(engine: Engine) throws {
        let store = try TransactionQueryTests.ledger(seed: 5, count: 97, on: engine)
        for sort in TransactionQuery.Sort.allCases {
            for text: String? in [nil, "invoice"] {
                var q = TransactionQuery(text: text, sort: sort, limit: 10, locate: true)
                var seen = 0
                while true {
                    let page = try store.transactionPage(q)
                    #expect(page.before == seen, "\(engine) \(sort) after \(seen)")
                    seen += page.rows.count
                    guard let next = page.next else { break }
                    q.after = next
                }
                #expect(seen > 0)
                var plain = q
                plain.locate = false
                #expect(try store.transactionPage(plain).before == nil, "counted only when asked")
            }
        }
    }
}
