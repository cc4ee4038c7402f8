import Foundation
import Testing
import SaldoCore
@testable import SaldoImport

/// A large file's rows are mapped on two threads. Whatever the split, the result must be exactly
/// what one pass gives: the same transactions in the same order, the same diagnostics (in file
/// order, with the same per-kind limit), the same filtered rows and balance checks.
@Suite struct ParallelMappingTests {
    /// The generated PayPal file with garbage amounts and a non-completed row sprinkled through
    /// both halves (more bad amounts than the per-kind diagnostic limit).
    static func awkwardFile(rows: Int) -> Data {
        var lines = BenchmarkTests.paypalCSV(rows: rows, seed: 7).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for i in stride(from: 500, to: lines.count - 1, by: 499) {
            var fields = lines[i].components(separatedBy: "\",\"")
            if i % 3 == 0 { fields[5] = "Pending" } else { fields[7] = "12x.5" }
            lines[i] = fields.joined(separator: "\",\"")
        }
        return Data(lines.joined(separator: "\n").utf8)
    }

    func read(_ data: Data, parallelRows: Int) -> StatementReadResult {
        var options = ImportOptions()
        options.parallelRows = parallelRows
        return StatementImporter.read(data: data, fileName: "big.csv", options: options)
    }

    @Test func twoThreadsGiveWhatOnePassGives() throws {
        let data = Self.awkwardFile(rows: 30_000)
        let one = read(data, parallelRows: .max)
        let two = read(data, parallelRows: 1)
        #expect(one.rowCount == 30_000)
        #expect(one.transactions.count > 20_000)
        // The file is broken on purpose: more bad amounts than are listed one by one.
        #expect(one.problems.filter { $0.code == "csv.amount" }.count == 21)   // 20 listed, then "N more"
        #expect(one.problems.contains { $0.message.contains("more problem(s) of this kind (csv.amount)") }, "\(one.problems.map(\.description).suffix(4))")
        #expect(one.filtered.contains { $0.reason.contains("Pending") })
        #expect(two.transactions == one.transactions)
        #expect(two.problems == one.problems)
        #expect(two.filtered == one.filtered)
        #expect(two.balanceChecks == one.balanceChecks)
    }

    @Test func aSmallFileSplitsToo() {
        // Odd row counts and a split point next to a conversion pair.
        for rows in [2, 3, 101] {
            let data = Data(BenchmarkTests.paypalCSV(rows: rows, seed: UInt64(rows)).utf8)
            let one = read(data, parallelRows: .max)
            let two = read(data, parallelRows: 1)
            #expect(two.transactions == one.transactions, "rows: \(rows)")
            #expect(two.problems == one.problems, "rows: \(rows)")
            #expect(two.filtered == one.filtered, "rows: \(rows)")
        }
    }
}
