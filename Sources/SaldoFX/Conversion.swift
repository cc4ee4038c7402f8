import SaldoCore

/// Why an amount could not be converted, in words a user can act on.
public enum RateError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No rate for `currency` against the euro (or against `other`) on `date` or in the
    /// `limit` days before. `lastEarlier` is the most recent earlier rate, if any.
    case missingRate(currency: CurrencyCode, other: CurrencyCode, date: Day, lastEarlier: Day?, limit: Int)
    /// The converted amount does not fit in the target currency's minor units.
    case overflow(amount: Money, target: CurrencyCode)

    public var description: String {
        var s = message
        if let h = hint { s += "\n  hint: \(h)" }
        return s
    }

    /// The message without the hint.
    public var message: String {
        switch self {
        case .missingRate(let c, let o, let d, let last, let limit):
            var s = "no exchange rate \(o)→\(c) for \(c) on \(d)"
            if let l = last {
                s += ": the last earlier rate is from \(l), \(d.ordinal - l.ordinal) days before, beyond the \(limit)-day fallback limit"
            } else {
                s += ": no rate for \(c) was published on or before that day in the imported rates"
            }
            return s
        case .overflow(let m, let t):
            return "converting \(m) to \(t) gives an amount too large to hold"
        }
    }

    public var hint: String? {
        switch self {
        case .missingRate(let c, _, _, _, _):
            return "import newer ECB reference rates (Saldo bundles them up to \(BundledECBRates.lastDay)): download https://www.ecb.europa.eu/stats/eurofxref/eurofxref-hist.zip and import it; for a currency the ECB does not publish (\(c)?), import a CSV with columns date,base,quote,rate"
        case .overflow:
            return nil
        }
    }

    /// The same problem as a ``Diagnostic`` (code `fx.missing-rate` or `fx.overflow`).
    public var diagnostic: Diagnostic {
        switch self {
        case .missingRate: return .error("fx.missing-rate", message, hint: hint)
        case .overflow: return .error("fx.overflow", message, hint: hint)
        }
    }
}

/// An exchange rate at a day as an exact fraction: one unit of `from` is worth
/// `numerator / denominator` units of `to`.
public struct RateQuote: Hashable, Sendable {
    public var from: CurrencyCode
    public var to: CurrencyCode
    public var numerator: ExactDecimal
    public var denominator: ExactDecimal
    /// The day the (oldest) rate used was published.
    public var publishedOn: Day
    /// True when no rate was published on the day asked for and an earlier one was used.
    public var usedFallback: Bool

    /// The rate as a decimal with `places` decimals (for display; conversions use the fraction).
    public func value(places: Int = 6) -> ExactDecimal {
        ratio(numerator, denominator, places: places)
    }
}

/// `n / d` to `places` decimals, rounded half-even, without trapping: when the exact
/// computation would overflow `Int128`, low digits of the operands are dropped (rounded)
/// until it fits, which only happens for absurdly long rates. `d` zero gives zero.
public func ratio(_ n: ExactDecimal, _ d: ExactDecimal, places: Int) -> ExactDecimal {
    let p = min(max(places, 0), 18)
    var a = n.normalized, b = d.normalized
    for _ in 0..<120 {
        if b.significand == 0 { break }
        if b.scale + p <= 37 && a.scale <= 37 {
            let (x, o1) = a.significand.multipliedReportingOverflow(by: pow10(b.scale + p))
            let (y, o2) = b.significand.multipliedReportingOverflow(by: pow10(a.scale))
            if !o1 && !o2 && y != 0 { return ExactDecimal(significand: RoundingRule.halfEven.divide(x, by: y), scale: p) }
        }
        if a.significand.magnitude >= b.significand.magnitude {
            if a.scale > 0 { a = a.rounded(to: a.scale - 1) }
            else if b.scale < 30 { a = ExactDecimal(significand: RoundingRule.halfEven.divide(a.significand, by: 10), scale: 0); b = ExactDecimal(significand: b.significand, scale: b.scale + 1) }
            else { break }
        } else {
            if b.scale > 0 { b = b.rounded(to: b.scale - 1) }
            else if a.scale < 30 { b = ExactDecimal(significand: RoundingRule.halfEven.divide(b.significand, by: 10), scale: 0); a = ExactDecimal(significand: a.significand, scale: a.scale + 1) }
            else { break }
        }
    }
    return ExactDecimal(significand: 0, scale: p)
}

