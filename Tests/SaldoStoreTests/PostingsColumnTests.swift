import Foundation
import Testing
import PropertyBased
@testable import SaldoStore
import SaldoCore

/// The `txn.postings` column is written by hand on the import path: it must read back exactly,
/// for any amount an Int64 holds, with and without conversion costs, and stay valid JSON.
@Suite struct PostingsColumnTests {
    static let accounts = [try! Account("assets:paypal"), try! Account("expenses:fees:paypal"), try! Account("income:acme")]
    static let currencies: [CurrencyCode] = [.USD, .EUR, try! CurrencyCode("JPY"), try! CurrencyCode("KWD")]

    func roundTrip(_ postings: [Posting]) throws -> [Posting] {
        let ids = postings.map { p in Int64(Self.accounts.firstIndex(of: p.account)! + 1) }
        let text = PostingsColumn.encode(postings, accountIDs: ids)
        #expect((try? JSONSerialization.jsonObject(with: Data(text.utf8))) != nil, "not JSON: \(text)")
        var interner = Interner()
        for (i, a) in Self.accounts.enumerated() { interner.accountsByID[Int64(i + 1)] = a }
        return try PostingsColumn.decode(text, interner: &interner)
    }

    @Test func extremesReadBack() throws {
        for v: Int64 in [0, 1, -1, 9, -9, 10, -10, 1_000_000_007, .max, .min, .max - 1, .min + 1] {
            let p = [Posting(Self.accounts[0], Money(minorUnits: v, currency: .USD)),
                     Posting(Self.accounts[2], Money(minorUnits: v, currency: .EUR), cost: Money(minorUnits: v, currency: .USD))]
            #expect(try roundTrip(p) == p)
        }
        #expect(PostingsColumn.encode([Posting(Self.accounts[1], Money(minorUnits: -1234, currency: .EUR))], accountIDs: [7])
                == #"[[7,"EUR",-1234]]"#)
    }

    @Test func anyPostingsReadBack() async {
        await propertyCheck(count: 500, input: Gen.int64(in: .min ... .max), Gen.int64(in: -1_000_000_000...1_000_000_000),
                            Gen.int(in: 0...3), Gen.int(in: 0...2), Gen.bool) { a, b, c, acc, withCost in
            let cur = Self.currencies[c]
            let p = [Posting(Self.accounts[acc], Money(minorUnits: a, currency: cur),
                             cost: withCost ? Money(minorUnits: b, currency: cur == .USD ? .EUR : .USD) : nil),
                     Posting(Self.accounts[(acc + 1) % 3], Money(minorUnits: b, currency: cur))]
            #expect((try? roundTrip(p)) == p)
        }
    }
}

extension PostingsColumnTests {
    /// A damaged column (hand-edited ledger, disk trouble) is an error, never a crash.
    @Test func damagedColumnsAreErrors() {
        var interner = Interner()
        interner.accountsByID[1] = Self.accounts[0]
        for text in [#"[[1,"USD",99999999999999999999]]"#, #"[[1,"USD",-9223372036854775809]]"#, #"[[1,"USD",]]"#,
                     #"[[2,"USD",5]]"#, #"[[1,"XXX",5]]"#, #"[[1,"USD",5"#, "", "[[1,\"USD"] {
            #expect(throws: (any Error).self, "\(text)") { try PostingsColumn.decode(text, interner: &interner) }
        }
    }
}
