import Foundation
import SaldoCLI
import SaldoCore
@testable import SaldoStore
import SaldoTestSupport
import Testing

/// A conversion whose legs fall into two exports: each leg is booked when its file is imported
/// (against equity:conversions:unmatched), the second import pairs them, and no order of
/// re-imports, overlapping exports or the whole period books anything twice.
@Suite struct ConversionLegImportTests {
    static let header = "\"Date\",\"Time\",\"TimeZone\",\"Name\",\"Type\",\"Status\",\"Currency\",\"Gross\",\"Fee\",\"Net\",\"Transaction ID\",\"Reference Txn ID\",\"Balance\""
    /// January ends with the first leg (100.00 USD sold); February starts with the second
    /// (92.15 EUR bought), which names the first: PayPal's one-way reference.
    static let jan = ["\"15/01/2026\",\"10:00:00\",\"Europe/Madrid\",\"Acme\",\"General Payment\",\"Completed\",\"USD\",\"500.00\",\"-17.80\",\"482.20\",\"8AA00000000000001\",\"\",\"482.20\"",
                      "\"31/01/2026\",\"23:59:58\",\"Europe/Madrid\",\"\",\"General Currency Conversion\",\"Completed\",\"USD\",\"-100.00\",\"0.00\",\"-100.00\",\"8AA00000000000002\",\"\",\"382.20\""]
    static let feb = ["\"01/02/2026\",\"00:00:01\",\"Europe/Madrid\",\"\",\"General Currency Conversion\",\"Completed\",\"EUR\",\"92.15\",\"0.00\",\"92.15\",\"8AA00000000000003\",\"8AA00000000000002\",\"92.15\"",
                      "\"14/02/2026\",\"09:00:00\",\"Europe/Madrid\",\"Globex\",\"General Payment\",\"Completed\",\"EUR\",\"200.00\",\"-7.30\",\"192.70\",\"8AA00000000000004\",\"\",\"284.85\""]

