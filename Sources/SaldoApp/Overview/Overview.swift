import Foundation
import SaldoCore
import SaldoReports
import SaldoStore
import SaldoTax

/// What the overview is asked for.
public struct OverviewRequest: Sendable {
    public var today: Day
    /// A monthly amount the user needs; the forecast gives the chance of falling below it.
    public var floor: ExactDecimal?
    /// The currency of the figures; nil: the `base-currency` setting, else EUR.
    public var currency: CurrencyCode?
    public init(today: Day, floor: ExactDecimal? = nil, currency: CurrencyCode? = nil) {
        self.today = today; self.floor = floor; self.currency = currency
    }
}

/// The overview use case: each part from the use case the matching command uses, so the figures
/// are the ones `report monthly`, `forecast`, `tax calendar`, `invoices list` and `report balances`
/// print for the same ledger and day.
public enum Overview {
    /// The period the earnings part covers: the first day of the month eleven months before `today`
    /// (so twelve months, the whole year to date included) to `today`.
    public static func earningsPeriod(today: Day) -> Period {
        let first = today.yearMonth.adding(-11).first
        // Built the way a user asks for it (first and last day), so the report says the same period.
        return Period(start: first, end: today.adding(days: 1))
    }

    /// Complete months of history the forecast part needs.
    public static let minimumForecastHistory = 3

    public static func build(_ request: OverviewRequest, store: any LedgerStore) throws -> OverviewDocument {
        let today = request.today
        let currency = try Settings.reportCurrency(request.currency, through: today, period: false, in: store)
        let checks = (try? store.balanceChecks().count) ?? 0
        return OverviewDocument(today: today, currency: currency,
                                earnings: try part { try earnings(today: today, currency: currency, store: store) },
                                tax: try part { try taxPayment(today: today, store: store) },
                                forecast: try part { try forecast(today: today, floor: request.floor, currency: currency, store: store) },
                                overdueInvoices: try part { try overdue(today: today, store: store) },
                                balanceMismatches: try part { try mismatches(currency: currency, store: store) }, balanceChecks: checks)
    }

    /// A part's value, or why it could not be computed (a ledger that cannot be read still fails the whole).
    static func part<T>(_ body: () throws -> T) throws -> OverviewDocument.Part<T> {
        do { return .available(try body()) } catch let e as UserError {
            return .unavailable(.init(reason: e.message, hint: e.hint, fix: e.fix.map(\.name), fixPeriod: e.fix?.period))
        } catch let e as StoreError {
            if case .noLedger = e { throw e }
            if case .cannotOpen = e { throw e }
            return .unavailable(.init(reason: e.description))
        } catch {
            return .unavailable(.init(reason: "\(error)"))
        }
    }

    /// This month, this quarter and the year to date, from the monthly report of the last twelve months.
    static func earnings(today: Day, currency: CurrencyCode, store: any LedgerStore) throws -> OverviewDocument.Earnings {
        let period = earningsPeriod(today: today)
        let monthly: MonthlyReport
        do { monthly = try Reports.monthly(ReportRequest(period: period, currency: currency), by: .platform, store: store).report } catch let e as UserError {
            // Older statements only (a first try with last year's exports): say when the latest
            // earnings are and offer that year's reports, not "import statements" again.
            guard let latest = try store.facts(in: nil, roots: [.income, .expenses], aggregateByDay: true).map(\.date).max(), latest < period.start else { throw e }
            throw UserError(LocalizedText("error.latest_earnings", ["month": latest.yearMonth.description]).english,
                            hint: LocalizedText("error.see_that_years_reports").english, fix: .seeReports(period: String(latest.year)))
        }
        let zero = EarningsFigures.zero(currency)
        let month = today.yearMonth
        let quarterLabel = "\(month.year)-Q\(month.quarter)"
        let quarterStart = YearMonth(year: month.year, month: (month.quarter - 1) * 3 + 1).first
        let cards = [
            OverviewDocument.Card(id: "month", label: month.description, from: month.first, to: today,
                                  figures: monthly.months.first { $0.month == month }?.row.total ?? zero),
            OverviewDocument.Card(id: "quarter", label: quarterLabel, from: quarterStart, to: today,
                                  figures: monthly.quarters.first { $0.label == quarterLabel }?.total ?? zero),
            OverviewDocument.Card(id: "year_to_date", label: String(month.year), from: Day(year: month.year, month: 1, day: 1)!, to: today,
                                  figures: monthly.years.first { $0.label == String(month.year) }?.total ?? zero),
        ]
        return OverviewDocument.Earnings(cards: cards, monthly: monthly)
    }

    /// The next deadline after `today` on the tax calendar, with its estimated amount.
    static func taxPayment(today: Day, store: any LedgerStore) throws -> OverviewDocument.TaxPayment {
        let inputs = try Taxes.inputs(TaxRequest(today: today), store: store, years: .calendar)
        let calendar: TaxCalendar
        do { calendar = try TaxEngine.calendar(inputs) } catch { throw UserError("\(error)") }
        let next = calendar.items.first { $0.date >= today && $0.amount != nil } ?? calendar.items.first { $0.date >= today }
        return OverviewDocument.TaxPayment(next: next, unconfirmed: calendar.unconfirmed, notes: calendar.notes)
    }

    /// The next three months, as `forecast` gives them (same seed, same paths).
    static func forecast(today: Day, floor: ExactDecimal?, currency: CurrencyCode, store: any LedgerStore) throws -> ForecastDocument {
        let history = try Forecasts.history(today: today, currency: currency, store: store)
        // The forecaster answers from any history, but a fan from one or two months says nothing
        // (the tax estimate's projection asks for three months too).
        guard history.months.count >= minimumForecastHistory else {
            let have = history.months.count
            throw UserError("a forecast needs at least \(minimumForecastHistory) complete months of income; the ledger has \(have) (\(history.months.first.map(\.description) ?? "none")\(have > 1 ? "..\(history.months.last!)" : ""))",
                            hint: "import older statements, or come back when more months are complete", fix: .importStatements)
        }
        return try Forecasts.next(history, floor: floor.map(\.approximateDouble))
    }

    static func overdue(today: Day, store: any LedgerStore) throws -> [OverviewDocument.OverdueInvoice] {
        try Invoices.list(status: .overdue, today: today, store: store).entries.map { e in
            OverviewDocument.OverdueInvoice(number: e.invoice.number, client: e.invoice.buyer.name, issued: e.invoice.issueDate,
                                            due: e.position.effectiveDueDate, daysPastDue: e.position.daysPastDue, outstanding: e.position.outstanding)
        }
    }

    static func mismatches(currency: CurrencyCode, store: any LedgerStore) throws -> [BalancesReport.Check] {
        // Without checks there is nothing to disagree (and no need to sum every balance).
        guard !(try store.balanceChecks()).isEmpty else { return [] }
        return try Reports.balances(ReportRequest(currency: currency), store: store).report.checks.filter { !$0.holds }
    }
}
