import SaldoCore

/// `accounts`: each account's balance per currency, with how many postings it holds and when.
public struct AccountsDocument: ReportConvertible, Sendable {
    public struct Row: Sendable, Hashable {
        public var account: Account
        public var balance: Money
        public var postings: Int
        public var first: Day
        public var last: Day
        public init(account: Account, balance: Money, postings: Int, first: Day, last: Day) {
            self.account = account; self.balance = balance; self.postings = postings; self.first = first; self.last = last
        }
    }
    public var rows: [Row]
    public var ledgerPath: String
    public init(rows: [Row], ledgerPath: String) { self.rows = rows; self.ledgerPath = ledgerPath }

    struct JSONRow: Encodable { var account: String; var currency: String; var balance: String; var postings: Int; var first: String; var last: String }

    public func document() -> ReportDocument {
        let table = ReportTable(id: "accounts", columns: [
            ReportColumn("account", "account"), ReportColumn("currency", "currency"), ReportColumn("balance", "balance"),
            ReportColumn("postings", "postings"), ReportColumn("first", "first"), ReportColumn("last", "last"),
        ], rows: rows.map { r in
            ReportRow([.text(r.account.path), .text(r.balance.currency.code), .text(r.balance.decimalString), .text(String(r.postings)),
                       .text(r.first.description), .text(r.last.description)])
        })
        return ReportDocument(title: "Accounts", blocks: [.table(table)],
                              encodedJSON: ReportDocument.encodeJSON(["accounts": rows.map {
                                  JSONRow(account: $0.account.path, currency: $0.balance.currency.code, balance: $0.balance.decimalString,
                                          postings: $0.postings, first: $0.first.description, last: $0.last.description) }]),
                              text: terminalText)
    }

    /// The aligned list a terminal shows.
    var terminalText: String {
        if rows.isEmpty { return "The ledger \(ledgerPath) has no postings yet: import a statement to fill it.\n" }
        func pad(_ s: String, _ w: Int) -> String { s.count >= w ? s : s + String(repeating: " ", count: w - s.count) }
        func padLeft(_ s: String, _ w: Int) -> String { s.count >= w ? s : String(repeating: " ", count: w - s.count) + s }
        let w = max(7, rows.map { $0.account.path.count }.max() ?? 0)
        let amounts = rows.map { $0.balance.formatted() }
        let aw = max(7, amounts.map(\.count).max() ?? 0)
        var out = pad("account", w) + "  " + padLeft("balance", aw) + "  cur  postings\n"
        for (r, a) in zip(rows, amounts) {
            out += pad(r.account.path, w) + "  " + padLeft(a, aw) + "  " + r.balance.currency.code + "  " + padLeft(String(r.postings), 8) + "\n"
        }
        return out
    }
}
