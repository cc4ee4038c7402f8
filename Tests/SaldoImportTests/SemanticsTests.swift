import Foundation
import Testing
import SaldoCore
import SaldoBatch
import SaldoTestSupport
@testable import SaldoImport

@Suite struct SemanticsTests {
    func read(_ f: String) throws -> StatementReadResult {
        StatementImporter.read(data: try Fixtures.data("statements/" + f), fileName: (f as NSString).lastPathComponent)
    }

    @Test func conversionsAreOneBalancedTransactionAndNeverIncome() throws {
        for f in ["paypal/saldo-paypal-activity-en-us.csv", "paypal/saldo-paypal-statement-es.csv", "revolut/saldo-revolut-personal-exchange.csv",
                  "wise/saldo-wise-statement-eur.csv", "paypal/banana-paypal-fr-ch-2020-bom-conversions.csv"] {
            let r = try read(f)
            let conversions = r.transactions.filter { $0.kind == .conversion }
            #expect(!conversions.isEmpty, "\(f)")
            for t in conversions {
                #expect(t.postings.contains { $0.cost != nil })
                #expect(!t.postings.contains { $0.account.root == .income })
                #expect(Set(t.postings.map(\.amount.currency)).count == 2)
                #expect(throws: Never.self) { try t.validate() }
            }
        }
    }

    @Test func grossFeeAndNetAreSeparatePostingsAndRefundsReverseIncome() throws {
        let r = try read("paypal/saldo-paypal-activity-en-us.csv")
        let sale = try #require(r.transactions.first { $0.externalID == "PP000000000000002" })
        #expect(sale.postings.map(\.account.path) == ["assets:paypal", "expenses:fees:paypal", "income:acme-corp"])
        #expect(sale.postings.map(\.amount.minorUnits) == [120610, 4390, -125000])
        #expect(sale.client == "Acme Corp" && sale.platform == "PayPal" && sale.kind == .earning)
        let refund = try #require(r.transactions.first { $0.externalID == "PP000000000000008" })
        #expect(refund.kind == .refund)
        #expect(refund.postings.contains { $0.account.path == "income:acme-corp" && $0.amount.minorUnits == 10000 })
        let prolific = try #require(r.transactions.first { $0.externalID == "PP000000000000001" })
        #expect(prolific.platform == "Prolific")
        #expect(prolific.postings.contains { $0.account.path == "income:prolific" })
        let payout = try #require(r.transactions.first { $0.externalID == "PP000000000000012" })
        #expect(payout.kind == .payout)
        #expect(payout.postings.contains { $0.account.path == "assets:transfers:pending" })
        for t in r.transactions {
            #expect(t.source?.file == "saldo-paypal-activity-en-us.csv" && t.source?.line != nil && t.source?.record != nil)
            #expect(t.dedupKey != nil)
        }
        // Memos and pending rows are filtered with their reason; holds move the stated balance, so
        // they are booked, as money set aside in assets:paypal:reserved.
        let reasons = Set(r.filtered.map(\.reason))
        #expect(!reasons.contains { $0.hasPrefix("hold") })
        let hold = try #require(r.transactions.first { $0.externalID == "PP000000000000005" })
        #expect(hold.kind == .transfer)
        #expect(hold.postings.map(\.account.path) == ["assets:paypal", "assets:paypal:reserved"])
        #expect(hold.postings.map(\.amount.minorUnits) == [-20000, 20000])
        #expect(reasons.contains { $0.hasPrefix("memo") })
        #expect(reasons.contains("status \"Pending\" is not completed"))
    }

    @Test func aBrokenRunningBalanceIsReportedWithTheRowsAround() throws {
        var text = try Fixtures.text("statements/paypal/saldo-paypal-statement-es.csv")
        text = text.replacingOccurrences(of: "\"193,25\"", with: "\"190,25\"")
        let r = StatementImporter.read(data: Data(text.utf8), fileName: "es.csv")
        #expect(!r.isFatal)
        let w = try #require(r.warnings.first { $0.code == "import.balance" })
        // One gap, said once: which way the balance moves without a row, by how much (never a
        // negative "missing" amount), and the stated balances on either side.
        #expect(r.warnings.filter { $0.code == "import.balance" }.count == 1)
        #expect(w.message == "the balance falls by 3.00 EUR between 1,193.25 (after line 5) and 1,190.25 (before line 3), but no row of the file moves it by that amount", "\(w.message)")
        #expect(w.location?.field == "Saldo" && w.location?.line == 3)
        #expect(w.hint?.contains("export the whole period again") == true)
        #expect(r.balanceChecks.contains { !$0.holds })
        #expect(r.balances.gaps == 1 && !r.balances.ledgerAgrees)
    }

    @Test func norma43TotalsAreChecked() throws {
        var bytes = [UInt8](try Fixtures.data("statements/norma43/saldo-norma43-two-accounts.n43"))
        // Change the first movement's amount (line 2, columns 29-42) from 1500.00 to 1600.00.
        let lineStart = bytes.firstIndex(of: 0x0A)! + 1
        bytes[lineStart + 37] = UInt8(ascii: "6")
        let r = StatementImporter.read(data: Data(bytes), fileName: "n.n43")
        #expect(r.profile == "norma43")
        #expect(r.warnings.contains { $0.code == "n43.totals" })
        #expect(r.warnings.contains { $0.code == "import.balance" && $0.message.contains("difference -100.00") })
    }

