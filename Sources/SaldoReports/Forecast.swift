import Foundation
import SaldoCore
import SaldoForecast

/// An estimate in currency units, rounded to cents for display (forecasts are estimates, not money movements).
public func estimate(_ v: Double) -> ExactDecimal {
    guard v.isFinite else { return ExactDecimal(0) }
    return ExactDecimal(significand: Int128((max(-1e30, min(1e30, v)) * 100).rounded()), scale: 2)
}

/// A forecast estimate shown as an amount of `currency`: rounded once to the currency's minor unit
/// (half away from zero), clamped to what `Money` holds. The one place a forecast's `Double` becomes
/// `Money`; it is for display only (forecasts are estimates, never booked).
public func estimatedAmount(_ v: Double, in currency: CurrencyCode) -> Money {
    let scale = Double((0..<currency.exponent).reduce(1) { r, _ in r * 10 })
    let units = (v.isFinite ? v : 0) * scale
    return Money(minorUnits: Int64(max(-9e15, min(9e15, units)).rounded()), currency: currency)
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

    public func document() -> ReportDocument { document(in: .shipped(.en)) }

    public func document(in L: Catalog) -> ReportDocument {
        let b = forecast.baseline
        let cur = currency.code
        let en = L.language == .en
        let args = ["currency": cur, "months": String(future.count)]
        /// An estimate as text: as always in English (`1234.56`), grouped with a decimal comma in Spanish.
        func est(_ d: ExactDecimal) -> String { en ? d.description : L.format.number(d) }
        func pct(_ d: ExactDecimal) -> String { en ? d.description + "%" : L.format.percent(d) }
        // Estimates shown as amounts (rounded to cents) so tables group thousands like every other report.
        func m(_ v: Double) -> ReportCell { .money(estimatedAmount(v, in: currency)) }
        func q(_ x: IncomeQuantiles) -> [ReportCell] { [m(x.p10), m(x.p50), m(x.p90)] }
        var monthRows = zip(future, b.months).map { ReportRow([.month($0)] + q($1)) }
        monthRows.append(ReportRow([.text(L("forecast.row.next_months", args))] + q(b.quarter), style: .total))
        var blocks: [ReportBlock] = [.table(ReportTable(id: "months", title: L("forecast.table.months", args), columns: [
            ReportColumn("month", L("forecast.column.month")), ReportColumn("p10", L("forecast.column.p10_bad"), .money(currency)), ReportColumn("p50", "P50", .money(currency)), ReportColumn("p90", L("forecast.column.p90_good"), .money(currency)),
        ], rows: monthRows))]
        let totals = history.indices.map { i in streams.values.reduce(0) { $0 + $1[i] } }
        blocks.append(.chart(.fan(FanChart(title: L("forecast.chart.fan", args), unit: cur,
                                            history: zip(history, totals).suffix(18).map { (L.format.month($0), $1) },
                                            forecast: zip(future, b.months).map { FanChart.Point(label: L.format.month($0), p10: $1.p10, p50: $1.p50, p90: $1.p90) },
                                            floor: forecast.floor))))
        blocks.append(.table(ReportTable(id: "streams", title: L("forecast.table.streams", args), columns: [
            ReportColumn("stream", L("report.column.platform")), ReportColumn("p10", "P10", .money(currency)), ReportColumn("p50", "P50", .money(currency)), ReportColumn("p90", "P90", .money(currency)),
            ReportColumn("active_next_month", L("forecast.column.chance_pays"), .percent), ReportColumn("dry_months", L("forecast.column.dry_months"), .number),
        ], rows: b.streams.map { s in
            ReportRow([.text(s.name)] + q(s.quarter) + [.percent(estimate(s.chanceActiveNextMonth * 100)), .integer(s.dryMonths)])
        })))
        if let p = b.pBelowFloor, let f = forecast.floor {
            blocks.append(.paragraph(L("forecast.paragraph.below_floor", ["months": String(future.count), "amount": est(estimate(f * Double(future.count))), "currency": L.format.symbol(currency),
                                                                         "monthly": est(estimate(f)), "chance": pct(estimate(p * 100))])
                + (b.pMonthBelowFloor.map { L("forecast.paragraph.per_month") + zip(future, $0).map { L.format.month($0) + " " + pct(estimate($1 * 100)) }.joined(separator: ", ") + "." } ?? "")))
        }
        for s in forecast.scenarios {
            blocks.append(.table(ReportTable(id: "scenario", title: L("forecast.table.scenario", ["name": L.translatingClauses(s.name, keyPrefix: "forecast.scenario_part.")]), columns: [
                ReportColumn("month", L("forecast.column.month")), ReportColumn("p10", "P10", .money(currency)), ReportColumn("p50", "P50", .money(currency)), ReportColumn("p90", "P90", .money(currency)),
                ReportColumn("baseline_p50", L("forecast.column.baseline_p50"), .money(currency)),
            ], rows: zip(future, zip(s.months, b.months)).map { ReportRow([.month($0)] + q($1.0) + [m($1.1.p50)]) }
                + [ReportRow([.text(L("forecast.row.next_months", args))] + q(s.quarter) + [m(b.quarter.p50)], style: .total)])))
            if let p = s.pBelowFloor { blocks.append(.paragraph(L("forecast.paragraph.scenario_below_floor", ["name": L.translatingClauses(s.name, keyPrefix: "forecast.scenario_part."), "chance": pct(estimate(p * 100))]))) }
        }
        // The forecaster and the use case hand out English notes; their catalog templates give them in this language.
        var notes = (historyNotes + forecast.notes).map { L.translating($0, keyPrefix: "forecast.engine_note.") }
        notes.append(L("forecast.note.paths", ["paths": L.format.integer(forecast.paths), "seed": String(forecast.seed), "history_months": String(forecast.historyMonths),
                                              "from": en ? history.first!.description : L.format.month(history.first!), "to": en ? history.last!.description : L.format.month(history.last!), "currency": cur]))
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
        return ReportDocument(title: L("forecast.title"), subtitle: L("forecast.subtitle", ["months": String(future.count), "currency": cur,
                                                                                  "from": en ? future.first!.description : L.format.month(future.first!),
                                                                                  "to": en ? future.last!.description : L.format.month(future.last!)]),
                              notes: notes, blocks: blocks, json: .obj(json))
    }
}


