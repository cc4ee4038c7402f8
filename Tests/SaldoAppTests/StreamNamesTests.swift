import Foundation
import Testing
import SaldoApp
import SaldoCore
import SaldoStore
import SaldoTestSupport

/// Pinned (tester): the forecast split one client in two because a bank line wrote "KARL KAUFMANN"
/// and an invoice "Karl Kaufmann".
@Suite struct StreamNamesTests {
    @Test func aClientWrittenInCapitalsOrWithoutAccentsIsOneStream() throws {
        let path = Fixtures.temporaryDirectory().appendingPathComponent("streams-\(UUID().uuidString).sqlite").path
        let store = try SQLiteLedgerStore(path: path)
        try store.setSetting("base-currency", "EUR")
        var txns: [Transaction] = []
        let names = ["Karl Kaufmann", "KARL KAUFMANN", "Karl Kaufmann", "José Núñez", "JOSE NUNEZ", "José Núñez"]
        for month in 1...6 {
            for (i, name) in names.enumerated() {
                let m = try Money(ExactDecimal("\(100 + i).00"), currency: .EUR)
                txns.append(Transaction(date: Day(year: 2026, month: month, day: 10 + i)!, description: "work", kind: .earning, postings: [
                    Posting(try Account("assets:bank"), m), Posting(try Account("income:client"), -m),
                ], client: name, dedupKey: "t:\(month):\(i)"))
            }
        }
        _ = try store.record(ImportRecord(fileName: "t", sha256: "t", format: "test", transactions: txns))
        let history = try Forecasts.history(today: Day(year: 2026, month: 7, day: 15)!, store: store)
        #expect(Set(history.streams.keys) == ["Karl Kaufmann", "José Núñez"], "\(history.streams.keys.sorted())")
        // Each month's stream holds all three of its payments.
        #expect(history.streams["Karl Kaufmann"]?.last == 303, "\(history.streams)")
    }
}
