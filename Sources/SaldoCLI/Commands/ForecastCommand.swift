import ArgumentParser
import Foundation
import SaldoCore
import SaldoForecast
import SaldoReports
import SaldoStore

struct ForecastCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forecast",
        abstract: "Next quarter's income as P10/P50/P90, with platform droughts, a floor and what-if scenarios.",
        discussion: prose("""
        Monthly net income per platform (or client), in the report currency at each transaction's
        date, is simulated forward 10,000 times (seeded): each platform can go dry and come back,
        amounts drift, and the platforms move together. P10 is the bad case (9 in 10 outcomes are
        better), P50 the middle, P90 the good case.

        Examples:
          saldo forecast
          saldo forecast --floor 1500
          saldo forecast --without Outlier --change Upwork=-30% --add 800/month
          saldo forecast --format html -o forecast.html
          saldo forecast backtest    # how well it would have predicted
        """),
        subcommands: [Next.self, Backtest.self],
        defaultSubcommand: Next.self
    )

    /// Options shared by the forecast and its backtest.
    struct SeriesOptions: ParsableArguments {
        @Option(help: "Streams by platform or client.") var by: MonthlyGrouping = .platform
        @Option(help: ArgumentHelp("Use history up to the month before this day (yyyy-mm-dd; default: today).", valueName: "date")) var today: String?
        @Option(help: ArgumentHelp("Report currency (default: `saldo config get base-currency`, else EUR).", valueName: "code")) var currency: String?

        /// Monthly net income per stream, aligned, oldest first, and the months they cover.
        func series(_ store: LedgerStore) throws -> (streams: [String: [Double]], months: [YearMonth], currency: CurrencyCode) {
            let base: CurrencyCode
            if let c = currency { do { base = try CurrencyCode(c) } catch { throw UserError("--currency: \(error)") } }
            else if let c = try store.setting(Setting.baseCurrency.rawValue) { base = try CurrencyCode(c) } else { base = .EUR }
            let day = try resolveToday(today)
            // Only complete months: history ends with the month before `today`.
            let period = Period(start: Day(year: 1900, month: 1, day: 1)!, end: day.yearMonth.first)
            var facts = try store.facts(in: period, roots: [.income, .expenses], aggregateByDay: true)
            // Streams as the user thinks of them: each direct client its own stream (rule: IncomeHistory.streamName).
            if by == .platform { for i in facts.indices { facts[i].platform = IncomeHistory.streamName(platform: facts[i].platform, client: facts[i].client) } }
            let report: MonthlyReport
            let rates = try store.rateTable(for: facts, base: base)
            do { report = try monthlyReport(facts, rates: rates, currency: base, by: by) } catch { throw reportError(error) }
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
            do { built = try IncomeHistory.build(payments: payments, through: MonthIndex(day.yearMonth.index - 1)) } catch {
                throw UserError("no earnings in the ledger before \(day.yearMonth)", hint: "import statements first: saldo import FILE")
            }
            let months = built.months.map { YearMonth(year: $0.year, month: $0.month) }
            let streams = built.streams
            return (streams, months, base)
        }
    }

    struct Next: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "next", abstract: "Forecast the next months (default 3) and their total.",
            discussion: "Example: saldo forecast next --floor 1500 --format json")
        @OptionGroup var ledger: LedgerOption
        @OptionGroup var seriesOptions: SeriesOptions
        @Option(help: ArgumentHelp("A monthly amount you need; prints the chance of falling below it.", valueName: "amount")) var floor: String?
        @Option(help: ArgumentHelp("Scenario: without this platform (repeatable).", valueName: "platform")) var without: [String] = []
        @Option(help: ArgumentHelp("Scenario: change a platform, e.g. Upwork=-30% (repeatable).", valueName: "platform=pct")) var change: [String] = []
        @Option(help: ArgumentHelp("Scenario: a new contract, e.g. 800/month.", valueName: "amount/month")) var add: String?
        @Option(help: "Months ahead.") var months: Int = 3
        @Option(help: "Simulated paths.") var paths: Int = 10_000
        @Option(help: "Random seed (same seed, same answer).") var seed: UInt64 = 42
        @OptionGroup var output: DocumentOutput

        func run() throws {
            let store = try ledger.open(.existing)
            let (streams, history, currency) = try seriesOptions.series(store)
            let floorValue = try floor.map { f -> Double in
                guard let d = try? ExactDecimal(f), !d.isNegative else { throw UserError("--floor \(f) is not an amount", hint: "write it like 1500 or 1500.50") }
                return d.approximateDouble
            }
            var scenarios: [IncomeScenario] = []
            if !without.isEmpty || !change.isEmpty || add != nil {
                var changes: [String: Double] = [:]
                for c in change {
                    let parts = c.split(separator: "=", maxSplits: 1).map(String.init)
                    guard parts.count == 2, let pct = Double(parts[1].replacingOccurrences(of: "%", with: "")), parts[1].hasSuffix("%") else {
                        throw UserError("--change \(c): expected PLATFORM=PERCENT, e.g. Upwork=-30%")
                    }
                    changes[try Self.stream(parts[0], in: streams)] = pct / 100
                }
                var addValue = 0.0
                if let a = add {
                    let amount = a.lowercased().replacingOccurrences(of: "/month", with: "").replacingOccurrences(of: "/mo", with: "")
                    guard let d = try? ExactDecimal(amount) else { throw UserError("--add \(a): expected an amount per month, e.g. 800/month") }
                    addValue = d.approximateDouble
                }
                var parts: [String] = []
                if !without.isEmpty { parts.append("without " + without.joined(separator: ", ")) }
                if !change.isEmpty { parts.append(change.joined(separator: ", ")) }
                if addValue != 0 { parts.append("+\(add!)") }
                scenarios.append(IncomeScenario(name: parts.joined(separator: "; "), without: try without.map { try Self.stream($0, in: streams) },
                                                change: changes, addPerMonth: addValue))
            }
            let result: IncomeForecast
            do {
                result = try IncomeForecaster(seed: seed, paths: paths, horizon: months).forecast(streams: streams, floor: floorValue, scenarios: scenarios)
            } catch { throw UserError("\(error)") }
            let next = (1...months).map { history.last!.adding($0) }
            try output.emit(ForecastDocument(forecast: result, history: history, streams: streams, future: next, currency: currency))
        }

        /// Finds a stream by name, ignoring case and spacing.
        static func stream(_ name: String, in streams: [String: [Double]]) throws -> String {
            let key = Account.normalizeComponent(name)
            if let s = streams.keys.first(where: { Account.normalizeComponent($0) == key }) { return s }
            throw UserError("no platform named \"\(name)\" in your income", hint: "known: " + streams.keys.sorted().joined(separator: ", "))
        }
    }

    struct Backtest: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "backtest", abstract: "What the forecast would have said each past quarter, and what happened.",
            discussion: "Example: saldo forecast backtest --format markdown")
        @OptionGroup var ledger: LedgerOption
        @OptionGroup var seriesOptions: SeriesOptions
        @Option(help: "Months of history before the first origin.") var minimumHistory: Int = 6
        @OptionGroup var output: DocumentOutput

        func run() throws {
            let store = try ledger.open(.existing)
            let (streams, history, currency) = try seriesOptions.series(store)
            let report: IncomeBacktestReport
            do { report = try IncomeBacktest.run(streams: streams, minimumHistory: minimumHistory) } catch { throw UserError("\(error)") }
            try output.emit(BacktestDocument(report: report, history: history, currency: currency))
        }
    }
}

