import Foundation

/// P10, P50 and P90 (and the mean) of a simulated amount.
public struct IncomeQuantiles: Sendable, Codable, Equatable {
    public var p10: Double
    public var p50: Double
    public var p90: Double
    public var mean: Double

    public init(p10: Double, p50: Double, p90: Double, mean: Double) {
        self.p10 = p10
        self.p50 = p50
        self.p90 = p90
        self.mean = mean
    }

    static func of(_ values: inout [Double]) -> IncomeQuantiles {
        values.sort()
        return IncomeQuantiles(p10: Stats.quantile(sorted: values, 0.1), p50: Stats.quantile(sorted: values, 0.5),
                               p90: Stats.quantile(sorted: values, 0.9), mean: Stats.mean(values))
    }

    func scaled(by f: Double) -> IncomeQuantiles {
        IncomeQuantiles(p10: p10 * f, p50: p50 * f, p90: p90 * f, mean: mean * f)
    }
}

/// The outlook for one income stream (platform or client).
public struct StreamOutlook: Sendable, Codable, Equatable {
    public var name: String
    /// One entry per future month.
    public var months: [IncomeQuantiles]
    /// Sum of the future months (the next quarter with the default horizon of 3).
    public var quarter: IncomeQuantiles
    /// Estimated chance the stream pays anything next month.
    public var chanceActiveNextMonth: Double
    /// Months since the stream's first non-zero month.
    public var monthsSinceStart: Int
    /// Trailing months without income (0 when last month paid).
    public var dryMonths: Int
}

/// Baseline or scenario: totals and per-stream outlooks.
public struct IncomeOutlook: Sendable, Codable, Equatable {
    public var name: String
    /// Total income per future month.
    public var months: [IncomeQuantiles]
    /// Total over the future months.
    public var quarter: IncomeQuantiles
    public var streams: [StreamOutlook]
    /// Probability that the total over the future months is below `floor × months`
    /// (the floor is per month); nil without a floor.
    public var pBelowFloor: Double?
    /// Per future month, probability that the month's total is below the floor.
    public var pMonthBelowFloor: [Double]?
}

/// The result of `IncomeForecaster.forecast`.
public struct IncomeForecast: Sendable, Codable, Equatable {
    /// Months of history given (the aligned length of the series).
    public var historyMonths: Int
    /// Future months forecast.
    public var horizon: Int
    public var paths: Int
    public var seed: UInt64
    /// Monthly floor, when given.
    public var floor: Double?
    public var baseline: IncomeOutlook
    /// One outlook per scenario, in the order given, simulated with the same random numbers as the baseline.
    public var scenarios: [IncomeOutlook]
    /// With fewer than 24 months of history: how many times wider the P10–P90 band of the total
    /// is than it would be with the same income over a long history (1.0 or more); nil otherwise.
    public var shortHistoryWidening: Double?
    /// Plain-language caveats ("only 4 months of history: intervals are wide").
    public var notes: [String]
}
