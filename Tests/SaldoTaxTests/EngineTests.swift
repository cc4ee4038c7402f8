import Foundation
import SaldoCore
import SaldoTestSupport
import Testing
@testable import SaldoTax

/// The three CLI calls end to end, with goldens of their JSON and Markdown.
@Suite struct EngineTests {
    static let usPlatform = ClientTaxInfo(country: "US", isBusiness: true)

    /// A Spanish freelancer in 2026: a US platform paid in USD, a Spanish client with 15% withholding,
    /// an Irish platform (reverse charge), software with IVA and the cuota de autónomos.
    func demoInputs(today: String, forecast: [YearMonth: Money] = [:]) throws -> TaxInputs {
        let acme = Party(name: "Acme SL", taxID: "B12345678", country: "ES")
        let irish = Party(name: "Platform Ireland Ltd", taxID: "IE6388047V", country: "IE")
        let inv1 = try L.invoice("2026-001", "2026-02-10", base: "2000.00", vatRate: "0.21", withholdingRate: "0.15", buyer: acme)
        let inv2 = try L.invoice("2026-002", "2026-05-12", base: "1500.00", buyer: irish)
        let inv3 = try L.invoice("2026-003", "2026-08-03", base: "2500.00", vatRate: "0.21", withholdingRate: "0.15", buyer: acme)
        var txs: [Transaction] = [try L.invoiceTransaction(inv1), try L.invoiceTransaction(inv2), try L.invoiceTransaction(inv3)]
        for m in 1...9 {
            let mm = "0\(m)"
            txs.append(try L.earning("2026-\(mm)-05", "2200.00", .USD, client: "Prolific", platform: "Prolific"))
            txs.append(try L.expense("2026-\(mm)-20", "300.00", account: "expenses:social-security"))
            txs.append(try L.expense("2026-\(mm)-25", "12.50", .USD, account: "expenses:fees:wise"))
        }
        txs.append(try L.expense("2026-03-15", "400.00", vat: "84.00"))
        txs.append(try L.refund("2026-04-02", "100.00", .USD, client: "Prolific"))
        let p = TaxProfile(jurisdiction: .es, region: "ES-MD", activityStart: try L.day("2023-09-01"),
                           priorYear: PriorYearFigures(netActivityIncome: try L.money("19000.00")),
                           clients: ["Prolific": EngineTests.usPlatform])
        return TaxInputs(transactions: txs, invoices: [inv1, inv2, inv3], convert: try L.fixedRate("0.9", to: .EUR), profile: p,
                         forecast: forecast, today: try L.day(today))
    }

