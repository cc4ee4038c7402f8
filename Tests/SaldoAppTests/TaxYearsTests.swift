import Foundation
import Testing
import SaldoApp
import SaldoCore
import SaldoReports
import SaldoStore
import SaldoTax
import SaldoTestSupport

/// A tax computation reads only the tax years it needs (the overview's next payment on a ledger of
/// many years must not load every transaction), and its result is the one the whole ledger gives.
@Suite struct TaxYearsTests {
    @Test(arguments: [Jurisdiction.es, .us, .gb])
    func readingOnlyTheYearsNeededChangesNothing(_ j: Jurisdiction) throws {
        // A copy of the demo ledger without its (Spanish) region, which other jurisdictions refuse.
        let path = Fixtures.temporaryDirectory().appendingPathComponent("tax-years-\(j.rawValue).sqlite").path
        try? FileManager.default.removeItem(atPath: path)
        try FileManager.default.copyItem(atPath: appLedger, toPath: path)
        let store = try LedgerLocation(path: path).open(.existing)
        if j != .es { try store.setSetting("tax-profile", nil) }
        let request = TaxRequest(jurisdiction: j, region: j == .gb ? "Scotland" : nil, today: demoDay, useForecast: false)
        let whole = try Taxes.inputs(request, store: store, years: .all)
        let thisYear = TaxEngine.taxYear(containing: demoDay, j)
        for (years, compared) in [(Taxes.YearsNeeded.calendar, [thisYear - 1, thisYear]), (.year(2026), [2026]), (.year(2025), [2025]), (.year(nil), [thisYear])] {
            let part = try Taxes.inputs(request, store: store, years: years)
            #expect(part.bookedInvoices != nil)
            #expect(part.transactions.count <= whole.transactions.count)
            for y in compared {
                let a = try TaxEngine.summary(whole, year: y), b = try TaxEngine.summary(part, year: y)
                #expect(TaxDocument(table: a.table, result: a).json == TaxDocument(table: b.table, result: b).json, "\(j) \(years) year \(y)")
            }
            if case .calendar = years {
                let a = try TaxEngine.calendar(whole), b = try TaxEngine.calendar(part)
                #expect(TaxDocument(table: a.table, result: a).json == TaxDocument(table: b.table, result: b).json, "\(j) calendar")
            }
        }
        // The demo holds 2025 and 2026: reading 2026 alone reads less (fewer sums, as many or fewer
        // transactions carrying an invoice).
        let y2026 = try Taxes.inputs(request, store: store, years: .year(2026))
        #expect(y2026.postingSums.count < whole.postingSums.count && y2026.transactions.count <= whole.transactions.count)
    }

    /// An invoice paid before its tax year (a prepayment in December) is booked: reading only the
    /// invoice's year must not count it a second time by itself.
    @Test func aPrepaidInvoiceIsNotCountedTwice() throws {
        let rules = try TaxRules.builtIn(.es, year: 2026)
        let store = try LedgerLocation(path: appLedger).open(.existing)
        let invoice = try #require(try store.invoices().map(\.invoice).first { $0.direction == .issued && $0.issueDate.year == 2026 && !$0.net.isZero })
        let builder = TaxFactsBuilder(profile: TaxProfile(jurisdiction: .es), rules: rules, convert: { m, _ in m })
        let alone = builder.build(transactions: [], invoices: [invoice])
        #expect(alone.facts.contains { $0.invoiceNumber == invoice.number }, "an invoice no transaction carries counts by itself")
        let booked = BookedInvoiceReferences(dedupKeys: [invoice.dedupKey], numbers: [])
        let prepaid = builder.build(transactions: [], invoices: [invoice], booked: booked)
        #expect(!prepaid.facts.contains { $0.invoiceNumber == invoice.number })
        let byNumber = builder.build(transactions: [], invoices: [invoice], booked: BookedInvoiceReferences(dedupKeys: [], numbers: [invoice.number]))
        #expect(!byNumber.facts.contains { $0.invoiceNumber == invoice.number })
    }

    @Test func theStoreSaysWhichInvoicesAreBooked() throws {
        let store = try LedgerLocation(path: appLedger).open(.existing)
        let all = try store.transactions().map(\.transaction)
        let invoices = try store.invoices().map(\.invoice)
        let found = try store.bookedReferences(dedupKeys: Set(invoices.map(\.dedupKey)) .union(["no-such-key"]),
                                               numbers: Set(invoices.map(\.number)).union(["NO-SUCH-NUMBER"]))
        #expect(found.dedupKeys == Set(invoices.map(\.dedupKey)).intersection(all.compactMap(\.dedupKey)))
        #expect(found.numbers == Set(invoices.map(\.number)).intersection(all.compactMap(\.externalID)))
        #expect(!found.dedupKeys.isEmpty || !found.numbers.isEmpty, "the demo books some invoices")
    }
}
