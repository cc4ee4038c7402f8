import Foundation
import Testing
import PropertyBased
@testable import SaldoCore
import SaldoBatch
import SaldoTestSupport

@Suite struct TransactionBatchTests {
    /// Any transaction put into batches comes back unchanged, across batches that share tables.
    @Test func roundTripsTransactions() async {
        await propertyCheck(count: 200, input: Gen.int(in: 0...1_000_000), Gen.int(in: 0...40), Gen.int(in: 1...8)) { seed, n, per in
            var ts = randomTransactions(seed: seed, count: n)
            // One file's batches name one file: rows without a source get it, as the importer's do.
            for i in ts.indices where ts[i].source == nil { ts[i].source = SourceLocation(file: "s.csv") }
            var b = TransactionBatchBuilder(sourceFile: "s.csv")
            var back: [Transaction] = []
            for t in ts {
                b.append(t)
                if b.count >= per { back += b.take().transactions }
            }
            back += b.take().transactions
            #expect(back == ts)
        }
    }

    /// The batch's quick balance check says what `Transaction.validate` says.
    @Test func validationAgreesWithTransactions() async {
        await propertyCheck(count: 200, input: Gen.int(in: 0...1_000_000), Gen.bool) { seed, balanced in
            let ts = randomTransactions(seed: seed, count: 10, balanced: balanced)
            var b = TransactionBatchBuilder(sourceFile: "s.csv")
            for t in ts { b.append(t) }
            let batch = b.take()
            for (i, t) in ts.enumerated() {
                let whole: Bool = (try? t.validate()) != nil
                let quick: Bool = (try? batch.validate(at: i)) != nil
                #expect(whole == quick)
            }
        }
    }

    @Test func removeLastTakesBackTheEntry() {
        let ts = randomTransactions(seed: 7, count: 3)
        var b = TransactionBatchBuilder(sourceFile: nil)
        b.append(ts[0]); b.append(ts[1])
        let before = b.take()
        var c = TransactionBatchBuilder(sourceFile: nil)
        c.append(ts[0]); c.append(ts[1]); c.append(ts[2]); c.removeLast()
        let after = c.take()
        #expect(after.transactions == before.transactions)
        #expect(after.text == before.text && after.legs == before.legs && after.totals == before.totals)
    }
}

@Suite struct TransactionKindIndexTests {
    @Test func indexIsThePositionInAllCases() {
        for (i, k) in TransactionKind.allCases.enumerated() { #expect(k.index == i, "\(k)") }
    }
}

@Suite struct CheckedEntriesTests {
    /// Only entries checked as they were added count as checked, from the first one on.
    @Test func checkedCountFollowsValidation() throws {
        let ts = randomTransactions(seed: 11, count: 3)
        var b = TransactionBatchBuilder(sourceFile: nil)
        b.append(ts[0]); try b.validateLast()
        b.append(ts[1]); try b.validateLast()
        #expect(b.take().checkedCount == 2)
        b.append(ts[0])                       // not checked
        b.append(ts[1]); try b.validateLast() // checked, but after an unchecked one
        #expect(b.take().checkedCount == 0)
        b.append(ts[0]); try b.validateLast(); b.append(ts[1]); try b.validateLast(); b.removeLast()
        #expect(b.take().checkedCount == 1)
    }
}
