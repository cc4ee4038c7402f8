import Foundation
import SaldoCore
import SaldoFX
import SaldoReports
import SaldoStore

/// What a report is asked for: the period, the filters and the report currency.
public struct ReportRequest: Sendable {
    public var period: Period?
    public var filter: ReportFilter
    /// The report currency; nil: the `base-currency` setting, else EUR.
    public var currency: CurrencyCode?

    public init(period: Period? = nil, platforms: Set<String> = [], clients: Set<String> = [], accounts: [Account] = [], currency: CurrencyCode? = nil) {
        self.period = period
        self.filter = ReportFilter(period: period, platforms: platforms, clients: clients, accounts: accounts)
        self.currency = currency
    }
}

/// A report and what a reader should know about how it was computed (said once, beside it).
public struct Reported<Report: Sendable>: Sendable {
    public var report: Report
    /// Notes about the rates used (amounts after the newest rate converted with an older one).
    public var rateNotes: [String]
    /// Amounts converted with no rate within the window (or none at all), and the rates to add:
    /// the report is done, with caveats.
    public var missingRates: MissingRates?
}

/// The report use cases: they choose the report currency and load the facts and the exchange
/// rates each report needs, then build it.
public enum Reports {
    /// What every report reads: facts (day sums, unless an account filter needs whole transactions),
    /// the rates they need, and the currency.
    struct Inputs {
        var facts: [PostingFact]
        var rates: RateTable
        var base: CurrencyCode
    }

    static func inputs(_ request: ReportRequest, store: any LedgerStore, roots: [Account.Root]?, periodOnly: Bool) throws -> Inputs {
        let wholeTransactions = !request.filter.accounts.isEmpty
        let facts = try store.facts(in: periodOnly ? request.period : nil, roots: wholeTransactions ? nil : roots, aggregateByDay: !wholeTransactions)
        if periodOnly && facts.isEmpty {
            // A period without earnings in a ledger that has some elsewhere: say so, not "import first".
            throw UserError(request.period.map { LocalizedText("error.no_earnings_period", ["period": "\($0)"]).english } ?? LocalizedText("error.no_earnings").english,
                            hint: LocalizedText(request.period == nil ? "error.import_first" : "error.import_period").english,
                            fix: .importStatements)
        }
        // The last day the report shows amounts of: its period's, else the ledger's (a currency no
        // longer in use stops earlier: refused beyond it).
        let last = request.period.map { $0.end.adding(days: -1) } ?? facts.lazy.map(\.date).max()
        let base = try Settings.reportCurrency(request.currency, through: last, in: store)
        var rates = try ExchangeRates.table(for: facts, base: base, store: store)
        // Reports go on without a rate beyond the window: the amounts are provisional and the report says so.
        rates.beyondWindow = .provisional
        return Inputs(facts: facts, rates: rates, base: base)
    }

    static func reported<R>(_ i: Inputs, _ build: (Inputs) throws(RateError) -> R) throws -> Reported<R> {
        do {
            let report = try build(i)
            if let r = report as? RateCaveats, !r.missingRates.isEmpty {
                // Said once, with the rates to add, instead of the freshness note.
                let m = r.missingRates
                let note = LocalizedText(m.provisionalAmounts == 1 ? "rate_note.provisional.one" : "rate_note.provisional.other",
                                         ["count": String(m.provisionalAmounts), "window": String(r.rateWindow), "fix": m.fix])
                return Reported(report: report, rateNotes: [note.english], missingRates: m)
            }
            return Reported(report: report, rateNotes: ExchangeRates.freshnessNotes(i.rates, facts: i.facts, base: i.base), missingRates: nil)
        } catch { throw UserError(error.message, hint: error.hint, fix: .importRates) }
    }

    /// Gross earnings, fees and net per month, grouped.
    public static func monthly(_ request: ReportRequest, by grouping: MonthlyGrouping = .platform, showOriginal: Bool = false,
                               store: any LedgerStore) throws -> Reported<MonthlyReport> {
        let i = try inputs(request, store: store, roots: [.income, .expenses], periodOnly: true)
        return try reported(i) { i throws(RateError) in
            var r = try monthlyReport(i.facts, rates: i.rates, currency: i.base, by: grouping, filter: request.filter)
            r.showOriginal = showOriginal
            return r
        }
    }

    /// Per currency: earned, converted, held, and what conversions cost against the official rate.
    public static func currencies(_ request: ReportRequest, store: any LedgerStore) throws -> Reported<CurrenciesReport> {
        // Holdings need the whole history: the period filters inside the report.
        let i = try inputs(request, store: store, roots: nil, periodOnly: false)
        return try reported(i) { i throws(RateError) in try currenciesReport(i.facts, rates: i.rates, currency: i.base, filter: request.filter) }
    }

    /// Balance per account and currency, with the balance checks of every import.
    public static func balances(_ request: ReportRequest, store: any LedgerStore) throws -> Reported<BalancesReport> {
        let i = try inputs(request, store: store, roots: nil, periodOnly: false)
        let checks = try store.balanceChecks()
        return try reported(i) { i throws(RateError) in try balancesReport(i.facts, checks: checks, rates: i.rates, currency: i.base, filter: request.filter) }
    }
}

