import Foundation
import Testing
import SaldoApp
import SaldoCore
import SaldoReports
import SaldoStore
import SaldoTestSupport

/// The overview is made of the commands' own use cases: its figures are theirs, and a part that
/// cannot be computed says why and what to do instead of failing the whole.
@Suite struct OverviewTests {
    func store() throws -> any LedgerStore { try LedgerLocation(path: appLedger).open(.existing) }

    func member(_ v: JSONValue, _ path: String...) -> JSONValue? {
        var cur: JSONValue? = v
        for k in path {
            guard case .object(let ms)? = cur else { return nil }
            cur = ms.first { $0.key == k }?.value
        }
        return cur
    }

    @Test func earningsAreTheMonthlyReportsFigures() throws {
        let store = try store()
        let doc = try Overview.build(OverviewRequest(today: demoDay), store: store)
        guard let e = doc.earnings.value else { Issue.record("earnings: \(String(describing: doc.earnings.unavailable))"); return }
        // What `report monthly --from 2025-12-01 --to 2026-11-15` prints.
        let period = try #require(try PeriodChoice.resolve(period: nil, from: "2025-12-01", to: "2026-11-15"))
        #expect(Overview.earningsPeriod(today: demoDay) == period)
        let cli = try Reports.monthly(ReportRequest(period: period), by: .platform, store: store).report
        #expect(render(e.monthly, format: .json) == render(cli, format: .json))
        let json = doc.json()
        #expect(member(json, "earnings", "monthly") == cli.json())
        // The cards: the month, quarter and year rows of that report.
        #expect(e.cards.map(\.id) == ["month", "quarter", "year_to_date"])
        #expect(e.cards[0].figures == cli.months.first { $0.month == YearMonth(year: 2026, month: 11) }?.row.total ?? .zero(.EUR))
        #expect(e.cards[1].figures == cli.quarters.first { $0.label == "2026-Q4" }?.total)
        #expect(e.cards[2].figures == cli.years.first { $0.label == "2026" }?.total)
        // The year to date equals the year report of 2026 up to the day.
        let ytd = try Reports.monthly(ReportRequest(period: try PeriodChoice.resolve(period: nil, from: "2026-01-01", to: "2026-11-15")), store: store).report
        #expect(e.cards[2].figures == ytd.total.total)
        #expect(!e.cards[2].figures.net.isZero)
        #expect(doc.earningsChart()?.charts.count == 1)
    }

    @Test func forecastIsTheForecastCommandsDocument() throws {
        let store = try store()
        let doc = try Overview.build(OverviewRequest(today: demoDay, floor: try ExactDecimal("1500")), store: store)
        let cli = try Forecasts.next(try Forecasts.history(today: demoDay, store: store), floor: 1500)
        guard let f = doc.forecast.value else { Issue.record("forecast: \(String(describing: doc.forecast.unavailable))"); return }
        #expect(render(f, format: .json) == render(cli, format: .json))
        #expect(member(doc.json(), "forecast", "forecast") == cli.document().json)
        #expect(doc.forecastSummary?.chanceBelowFloor != nil)
        #expect(doc.forecastSummary?.floor == Money(minorUnits: 150_000, currency: .EUR))
        #expect(doc.forecastChart()?.charts.count == 1)
    }