public struct BacktestDocument: ReportConvertible, Sendable {
    public var report: IncomeBacktestReport
    public var history: [YearMonth]
    public var currency: CurrencyCode
    public init(report: IncomeBacktestReport, history: [YearMonth], currency: CurrencyCode) { self.report = report; self.history = history; self.currency = currency }

    public func document() -> ReportDocument { document(in: .shipped(.en)) }

    public func document(in L: Catalog) -> ReportDocument {
        let en = L.language == .en
        func est(_ d: ExactDecimal) -> String { en ? d.description : L.format.number(d) }
        func pct(_ d: ExactDecimal) -> String { en ? d.description + "%" : L.format.percent(d) }
        let rows = report.rows.map { r -> ReportRow in
            let start = history[min(r.historyMonths, history.count - 1)]
            return ReportRow([.month(start), .integer(r.historyMonths), .number(estimate(r.quarter.p10)), .number(estimate(r.quarter.p50)),
                              .number(estimate(r.quarter.p90)), .number(estimate(r.actualQuarter)), .flag(r.inside),
                              .number(estimate(r.smape)), .number(estimate(r.mase))])
        }
        let table = ReportTable(id: "origins", title: L("backtest.table.origins", ["currency": currency.code]), columns: [
            ReportColumn("first_month", L("report.column.from"), .month), ReportColumn("history_months", L("backtest.column.history"), .number), ReportColumn("p10", "P10", .number),
            ReportColumn("p50", "P50", .number), ReportColumn("p90", "P90", .number), ReportColumn("actual", L("backtest.column.actual"), .number),
            ReportColumn("inside", L("backtest.column.inside"), .flag), ReportColumn("smape", "sMAPE %", .number), ReportColumn("mase", "MASE", .number),
        ], rows: rows)
        let summary = L("backtest.note.summary", ["count": String(report.rows.count), "smape": pct(estimate(report.smape)), "mase": est(estimate(report.mase)),
                                                  "coverage": pct(estimate(report.coverage * 100)), "aim": pct(ExactDecimal(80)), "month_coverage": pct(estimate(report.monthCoverage * 100))])
        let json: JSONValue = .obj([("currency", .string(currency.code)), ("smape", .number(String(format: "%.4f", report.smape))),
                                    ("mase", .number(String(format: "%.4f", report.mase))), ("coverage80", .number(String(format: "%.4f", report.coverage))),
                                    ("month_coverage80", .number(String(format: "%.4f", report.monthCoverage))),
                                    ("origins", .array(report.rows.map { r in .obj([("history_months", .int(r.historyMonths)), ("p10", .decimal(estimate(r.quarter.p10))),
                                                                                      ("p50", .decimal(estimate(r.quarter.p50))), ("p90", .decimal(estimate(r.quarter.p90))),
                                                                                      ("actual", .decimal(estimate(r.actualQuarter))), ("inside", .bool(r.inside))]) }))])
        return ReportDocument(title: L("backtest.title"), subtitle: L("backtest.subtitle"), notes: [summary], blocks: [.table(table)], json: json)
    }
}
