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

/// A large file is scanned in two halves on two threads. Whatever the split, the rows, their line
/// and record numbers, the evidence and every error must be what one pass gives.
@Suite struct ParallelScanTests {
    func read(_ data: Data, parallelScanBytes: Int) -> StatementReadResult {
        var options = ImportOptions()
        options.parallelScanBytes = parallelScanBytes
        options.parallelRows = .max
        return StatementImporter.read(data: data, fileName: "big.csv", options: options)
    }

    func same(_ data: Data, _ note: String) {
        let one = read(data, parallelScanBytes: .max)
        let two = read(data, parallelScanBytes: 1)
        #expect(two.rowCount == one.rowCount, "\(note)")
        #expect(two.transactions == one.transactions, "\(note)")
        #expect(two.problems == one.problems, "\(note): \(two.problems.prefix(2)) vs \(one.problems.prefix(2))")
        #expect(two.filtered == one.filtered, "\(note)")
        #expect(two.balanceChecks == one.balanceChecks, "\(note)")
    }

    @Test func twoHalvesGiveWhatOnePassGives() {
        // Errors in both halves: their line numbers must match.
        same(ParallelMappingTests.awkwardFile(rows: 3_000), "awkward")
        for rows in [1, 2, 3, 50] { same(Data(BenchmarkTests.paypalCSV(rows: rows, seed: UInt64(rows)).utf8), "rows: \(rows)") }
    }

    @Test func aQuotedFieldAcrossTheMiddle() {
        // Names with line breaks inside quotes, one of them spanning the file's middle:
        // the second half starts on a line that is not a record's first.
        var lines = BenchmarkTests.paypalCSV(rows: 2_000, seed: 3).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for i in 1..<(lines.count - 1) where i % 2 == 1 {
            var fields = lines[i].components(separatedBy: "\",\"")
            guard fields.count > 3 else { continue }
            fields[3] = "Client\nwith a\nbreak \(i)"
            lines[i] = fields.joined(separator: "\",\"")
        }
        let text = lines.joined(separator: "\n")
        #expect(text.contains("Client\nwith a\nbreak"))
        same(Data(text.utf8), "multiline")
        // Pad the start so that the middle moves through a multi-line field: both the joining
        // and the reading-on branch are taken.
        var joined = 0, readOn = 0
        for pad in stride(from: 0, to: 1200, by: 40) {
            let padded = String(repeating: "\n", count: pad) + text
            let bytes = Array(padded.utf8)
            var m = bytes.count / 2
            while bytes[m] != 0x0A { m += 1 }
            var t = CSVTokenizer(bytes: bytes, delimiter: 0x2C)
            var rec = CSVRecord()
            var starts: Set<Int> = []
            while (try? t.next(into: &rec)) == true { starts.insert(t.position) }
            if starts.contains(m + 1) { joined += 1 } else { readOn += 1 }
            same(Data(padded.utf8), "pad \(pad)")
        }
        #expect(joined > 0 && readOn > 0, "joined \(joined), read on \(readOn)")
    }

    @Test func aSyntaxErrorInTheSecondHalfNamesItsLine() {
        var lines = BenchmarkTests.paypalCSV(rows: 1_000, seed: 5).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines[800] = lines[800].replacingOccurrences(of: "\",\"Completed", with: "\"x,\"Completed")
        let data = Data(lines.joined(separator: "\n").utf8)
        let one = read(data, parallelScanBytes: .max), two = read(data, parallelScanBytes: 1)
        #expect(one.isFatal)
        #expect(two.problems == one.problems, "\(two.problems) vs \(one.problems)")
        #expect(one.problems.first?.location?.line == 801)
    }
}
