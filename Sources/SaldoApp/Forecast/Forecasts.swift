import Foundation
import SaldoCore
import SaldoFX
import SaldoForecast
import SaldoReports
import SaldoStore

/// The income history a forecast starts from: monthly net income per stream (platform or
/// client), aligned, oldest first.
public struct IncomeSeries: Sendable {
    public var streams: [String: [Double]]
    public var months: [YearMonth]
    public var currency: CurrencyCode
    /// Amounts converted with no rate within the window (provisional), and the rates to add; empty when none.
    public var missingRates = MissingRates()
}

/// A what-if: without some streams, some changed by a share, an amount added every month.
public struct ScenarioRequest: Sendable {
    public var name: String
    public var without: [String]
    /// Stream name → change as a fraction (-0.3 for -30%).
    public var change: [String: Double]
    public var addPerMonth: Double
    public init(name: String, without: [String] = [], change: [String: Double] = [:], addPerMonth: Double = 0) {
        self.name = name; self.without = without; self.change = change; self.addPerMonth = addPerMonth
    }
}

/// The forecast use cases: the income series from the ledger, the forecast, its backtest.
public enum Forecasts {
    /// Monthly net income per stream up to the month before `today`, in `currency` (nil: the
    /// `base-currency` setting, else EUR) at each transaction's rate.
    public static func history(by grouping: MonthlyGrouping = .platform, today: Day, currency: CurrencyCode? = nil, store: LedgerStore) throws -> IncomeSeries {
        let base = try Settings.baseCurrency(currency, in: store)
        // Only complete months: history ends with the month before `today`.
        let period = Period(start: Day(year: 1900, month: 1, day: 1)!, end: today.yearMonth.first)
        var facts = try store.facts(in: period, roots: [.income, .expenses], aggregateByDay: true)
        // Streams as the user thinks of them: each direct client its own stream (IncomeHistory.streamName).
        if grouping == .platform { for i in facts.indices { facts[i].platform = IncomeHistory.streamName(platform: facts[i].platform, client: facts[i].client) } }
        var rates = try ExchangeRates.table(for: facts, base: base, store: store)
        // No dead end: beyond the rate window the history is provisional, and the forecast says so.
        rates.beyondWindow = .provisional
        let report: MonthlyReport
        do { report = try monthlyReport(facts, rates: rates, currency: base, by: grouping) } catch { throw UserError(error.message, hint: error.hint, fix: .importRates) }
        // A stream is a source of income: platforms that only charged fees (a transfer service, say)
        // have no income to forecast; their fees stay in the history.
        var earning = Set<String>()
        for (_, row) in report.months { for (g, fig) in zip(report.groups, row.byGroup) where fig.gross.isPositive { earning.insert(g) } }
        var payments: [StreamPayment] = []
        for (month, row) in report.months {
            for (g, fig) in zip(report.groups, row.byGroup) where earning.contains(g) {
                payments.append(StreamPayment(stream: g, month: MonthIndex(month.index), amount: fig.net.decimal.approximateDouble))
            }
        }
        // The history runs to the month before `today`, months without pay included.
        let built: IncomeHistory
        do { built = try IncomeHistory.build(payments: payments, through: MonthIndex(today.yearMonth.index - 1)) } catch {
            throw UserError("no earnings in the ledger before \(today.yearMonth)", hint: "import statements first", fix: .importStatements)
        }
        let months = built.months.map { YearMonth(year: $0.year, month: $0.month) }
        let streams = built.streams
        return IncomeSeries(streams: streams, months: months, currency: base, missingRates: report.missingRates)
    }

    /// Finds a stream by name, ignoring case and spacing.
    public static func stream(_ name: String, in streams: [String: [Double]]) throws -> String {
        let key = Account.normalizeComponent(name)
        if let s = streams.keys.first(where: { Account.normalizeComponent($0) == key }) { return s }
        throw UserError("no platform named \"\(name)\" in your income", hint: "known: " + streams.keys.sorted().joined(separator: ", "))
    }

    /// The next `months` months as P10/P50/P90, with the chance of falling below `floor` a month,
    /// and each scenario beside the baseline.
    public static func next(_ history: IncomeSeries, months: Int = 3, floor: Double? = nil, scenarios: [ScenarioRequest] = [],
                            paths: Int = 10_000, seed: UInt64 = 42) throws -> ForecastDocument {
        let resolved = try scenarios.map { s in
            IncomeScenario(name: s.name, without: try s.without.map { try stream($0, in: history.streams) },
                           change: Dictionary(uniqueKeysWithValues: try s.change.map { (try stream($0.key, in: history.streams), $0.value) }),
                           addPerMonth: s.addPerMonth)
        }
        let result: IncomeForecast
        do {
            result = try IncomeForecaster(seed: seed, paths: paths, horizon: months).forecast(streams: history.streams, floor: floor, scenarios: resolved)
        } catch { throw UserError("\(error)") }
        let next = (1...months).map { history.months.last!.adding($0) }
        let m = history.missingRates
        let notes = m.isEmpty ? [] : ["\(m.provisionalAmounts) amount\(m.provisionalAmounts == 1 ? " of the history is" : "s of the history are") provisional (no exchange rate within the window); add \(m.fix)"]
        return ForecastDocument(forecast: result, history: history.months, streams: history.streams, future: next, currency: history.currency,
                                historyNotes: notes)
    }

    /// What the forecast would have said each past quarter, and what happened.
    public static func backtest(_ history: IncomeSeries, minimumHistory: Int = 6) throws -> BacktestDocument {
        let report: IncomeBacktestReport
        do { report = try IncomeBacktest.run(streams: history.streams, minimumHistory: minimumHistory) } catch { throw UserError("\(error)") }
        return BacktestDocument(report: report, history: history.months, currency: history.currency)
    }

    /// The forecast's median monthly income for the months from `day`'s month to the end of the
    /// year (the tax estimate's projection); empty with fewer than 3 months of history.
    public static func projectedIncome(store: LedgerStore, from day: Day, currency: CurrencyCode) throws -> [YearMonth: Money] {
        let horizon = 12 - day.month + 1
        let h = try history(today: day, currency: currency, store: store)
        guard h.months.count >= 3 else { return [:] }
        let f = try IncomeForecaster(paths: 2_000, horizon: horizon).forecast(streams: h.streams)
        var out: [YearMonth: Money] = [:]
        for (i, q) in f.baseline.months.enumerated() {
            out[h.months.last!.adding(i + 1)] = Money(minorUnits: Int64((min(9e15, max(0, q.p50.isFinite ? q.p50 : 0)) * 100).rounded()), currency: currency)
        }
        return out
    }
}