    func json<T: Encodable>(_ v: T) throws -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try e.encode(v), as: UTF8.self) + "\n"
    }

    @Test func spainSummaryGolden() throws {
        let s = try TaxEngine.summary(demoInputs(today: "2026-10-05"), year: 2026, quarter: 3)
        #expect(Fixtures.compareGolden(try json(s), "tax/golden/es-2026-q3.json") == nil)
        #expect(Fixtures.compareGolden(s.table.markdown, "tax/golden/es-2026-q3.md") == nil)
        // The JSON names boxes as the form does.
        let text = try json(s)
        for box in ["\"casilla_01\"", "\"casilla_19\"", "\"casilla_120\"", "\"casilla_59\"", "\"modelo_349\""] { #expect(text.contains(box)) }
        #expect(s.next_due?.date.description == "2026-10-20")
    }

    @Test func calendarGolden() throws {
        let c = try TaxEngine.calendar(demoInputs(today: "2026-10-05"))
        #expect(c.items.allSatisfy { $0.date >= c.today })
        #expect(c.items.first?.date.description == "2026-10-20")
        #expect(c.items.last?.date.description == "2027-02-01")
        #expect(Fixtures.compareGolden(c.table.markdown, "tax/golden/es-2026-calendar.md") == nil)
    }

    @Test func setAsideUsesTheForecast() throws {
        let forecast: [YearMonth: Money] = [YearMonth(year: 2026, month: 11): try L.money("3000.00"), YearMonth(year: 2026, month: 12): try L.money("1000.00")]
        let plan = try TaxEngine.setAside(demoInputs(today: "2026-10-05", forecast: forecast))
        #expect(plan.months.count == 12)
        // October (today's month) has no income in the ledger yet and no forecast: the average month is used.
        #expect(plan.months.map(\.source).suffix(4) == ["ledger", "average", "forecast", "forecast"])
        #expect(plan.months[9].income.s == "2636.67")
        #expect(plan.months[10].income.s == "3000.00")
        let income = plan.months.reduce(Money.zero(.EUR)) { $0 + $1.income.money }
        #expect(income == plan.projected_income.money)
        // The income-tax parts add up to the projected tax within a cent a month.
        let parts = plan.months.reduce(Money.zero(.EUR)) { $0 + $1.income_tax_part.money }
        #expect((parts - plan.projected_tax.money).magnitude.minorUnits <= 12)
        #expect(plan.upcoming.first?.due.date.description == "2026-10-20")
        #expect(Fixtures.compareGolden(plan.table.markdown, "tax/golden/es-2026-set-aside.md") == nil)
    }

    @Test func setAsideWithoutForecastUsesTheAverageMonth() throws {
        let plan = try TaxEngine.setAside(demoInputs(today: "2026-10-05"))
        #expect(plan.months.map(\.source).suffix(3) == ["average", "average", "average"])
        #expect(plan.notes.contains { $0.contains("average month so far") })
    }

    @Test func usSetAsideCoversTheYear() throws {
        // US-1's year: 50,000 of profit; total tax 9,775.17.
        var txs: [Transaction] = []
        for m in 1...12 {
            let mm = m < 10 ? "0\(m)" : "\(m)"
            txs.append(try L.earning("2025-\(mm)-10", "5000.00", .USD))
        }
        txs.append(try L.expense("2025-01-15", "10000.00", .USD))
        let inputs = TaxInputs(transactions: txs, convert: L.identity, profile: TaxProfile(jurisdiction: .us), today: try L.day("2025-12-31"))
        let plan = try TaxEngine.setAside(inputs, year: 2025)
        #expect(plan.projected_tax.s == "9775.17")
        #expect(plan.rate == "0.1629")
        #expect(plan.months.allSatisfy { $0.set_aside.s == "814.60" })
        let s = try TaxEngine.summary(inputs, year: 2025)
        #expect(Fixtures.compareGolden(s.table.markdown, "tax/golden/us-2025.md") == nil)
    }

    @Test func ukSummaryAndCalendar() throws {
        let txs = [try L.earning("2026-05-01", "21000.00", .GBP), try L.earning("2026-11-01", "20000.00", .GBP), try L.expense("2026-06-01", "1000.00", .GBP)]
        let p = TaxProfile(jurisdiction: .gb, region: "GB-SCT", priorYear: PriorYearFigures(selfAssessmentLiability: try L.money("6000.00", .GBP),
                                                                                            qualifyingIncome: ["2024-25": try L.money("60000.00", .GBP)]))
        let inputs = TaxInputs(transactions: txs, convert: L.identity, profile: p, today: try L.day("2026-12-01"))
        let s = try TaxEngine.summary(inputs, year: 2026)
        #expect(s.tax_year == "2026-27")
        #expect(Fixtures.compareGolden(s.table.markdown, "tax/golden/gb-2026-27.md") == nil)
        let c = try TaxEngine.calendar(inputs)
        #expect(c.items.contains { $0.form == "MTD update" && $0.date.description == "2027-02-07" && $0.amount == nil })
        #expect(c.items.contains { $0.what.contains("first payment on account") && $0.date.description == "2027-01-31" && $0.amount?.s == "3000.00" })
    }

    @Test func calendarEarlyInAYearWithoutRulesListsLastYearsDeadlines() throws {
        var inputs = try demoInputs(today: "2027-01-10")
        inputs.transactions = inputs.transactions.filter { $0.date.year == 2026 }
        let c = try TaxEngine.calendar(inputs)
        #expect(c.items.map(\.date.description) == ["2027-02-01", "2027-02-01"])
        #expect(c.notes.contains { $0.contains("No rules for tax year 2027") })
        // With no rules at all for the year asked, the error says which years exist.
        do {
            _ = try TaxEngine.summary(inputs, year: 2030)
            Issue.record("no error")
        } catch {
            #expect(error.description.contains("available: 2025, 2026"))
        }
    }

    @Test func resultsRoundTripThroughJSON() throws {
        let s = try TaxEngine.summary(demoInputs(today: "2026-10-05"), year: 2026, quarter: 3)
        let data = try JSONEncoder().encode(s)
        let d = JSONDecoder()
        d.userInfo[Amount.currencyKey] = CurrencyCode.EUR
        let back = try d.decode(TaxSummary.self, from: data)
        #expect(back.spain == s.spain && back.next_due == s.next_due && back.deadlines == s.deadlines)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(TaxSummary.self, from: data) }
    }

    @Test func taxYearFollowsTheJurisdiction() throws {
        #expect(TaxEngine.taxYear(containing: try L.day("2026-04-05"), .gb) == 2025)
        #expect(TaxEngine.taxYear(containing: try L.day("2026-04-06"), .gb) == 2026)
        #expect(TaxEngine.taxYear(containing: try L.day("2026-04-05"), .es) == 2026)
        #expect(Jurisdiction(parsing: "UK") == .gb)
    }

    @Test func profileFromTheDocsDecodes() throws {
        let docs = try String(contentsOf: Fixtures.root.appendingPathComponent("docs/tax.md"), encoding: .utf8)
        let start = try #require(docs.range(of: "```json\n{\n  \"jurisdiction\""))
        let rest = docs[start.upperBound...]
        let end = try #require(rest.range(of: "```"))
        let json = "{\n  \"jurisdiction\"" + rest[..<end.lowerBound]
        let p = try JSONDecoder().decode(TaxProfile.self, from: Data(json.utf8))
        #expect(p.jurisdiction == .es && p.region == "ES-MD" && p.newFreelancer)
        #expect(p.priorYear.netActivityIncome == (try L.money("6000.00")))
        #expect(p.client(named: "prolific")?.country == "GB")
    }

    @Test func profileRoundTripsThroughJSON() throws {
        let p = try demoInputs(today: "2026-10-05").profile
        var withMoney = p
        withMoney.priorYear.totalTax = try L.money("123.45", .USD)
        withMoney.priorYear.qualifyingIncome = ["2024-25": try L.money("55000.00", .GBP)]
        let data = try JSONEncoder().encode(withMoney)
        let back = try JSONDecoder().decode(TaxProfile.self, from: data)
        #expect(back == withMoney)
        #expect(String(decoding: data, as: UTF8.self).contains("\"123.45 USD\""))
    }
}
