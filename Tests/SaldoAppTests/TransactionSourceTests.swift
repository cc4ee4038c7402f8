import Foundation
import Testing
import SaldoApp
import SaldoCore
import SaldoStore
import SaldoTestSupport

/// Every transaction shows the line of its statement file it came from: the line the source page
/// marks is the file's own line (read here independently), whatever the format, line endings or
/// text encoding; a spreadsheet offers its copy instead of lines; the copy downloads byte for byte.
@Suite struct TransactionSourceTests {
    /// The file's lines read independently of Saldo: \r\n, \n or \r end a line; UTF-8, else Windows-1252.
    static func lines(_ data: Data) -> [String] {
        let text = String(data: data, encoding: .utf8) ?? String(data: data, encoding: .windowsCP1252) ?? ""
        let unified = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        var ls = unified.components(separatedBy: "\n")
        if let f = ls.first, f.hasPrefix("\u{FEFF}") { ls[0] = String(f.dropFirst()) }
        return ls
    }

    static let files = [
        "statements/paypal/saldo-paypal-activity-en-us.csv",
        "statements/norma43/saldo-norma43-two-accounts.n43",
        "statements/camt/genkgo-camt053-v02-two-statements.xml",
        "statements/ofx/ofxparse-ofx102-sgml-checking-usd-tabs-intu.ofx",
    ]

    @Test(arguments: files)
    func theMarkedLineIsTheFilesOwnLine(_ file: String) throws {
        let url = Fixtures.url(file)
        let path = Fixtures.temporaryDirectory().appendingPathComponent("source-\(url.lastPathComponent).sqlite").path
        let outcome = try ImportFiles.run(ImportRequest(paths: [url.path]), ledger: LedgerLocation(path: path), environment: [:])
        #expect(outcome.totals.new > 0, "\(file) imports")
        let store = try LedgerLocation(path: path).open(.existing)
        let data = try Data(contentsOf: url)
        let fileLines = Self.lines(data)
        var checked = 0
        for row in try store.transactions() {
            let doc = try Transactions.source(id: row.id, context: 2, store: store)
            #expect(doc.keptBytes == data.count)
            guard let line = doc.line else { continue }
            guard case .lines(let lines) = doc.content else { Issue.record("\(file): no lines for transaction \(row.id)"); continue }
            let marked = lines.filter(\.isTheRow)
            #expect(marked.count == 1 && marked.first?.number == line)
            #expect(marked.first?.text == fileLines[line - 1], "\(file):\(line)")
            // The lines around it, and the first line (column names) when it is not among them.
            let around = Array(max(1, line - 2)...min(fileLines.count, line + 2)).filter { $0 <= lines.last!.number }
            #expect(lines.map(\.number) == (around.first == 1 ? around : [1] + around))
            #expect(lines.first?.text == fileLines[0].replacingOccurrences(of: "\u{FEFF}", with: ""))
            checked += 1
        }
        #expect(checked > 0, "\(file): some transactions name their line")
        let first = try #require(try store.transactions().first)
        let original = try Transactions.original(id: first.id, store: store)
        #expect(original.bytes == data && original.fileName == url.lastPathComponent)
    }

    @Test func aSpreadsheetOffersItsCopyInsteadOfLines() throws {
        let url = Fixtures.url("statements/xlsx/bank-debit-credit-labels.xlsx")
        let path = Fixtures.temporaryDirectory().appendingPathComponent("source-xlsx.sqlite").path
        _ = try ImportFiles.run(ImportRequest(paths: [url.path]), ledger: LedgerLocation(path: path), environment: [:])
        let store = try LedgerLocation(path: path).open(.existing)
        let row = try #require(try store.transactions().first)
        let doc = try Transactions.source(id: row.id, store: store)
        #expect(doc.content == .binary(kind: "spreadsheet"))
        #expect(try Transactions.original(id: row.id, store: store).bytes == Data(contentsOf: url))
    }

    @Test func anUnknownTransactionIsNotFound() throws {
        let store = try LedgerLocation(path: appLedger).open(.existing)
        #expect { try Transactions.source(id: 987_654_321, store: store) } throws: { e in
            if case .notFound(let m)? = e as? StoreError { return m.contains("987654321") }
            return false
        }
    }

    /// A ledger made before copies were kept still answers: it says why there are no lines and how to get them.
    @Test func aLedgerWithoutCopiesSaysSo() throws {
        let path = Fixtures.temporaryDirectory().appendingPathComponent("source-old.sqlite").path
        let store = try SQLiteLedgerStore(path: path)
        let t = Transaction(date: Day(year: 2026, month: 1, day: 2)!, description: "x", kind: .earning,
                            postings: [Posting(try Account("assets:bank"), Money(minorUnits: 100, currency: .EUR)),
                                       Posting(try Account("income:x"), Money(minorUnits: -100, currency: .EUR))],
                            dedupKey: "k", source: SourceLocation(file: "old.csv", line: 3))
        _ = try store.record(ImportRecord(fileName: "old.csv", sha256: "abc", format: "t", transactions: [t]))
        let id = try #require(try store.transactions().first?.id)
        let doc = try Transactions.source(id: id, store: store)
        guard case .notKept(let reason) = doc.content else { Issue.record("expected no copy"); return }
        #expect(reason.contains("import it again"))
        #expect(doc.line == 3 && doc.fileName == "old.csv")
    }
}
