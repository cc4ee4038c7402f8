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
            if c != .EUR, let ecb = try? BundledECBRates.currencies(), !ecb.contains(c) {
                return "add \(c) rates: \(RateSourceChoice.whereToGet(c))"
            }
            return "import newer ECB reference rates (Saldo bundles them up to \(BundledECBRates.lastDay)): download https://www.ecb.europa.eu/stats/eurofxref/eurofxref-hist.zip and import it; for a currency the ECB does not publish, a CSV with columns date,base,quote,rate"
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

    public init(from: CurrencyCode, to: CurrencyCode, numerator: ExactDecimal, denominator: ExactDecimal, publishedOn: Day, usedFallback: Bool) {
        self.from = from; self.to = to; self.numerator = numerator; self.denominator = denominator
        self.publishedOn = publishedOn; self.usedFallback = usedFallback
    }

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
    /// `rate` (series EUR→X) or `1 / rate` (series X→EUR); for a currency only a central bank
    /// publishes against the dollar, through the dollar: (X per USD) × (USD per EUR).
    struct Leg: Sendable {
        var series: Int
        var inverted: Bool
        /// The anchor's own leg from the euro (USD), when the series is against the anchor.
        var anchorSeries: Int? = nil
        var anchorInverted = false
    }

    /// The series to use between two currencies, resolved once per pair.
    struct Route: Sendable {
        var from: CurrencyCode
        var to: CurrencyCode
        var direct: Int?
        var inverse: Int?
        var fromLeg: Leg?
        var toLeg: Leg?
    }

    /// Currencies other than the euro that cross rates may go through: central banks publish
    /// their currency against the US dollar.
    public static let anchors: [CurrencyCode] = [.USD]

    func leg(for c: CurrencyCode) -> Leg? {
        if let i = pairIndex[Pair(base: .EUR, quote: c)] { return Leg(series: i, inverted: false) }
        if let i = pairIndex[Pair(base: c, quote: .EUR)] { return Leg(series: i, inverted: true) }
        for a in RateTable.anchors where a != c {
            let al: Leg
            if let i = pairIndex[Pair(base: .EUR, quote: a)] { al = Leg(series: i, inverted: false) }
            else if let i = pairIndex[Pair(base: a, quote: .EUR)] { al = Leg(series: i, inverted: true) }
            else { continue }
            if let i = pairIndex[Pair(base: a, quote: c)] { return Leg(series: i, inverted: false, anchorSeries: al.series, anchorInverted: al.inverted) }
            if let i = pairIndex[Pair(base: c, quote: a)] { return Leg(series: i, inverted: true, anchorSeries: al.series, anchorInverted: al.inverted) }
        }
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

    /// The nearest rate in series `s` at any distance: the last earlier one, else the first later one.
    func pickNearest(_ s: Int, _ ordinal: Int) -> (index: Int, fallback: Bool)? {
        let ser = series[s]
        if let i = ser.indexAtOrBefore(ordinal) { return (i, ser.ordinals[i] != ordinal) }
        return ser.ordinals.isEmpty ? nil : (0, true)
    }

    func lastEarlier(_ s: Int?, _ ordinal: Int) -> Day? {
        guard let s, let i = series[s].indexAtOrBefore(ordinal) else { return nil }
        return Day(ordinal: series[s].ordinals[i])
    }

    /// `a × b`, exact; in the absurd case where that overflows `Int128`, the longer operand loses
    /// low digits (rounded half-even) until it fits.
    static func product(_ a: ExactDecimal, _ b: ExactDecimal) -> ExactDecimal {
        var x = a.normalized, y = b.normalized
        for _ in 0..<80 {
            let (p, o) = x.significand.multipliedReportingOverflow(by: y.significand)
            if !o && x.scale + y.scale <= 37 { return ExactDecimal(significand: p, scale: x.scale + y.scale).normalized }
            if x.scale >= y.scale && x.scale > 0 { x = x.rounded(to: x.scale - 1) } else if y.scale > 0 { y = y.rounded(to: y.scale - 1) } else { break }
        }
        return ExactDecimal(0)
    }

    /// Units of the leg's currency per euro at `o` as a fraction, the oldest day used and whether a
    /// rate from another day was used; `nearest` takes rates at any distance.
    func legFraction(_ leg: Leg, _ o: Int, nearest: Bool) -> (n: ExactDecimal, d: ExactDecimal, oldest: Int, fallback: Bool)? {
        let choose = { (s: Int) in nearest ? self.pickNearest(s, o) : self.pick(s, o) }
        guard let (i, fb) = choose(leg.series) else { return nil }
        let r = series[leg.series].rates[i]
        var n = leg.inverted ? ExactDecimal(1) : r, d = leg.inverted ? r : ExactDecimal(1)
        var oldest = series[leg.series].ordinals[i], fallback = fb
        if let a = leg.anchorSeries {
            guard let (j, fb2) = choose(a) else { return nil }
            let ar = series[a].rates[j]
            if leg.anchorInverted { d = RateTable.product(d, ar) } else { n = RateTable.product(n, ar) }
            oldest = min(oldest, series[a].ordinals[j]); fallback = fallback || fb2
        }
        return (n, d, oldest, fallback)
    }

    /// The leg's series for naming the last earlier rate in an error.
    func legSeries(_ leg: Leg?, _ o: Int) -> Int? {
        guard let leg else { return nil }
        if let a = leg.anchorSeries, pick(leg.series, o) != nil { return a }
        return leg.series
    }

    /// Resolves the rate along `route` at `day`; with `nearest`, takes the nearest rates at any
    /// distance (what a provisional conversion uses) and nil-free only when every series exists.
    func quote(_ r: Route, _ day: Day, nearest: Bool = false) throws(RateError) -> RateQuote {
        let o = day.ordinal
        let one = ExactDecimal(1)
        if r.from == r.to { return RateQuote(from: r.from, to: r.to, numerator: one, denominator: one, publishedOn: day, usedFallback: false) }
        let choose = { (s: Int) in nearest ? self.pickNearest(s, o) : self.pick(s, o) }
        if let s = r.direct, let (i, fb) = choose(s) {
            return RateQuote(from: r.from, to: r.to, numerator: series[s].rates[i], denominator: one,
                             publishedOn: Day(ordinal: series[s].ordinals[i]), usedFallback: fb)
        }
        if let s = r.inverse, let (i, fb) = choose(s) {
            return RateQuote(from: r.from, to: r.to, numerator: one, denominator: series[s].rates[i],
                             publishedOn: Day(ordinal: series[s].ordinals[i]), usedFallback: fb)
        }
        // Through the euro: amount × (to per EUR) / (from per EUR).
        var fn = one, fd = one, tn = one, td = one
        var fallback = false
        var oldest = o
        if r.from != .EUR {
            guard let leg = r.fromLeg, let f = legFraction(leg, o, nearest: nearest) else {
                throw .missingRate(currency: r.from, other: .EUR, date: day, lastEarlier: lastEarlier(legSeries(r.fromLeg, o) ?? r.direct ?? r.inverse, o), limit: fallbackLimit)
            }
            fn = f.n; fd = f.d
            fallback = fallback || f.fallback
            oldest = min(oldest, f.oldest)
        }
        if r.to != .EUR {
            guard let leg = r.toLeg, let t = legFraction(leg, o, nearest: nearest) else {
                throw .missingRate(currency: r.to, other: .EUR, date: day, lastEarlier: lastEarlier(legSeries(r.toLeg, o) ?? r.direct ?? r.inverse, o), limit: fallbackLimit)
            }
            tn = t.n; td = t.d
            fallback = fallback || t.fallback
            oldest = min(oldest, t.oldest)
        }
        // (tn/td) / (fn/fd) = (tn·fd) / (td·fn): one fraction, rounded once when applied.
        return RateQuote(from: r.from, to: r.to, numerator: RateTable.product(tn, fd), denominator: RateTable.product(td, fn),
                         publishedOn: Day(ordinal: oldest), usedFallback: fallback)
    }

    /// The rate from `from` to `to` usable on `day`: that day's, else the last earlier one within
    /// ``fallbackLimit`` days; through the euro when there is no direct pair.
    public func quote(from: CurrencyCode, to: CurrencyCode, on day: Day) throws(RateError) -> RateQuote {
        try quote(route(from: from, to: to), day)
    }

    /// The nearest rates at any distance from `day` (the last earlier, else the first later): what a
    /// provisional conversion uses. Nil when a currency has no rate at all.
    public func nearestQuote(from: CurrencyCode, to: CurrencyCode, on day: Day) -> RateQuote? {
        try? quote(route(from: from, to: to), day, nearest: true)
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
        guard let f = QuoteFraction(q, fromExponent: amount.currency.exponent),
              let v = f.apply(amount.minorUnits, rule: rule) else { throw .overflow(amount: amount, target: q.to) }
        return Money(minorUnits: v, currency: q.to)
    }
}

