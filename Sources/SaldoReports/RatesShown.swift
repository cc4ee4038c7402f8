import SaldoCore
import SaldoFX

/// `rates show`: a currency's rates over a window (or none, for every currency's sources), where
/// they come from and how old the newest is.
public struct RatesShownDocument: ReportConvertible, Sendable {
    public struct Source: Sendable {
        public var source: String
        public var count: Int
        public var first: Day
        public var last: Day
        public init(source: String, count: Int, first: Day, last: Day) { self.source = source; self.count = count; self.first = first; self.last = last }
    }
    public var currency: CurrencyCode?
    public var rows: [ExchangeRate]
    public var sources: [Source]
    /// The days the bundled ECB history covers, when it holds the currency.
    public var bundled: ClosedRange<Day>?
    public var newest: Day?
    public var newestAgeDays: Int?
    /// Plain sentences: where the rates come from, how old the newest is.
    public var provenance: [String]
    /// A currency no longer in use: since when, and the code of the one that replaced it.
    public struct Retired: Sendable {
        public var since: Day
        public var replacedBy: String
        public init(since: Day, replacedBy: String) { self.since = since; self.replacedBy = replacedBy }
    }
    public var retired: Retired?

    public init(currency: CurrencyCode?, rows: [ExchangeRate], sources: [Source], bundled: ClosedRange<Day>?, newest: Day?, newestAgeDays: Int?, provenance: [String],
                retired: Retired? = nil) {
        self.currency = currency; self.rows = rows; self.sources = sources; self.bundled = bundled; self.newest = newest
        self.newestAgeDays = newestAgeDays; self.provenance = provenance; self.retired = retired
    }

    public func document() -> ReportDocument { document(in: .shipped(.en)) }

    /// The provenance sentences are the caller's (said in the language it chose).
    public func document(in L: Catalog) -> ReportDocument {
        var blocks: [ReportBlock] = []
        if currency != nil {
            blocks.append(.table(ReportTable(id: "rates", columns: [
                ReportColumn("date", L("report.column.date"), .date), ReportColumn("base", L("rates.column.base")), ReportColumn("quote", L("rates.column.quote")),
                ReportColumn("rate", L("rates.column.rate")), ReportColumn("source", L("report.column.source")),
            ], rows: rows.map { ReportRow([.date($0.date), .text($0.base.code), .text($0.quote.code), .text(L.format.number($0.rate)), .text($0.source)]) })))
        }
        var fields: [(String, JSONValue)] = []
        if currency != nil {
            fields.append(("rates", .array(rows.map {
                .obj([("date", .string($0.date.description)), ("base", .string($0.base.description)), ("quote", .string($0.quote.description)),
                      ("rate", .string($0.rate.description)), ("source", .string($0.source))])
            })))
        }
        fields.append(("imported", .array(sources.map {
            .obj([("source", .string($0.source)), ("rates", .int($0.count)), ("from", .string($0.first.description)), ("to", .string($0.last.description))])
        })))
        fields.append(("bundled", bundled.map {
            .obj([("source", .string("European Central Bank, euro foreign exchange reference rates")),
                  ("from", .string($0.lowerBound.description)), ("to", .string($0.upperBound.description))])
        } ?? .null))
        fields.append(("newest", newest.map { .string($0.description) } ?? .null))
        fields.append(("newest_age_days", newestAgeDays.map { JSONValue.int($0) } ?? .null))
        if currency != nil {
            // A currency no longer in use: since when, and by what it was replaced (null for one in use).
            fields.append(("retired", retired.map { .obj([("since", .string($0.since.description)), ("replaced_by", .string($0.replacedBy))]) } ?? .null))
        }
        let members = fields
        return ReportDocument(title: currency.map { L("rates.shown.title_currency", ["currency": $0.code]) } ?? L("rates.shown.title"), notes: provenance, blocks: blocks,
                              encodedJSON: JSONValue.obj(members).line() + "\n", text: terminalText(L))
    }

    /// The listing a terminal shows: one rate a line, then where they come from.
    func terminalText(_ L: Catalog) -> String {
        let en = L.language == .en
        func padLeft(_ s: String, _ w: Int) -> String { s.count >= w ? s : String(repeating: " ", count: w - s.count) + s }
        var out = ""
        if let first = rows.first {
            let date = L("rates.shown.date_heading")
            // Days as every other listing writes them (1 oct 2026 in Spanish: 10 to 12 characters, so
            // the column is as wide as its widest day), the source in the reader's words.
            let days = rows.map { en ? $0.date.description : L.format.date($0.date) }
            let width = max(10, days.map(\.count).max() ?? 0, date.count - 1) + 2
            func pad(_ s: String) -> String { s + String(repeating: " ", count: max(1, width - s.count)) }
            out += pad(date) + padLeft("1 \(first.base) =", 10) + "      " + L("rates.shown.source_heading") + "\n"
            for (r, day) in zip(rows, days) {
                out += pad(day) + "\(padLeft(L.format.number(r.rate), 10)) \(r.quote)  \(L.translating(r.source, keyPrefix: "rates.source."))\n"
            }
            out += L.plural("rates.shown.count", count: rows.count) + "\n"
        }
        for p in provenance { out += p + "\n" }
        return out
    }
}
