import Foundation
import SaldoCore
import SaldoForecast

/// An estimate in currency units, rounded to cents for display (forecasts are estimates, not money movements).
public func estimate(_ v: Double) -> ExactDecimal {
    guard v.isFinite else { return ExactDecimal(0) }
    return ExactDecimal(significand: Int128((max(-1e30, min(1e30, v)) * 100).rounded()), scale: 2)
}

public struct ForecastDocument: ReportConvertible, Sendable {
    public var forecast: IncomeForecast
    public var history: [YearMonth]
    public var streams: [String: [Double]]
    public var future: [YearMonth]
    public var currency: CurrencyCode
    /// Notes about the history itself (amounts converted provisionally, without a rate within the window).
    public var historyNotes: [String] = []
    public init(forecast: IncomeForecast, history: [YearMonth], streams: [String: [Double]], future: [YearMonth], currency: CurrencyCode,
                historyNotes: [String] = []) {
        self.forecast = forecast; self.history = history; self.streams = streams; self.future = future; self.currency = currency
        self.historyNotes = historyNotes
    }

    public func document() -> ReportDocument {
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
        var notes = historyNotes + forecast.notes
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


public struct BacktestDocument: ReportConvertible, Sendable {
    public var report: IncomeBacktestReport
    public var history: [YearMonth]
    public var currency: CurrencyCode
    public init(report: IncomeBacktestReport, history: [YearMonth], currency: CurrencyCode) { self.report = report; self.history = history; self.currency = currency }

    public func document() -> ReportDocument {
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