/// An estimate in currency units, rounded to cents for display (forecasts are estimates, not money movements).
func estimate(_ v: Double) -> ExactDecimal {
    guard v.isFinite else { return ExactDecimal(0) }
    return ExactDecimal(significand: Int128((max(-1e30, min(1e30, v)) * 100).rounded()), scale: 2)
}

struct ForecastDocument: ReportConvertible {
    var forecast: IncomeForecast
    var history: [YearMonth]
    var streams: [String: [Double]]
    var future: [YearMonth]
    var currency: CurrencyCode

    func document() -> ReportDocument {
        let b = forecast.baseline
        let cur = currency.code
        // Estimates shown as amounts (rounded to cents) so tables group thousands like every other report.
        func m(_ v: Double) -> ReportCell { .money(Money(minorUnits: Int64((max(-9e15, min(9e15, v.isFinite ? v : 0)) * 100).rounded()), currency: currency)) }
        func q(_ x: IncomeQuantiles) -> [ReportCell] { [m(x.p10), m(x.p50), m(x.p90)] }
        var monthRows = zip(future, b.months).map { ReportRow([.month($0)] + q($1)) }
        monthRows.append(ReportRow([.text("next \(future.count) months")] + q(b.quarter), style: .total))
        var blocks: [ReportBlock] = [.table(ReportTable(id: "months", title: "Total net income, \(cur)", columns: [
            ReportColumn("month", "Month"), ReportColumn("p10", "P10 (bad case)", .money(currency)), ReportColumn("p50", "P50", .money(currency)), ReportColumn("p90", "P90 (good case)", .money(currency)),
        ], rows: monthRows))]
        let totals = history.indices.map { i in streams.values.reduce(0) { $0 + $1[i] } }
        blocks.append(.chart(.fan(FanChart(title: "Net income per month and the forecast fan (\(cur))", unit: cur,
                                            history: zip(history, totals).suffix(18).map { ($0.description, $1) },
                                            forecast: zip(future, b.months).map { FanChart.Point(label: $0.description, p10: $1.p10, p50: $1.p50, p90: $1.p90) },
                                            floor: forecast.floor))))
        blocks.append(.table(ReportTable(id: "streams", title: "By platform, next \(future.count) months together", columns: [
            ReportColumn("stream", "Platform"), ReportColumn("p10", "P10", .money(currency)), ReportColumn("p50", "P50", .money(currency)), ReportColumn("p90", "P90", .money(currency)),
            ReportColumn("active_next_month", "Chance it pays next month", .percent), ReportColumn("dry_months", "Months without pay now", .number),
        ], rows: b.streams.map { s in
            ReportRow([.text(s.name)] + q(s.quarter) + [.percent(estimate(s.chanceActiveNextMonth * 100)), .integer(s.dryMonths)])
        })))
        if let p = b.pBelowFloor, let f = forecast.floor {
            blocks.append(.paragraph("Chance the next \(future.count) months together bring less than \(estimate(f * Double(future.count))) \(cur) (\(estimate(f)) a month): \(estimate(p * 100))%."
                + (b.pMonthBelowFloor.map { " Per month: " + zip(future, $0).map { "\($0) \(estimate($1 * 100))%" }.joined(separator: ", ") + "." } ?? "")))
        }
        for s in forecast.scenarios {
            blocks.append(.table(ReportTable(id: "scenario", title: "Scenario: \(s.name) (baseline beside it)", columns: [
                ReportColumn("month", "Month"), ReportColumn("p10", "P10", .money(currency)), ReportColumn("p50", "P50", .money(currency)), ReportColumn("p90", "P90", .money(currency)),
                ReportColumn("baseline_p50", "Baseline P50", .money(currency)),
            ], rows: zip(future, zip(s.months, b.months)).map { ReportRow([.month($0)] + q($1.0) + [m($1.1.p50)]) }
                + [ReportRow([.text("next \(future.count) months")] + q(s.quarter) + [m(b.quarter.p50)], style: .total)])))
            if let p = s.pBelowFloor { blocks.append(.paragraph("Scenario \(s.name): chance below the floor \(estimate(p * 100))%.")) }
        }
        var notes = forecast.notes
        notes.append("\(forecast.paths) simulated paths, seed \(forecast.seed); \(forecast.historyMonths) months of history (\(history.first!)..\(history.last!)), in \(cur) at each transaction's ECB rate.")
        func qj(_ x: IncomeQuantiles) -> [(String, JSONValue)] { [("p10", .decimal(estimate(x.p10))), ("p50", .decimal(estimate(x.p50))), ("p90", .decimal(estimate(x.p90)))] }
        func outlook(_ o: IncomeOutlook) -> JSONValue {
            .obj([("name", .string(o.name)),
                  ("months", .array(zip(future, o.months).map { .obj([("month", .string($0.description))] + qj($1)) })),
                  ("quarter", .obj(qj(o.quarter))),
                  ("p_below_floor", o.pBelowFloor.map { .number(String(format: "%.4f", $0)) } ?? .null),
                  ("streams", .array(o.streams.map { s in .obj([("name", .string(s.name)), ("quarter", .obj(qj(s.quarter))),
                                                                  ("months", .array(zip(future, s.months).map { .obj([("month", .string($0.description))] + qj($1)) })),
                                                                  ("chance_active_next_month", .number(String(format: "%.4f", s.chanceActiveNextMonth)))]) }))])
        }
        var json: [(String, JSONValue)] = [("currency", .string(cur))]
        json += [("months", .array(zip(future, b.months).map { .obj([("month", .string($0.description))] + qj($1)) })),
                 ("quarter", .obj(qj(b.quarter))),
                 ("p_below_floor", b.pBelowFloor.map { .number(String(format: "%.4f", $0)) } ?? .null),
                 ("floor", forecast.floor.map { .decimal(estimate($0)) } ?? .null),
                 ("streams", outlook(b).objectValue("streams")),
                 ("scenarios", .array(forecast.scenarios.map(outlook))),
                 ("history", .array(zip(history, totals).map { .obj([("month", .string($0.description)), ("net", .decimal(estimate($1)))]) })),
                 ("paths", .int(forecast.paths)), ("seed", .string(String(forecast.seed))), ("notes", .array(notes.map { .string($0) }))]
        return ReportDocument(title: "Income forecast", subtitle: "next \(future.count) months (\(future.first!)..\(future.last!)), in \(cur)",
                              notes: notes, blocks: blocks, json: .obj(json))
    }
}

