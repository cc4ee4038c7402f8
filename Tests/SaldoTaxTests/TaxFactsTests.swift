import SaldoCore
import Testing
@testable import SaldoTax

@Suite struct TaxFactsTests {
    func build(_ txs: [Transaction], _ invoices: [Invoice] = [], profile: TaxProfile = TaxProfile(jurisdiction: .es), rules: String = "es-2025.json") throws -> TaxFacts {
        TaxFactsBuilder(profile: profile, rules: try L.rules(rules), convert: L.identity).build(transactions: txs, invoices: invoices)
    }

    /// Facts sort by date, then by their category's name, and keep the order they were made in
    /// where both are equal (a stable sort).
    @Test func factsSortByDateThenCategoryNameKeepingTheirOrder() throws {
        #expect(FactCategory.allCases.sorted { $0.nameOrder < $1.nameOrder }.map(\.rawValue) == FactCategory.allCases.map(\.rawValue).sorted())
        var g = SystemRandomNumberGenerator()
        let facts = (0..<600).map { i in
            TaxFact(date: Day(year: 2026, month: 1, day: Int.random(in: 1...6, using: &g))!, category: FactCategory.allCases.randomElement(using: &g)!,
                    amount: Money(minorUnits: Int64(i), currency: .EUR), description: "\(i)")
        }
        let expected = facts.enumerated().sorted { ($0.element.date, $0.element.category.rawValue, $0.offset) < ($1.element.date, $1.element.category.rawValue, $1.offset) }
            .map(\.element)
        #expect(TaxFactsBuilder.sortedByDateAndCategory(facts) == expected)
        #expect(TaxFactsBuilder.sortedByDateAndCategory(expected) == expected)
        #expect(TaxFactsBuilder.sortedByDateAndCategory([]).isEmpty)
    }

    @Test func postingsMapToFacts() throws {
        let personal = try Transaction(date: L.day("2025-03-01"), description: "groceries", kind: .expense, postings: [
            Posting(L.account("expenses:personal:food"), L.money("50.00")), Posting(L.account("assets:bank"), L.money("-50.00")),
        ])
        let irpfPaid = try Transaction(date: L.day("2025-04-20"), description: "modelo 130", kind: .tax, postings: [
            Posting(L.account("expenses:tax:income"), L.money("500.00")), Posting(L.account("assets:bank"), L.money("-500.00")),
        ])
        let f = try build([
            try L.earning("2025-01-10", "1000.00"),
            try L.refund("2025-01-20", "100.00"),
            try L.expense("2025-02-01", "200.00", vat: "42.00"),
            try L.expense("2025-02-02", "300.00", account: "expenses:social-security"),
            try L.expense("2025-02-03", "5.00", account: "expenses:fees:paypal"),
            personal, irpfPaid,
            try L.earning("2024-12-31", "999.00"),      // another tax year
        ])
        #expect(f.income().decimalString == "900.00")
        #expect(f.expenses().decimalString == "505.00")
        #expect(f.sum(.expense) { $0.withInputVAT }.decimalString == "200.00")
        #expect(f.sum(.expense) { $0.socialSecurity }.decimalString == "300.00")
        #expect(f.sum(.vatBorne).decimalString == "42.00")
        #expect(f.monthlyIncome()[YearMonth(year: 2025, month: 1)]?.decimalString == "900.00")
    }

    @Test func invoicesCountOnceAndBookedOnesKeepTheirWithholding() throws {
        let acme = Party(name: "Acme SL", taxID: "B12345678", country: "ES")
        let booked = try L.invoice("A-1", "2025-02-01", base: "4000.00", vatRate: "0.21", withholdingRate: "0.15", buyer: acme)
        // Booked without a withholding posting: the invoice's withholding still counts.
        let tx = try Transaction(date: booked.issueDate, description: "invoice A-1", kind: .invoice, postings: [
            Posting(L.account("assets:receivable:acme"), booked.total),
            Posting(L.account("liabilities:tax:vat-output"), -booked.tax),
            Posting(L.account("income:clients"), -booked.net),
        ], client: "Acme SL", dedupKey: booked.dedupKey).validated()
        let unbooked = try L.invoice("A-2", "2025-03-01", base: "1000.00", vatRate: "0.21", withholdingRate: "0.15", buyer: acme)
        var cancelled = try L.invoice("A-3", "2025-03-02", base: "9999.00", buyer: acme)
        cancelled.status = .cancelled
        var received = try L.invoice("S-9", "2025-03-03", base: "100.00", vatRate: "0.21", buyer: acme)
        received.direction = .received
        let f = try build([tx], [booked, unbooked, cancelled, received])
        #expect(f.income().decimalString == "5000.00")
        #expect(f.withheld().decimalString == "750.00")
        #expect(f.sum(.vatCharged).decimalString == "1050.00")
        #expect(f.income(.subject).decimalString == "5000.00")
        #expect(f.expenses().decimalString == "100.00" && f.sum(.vatBorne).decimalString == "21.00")
        #expect(f.sum(.income) { $0.withheldAtSource }.decimalString == "5000.00")
    }

    @Test func placeOfSupplyFromTheTable() throws {
        let r = try L.rules("es-2025.json")
        func t(_ c: ClientTaxInfo) -> SupplyTreatment? { VATPlaceOfSupply.row(for: c, in: r)?.treatment }
        #expect(t(ClientTaxInfo(country: "ES")) == .subject)
        #expect(t(ClientTaxInfo(country: "IE", hasValidVATID: true)) == .reverseCharge)
        #expect(t(ClientTaxInfo(country: "IE", hasValidVATID: false)) == .review)
        #expect(t(ClientTaxInfo(country: "US")) == .notSubject)
        #expect(t(ClientTaxInfo(country: "ES", isBusiness: false)) == .review)
        // US and UK files have no VAT table: no treatment.
        #expect(VATPlaceOfSupply.row(for: ClientTaxInfo(country: "US"), in: try L.rules("us-2025.json")) == nil)
    }

    @Test func ukTaxYearBoundaries() throws {
        let f = try build([
            try L.earning("2025-04-05", "1.00", .GBP), try L.earning("2025-04-06", "10.00", .GBP),
            try L.earning("2026-04-05", "100.00", .GBP), try L.earning("2026-04-06", "1000.00", .GBP),
        ], profile: TaxProfile(jurisdiction: .gb), rules: "gb-2025-26.json")
        #expect(f.income().decimalString == "110.00")
        #expect(f.period.description == "2025-26")
    }
}
