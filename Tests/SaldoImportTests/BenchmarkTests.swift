import Foundation
import Testing
import SaldoCore
@testable import SaldoImport

/// Throughput and correctness on a generated PayPal-style file. By default 20,000 rows made here;
/// `SALDO_BENCH_FILE=/tmp/paypal-1m.csv` (from `scripts/gen_paypal_csv.py`) reads that file instead.
/// Run it in a release build for numbers: `swift test -c release --filter BenchmarkTests`.
@Suite struct BenchmarkTests {
    /// A small deterministic PayPal activity file: payments with fees in three currencies,
    /// conversion leg pairs, withdrawals; balances chain per currency; written newest first.
    static func paypalCSV(rows: Int, seed: UInt64) -> String {
        var state = seed &* 6364136223846793005 &+ 1442695040888963407
        func next(_ n: Int) -> Int { state = state &* 6364136223846793005 &+ 1442695040888963407; return Int((state >> 33) % UInt64(n)) }
        let curs = ["USD", "EUR", "GBP"]
        var bal: [String: Int] = ["USD": 0, "EUR": 0, "GBP": 0]
        var lines: [String] = []
        var t = 0, id = 0
        func m(_ c: Int) -> String { (c < 0 ? "-" : "") + "\(abs(c) / 100).\(String(format: "%02d", abs(c) % 100))" }
        func row(_ name: String, _ type: String, _ cur: String, _ gross: Int, _ fee: Int, ref: String = "") {
            bal[cur, default: 0] += gross + fee
            id += 1
            let day = 1 + t / 86400, sec = t % 86400
            let date = String(format: "%02d/%02d/2025", (day - 1) % 28 + 1, (day - 1) / 28 % 12 + 1)
            let time = String(format: "%02d:%02d:%02d", sec / 3600, sec % 3600 / 60, sec % 60)
            lines.append("\"\(date)\",\"\(time)\",\"UTC\",\"\(name)\",\"\(type)\",\"Completed\",\"\(cur)\",\"\(m(gross))\",\"\(m(fee))\",\"\(m(gross + fee))\",\"PPT\(String(format: "%014d", id))\",\"\(ref)\",\"\(m(bal[cur]!))\"")
        }
        while lines.count < rows {
            t += 60 + next(120)
            let r = next(100)
            if r < 70 || rows - lines.count < 2 {
                let g = 500 + next(100000)
                row(["Prolific Academic Ltd", "Acme Corp", "Globex LLC"][next(3)], "General Payment", curs[next(3)], g, -(g * 29 / 1000 + 30))
            } else if r < 90 {
                let a = next(3), b = (a + 1 + next(2)) % 3
                let amt = 1000 + next(50000)
                let ref = "PAR\(String(format: "%014d", id))"
                row("", "General Currency Conversion", curs[a], -amt, 0, ref: ref)
                row("", "General Currency Conversion", curs[b], amt * 9 / 10, 0, ref: ref)
            } else {
                let c = curs[next(3)]
                if bal[c]! > 0 { row("", "General Withdrawal", c, -(bal[c]! / 2), 0) }
            }
        }
        lines = Array(lines.prefix(rows))
        let header = "\"Date\",\"Time\",\"TimeZone\",\"Name\",\"Type\",\"Status\",\"Currency\",\"Gross\",\"Fee\",\"Net\",\"Transaction ID\",\"Reference Txn ID\",\"Balance\""
        return ([header] + lines.reversed()).joined(separator: "\n") + "\n"
    }

    @Test func readsAGeneratedFileFast() throws {
        let env = ProcessInfo.processInfo.environment
        let data: Data
        let name: String
        if let f = env["SALDO_BENCH_FILE"] { data = try Data(contentsOf: URL(fileURLWithPath: f)); name = f }
        else { data = Data(Self.paypalCSV(rows: 20_000, seed: 11).utf8); name = "generated.csv" }
        let clock = ContinuousClock()
        var result: StatementReadResult?
        let elapsed = clock.measure { result = StatementImporter.read(data: data, fileName: name) }
        let r = try #require(result)
        print("SaldoImport: \(r.rowCount) rows, \(r.transactions.count) transactions, \(r.filtered.count) filtered in \(elapsed)")
        #expect(!r.isFatal, "\(r.errors.prefix(3))")
        #expect(r.profile == "paypal-activity")
        #expect(r.balanceChecks.allSatisfy { $0.holds })
        #expect(r.warnings.filter { $0.code == "import.balance" }.isEmpty)
        #expect(Set(r.transactions.compactMap(\.dedupKey)).count == r.transactions.count)
        #expect(r.transactions.contains { $0.kind == .conversion && $0.postings.contains { $0.cost != nil } })
        #expect(r.transactions.contains { $0.platform == "Prolific" })
    }
}
