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

extension ScenarioRequest {
    /// The what-if written as plain values, as both front ends take them: platforms left out,
    /// changes such as `Upwork=-30%`, an added amount such as `800/month` (or `800`). Nil when
    /// nothing is asked (the baseline alone); a ``UserError`` naming the value when one does not read.
    public static func parse(without: [String] = [], change: [String] = [], add: String? = nil) throws -> ScenarioRequest? {
        let without = without.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let change = change.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let add = add.map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
        guard !without.isEmpty || !change.isEmpty || add != nil else { return nil }
        var changes: [String: Double] = [:]
        for c in change {
            let parts = c.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty, parts[1].hasSuffix("%"),
                  let pct = try? ExactDecimal(String(parts[1].dropLast()).trimmingCharacters(in: .whitespaces).drop { $0 == "+" }.description) else {
                throw UserError("the change \"\(c)\" does not read as PLATFORM=PERCENT", hint: "write it like Upwork=-30% or Outlier=+10%")
            }
            guard pct.approximateDouble >= -100 else {
                throw UserError("the change \"\(c)\" takes away more than everything", hint: "a platform can fall by at most -100%")
            }
            changes[parts[0]] = pct.approximateDouble / 100
        }
        var addValue = 0.0
        if let a = add {
            let amount = Self.perMonthAmount(a)
            let negative = amount.hasPrefix("-")
            guard let magnitude = userDecimal(negative ? String(amount.dropFirst()) : amount) else {
                throw UserError("the added income \"\(a)\" is not an amount per month", hint: "write it like 800/month")
            }
            let d = negative ? -magnitude : magnitude
            addValue = d.approximateDouble
        }
        var parts: [String] = []
        if !without.isEmpty { parts.append("without " + without.joined(separator: ", ")) }
        if !change.isEmpty { parts.append(change.joined(separator: ", ")) }
        // Named in English clauses the reports word in the reader's language (`forecast.scenario_part.*`).
        if addValue != 0, let a = add { parts.append((addValue > 0 ? "+" : "") + Self.perMonthAmount(a) + "/month") }
        return ScenarioRequest(name: parts.joined(separator: "; "), without: without, change: changes, addPerMonth: addValue)
    }

    /// The amount of "800/month", "800,50 / mes" as typed, without its "per month".
    static func perMonthAmount(_ a: String) -> String {
        var amount = a.lowercased().replacingOccurrences(of: " ", with: "")
        for suffix in ["/month", "/mo", "/mes"] where amount.hasSuffix(suffix) { amount = String(amount.dropLast(suffix.count)) }
        return amount
    }

    /// A monthly floor written as an amount (`1500`, `1500.50`); a ``UserError`` when it is not one.
    public static func parseFloor(_ text: String) throws -> Double {
        guard let d = userDecimal(text.trimmingCharacters(in: .whitespaces)) else {
            throw UserError("the floor \"\(text)\" is not an amount", hint: "write it like 1500 or 1500.50")
        }
        return d.approximateDouble
    }

    /// An amount as a person types it: digits with a decimal point (`1500.50`), or with a decimal
    /// comma followed by one or two digits (`1500,50`, `1.500,5`, as Spanish writes it). "1,500" is 1.5
    /// in Spain and 1500 elsewhere, so a comma followed by three digits is refused, not guessed.
    static func userDecimal(_ t: String) -> ExactDecimal? {
        if t.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }) { return try? ExactDecimal(t) }
        guard t.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "." || $0 == ",") }),
              let comma = t.lastIndex(of: ","), (2...3).contains(t.distance(from: comma, to: t.endIndex)),
              let d = try? AmountText.parse(t, notation: .comma), !d.isNegative else { return nil }
        return d
    }
}

/// The forecast use cases: the income series from the ledger, the forecast, its backtest.
public enum Forecasts {
    /// Monthly net income per stream up to the month before `today`, in `currency` (nil: the
    /// `base-currency` setting, else EUR) at each transaction's rate.
    public static func history(by grouping: MonthlyGrouping = .platform, today: Day, currency: CurrencyCode? = nil, store: any LedgerStore) throws -> IncomeSeries {
        // The forecast is of the months after `today`: in a currency still in use then.
        let base = try Settings.reportCurrency(currency, through: today, period: false, in: store)
        // Only complete months: history ends with the month before `today`.
        let period = Period(start: Day(year: 1900, month: 1, day: 1)!, end: today.yearMonth.first)
        var facts = try store.facts(in: period, roots: [.income, .expenses], aggregateByDay: true)
        // Streams as the user thinks of them: each direct client its own stream (IncomeHistory.streamName).
        if grouping == .platform {
            // Decided once per platform and client (a ledger has few of them, and millions of facts).
            struct Pair: Hashable { var platform: String?; var client: String? }
            var names: [Pair: String?] = [:]
            for i in facts.indices {
                let pair = Pair(platform: facts[i].platform, client: facts[i].client)
                if let known = names[pair] { facts[i].platform = known; continue }
                let name = IncomeHistory.streamName(platform: pair.platform, client: pair.client)
                names[pair] = name
                facts[i].platform = name
            }
            // One stream per client however a statement writes its name ("KARL KAUFMANN" on a bank
            // line, "Karl Kaufmann" on an invoice): names equal but for case and accents are one stream,
            // under the spelling most of its facts use.
            var uses: [String: [String: Int]] = [:]
            for f in facts { if let n = f.platform { uses[SearchFolding.fold(n), default: [:]][n, default: 0] += 1 } }
            let spelling = uses.compactMapValues { counts in counts.count > 1 ? counts.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key : nil }
            if !spelling.isEmpty {
                for i in facts.indices { if let n = facts[i].platform, let s = spelling[SearchFolding.fold(n)] { facts[i].platform = s } }
            }
        }
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
    public static func projectedIncome(store: any LedgerStore, from day: Day, currency: CurrencyCode) throws -> [YearMonth: Money] {
        let horizon = 12 - day.month + 1
        let h = try history(today: day, currency: currency, store: store)
        guard h.months.count >= 3 else { return [:] }
        let f = try IncomeForecaster(paths: 2_000, horizon: horizon).forecast(streams: h.streams)
        var out: [YearMonth: Money] = [:]
        for (i, q) in f.baseline.months.enumerated() {
            out[h.months.last!.adding(i + 1)] = estimatedAmount(max(0, q.p50.isFinite ? q.p50 : 0), in: currency)
        }
        return out
    }
}