/// A quote as one fraction over minor units: `minor units × multiplier / divisor`, rounded once,
/// gives the target's minor units (`numerator / denominator` with both currencies' exponents folded
/// in). Worked out once per quote, so that converting many amounts at one day's rate (the parts of
/// a day total) multiplies and divides once each.
struct QuoteFraction {
    let multiplier: Int128
    let divisor: Int128

    /// Nil when the fraction does not fit (an overflow for every amount but zero).
    @inline(__always)
    init?(_ q: RateQuote, fromExponent e1: Int) {
        let n = q.numerator, d = q.denominator, e2 = q.to.exponent
        guard d.scale + e2 <= 37, n.scale + e1 <= 37 else { return nil }
        let (m, o1) = n.significand.multipliedReportingOverflow(by: pow10(d.scale + e2))
        let (den, o2) = d.significand.multipliedReportingOverflow(by: pow10(n.scale + e1))
        guard !o1, !o2, den != 0 else { return nil }
        multiplier = m; divisor = den
    }

    /// `minor` converted, rounded once by `rule`; nil on overflow.
    @inline(__always)
    func apply(_ minor: Int64, rule: RoundingRule) -> Int64? {
        let (num, o) = Int128(minor).multipliedReportingOverflow(by: multiplier)
        guard !o else { return nil }
        return Int64(exactly: rule.divide(num, by: divisor))
    }
}

