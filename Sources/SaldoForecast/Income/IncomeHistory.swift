import Foundation

/// A calendar month as a plain count of months (year × 12 + month − 1), so the forecaster can
/// line months up without knowing any calendar or ledger type.
public struct MonthIndex: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// year × 12 + (month − 1).
    public let value: Int

    public init(_ value: Int) { self.value = value }

    /// The month `month` (1…12) of `year`; nil for a month outside 1…12.
    public init?(year: Int, month: Int) {
        guard (1...12).contains(month) else { return nil }
        value = year * 12 + month - 1
    }

    public var year: Int { Int((Double(value) / 12).rounded(.down)) }
    public var month: Int { value - year * 12 + 1 }
    public func adding(_ months: Int) -> MonthIndex { MonthIndex(value + months) }
    public static func < (a: MonthIndex, b: MonthIndex) -> Bool { a.value < b.value }
    public var description: String { String(format: "%04d-%02d", year, month) }
}

/// One amount received (net of its fees) by an income stream in a month.
public struct StreamPayment: Sendable, Equatable {
    public var stream: String
    public var month: MonthIndex
    public var amount: Double

    public init(stream: String, month: MonthIndex, amount: Double) {
        self.stream = stream
        self.month = month
        self.amount = amount
    }
}

/// The monthly history of every income stream, aligned on one calendar that always runs to the
/// last complete month, empty months included.
///
/// A month without pay is data: a platform that has been silent for the last three months has a
/// history ending in three zeros, so its drought counts in the chance that it pays next month and
/// in the band. (Ending the history at the last month with income would shift the forecast
/// backwards and hide every drought in progress.)
public struct IncomeHistory: Sendable, Equatable {
    /// The first month of the history (the earliest month with a payment).
    public var first: MonthIndex
    /// The last month of the history: the month before the forecast's first month.
    public var through: MonthIndex
    /// Net income per stream and month, `first` … `through`, zeros where nothing was paid.
    public var streams: [String: [Double]]

    /// Months of history.
    public var count: Int { through.value - first.value + 1 }
    /// The months of the history, oldest first.
    public var months: [MonthIndex] { (0..<count).map { first.adding($0) } }
    /// The `horizon` months after the history: exactly the months the forecast covers.
    public func future(_ horizon: Int) -> [MonthIndex] { (1...max(1, horizon)).map { through.adding($0) } }

    /// Builds the aligned history from plain payments. Payments of the same stream and month are
    /// summed; payments after `through` (the month in progress and later) are left out.
    /// - Parameters:
    ///   - payments: net amounts per stream and month, in one currency, in any order.
    ///   - through: the last complete month (the month before "today").
    public static func build(payments: [StreamPayment], through: MonthIndex) throws(ForecastError) -> IncomeHistory {
        var first: MonthIndex?
        for p in payments where p.month <= through {
            guard p.amount.isFinite else {
                throw .invalidInput("stream \(p.stream), \(p.month): expected a finite amount, found \(p.amount)")
            }
            guard !p.stream.isEmpty else {
                throw .invalidInput("a payment in \(p.month) names no stream; expected a platform or client name")
            }
            if first == nil || p.month < first! { first = p.month }
        }
        guard let first else {
            throw .invalidInput("no income up to \(through); expected at least one payment in or before that month")
        }
        let n = through.value - first.value + 1
        var streams: [String: [Double]] = [:]
        for p in payments where p.month <= through {
            streams[p.stream, default: [Double](repeating: 0, count: n)][p.month.value - first.value] += p.amount
        }
        return IncomeHistory(first: first, through: through, streams: streams)
    }

    /// The stream an amount belongs to, as the user thinks of their income: a direct client (a
    /// payer recorded as the client of money that came through PayPal, Wise, a bank…) is its own
    /// stream, so one client's silence is not hidden by another client's pay; work on a marketplace
    /// (Upwork, Fiverr, Prolific…, see `marketplaces`) stays one stream per marketplace, whoever the
    /// client was there. Nil when neither platform nor client is known (the caller falls back to the
    /// account).
    ///
    /// This is the one place the grouping is decided.
    public static func streamName(platform: String?, client: String?) -> String? {
        let p = platform?.trimmingCharacters(in: .whitespaces)
        let c = client?.trimmingCharacters(in: .whitespaces)
        if let p, !p.isEmpty, marketplaceKeys.contains(key(p)) { return p }
        if let c, !c.isEmpty { return c }
        if let p, !p.isEmpty { return p }
        return nil
    }

    /// Work marketplaces: their clients are the marketplace's, and the user sees one stream per
    /// marketplace.
    public static let marketplaces = ["Upwork", "Fiverr", "Freelancer.com", "Toptal", "Contra", "Malt", "PeoplePerHour", "Guru",
                                      "Prolific", "Toloka", "Appen", "TELUS", "Outlier", "Remotasks", "DataAnnotation",
                                      "Amazon Mechanical Turk", "MTurk", "Etsy", "Gumroad", "Patreon", "Lionbridge", "TransPerfect",
                                      "Respondent", "UserTesting"]
    static let marketplaceKeys = Set(marketplaces.map(key))
    static func key(_ name: String) -> String { name.lowercased().filter { $0.isLetter || $0.isNumber } }
}