/// A converted amount and whether its rate came from an earlier day.
public struct ConvertedAmount: Hashable, Sendable {
    public var amount: Money
    public var usedFallback: Bool
}

extension RateTable {
    /// How a currency is reached from the euro: units of the currency per euro are
    /// `rate` (series EUR→X) or `1 / rate` (series X→EUR).
    struct Leg: Sendable { var series: Int; var inverted: Bool }

    /// The series to use between two currencies, resolved once per pair.
    struct Route: Sendable {
        var from: CurrencyCode
        var to: CurrencyCode
        var direct: Int?
        var inverse: Int?
        var fromLeg: Leg?
        var toLeg: Leg?
    }

    func leg(for c: CurrencyCode) -> Leg? {
        if let i = pairIndex[Pair(base: .EUR, quote: c)] { return Leg(series: i, inverted: false) }
        if let i = pairIndex[Pair(base: c, quote: .EUR)] { return Leg(series: i, inverted: true) }
        return nil
    }

    func route(from: CurrencyCode, to: CurrencyCode) -> Route {
        Route(from: from, to: to,
              direct: pairIndex[Pair(base: from, quote: to)],
              inverse: pairIndex[Pair(base: to, quote: from)],
              fromLeg: from == .EUR ? nil : leg(for: from),
              toLeg: to == .EUR ? nil : leg(for: to))
    }

    /// Rate index in series `s` usable for `ordinal`, and whether it is a fallback.
    @inline(__always) func pick(_ s: Int, _ ordinal: Int) -> (index: Int, fallback: Bool)? {
        let ser = series[s]
        guard let i = ser.indexAtOrBefore(ordinal) else { return nil }
        let d = ordinal - ser.ordinals[i]
        if d > fallbackLimit { return nil }
        return (i, d != 0)
    }

    func lastEarlier(_ s: Int?, _ ordinal: Int) -> Day? {
        guard let s, let i = series[s].indexAtOrBefore(ordinal) else { return nil }
        return Day(ordinal: series[s].ordinals[i])
    }

    /// Resolves the rate along `route` at `day`.
    func quote(_ r: Route, _ day: Day) throws(RateError) -> RateQuote {
        let o = day.ordinal
        let one = ExactDecimal(1)
        if r.from == r.to { return RateQuote(from: r.from, to: r.to, numerator: one, denominator: one, publishedOn: day, usedFallback: false) }
        if let s = r.direct, let (i, fb) = pick(s, o) {
            return RateQuote(from: r.from, to: r.to, numerator: series[s].rates[i], denominator: one,
                             publishedOn: Day(ordinal: series[s].ordinals[i]), usedFallback: fb)
        }
        if let s = r.inverse, let (i, fb) = pick(s, o) {
            return RateQuote(from: r.from, to: r.to, numerator: one, denominator: series[s].rates[i],
                             publishedOn: Day(ordinal: series[s].ordinals[i]), usedFallback: fb)
        }
        // Through the euro: amount × (to per EUR) / (from per EUR).
        var fn = one, fd = one, tn = one, td = one
        var fallback = false
        var oldest = o
        if r.from != .EUR {
            guard let leg = r.fromLeg, let (i, fb) = pick(leg.series, o) else {
                throw .missingRate(currency: r.from, other: .EUR, date: day, lastEarlier: lastEarlier(r.fromLeg?.series ?? r.direct ?? r.inverse, o), limit: fallbackLimit)
            }
            if leg.inverted { fd = series[leg.series].rates[i] } else { fn = series[leg.series].rates[i] }
            fallback = fallback || fb
            oldest = min(oldest, series[leg.series].ordinals[i])
        }
        if r.to != .EUR {
            guard let leg = r.toLeg, let (i, fb) = pick(leg.series, o) else {
                throw .missingRate(currency: r.to, other: .EUR, date: day, lastEarlier: lastEarlier(r.toLeg?.series ?? r.direct ?? r.inverse, o), limit: fallbackLimit)
            }
            if leg.inverted { td = series[leg.series].rates[i] } else { tn = series[leg.series].rates[i] }
            fallback = fallback || fb
            oldest = min(oldest, series[leg.series].ordinals[i])
        }
        // (tn/td) / (fn/fd) = (tn·fd) / (td·fn)
        return RateQuote(from: r.from, to: r.to, numerator: tn * fd, denominator: td * fn,
                         publishedOn: Day(ordinal: oldest), usedFallback: fallback)
    }

