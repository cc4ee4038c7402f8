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

    public func document() -> ReportDocument { document(in: .shipped(.en)) }

    public func document(in L: Catalog) -> ReportDocument {
        let en = L.language == .en
        let table = ReportTable(id: "accounts", columns: [
            ReportColumn("account", L("accounts.column.account")), ReportColumn("currency", L("accounts.column.currency")), ReportColumn("balance", L("accounts.column.balance")),
            ReportColumn("postings", L("accounts.column.postings")), ReportColumn("first", L("accounts.column.first")), ReportColumn("last", L("accounts.column.last")),
        ], rows: rows.map { r in
            ReportRow([.text(r.account.path), .text(r.balance.currency.code), .text(en ? r.balance.decimalString : L.format.amount(r.balance)), .text(String(r.postings)),
                       .text(L.format.date(r.first, .short)), .text(L.format.date(r.last, .short))])
        })
        return ReportDocument(title: L("accounts.title"), blocks: [.table(table)],
                              encodedJSON: ReportDocument.encodeJSON(["accounts": rows.map {
                                  JSONRow(account: $0.account.path, currency: $0.balance.currency.code, balance: $0.balance.decimalString,
                                          postings: $0.postings, first: $0.first.description, last: $0.last.description) }]),
                              text: terminalText(L))
    }

    /// The aligned list a terminal shows.
    func terminalText(_ L: Catalog) -> String {
        if rows.isEmpty { return L("accounts.empty", ["path": ledgerPath]) + "\n" }
        func pad(_ s: String, _ w: Int) -> String { s.count >= w ? s : s + String(repeating: " ", count: w - s.count) }
        func padLeft(_ s: String, _ w: Int) -> String { s.count >= w ? s : String(repeating: " ", count: w - s.count) + s }
        let w = max(7, rows.map { $0.account.path.count }.max() ?? 0)
        let amounts = rows.map { L.format.amount($0.balance) }
        let (account, balance, cur, postings) = (L("accounts.column.account"), L("accounts.column.balance"), L("accounts.column.cur"), L("accounts.column.postings"))
        let aw = max(balance.count, amounts.map(\.count).max() ?? 0)
        let pw = max(8, postings.count)
        var out = pad(account, w) + "  " + padLeft(balance, aw) + "  " + pad(cur, 3) + "  " + postings + "\n"
        for (r, a) in zip(rows, amounts) {
            out += pad(r.account.path, w) + "  " + padLeft(a, aw) + "  " + pad(r.balance.currency.code, max(3, cur.count)) + "  " + padLeft(String(r.postings), pw) + "\n"
        }
        return out
    }
}
