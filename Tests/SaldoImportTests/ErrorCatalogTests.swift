import Foundation
import Testing
import SaldoCore
import SaldoTestSupport
@testable import SaldoImport

/// One fixture per kind of bad input, each with the exact message the user sees (`<name>.expected`).
@Suite struct ErrorCatalogTests {
    static var files: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: Fixtures.url("errors").path)) ?? []
        return names.filter { !$0.hasSuffix(".expected") && !$0.hasSuffix(".md") }.sorted()
    }

    @Test func catalogCoversEveryKind() {
        let kinds = ["broken-quoting", "unknown-encoding", "ambiguous-dates", "amount-garbage", "missing-columns", "empty", "binary-junk"]
        for k in kinds { #expect(Self.files.contains { $0.hasPrefix(k) }, "no error fixture for \(k)") }
    }

    @Test(arguments: files)
    func exactMessage(_ name: String) throws {
        let r = StatementImporter.read(data: try Fixtures.data("errors/" + name), fileName: name)
        #expect(r.isFatal, "\(name) must be refused")
        #expect(r.transactions.isEmpty || r.isFatal)
        let first = r.errors.first?.description ?? "<no error>"
        if let diff = Fixtures.compareGolden(first + "\n", "errors/" + name + ".expected") { Issue.record("\(diff)") }
    }

    @Test func amountErrorReadsLikeTheSpec() throws {
        let r = StatementImporter.read(data: try Fixtures.data("errors/amount-garbage.csv"), fileName: "statement.csv")
        let d = try #require(r.errors.first)
        #expect(d.code == "csv.amount")
        #expect(d.location?.description == "statement.csv:3:8 (Brutto)")
        #expect(d.message == "expected an amount, found \"1.234,5O\"")
        #expect(d.hint?.contains("decimal comma") == true)
    }

    @Test func missingColumnsAreNamed() throws {
        let r = StatementImporter.read(data: try Fixtures.data("errors/missing-columns.csv"), fileName: "m.csv")
        let d = try #require(r.errors.first)
        #expect(d.hint?.contains("\"Currency\"") == true)
        let check = ProfileRegistry.check(data: try Fixtures.data("errors/missing-columns.csv"), fileName: "m.csv")
        #expect(check.matched == nil)
        #expect(check.explanation.contains { $0.hasPrefix("paypal-activity does not: missing required column(s) \"Currency\"") })
    }

    @Test func optionsSettleAmbiguity() throws {
        let dates = StatementImporter.read(data: try Fixtures.data("errors/ambiguous-dates.csv"), fileName: "d.csv",
                                           options: ImportOptions(dateFormat: "mm/dd/yyyy"))
        #expect(!dates.isFatal)
        #expect(dates.transactions.first?.date == Day(year: 2018, month: 9, day: 1))
        let dmy = StatementImporter.read(data: try Fixtures.data("errors/ambiguous-dates.csv"), fileName: "d.csv",
                                         options: ImportOptions(dateFormat: "dd/mm/yyyy"))
        #expect(dmy.transactions.first?.date == Day(year: 2018, month: 1, day: 9))
        let point = StatementImporter.read(data: try Fixtures.data("errors/ambiguous-decimal.csv"), fileName: "n.csv",
                                           options: ImportOptions(decimalMark: ","))
        #expect(!point.isFatal)
        #expect(point.transactions.first?.postings.first?.amount.minorUnits == 100)
        let thousands = StatementImporter.read(data: try Fixtures.data("errors/ambiguous-decimal.csv"), fileName: "n.csv",
                                               options: ImportOptions(decimalMark: "."))
        #expect(thousands.transactions.first?.postings.first?.amount.minorUnits == 100_000)
    }
}