    @Test func hugeAmountsAreRefusedNotTrapped() {
        var s = "\"balance_transaction_id\",\"created_utc\",\"available_on_utc\",\"currency\",\"gross\",\"fee\",\"net\",\"reporting_category\",\"description\"\n"
        for i in 0..<50 { s += "\"txn_\(i)\",\"2026-01-01 10:00:00\",\"2026-01-05 00:00:00\",\"eur\",\"9000000000000000.00\",\"0.00\",\"9000000000000000.00\",\"charge\",\"\"\n" }
        let r = StatementImporter.read(data: Data(s.utf8), fileName: "big.csv")
        #expect(r.isFatal)
        #expect(r.errors.first?.message == "amount \"9000000000000000.00\" is too large (more than 10 trillion)")
    }

    @Test func progressIsReported() {
        final class Box: @unchecked Sendable { var values: [Double] = [] }
        let box = Box()
        let data = Data(BenchmarkTests.paypalCSV(rows: 70_000, seed: 5).utf8)
        let r = StatementImporter.read(data: data, fileName: "p.csv", progress: { box.values.append($0) })
        #expect(!r.isFatal)
        #expect(box.values.last == 1.0)
        #expect(box.values == box.values.sorted())
    }
}

@Suite struct PayoutAndFileTests {
    @Test func stripeRowsMustAddUpToTheirPayout() throws {
        let full = try Fixtures.text("statements/stripe/saldo-stripe-itemized-payout.csv")
        #expect(!StatementImporter.read(data: Data(full.utf8), fileName: "s.csv").warnings.contains { $0.code == "import.payout" })
        let missing = full.split(separator: "\n").filter { !$0.contains("txn_saldo0003") }.joined(separator: "\n") + "\n"
        let r = StatementImporter.read(data: Data(missing.utf8), fileName: "s.csv")
        let w = try #require(r.warnings.first { $0.code == "import.payout" })
        #expect(w.message == "payout po_saldo1 of 44.85 EUR does not match its 3 row(s) in this file, which add up to 74.85 EUR")
    }

    @Test func readsFromDiskMapped() throws {
        let r = StatementImporter.read(contentsOf: Fixtures.url("statements/upwork/saldo-upwork-2025.csv"))
        #expect(r.file == "saldo-upwork-2025.csv")
        #expect(r.transactions.count == 2)
        let missing = StatementImporter.read(contentsOf: URL(fileURLWithPath: "/nonexistent/statement.csv"))
        #expect(missing.isFatal)
        #expect(missing.errors.first?.code == "import.read")
    }
}

@Suite struct StreamingTests {
    @Test func streamingGivesTheSameTransactions() throws {
        for f in ["paypal/saldo-paypal-activity-en-us.csv", "norma43/saldo-norma43-two-accounts.n43", "wise/saldo-wise-statement-eur.csv"] {
            let data = try Fixtures.data("statements/" + f)
            let whole = StatementImporter.read(data: data, fileName: "f")
            var sink = RecordingSink()
            let r = StatementImporter.read(data: data, fileName: "f", into: &sink)
            #expect(r.transactions.isEmpty)
            #expect(sink.batches.flatMap(\.transactions) == whole.transactions, "\(f)")
            #expect(r.filtered == whole.filtered && r.problems == whole.problems)
            // Told once that the hand-over is over, and nothing comes after it.
            #expect(sink.ends == 1 && !sink.addedAfterEnd, "\(f)")
            // One file's batches share their tables: index n names the same account in every batch.
            for (a, b) in zip(sink.batches, sink.batches.dropFirst()) { #expect(b.accounts.starts(with: a.accounts), "\(f)") }
        }
    }

    @Test func streamingHandsNothingOverFromAFailedFile() throws {
        var sink = RecordingSink()
        let r = StatementImporter.read(data: try Fixtures.data("errors/amount-garbage.csv"), fileName: "g.csv", into: &sink)
        #expect(r.isFatal)
        #expect(sink.batches.isEmpty)
    }

    @Test func aSinkThatFailsStopsTheHandOverAndSaysSo() throws {
        struct Failing: TransactionBatchSink {
            var added = 0
            mutating func add(_ batch: TransactionBatch) throws { added += 1; throw CancellationError() }
            func noMoreBatches() {}
        }
        var sink = Failing()
        let r = StatementImporter.read(data: try Fixtures.data("statements/paypal/saldo-paypal-activity-en-us.csv"), fileName: "p.csv", into: &sink)
        #expect(sink.added == 1)
        #expect(r.isFatal && r.errors.contains { $0.code == "import.write" })
    }
}

/// Keeps the batches and watches the order of the calls.
struct RecordingSink: TransactionBatchSink {
    var batches: [TransactionBatch] = []
    var ends = 0
    var addedAfterEnd = false
    mutating func add(_ batch: TransactionBatch) { if ends > 0 { addedAfterEnd = true }; batches.append(batch) }
    mutating func noMoreBatches() { ends += 1 }
}
