import Foundation

/// One past origin of a backtest: what the forecast said and what happened.
public struct IncomeBacktestRow: Sendable, Codable, Equatable {
    /// Months of history the forecast was allowed to see.
    public var historyMonths: Int
    /// The forecast of each following month (totals).
    public var months: [IncomeQuantiles]
    /// What each following month actually brought.
    public var actual: [Double]
    /// The forecast of the months' sum and the actual sum.
    public var quarter: IncomeQuantiles
    public var actualQuarter: Double
    /// True when the actual sum lies within P10...P90.
    public var inside: Bool
    public var smape: Double
    public var mase: Double
}

/// How far to trust the forecast on this user's own history.
public struct IncomeBacktestReport: Sendable, Codable, Equatable {
    public var rows: [IncomeBacktestRow]
    /// Mean over origins of the monthly sMAPE of the P50 (percent).
    public var smape: Double
    /// Mean over origins of the monthly MASE of the P50 (scale: the history's mean absolute month-to-month change).
    public var mase: Double
    /// Share of origins whose actual quarter total fell within P10...P90 (nominal 0.8).
    public var coverage: Double
    /// Share of individual months within their P10...P90 (nominal 0.8).
    public var monthCoverage: Double
}

/// Rolling-origin evaluation of `IncomeForecaster` on the user's own months: every `step` months
/// from `minimumHistory` on, forecast the next `horizon` months from the history so far and
/// compare with what happened.
public enum IncomeBacktest {
    public static func run(streams: [String: [Double]], forecaster: IncomeForecaster = IncomeForecaster(paths: 2_000),
                           minimumHistory: Int = 6, step: Int = 3) throws(ForecastError) -> IncomeBacktestReport {
        guard let n = streams.values.first?.count else {
            throw .invalidInput("no income streams given; expected at least one monthly series")
        }
        let h = forecaster.horizon
        guard minimumHistory >= 1, step >= 1 else {
            throw .invalidInput("minimum history and step must be at least 1 month")
        }
        guard n >= minimumHistory + h else {
            throw .invalidInput("a backtest needs at least \(minimumHistory + h) months (\(minimumHistory) of history and \(h) to check), found \(n)")
        }
        var total = [Double](repeating: 0, count: n)
        for y in streams.values {
            guard y.count == n else {
                throw .invalidInput("streams must be aligned: found lengths \(n) and \(y.count)")
            }
            for t in 0..<n { total[t] += y[t] }
        }
        var rows: [IncomeBacktestRow] = []
        var origin = minimumHistory
        while origin + h <= n {
            let cut = streams.mapValues { Array($0.prefix(origin)) }
            let f = try forecaster.forecast(streams: cut)
            let actual = Array(total[origin..<(origin + h)])
            let p50 = f.baseline.months.map(\.p50)
            let q = f.baseline.quarter
            let actualQ = actual.reduce(0, +)
            rows.append(IncomeBacktestRow(
                historyMonths: origin, months: f.baseline.months, actual: actual, quarter: q, actualQuarter: actualQ,
                inside: actualQ >= q.p10 && actualQ <= q.p90,
                smape: AccuracyMetrics.smape(actual: actual, forecast: p50),
                mase: AccuracyMetrics.mase(actual: actual, forecast: p50, insample: Array(total.prefix(origin)), seasonLength: 1)))
            origin += step
        }
        let c = Double(rows.count)
        var monthsInside = 0, monthsTotal = 0
        for r in rows {
            for (k, m) in r.months.enumerated() {
                monthsTotal += 1
                if r.actual[k] >= m.p10 && r.actual[k] <= m.p90 { monthsInside += 1 }
            }
        }
        return IncomeBacktestReport(rows: rows, smape: rows.reduce(0) { $0 + $1.smape } / c,
                                    mase: rows.reduce(0) { $0 + $1.mase } / c,
                                    coverage: Double(rows.filter(\.inside).count) / c,
                                    monthCoverage: Double(monthsInside) / Double(max(1, monthsTotal)))
    }

    /// The same on a single monthly total series.
    public static func run(total: [Double], forecaster: IncomeForecaster = IncomeForecaster(paths: 2_000),
                           minimumHistory: Int = 6, step: Int = 3) throws(ForecastError) -> IncomeBacktestReport {
        try run(streams: ["total": total], forecaster: forecaster, minimumHistory: minimumHistory, step: step)
    }
}