    @Test func nextTaxPaymentIsTheCalendarsNextDeadline() throws {
        let store = try store()
        let doc = try Overview.build(OverviewRequest(today: demoDay), store: store)
        guard let t = doc.tax.value else { Issue.record("tax: \(String(describing: doc.tax.unavailable))"); return }
        let calendar = try Taxes.calendar(TaxRequest(today: demoDay), store: store)
        let next = try #require(t.next)
        #expect(next.date >= demoDay)
        // The same deadline, date and amount as the calendar's JSON lists first with an amount.
        #expect(calendar.json.contains("\"date\" : \"\(next.date)\""))
        if let amount = next.amount { #expect(calendar.json.contains("\"amount\" : \"\(amount)\"")) }
        guard case .object(let ms)? = member(doc.json(), "next_tax_payment", "payment") else { Issue.record("no payment"); return }
        #expect(ms.map(\.key) == ["date", "form", "period", "what", "amount", "currency", "unconfirmed"])
    }

    @Test func overdueInvoicesAndBalancesComeFromTheirUseCases() throws {
        let store = try store()
        let doc = try Overview.build(OverviewRequest(today: demoDay), store: store)
        let overdue = try Invoices.list(status: .overdue, today: demoDay, store: store)
        #expect(doc.overdueInvoices.value?.map(\.number) == overdue.entries.map(\.invoice.number))
        let failed = try Reports.balances(ReportRequest(), store: store).report.checks.filter { !$0.holds }
        #expect(doc.balanceMismatches.value == failed)
        #expect(doc.balanceChecks == (try store.balanceChecks().count) && doc.balanceChecks > 0)
    }

    @Test func anEmptyLedgerExplainsEveryPart() throws {
        let store = try SQLiteLedgerStore()
        let doc = try Overview.build(OverviewRequest(today: demoDay), store: store)
        #expect(doc.earnings.unavailable?.fix == "import-statements")
        #expect(doc.earnings.unavailable?.reason.contains("no earnings") == true)
        #expect(doc.forecast.unavailable?.fix == "import-statements")
        #expect(doc.tax.unavailable?.fix == "choose-jurisdiction")
        #expect(doc.overdueInvoices.value?.isEmpty == true)
        #expect(doc.balanceMismatches.value?.isEmpty == true)
        #expect(doc.balanceChecks == 0)
        let json = doc.json()
        #expect(member(json, "earnings", "available") == .bool(false))
        #expect(member(json, "earnings", "hint") != nil)
        // The document renders in every format without the missing parts failing it.
        for format in [OutputFormat.json, .table, .markdown, .html] { #expect(!render(doc, format: format).isEmpty, "\(format)") }
    }

    @Test func aShortHistorySaysWhyThereIsNoForecast() throws {
        let store = try SQLiteLedgerStore()
        try Settings.set(.jurisdiction, "es", in: store)
        let t = Transaction(date: Day(year: 2026, month: 10, day: 3)!, description: "Payment", kind: .earning, postings: [
            Posting(try Account("assets:paypal"), Money(minorUnits: 90_00, currency: .EUR)),
            Posting(try Account("income:prolific"), Money(minorUnits: -90_00, currency: .EUR)),
        ], platform: "Prolific", dedupKey: "p:1")
        _ = try store.record(ImportRecord(fileName: "a.csv", sha256: "a", format: "t", transactions: [t]))
        let doc = try Overview.build(OverviewRequest(today: demoDay), store: store)
        #expect(doc.earnings.value?.cards.last?.figures.net == Money(minorUnits: 90_00, currency: .EUR))
        #expect(doc.earnings.value?.cards.first?.figures.net == Money(minorUnits: 0, currency: .EUR), "nothing in November")
        let reason = doc.forecast.unavailable?.reason ?? ""
        #expect(!reason.isEmpty, "a forecast from one month: \(String(describing: doc.forecast.value.map { render($0, format: .json) }))")
    }
}

/// The transactions use case pages the ledger with a cursor and counts what matches.
@Suite struct TransactionsUseCaseTests {
    @Test func pagesOfTheDemoLedger() throws {
        let store = try LedgerLocation(path: appLedger).open(.existing)
        let total = try store.transactionCount()
        var query = TransactionQuery(sort: .dateDesc, limit: 50)
        var seen: [Int64] = []
        var days: [Day] = []
        while true {
            let doc = try Transactions.page(query, store: store)
            #expect(doc.matching == total)
            seen += doc.entries.map(\.id)
            days += doc.entries.map(\.transaction.date)
            guard let next = doc.nextCursor else { break }
            query.after = try #require(TransactionCursor(token: next))
        }
        #expect(seen.count == total && Set(seen).count == total)
        #expect(days == days.sorted(by: >))
        let upwork = try Transactions.page(TransactionQuery(platforms: ["Upwork"], limit: 200), store: store)
        #expect(upwork.matching > 0 && upwork.entries.allSatisfy { $0.transaction.platform == "Upwork" })
        let json = upwork.json().serialized()
        #expect(json.contains("\"report\": \"transactions\"") || json.contains("\"report\" : \"transactions\""))
        #expect(!json.contains("e+") , "no float amounts")
    }

    @Test func aCursorForAnotherOrderIsRefused() throws {
        let store = try LedgerLocation(path: appLedger).open(.existing)
        #expect(throws: UserError.self) {
            try Transactions.page(TransactionQuery(sort: .dateAsc, after: TransactionCursor(sort: .amountAsc, key: 0, id: 0)), store: store)
        }
    }
}
