import Foundation
import Testing
@testable import SaldoStore
import SaldoBatch
import SaldoCore
import SaldoTestSupport

/// A page of transactions can count the rows before it, on every engine.
@Suite struct WriterTellsTests {
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