extension JSONValue {
    /// The member `key` of an object, or null.
    func objectValue(_ key: String) -> JSONValue {
        if case .object(let members) = self { return members.first { $0.key == key }?.value ?? .null }
        return .null
    }
}

struct BacktestDocument: ReportConvertible {
    var report: IncomeBacktestReport
    var history: [YearMonth]
    var currency: CurrencyCode

    func document() -> ReportDocument {
        let rows = report.rows.map { r -> ReportRow in
            let start = history[min(r.historyMonths, history.count - 1)]
            return ReportRow([.month(start), .integer(r.historyMonths), .number(estimate(r.quarter.p10)), .number(estimate(r.quarter.p50)),
                              .number(estimate(r.quarter.p90)), .number(estimate(r.actualQuarter)), .flag(r.inside),
                              .number(estimate(r.smape)), .number(estimate(r.mase))])
        }
        let table = ReportTable(id: "origins", title: "Each past forecast of the next 3 months, \(currency.code)", columns: [
            ReportColumn("first_month", "From", .month), ReportColumn("history_months", "History", .number), ReportColumn("p10", "P10", .number),
            ReportColumn("p50", "P50", .number), ReportColumn("p90", "P90", .number), ReportColumn("actual", "Actual", .number),
            ReportColumn("inside", "Inside P10-P90", .flag), ReportColumn("smape", "sMAPE %", .number), ReportColumn("mase", "MASE", .number),
        ], rows: rows)
        let summary = "Over \(report.rows.count) past quarters: sMAPE \(estimate(report.smape))%, MASE \(estimate(report.mase)), the P10-P90 band held the actual quarter \(estimate(report.coverage * 100))% of the time (80% is the aim) and single months \(estimate(report.monthCoverage * 100))%."
        let json: JSONValue = .obj([("currency", .string(currency.code)), ("smape", .number(String(format: "%.4f", report.smape))),
                                    ("mase", .number(String(format: "%.4f", report.mase))), ("coverage80", .number(String(format: "%.4f", report.coverage))),
                                    ("month_coverage80", .number(String(format: "%.4f", report.monthCoverage))),
                                    ("origins", .array(report.rows.map { r in .obj([("history_months", .int(r.historyMonths)), ("p10", .decimal(estimate(r.quarter.p10))),
                                                                                      ("p50", .decimal(estimate(r.quarter.p50))), ("p90", .decimal(estimate(r.quarter.p90))),
                                                                                      ("actual", .decimal(estimate(r.actualQuarter))), ("inside", .bool(r.inside))]) }))])
        return ReportDocument(title: "Forecast backtest", subtitle: "rolling origin on your own ledger", notes: [summary], blocks: [.table(table)], json: json)
    }
}