/// Which exchange rates a computation uses.
public enum ExchangeRates {
    /// Every stored rate as a table for conversion.
    public static func all(_ store: any LedgerStore) throws -> RateTable { RateTable(try store.rates()) }

    /// The rates converting `facts` to `base` need: their currencies, their days (and the ten days
    /// before the first, for fallbacks), from the bundled ECB history with the ledger's own rates over
    /// it. Loading a full ECB history would cost more than the report.
    public static func table(for facts: [PostingFact], base: CurrencyCode, store: any LedgerStore) throws -> RateTable {
        guard !facts.isEmpty else { return RateTable() }
        // One pass over the fields it needs (a report reads hundreds of thousands of facts; copying
        // each, or mapping their days into arrays, cost more than the pass).
        var first = facts[0].date, last = first
        var currencies: Set<CurrencyCode> = [base, .EUR]   // cross rates go through the euro
        var lastCurrency: CurrencyCode?
        for i in facts.indices {
            let d = facts[i].date
            if d < first { first = d } else if d > last { last = d }
            let c = facts[i].amount.currency
            if c != lastCurrency { currencies.insert(c); lastCurrency = c }
            if let k = facts[i].cost?.currency { currencies.insert(k) }
        }
        if currencies.subtracting([.EUR]) == [base] || currencies == [.EUR] { return RateTable() }
        return try table(currencies: currencies, days: first...last, store: store)
    }

    /// The ledger's rates for `currencies` over `days` (and the ten days before, for fallbacks) over
    /// the bundled ECB history, with the user's source choice; currencies central banks publish
    /// against the dollar cross through it.
    static func table(currencies: Set<CurrencyCode>, days: ClosedRange<Day>, store: any LedgerStore) throws -> RateTable {
        let ledger = try store.rates(currencies: currencies.union(RateTable.anchors), from: days.lowerBound.adding(days: -10), to: days.upperBound)
        let choice = RateSourceChoice(stored: try store.setting(RateSourceChoice.settingKey))
        do { return try RateTable.ledgerOverBundled(ledger, currencies: currencies, days: days, choice: choice) } catch {
            throw UserError("\(error)", hint: "reinstall Saldo, or import the rates yourself", fix: .importRates)
        }
    }

    /// The rates converting `transactions` and `invoices` to `target` need, the same way as a
    /// report's: the bundled ECB history with the ledger's own rates over it, the user's source choice,
    /// crosses through the dollar. A tax estimate works from the first import, offline.
    public static func table(forTransactions transactions: [Transaction], invoices: [Invoice], target: CurrencyCode, store: any LedgerStore) throws -> RateTable {
        var currencies: Set<CurrencyCode> = []
        var first: Day?, last: Day?
        func see(_ d: Day) { first = min(first ?? d, d); last = max(last ?? d, d) }
        for t in transactions {
            see(t.date)
            for p in t.postings { currencies.insert(p.amount.currency); if let c = p.cost { currencies.insert(c.currency) } }
        }
        return try table(currencies: currencies, first: first, last: last, invoices: invoices, target: target, store: store)
    }

    /// The same table from what the transactions hold: every currency of their postings' amounts
    /// and costs, their first and last day (what ``LedgerStore/postingSums(_:)`` tells without
    /// reading them).
    static func table(currencies seen: Set<CurrencyCode>, first: Day?, last: Day?, invoices: [Invoice], target: CurrencyCode,
                      store: any LedgerStore) throws -> RateTable {
        var currencies: Set<CurrencyCode> = seen.union([target, .EUR])
        var first = first, last = last
        func see(_ d: Day) { first = min(first ?? d, d); last = max(last ?? d, d) }
        for i in invoices { see(i.issueDate); currencies.insert(i.currency) }
        guard let first, let last, currencies != [.EUR], currencies.subtracting([.EUR]) != [target] || target != .EUR else {
            return RateTable(try store.rates())
        }
        return try table(currencies: currencies, days: first...last, store: store)
    }

    /// Per currency other than `base`, the last day an amount in it (or its cost) is dated.
    static func lastDayByCurrency(_ facts: [PostingFact], base: CurrencyCode) -> [CurrencyCode: Day] {
        var out: [CurrencyCode: Day] = [:]
        func note(_ c: CurrencyCode, _ day: Day) {
            guard c != base else { return }
            if let d = out[c], d >= day { return }
            out[c] = day
        }
        for i in facts.indices {
            note(facts[i].amount.currency, facts[i].date)
            if let c = facts[i].cost?.currency { note(c, facts[i].date) }
        }
        return out
    }

    /// Said once when amounts after the newest rate used an older one.
    public static func freshnessNotes(_ table: RateTable, facts: [PostingFact], base: CurrencyCode) -> [String] {
        RateFreshness(table: table, lastDayByCurrency: lastDayByCurrency(facts, base: base), base: base).map { [$0.message] } ?? []
    }
}