/// Converts many amounts into one currency, remembering how many it converted, how many used a
/// rate from an earlier day (weekends, holidays: within the table's ``RateTable/fallbackLimit``),
/// and, when the table's ``RateTable/beyondWindow`` is `.provisional`, which amounts had no rate
/// within that window and were converted provisionally (``MissingRates``).
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
    /// What had no rate within the window (only with `beyondWindow == .provisional`).
    public private(set) var missing = MissingRates()
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
        try convertMarking(amount, on: day).amount
    }

    /// A fact's amount in the target currency: when it sums a day's postings and carries their
    /// ``PostingFact/parts``, each part converted and rounded alone and the results added up, as the
    /// tax return converts postings (so a report and the return agree to the cent); otherwise the
    /// amount converted as one. Parts that do not add up to the amount (a ledger damaged by hand)
    /// are not trusted: the amount is converted as one. Provisional when any part is.
    public mutating func convertMarking(_ f: PostingFact) throws(RateError) -> (amount: Money, provisional: Bool) {
        guard let parts = f.parts, parts.count > 1, f.amount.currency != target else { return try convertMarking(f.amount, on: f.date) }
        var sum: Int64 = 0
        for p in parts { sum &+= p }
        guard sum == f.amount.minorUnits else { return try convertMarking(f.amount, on: f.date) }
        let currency = f.amount.currency
        // The first part goes the usual way: it finds (and keeps) the day's quote, or takes the
        // provisional path.
        let (first, firstProvisional) = try convertMarking(Money(minorUnits: parts[0], currency: currency), on: f.date)
        var total = first.minorUnits
        let i = routeIndex(currency)
        if !firstProvisional, let last = lastQuotes[i], last.ordinal == f.date.ordinal,
           let fraction = QuoteFraction(last.quote, fromExponent: currency.exponent) {
            // The others at that quote, counted as the usual way counts them.
            for p in parts.dropFirst() {
                // Amounts beyond what a ledger can hold are an error, never a trap.
                guard let v = fraction.apply(p, rule: rule), case let (t, false) = total.addingReportingOverflow(v) else {
                    throw .overflow(amount: f.amount, target: target)
                }
                total = t
            }
            convertedCount += parts.count - 1
            if last.quote.usedFallback { fallbackCount += parts.count - 1 }
            return (Money(minorUnits: total, currency: target), false)
        }
        var provisional = firstProvisional
        for p in parts.dropFirst() {
            let (c, prov) = try convertMarking(Money(minorUnits: p, currency: currency), on: f.date)
            guard case let (t, false) = total.addingReportingOverflow(c.minorUnits) else { throw .overflow(amount: f.amount, target: target) }
            total = t
            provisional = provisional || prov
        }
        return (Money(minorUnits: total, currency: target), provisional)
    }

    /// `amount` in the target currency at `day`, and whether the conversion is provisional (no rate
    /// within the window: the nearest rate at any distance was used, or, where the currency has no
    /// rate at all, the amount counts as zero in the target currency).
    public mutating func convertMarking(_ amount: Money, on day: Day) throws(RateError) -> (amount: Money, provisional: Bool) {
        if amount.currency == target { return (amount, false) }
        let i = routeIndex(amount.currency)
        let o = day.ordinal
        let q: RateQuote
        if let last = lastQuotes[i], last.ordinal == o {
            q = last.quote
        } else {
            do {
                q = try table.quote(routes[i], day)
            } catch {
                guard table.beyondWindow == .provisional, case .missingRate(let c, _, _, let last, _) = error else { throw error }
                convertedCount += 1
                if let nq = try? table.quote(routes[i], day, nearest: true) {
                    missing.note(c, day, lastEarlier: last, convertible: true)
                    return (try RateTable.apply(nq, to: amount, rule: rule), true)
                }
                // No rate at any date: name the currency that has none (the target, when it is the one).
                let r = routes[i]
                let hasDirect = r.direct != nil || r.inverse != nil
                let none = !hasDirect && r.from != .EUR && r.fromLeg == nil ? r.from : !hasDirect && r.to != .EUR && r.toLeg == nil ? r.to : c
                missing.note(none, day, lastEarlier: none == c ? last : nil, convertible: false)
                return (.zero(target), true)
            }
            lastQuotes[i] = (o, q)
        }
        convertedCount += 1
        if q.usedFallback { fallbackCount += 1 }
        return (try RateTable.apply(q, to: amount, rule: rule), false)
    }

    /// The rate from `currency` to the target at `day` (not counted as a conversion).
    public mutating func quote(_ currency: CurrencyCode, on day: Day) throws(RateError) -> RateQuote {
        try table.quote(route(currency), day)
    }
}