    static func write(_ rows: [String], _ name: String, in dir: URL) throws -> String {
        let url = dir.appendingPathComponent(name)
        try ([header] + rows.reversed()).joined(separator: "\r\n").appending("\r\n").write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    /// What the ledger holds: balances per account and currency, and the conversions' prices.
    static func state(_ ledger: String) throws -> [String] {
        let store = try SQLiteLedgerStore(path: ledger)
        return try store.rowTexts("SELECT account, currency, sum(amount) FROM posting GROUP BY 1, 2 HAVING sum(amount) != 0 ORDER BY 1, 2")
            + store.rowTexts("SELECT count(*) FROM txn WHERE has_cost = 1")
            + store.rowTexts("SELECT amount, cost_currency, cost_amount FROM posting WHERE cost_amount IS NOT NULL")
    }

    static func has(_ rows: [String], _ parts: String...) -> Bool { rows.contains { r in parts.allSatisfy { r.contains($0) } } }

    @Test func legsFromTwoExportsPairOnceWhateverTheOrder() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("saldo-legs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let j = try Self.write(Self.jan, "jan.csv", in: dir), f = try Self.write(Self.feb, "feb.csv", in: dir)
        let whole = try Self.write(Self.jan + Self.feb, "whole.csv", in: dir)

        // The reference: the whole period in one file.
        let reference = dir.appendingPathComponent("reference.sqlite").path
        #expect(SaldoCLI.capture(["import", whole, "--ledger", reference]).status == 0)
        let expected = try Self.state(reference)
        #expect(Self.has(expected, "\"assets:paypal\"", "\"USD\"", ":38220") && Self.has(expected, "\"assets:paypal\"", "\"EUR\"", ":28485"))
        #expect(Self.has(expected, "count(*):1"), "one conversion, with its price")
        #expect(Self.has(expected, "amount:-10000", "\"EUR\"", "cost_amount:9215"))
        #expect(!Self.has(expected, "equity:conversions:unmatched"))

        let orders: [[String]] = [[j, f], [f, j], [j, f, j, f], [j, whole], [whole, j, f], [f, whole, j], [j, j, whole, f, f]]
        for (n, order) in orders.enumerated() {
            let ledger = dir.appendingPathComponent("l\(n).sqlite").path
            var outputs: [String] = []
            for file in order {
                let r = SaldoCLI.capture(["import", file, "--ledger", ledger])
                outputs.append(r.out)
                #expect(r.status == 0, "\(order.map { ($0 as NSString).lastPathComponent }): \(r.out) \(r.err)")
            }
            #expect(try Self.state(ledger) == expected, "order \(order.map { ($0 as NSString).lastPathComponent })")
        }

        // The first file alone leaves the leg waiting, and says so; the second completes it.
        let ledger = dir.appendingPathComponent("steps.sqlite").path
        let first = SaldoCLI.capture(["import", j, "--ledger", ledger])
        #expect(first.out.contains("1 conversion leg without the other leg in this file (line 2)"))
        #expect(first.out.contains("running balances check out"))
        #expect(Self.has(try Self.state(ledger), "\"equity:conversions:unmatched\"", "\"USD\"", ":10000"))
        let second = SaldoCLI.capture(["import", f, "--ledger", ledger, "--format", "json"])
        #expect(second.out.contains("\"conversion_legs\":{\"unmatched\":0,\"completed\":1}"))
        #expect(second.out.contains("\"ledger_agrees\":true"))
        // After the whole period, January alone adds nothing and has nothing waiting.
        let afterWhole = dir.appendingPathComponent("after-whole.sqlite").path
        #expect(SaldoCLI.capture(["import", whole, "--ledger", afterWhole]).status == 0)
        let again = SaldoCLI.capture(["import", j, "--ledger", afterWhole])
        #expect(again.out.contains("0 new, 2 already in the ledger"))
        #expect(!again.out.contains("without the other leg") && !again.out.contains("warning"), "\(again.out)")
        let store = try SQLiteLedgerStore(path: ledger)
        #expect(try store.conversionLegs().allSatisfy { $0.pairedBy == "paypal:conversion:8AA00000000000002+8AA00000000000003" })
    }

    /// Into an empty ledger a statement's rows go in before the dedup key's index is built; the
    /// ledger is the same as one written row by row into a ledger that already held something.
    @Test func bulkLoadWritesWhatTheOrdinaryPathWrites() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("saldo-bulk-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = Fixtures.url("statements/paypal/saldo-paypal-conversions-linked.csv").path
        let bulk = dir.appendingPathComponent("bulk.sqlite").path, ordinary = dir.appendingPathComponent("ordinary.sqlite").path
        #expect(SaldoCLI.capture(["import", file, "--ledger", bulk]).status == 0)
        // The second ledger already holds a transaction, so the ordinary path (index kept) is taken.
        let other = try Self.write([Self.jan[0]], "other.csv", in: dir)
        #expect(SaldoCLI.capture(["import", other, "--ledger", ordinary]).status == 0)
        #expect(SaldoCLI.capture(["import", file, "--ledger", ordinary]).status == 0)
        let a = try SQLiteLedgerStore(path: bulk), b = try SQLiteLedgerStore(path: ordinary)
        let query = "SELECT day, timestamp, payee, platform, client, description, kind, external_id, dedup_key, source_line, postings, has_cost FROM txn WHERE dedup_key != 'paypal:8AA00000000000001' ORDER BY dedup_key"
        // Account ids differ (the other file created some first): compare postings through the view.
        let postings = "SELECT t.dedup_key, p.account, p.currency, p.amount, p.cost_currency, p.cost_amount FROM posting p JOIN txn t ON t.id = p.txn_id WHERE t.dedup_key != 'paypal:8AA00000000000001' ORDER BY 1, p.seq"
        #expect(try a.rowTexts(postings) == b.rowTexts(postings))
        #expect(try a.rowTexts(query).count == b.rowTexts(query).count)
        #expect(try a.integrityCheck() == "ok")
        // The index is back, unique: a second import of the file adds nothing.
        let again = SaldoCLI.capture(["import", file, "--ledger", bulk, "--format", "json"])
        #expect(again.out.contains("\"new\":0"))
        #expect(try a.rowTexts("SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'txn_dedup_key'").count == 1)
    }
}