    /// The rate from `from` to `to` usable on `day`: that day's, else the last earlier one within
    /// ``fallbackLimit`` days; through the euro when there is no direct pair.
    public func quote(from: CurrencyCode, to: CurrencyCode, on day: Day) throws(RateError) -> RateQuote {
        try quote(route(from: from, to: to), day)
    }

    /// Converts `amount` to `target` at `day`, rounding once (half-even) to the target's minor unit.
    public func convert(_ amount: Money, to target: CurrencyCode, on day: Day, rule: RoundingRule = .halfEven) throws(RateError) -> ConvertedAmount {
        if amount.currency == target { return ConvertedAmount(amount: amount, usedFallback: false) }
        let q = try quote(from: amount.currency, to: target, on: day)
        return ConvertedAmount(amount: try RateTable.apply(q, to: amount, rule: rule), usedFallback: q.usedFallback)
    }

    /// `amount × numerator / denominator` rounded once by `rule`: the arithmetic of
    /// `Money.converted(times:over:to:)`, with overflow reported as an error instead of a trap.
    @inline(__always)
    static func apply(_ q: RateQuote, to amount: Money, rule: RoundingRule) throws(RateError) -> Money {
        let n = q.numerator, d = q.denominator
        let e1 = amount.currency.exponent, e2 = q.to.exponent
        guard d.scale + e2 <= 37, n.scale + e1 <= 37 else { throw .overflow(amount: amount, target: q.to) }
        var (num, o1) = Int128(amount.minorUnits).multipliedReportingOverflow(by: n.significand)
        var o2 = false
        (num, o2) = num.multipliedReportingOverflow(by: pow10(d.scale + e2))
        let (den, o3) = d.significand.multipliedReportingOverflow(by: pow10(n.scale + e1))
        guard !o1, !o2, !o3, den != 0 else { throw .overflow(amount: amount, target: q.to) }
        guard let v = Int64(exactly: rule.divide(num, by: den)) else { throw .overflow(amount: amount, target: q.to) }
        return Money(minorUnits: v, currency: q.to)
    }
}

/// Converts many amounts into one currency, remembering how many it converted and how many
/// used a rate from an earlier day (weekends, holidays), for the report's footnote.
///
/// Each amount is rounded once; the route between two currencies is resolved once and cached,
/// so converting allocates nothing.
public struct Converter: Sendable {
    public let table: RateTable
    public let target: CurrencyCode
    public let rule: RoundingRule
    /// Amounts in another currency than `target` that were converted.
    public private(set) var convertedCount = 0
    /// Of those, how many used the last earlier rate because none was published on their day.
    public private(set) var fallbackCount = 0
    var routes: [RateTable.Route] = []
    /// The last quote per route (same index as `routes`): facts come in date order, so most
    /// lookups repeat the previous day.
    var lastQuotes: [(ordinal: Int, quote: RateQuote)?] = []

    public init(table: RateTable, target: CurrencyCode, rule: RoundingRule = .halfEven) {
        self.table = table; self.target = target; self.rule = rule
    }

    @inline(__always) mutating func routeIndex(_ c: CurrencyCode) -> Int {
        for (i, r) in routes.enumerated() where r.from == c { return i }
        routes.append(table.route(from: c, to: target))
        lastQuotes.append(nil)
        return routes.count - 1
    }

    @inline(__always) mutating func route(_ c: CurrencyCode) -> RateTable.Route { routes[routeIndex(c)] }

    /// `amount` in the target currency at `day`.
    public mutating func convert(_ amount: Money, on day: Day) throws(RateError) -> Money {
        if amount.currency == target { return amount }
        let i = routeIndex(amount.currency)
        let o = day.ordinal
        let q: RateQuote
        if let last = lastQuotes[i], last.ordinal == o {
            q = last.quote
        } else {
            q = try table.quote(routes[i], day)
            lastQuotes[i] = (o, q)
        }
        convertedCount += 1
        if q.usedFallback { fallbackCount += 1 }
        return try RateTable.apply(q, to: amount, rule: rule)
    }

    /// The rate from `currency` to the target at `day` (not counted as a conversion).
    public mutating func quote(_ currency: CurrencyCode, on day: Day) throws(RateError) -> RateQuote {
        try table.quote(route(currency), day)
    }
}