/// What a report does when an amount has no rate within the window.
public enum BeyondWindow: Sendable, Equatable {
    /// The conversion fails with ``RateError/missingRate`` (for listings and checks that must be exact).
    case fail
    /// The report goes on: the amount is converted at the nearest rate at any distance (or counts as
    /// zero when its currency has no rate at all), is marked provisional, and ``MissingRates`` says
    /// which rates to add.
    case provisional
}

/// The rates a report lacked, per currency: the days that needed them, how many amounts were
/// provisional, and how many could not be converted at all (no rate for the currency).
public struct MissingRates: Sendable, Equatable {
    public struct Gap: Sendable, Equatable {
        public var currency: CurrencyCode
        public var from: Day
        public var to: Day
        public var amounts: Int
        /// Amounts that count as zero: no rate for the currency at any date.
        public var unconverted: Int
        /// The newest rate before `from`, if any.
        public var lastEarlier: Day?
        public init(currency: CurrencyCode, from: Day, to: Day, amounts: Int, unconverted: Int, lastEarlier: Day?) {
            self.currency = currency; self.from = from; self.to = to; self.amounts = amounts; self.unconverted = unconverted; self.lastEarlier = lastEarlier
        }
    }
    public private(set) var gaps: [Gap] = []
    public init() {}

