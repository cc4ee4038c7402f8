import SaldoCore

/// One page of the ledger's transactions (the web app's Transactions page and its API): schema
/// `saldo.transactions` version 1 (docs/reports.md). Amounts are decimal strings in their own currency.
public struct TransactionsDocument: ReportConvertible, Sendable {
    public struct Entry: Sendable {
        public var id: Int64
        public var transaction: Transaction
        public init(id: Int64, transaction: Transaction) { self.id = id; self.transaction = transaction }
    }

    public var entries: [Entry]
    /// Transactions matching the filters, on every page.
    public var matching: Int
    /// The order (`date-desc`, `date`, `amount-desc`, `amount`).
    public var sort: String
    public var limit: Int
    /// The token of the next page; nil on the last page.
    public var nextCursor: String?
    /// The page before this one.
    public enum Previous: Sendable, Equatable {
        /// This is the first page.
        case none
        /// The first page (which needs no cursor).
        case first
        /// The page that starts at this token.
        case cursor(String)
    }
    public var previous: Previous
    /// The filters, as given (for the subtitle).
    public var filters: [(String, String)]
    /// Matching transactions before this page, when the query asked for them
    /// (``TransactionQuery/locate``): where a page reached by a cursor alone is. Not in the JSON.
    public var before: Int?

    public init(entries: [Entry], matching: Int, sort: String, limit: Int, nextCursor: String?, previous: Previous = .none,
                filters: [(String, String)] = [], before: Int? = nil) {
        self.entries = entries; self.matching = matching; self.sort = sort; self.limit = limit; self.nextCursor = nextCursor
        self.previous = previous; self.filters = filters; self.before = before
    }

    /// Which page this is ("page 3 of 15": 3), when it can be told: the first page, the second
    /// (the one before it is the first), the last, or any page whose rows before it were counted.
    public var pageNumber: Int? {
        let pages = max(1, (matching + limit - 1) / limit)
        if previous == .none { return 1 }
        if previous == .first { return min(2, pages) }
        if nextCursor == nil { return pages }
        guard let before else { return nil }
        // A page that starts within another (the page size changed on the way): the next number.
        return min(pages, max(2, (before + limit - 1) / limit + 1))
    }

    static func postingJSON(_ p: Posting) -> JSONValue {
        var m: [(String, JSONValue)] = [("account", .string(p.account.path)), ("amount", .money(p.amount)), ("currency", .string(p.amount.currency.code))]
        if let c = p.cost { m.append(("cost", .obj([("amount", .money(c)), ("currency", .string(c.currency.code))]))) }
        return .obj(m)
    }

    static func entryJSON(_ e: Entry) -> JSONValue {
        let t = e.transaction
        let source: JSONValue = t.source.map { s in
            .obj([("file", .string(s.file)), ("line", s.line.map { .int($0) } ?? .null), ("record", s.record.map { .int($0) } ?? .null)])
        } ?? .null
        return .obj([
            ("id", .number(String(e.id))),
            ("date", .string(t.date.description)),
            ("description", .string(t.description)),
            ("kind", .string(t.kind.rawValue)),
            ("platform", t.platform.map(JSONValue.string) ?? .null),
            ("client", t.client.map(JSONValue.string) ?? .null),
            ("counterparty", t.payee.map(JSONValue.string) ?? .null),
            ("reference", t.externalID.map(JSONValue.string) ?? .null),
            ("derived", .bool(t.isDerived)),
            ("postings", .array(t.postings.map(postingJSON))),
            ("source", source),
        ])
    }

    public func json() -> JSONValue {
        .obj([
            ("report", .string("transactions")),
            ("schema", .int(1)),
            ("sort", .string(sort)),
            ("limit", .int(limit)),
            ("matching", .int(matching)),
            ("next_cursor", nextCursor.map(JSONValue.string) ?? .null),
            // Whether a page comes before this one, and its cursor (null when it is the first page).
            ("has_previous", .bool(previous != .none)),
            ("previous_cursor", { () -> JSONValue in if case .cursor(let c) = previous { return .string(c) } else { return .null } }()),
            ("transactions", .array(entries.map(Self.entryJSON))),
        ])
    }

    public func document() -> ReportDocument { document(in: .shipped(.en)) }

    /// The page as a table in `L`'s language: headings, the subtitle (how many match, the filters,
    /// the order) and the amounts as the language writes them (`35.797,44 US$`); dates are the
    /// renderers'. The JSON is the same in every language.
    public func document(in L: Catalog) -> ReportDocument {
        let rows = entries.map { e -> ReportRow in
            let t = e.transaction
            let who = [t.platform, t.client].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " / ")
            return ReportRow([
                .integer(Int(e.id)), .date(t.date), .text(t.description), .text(who),
                // One line per row (a terminal table or Markdown cell cannot hold a line break).
                .text(t.postings.map(\.account.path).joined(separator: "; ")),
                .text(t.postings.map { L.format.money($0.amount) }.joined(separator: "; ")),
                .text(t.source.map(\.description) ?? ""),
            ])
        }
        let table = ReportTable(id: "transactions", title: nil, columns: [
            ReportColumn("id", "#", .number), ReportColumn("date", L("transactions.column.date"), .date),
            ReportColumn("description", L("transactions.column.description")), ReportColumn("platform_client", L("transactions.column.who")),
            ReportColumn("accounts", L("transactions.column.accounts")), ReportColumn("amounts", L("transactions.column.amounts")),
            ReportColumn("source", L("transactions.column.source")),
        ], rows: rows)
        // The filters as given, each named in the language (`plataforma Upwork`, `periodo 2T 2026`).
        let filterText = filters.map { name, value in
            L("transactions.filter.\(name)") + " " + (name == "period" ? L.format.periodLabel(value) : value)
        }.joined(separator: ", ")
        let matchingText = L.plural("transactions.matching", count: matching, ["count": L.format.integer(matching)])
        let order = L("transactions.sort.\(sort)")
        return ReportDocument(title: L("transactions.title"), subtitle: matchingText + (filterText.isEmpty ? "" : " (\(filterText))") + ", " + order,
                              blocks: [.table(table)], json: json())
    }
}
