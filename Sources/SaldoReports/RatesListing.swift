import SaldoCore
import SaldoFX

/// `saldo rates show USD --from 2026-01-01`: the rates held for one currency, as
/// "1 `base` = rate `currency`" per day on which a rate involving the currency was published.
public struct RatesListing: Sendable {
    public struct Row: Sendable, Hashable {
        public var date: Day
        /// Units of `currency` per one `base` (6 decimals when it is a cross rate).
        public var rate: ExactDecimal
        public var source: String
    }
    public var base: CurrencyCode
    public var currency: CurrencyCode
    public var from: Day?
    public var to: Day?
    public var rows: [Row]
}

/// Lists the rates for `currency` against `base` (default EUR) between `from` and `to`.
/// Stored pairs are shown as stored; other pairs are computed through the euro on the days the
/// currency has a rate (no fallback is applied in a listing).
public func ratesListing(_ table: RateTable, currency: CurrencyCode, base: CurrencyCode = .EUR, from: Day? = nil, to: Day? = nil) -> RatesListing {
    var rows: [RatesListing.Row] = []
    let direct = table.rates(base: base, quote: currency, from: from, to: to)
    if !direct.isEmpty {
        rows = direct.map { RatesListing.Row(date: $0.date, rate: $0.rate, source: $0.source) }
    } else {
        var days = Set<Day>()
        var sources: [Day: String] = [:]
        for r in table.rates(base: .EUR, quote: currency, from: from, to: to) + table.rates(base: currency, quote: .EUR, from: from, to: to)
                + table.rates(base: currency, quote: base, from: from, to: to) {
            days.insert(r.date); sources[r.date] = r.source
        }
        var exact = table
        exact.fallbackLimit = 0
        for d in days.sorted() {
            if let q = try? exact.quote(from: base, to: currency, on: d) {
                rows.append(RatesListing.Row(date: d, rate: q.value(places: 6), source: sources[d] ?? ""))
            }
        }
    }
    return RatesListing(base: base, currency: currency, from: from, to: to, rows: rows)
}

extension RatesListing: ReportConvertible {
    public func document() -> ReportDocument { document(in: .shipped(.en)) }

    public func document(in L: Catalog) -> ReportDocument {
        let en = L.language == .en
        let args = ["currency": currency.code, "base": base.code]
        let table = ReportTable(id: "rates", columns: [ReportColumn("date", L("report.column.date"), .date), ReportColumn("rate", L("rates.listing.per", args), .number), ReportColumn("source", L("report.column.source"))],
                                rows: rows.map { ReportRow([.date($0.date), .number($0.rate), .text($0.source)]) })
        var subtitle = L("rates.listing.subtitle", args)
        if let f = from { subtitle += L("rates.listing.from", ["date": en ? f.description : L.format.date(f)]) }
        if let t = to { subtitle += L("rates.listing.to", ["date": en ? t.description : L.format.date(t)]) }
        var notes: [String] = []
        if rows.isEmpty {
            notes.append(L("rates.listing.none", args))
        } else if rows.count > 1 {
            let values = rows.map(\.rate)
            notes.append(L("rates.listing.range", ["count": String(rows.count), "lowest": values.min().map { L.format.number($0) } ?? "", "highest": values.max().map { L.format.number($0) } ?? ""]))
        }
        var blocks: [ReportBlock] = [.table(table)]
        if rows.count > 1 {
            blocks.insert(.chart(.fan(FanChart(title: L("rates.listing.per", args), unit: currency.code,
                                               history: rows.map { (label: en ? $0.date.description : L.format.date($0.date, .short), value: $0.rate.approximateDouble) }, forecast: [],
                                               includesZero: false))), at: 0)
        }
        let json: JSONValue = .obj([
            ("report", .string("rates")), ("schema", .int(1)), ("base", .string(base.code)), ("currency", .string(currency.code)),
            ("rates", .array(rows.map { .obj([("date", .string($0.date.description)), ("rate", .decimal($0.rate)), ("source", .string($0.source))]) })),
        ])
        return ReportDocument(title: L("rates.listing.title", args), subtitle: subtitle, notes: notes, blocks: blocks, json: json)
    }
}
