import SaldoCore

/// The source name Saldo gives the ECB euro foreign exchange reference rates.
public let ecbSourceName = "ECB"

/// Exchange rates by currency pair and day, with conversion at a date.
///
/// - Each pair keeps one rate per day; adding a rate for a pair and day that already has one
///   replaces it (the latest import wins), and ``add(_:)`` says how many were new.
/// - A lookup takes the rate published on the day itself, else the last earlier one no more than
///   ``fallbackLimit`` days before (weekends, TARGET holidays); the result says whether it fell back.
/// - Conversions between two non-euro currencies go through the euro (the ECB publishes only
///   euro rates) and round once.
///
/// Lookups use a dense per-day index, so they cost an array access and allocate nothing.
public struct RateTable: Sendable {
    /// How many days before the wanted day a rate may have been published and still be used.
    public var fallbackLimit: Int
    /// What converting does with an amount that has no rate within ``fallbackLimit`` days: fail
    /// (the default) or go on provisionally (what reports do; see ``Converter``).
    public var beyondWindow: BeyondWindow = .fail

    /// One currency pair's rates, sorted by day, with a dense index from day to rate.
    struct Series: Sendable {
        var base: CurrencyCode
        var quote: CurrencyCode
        /// Day ordinal → rate, before ``build()`` sorts and indexes them.
        var pending: [Int: (ExactDecimal, Int)] = [:]
        var ordinals: [Int] = []
        var rates: [ExactDecimal] = []
        var sourceIndex: [Int] = []
        /// For day `firstOrdinal + i`: the index in `ordinals` of the last rate on or before it.
        var lastAtOrBefore: [Int32] = []
        var firstOrdinal = 0

        init(base: CurrencyCode, quote: CurrencyCode) { self.base = base; self.quote = quote }

        mutating func build() {
            for (i, o) in ordinals.enumerated() where pending[o] == nil { pending[o] = (rates[i], sourceIndex[i]) }
            let sorted = pending.sorted { $0.key < $1.key }
            ordinals = sorted.map(\.key)
            rates = sorted.map(\.value.0)
            sourceIndex = sorted.map(\.value.1)
            pending = [:]
            guard let first = ordinals.first, let last = ordinals.last else { lastAtOrBefore = []; return }
            firstOrdinal = first
            var index = [Int32](repeating: 0, count: last - first + 1)
            var j = 0
            for i in 0..<index.count {
                while j + 1 < ordinals.count && ordinals[j + 1] <= first + i { j += 1 }
                index[i] = Int32(j)
            }
            lastAtOrBefore = index
        }

        /// Index of the rate on or before `ordinal`, or nil if none was published before.
        @inline(__always) func indexAtOrBefore(_ ordinal: Int) -> Int? {
            let i = ordinal - firstOrdinal
            if i < 0 || lastAtOrBefore.isEmpty { return nil }
            if i >= lastAtOrBefore.count { return ordinals.count - 1 }
            return Int(lastAtOrBefore[i])
        }
    }

    var series: [Series] = []
    /// Pair → index in `series`.
    var pairIndex: [Pair: Int] = [:]
    var sources: [String] = []

    struct Pair: Hashable, Sendable { var base: CurrencyCode; var quote: CurrencyCode }

    public init(fallbackLimit: Int = 7) { self.fallbackLimit = fallbackLimit }

    public init(_ rates: [ExchangeRate], fallbackLimit: Int = 7) {
        self.init(fallbackLimit: fallbackLimit)
        add(rates)
    }

    /// Adds rates; returns how many (pair, day) entries were new (the rest replaced earlier ones).
    @discardableResult
    public mutating func add(_ rates: [ExchangeRate]) -> Int {
        var touched = Set<Int>()
        var new = 0
        var sourceLookup: [String: Int] = [:]
        for (i, s) in sources.enumerated() { sourceLookup[s] = i }
        for r in rates {
            guard r.base != r.quote, r.rate.significand > 0 else { continue }
            let key = Pair(base: r.base, quote: r.quote)
            let si: Int
            if let i = pairIndex[key] { si = i } else {
                si = series.count
                series.append(Series(base: r.base, quote: r.quote))
                pairIndex[key] = si
            }
            let src: Int
            if let s = sourceLookup[r.source] { src = s } else { src = sources.count; sources.append(r.source); sourceLookup[r.source] = src }
            let o = r.date.ordinal
            if !series[si].hasRate(on: o) { new += 1 }
            series[si].pending[o] = (r.rate.normalized, src)
            touched.insert(si)
        }
        for si in touched { series[si].build() }
        return new
    }

    /// Adds euro reference rates given as (date, currency, units of currency per euro), the shape
    /// of the ECB files, with `source` (default "ECB").
    @discardableResult
    public mutating func addPerEUR(_ rates: [(date: Day, currency: CurrencyCode, perEUR: ExactDecimal)], source: String = ecbSourceName) -> Int {
        add(rates.map { ExchangeRate(date: $0.date, base: .EUR, quote: $0.currency, rate: $0.perEUR, source: source) })
    }

    /// Every rate held, sorted by base, quote and day.
    public var allRates: [ExchangeRate] {
        var out: [ExchangeRate] = []
        for s in series.sorted(by: { ($0.base, $0.quote) < ($1.base, $1.quote) }) {
            for i in s.ordinals.indices {
                out.append(ExchangeRate(date: Day(ordinal: s.ordinals[i]), base: s.base, quote: s.quote, rate: s.rates[i], source: sources[s.sourceIndex[i]]))
            }
        }
        return out
    }

    /// How many rates the table holds.
    public var count: Int { series.reduce(0) { $0 + $1.ordinals.count } }
    public var isEmpty: Bool { count == 0 }

    /// Currencies that have at least one rate (as base or quote).
    public var currencies: [CurrencyCode] {
        Array(Set(series.flatMap { [$0.base, $0.quote] })).sorted()
    }

    /// First and last day with a rate for `currency` against the euro, if any.
    public func coverage(of currency: CurrencyCode) -> ClosedRange<Day>? {
        var lo: Int?, hi: Int?
        for s in series where s.base == currency || s.quote == currency {
            if let f = s.ordinals.first { lo = min(lo ?? f, f) }
            if let l = s.ordinals.last { hi = max(hi ?? l, l) }
        }
        guard let a = lo, let b = hi else { return nil }
        return Day(ordinal: a)...Day(ordinal: b)
    }

    /// The rates published for `base`→`quote` (stored either way round is not inverted here)
    /// between `from` and `to` inclusive.
    public func rates(base: CurrencyCode, quote: CurrencyCode, from: Day? = nil, to: Day? = nil) -> [ExchangeRate] {
        guard let si = pairIndex[Pair(base: base, quote: quote)] else { return [] }
        let s = series[si]
        let lo = from?.ordinal ?? Int.min, hi = to?.ordinal ?? Int.max
        var out: [ExchangeRate] = []
        for i in s.ordinals.indices where s.ordinals[i] >= lo && s.ordinals[i] <= hi {
            out.append(ExchangeRate(date: Day(ordinal: s.ordinals[i]), base: s.base, quote: s.quote, rate: s.rates[i], source: sources[s.sourceIndex[i]]))
        }
        return out
    }
}

extension RateTable.Series {
    func hasRate(on ordinal: Int) -> Bool {
        if pending[ordinal] != nil { return true }
        var lo = 0, hi = ordinals.count
        while lo < hi { let m = (lo + hi) / 2; if ordinals[m] < ordinal { lo = m + 1 } else { hi = m } }
        return lo < ordinals.count && ordinals[lo] == ordinal
    }
}