    public var isEmpty: Bool { gaps.isEmpty }
    public var provisionalAmounts: Int { gaps.reduce(0) { $0 + $1.amounts } }
    public var unconvertedAmounts: Int { gaps.reduce(0) { $0 + $1.unconverted } }

    mutating func note(_ c: CurrencyCode, _ day: Day, lastEarlier: Day?, convertible: Bool) {
        if let i = gaps.firstIndex(where: { $0.currency == c }) {
            gaps[i].from = min(gaps[i].from, day); gaps[i].to = max(gaps[i].to, day)
            gaps[i].amounts += 1
            if !convertible { gaps[i].unconverted += 1 }
            if let l = lastEarlier, gaps[i].lastEarlier.map({ l < $0 }) ?? true, l < gaps[i].from { gaps[i].lastEarlier = l }
        } else {
            gaps.append(Gap(currency: c, from: day, to: day, amounts: 1, unconverted: convertible ? 0 : 1, lastEarlier: lastEarlier))
            gaps.sort { $0.currency < $1.currency }
        }
    }

    /// Merges another converter's findings (a report that converts with several).
    public mutating func merge(_ other: MissingRates) {
        for g in other.gaps {
            if let i = gaps.firstIndex(where: { $0.currency == g.currency }) {
                gaps[i].from = min(gaps[i].from, g.from); gaps[i].to = max(gaps[i].to, g.to)
                gaps[i].amounts += g.amounts; gaps[i].unconverted += g.unconverted
                if let l = g.lastEarlier, gaps[i].lastEarlier.map({ l < $0 }) ?? true { gaps[i].lastEarlier = l }
            } else {
                gaps.append(g)
                gaps.sort { $0.currency < $1.currency }
            }
        }
    }

    /// One sentence per currency, for a report's notes: what is provisional and why, in the
    /// catalog's language (`fx.missing.*`; English by default).
    public func notes(window: Int, in L: Catalog = .shipped(.en)) -> [String] {
        gaps.map { g in
            let days = g.from == g.to ? LocalizedText("fx.missing.on_day", ["date": g.from.description]).text(in: L)
                : LocalizedText("fx.missing.day_range", ["from_date": g.from.description, "to_date": g.to.description]).text(in: L)
            var args = ["currency": g.currency.code, "days": days, "window": String(window)]
            if g.unconverted == g.amounts {
                return L.plural("fx.missing.count_as_zero", count: g.amounts, args)
            }
            args["earlier"] = g.lastEarlier.map { LocalizedText("fx.missing.last_earlier", ["date": $0.description]).text(in: L) } ?? ""
            return L.plural("fx.missing.no_rate_within", count: g.amounts, args)
        }
    }

    /// What to add, once: currency and days, and where such rates come from.
    public var fix: String {
        gaps.map { g in
            let range = g.from == g.to ? "\(g.from)" : "\(g.from) to \(g.to)"
            return "\(g.currency) rates for \(range) (\(RateSourceChoice.whereToGet(g.currency)))"
        }.joined(separator: "; ")
    }
}
