import Foundation
import GRDB
import SaldoCore

/// One page of transactions, filtered and sorted, read with keyset pagination: a page starts
/// after the sort key of the previous page's last row (a ``TransactionCursor``), never at an
/// OFFSET, so page 20,000 of a million transactions costs what page 1 costs.
public struct TransactionQuery: Sendable, Hashable {
    /// The orders a page can come in. Ties break on the transaction id, in the same direction.
    public enum Sort: String, CaseIterable, Sendable {
        /// Newest first (the default).
        case dateDesc = "date-desc"
        case dateAsc = "date"
        /// The first posting's amount (what moved in or out of the statement's account), largest first.
        case amountDesc = "amount-desc"
        case amountAsc = "amount"

        package var isDescending: Bool { self == .dateDesc || self == .amountDesc }
        package var isAmount: Bool { self == .amountAsc || self == .amountDesc }
    }

    public static let limits = 1...200
    public static let defaultLimit = 50

    public var period: Period?
    /// Platforms and clients by name, in any case and with or without accents ("upwork" is Upwork).
    public var platforms: [String]
    public var clients: [String]
    /// Transactions with a posting on one of these accounts or an account under it.
    public var accounts: [Account]
    /// Transactions with a posting in one of these currencies.
    public var currencies: [CurrencyCode]
    /// Words in the description, the counterparty (payee), the reference (the source's id), the
    /// platform or the client, in any case and with or without accents (``SearchFolding``).
    public var text: String?
    public var sort: Sort
    /// Rows per page, within ``limits``.
    public var limit: Int
    /// Where the page starts (after this row); nil: the first page.
    public var after: TransactionCursor?
    /// Also count the matching rows before the page (``TransactionPage/before``): where a page
    /// reached by a cursor alone is. A second count, so only when asked.
    public var locate: Bool

    public init(period: Period? = nil, platforms: [String] = [], clients: [String] = [], accounts: [Account] = [],
                currencies: [CurrencyCode] = [], text: String? = nil, sort: Sort = .dateDesc, limit: Int = TransactionQuery.defaultLimit,
                after: TransactionCursor? = nil, locate: Bool = false) {
        self.period = period; self.platforms = platforms; self.clients = clients; self.accounts = accounts
        self.currencies = currencies; self.text = text; self.sort = sort
        self.limit = min(max(limit, TransactionQuery.limits.lowerBound), TransactionQuery.limits.upperBound); self.after = after
        self.locate = locate
    }
}

/// The position after one row in one sort order, as an opaque URL-safe token.
public struct TransactionCursor: Sendable, Hashable {
    public var sort: TransactionQuery.Sort
    /// The row's sort key: its day ordinal, or its first posting's amount in minor units.
    public var key: Int64
    public var id: Int64

    public init(sort: TransactionQuery.Sort, key: Int64, id: Int64) { self.sort = sort; self.key = key; self.id = id }

    /// `v1.<sort>.<key>.<id>`, base64url without padding.
    public var token: String {
        Data("v1.\(sort.rawValue).\(key).\(id)".utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// The cursor a token stands for; nil when the token was not made by ``token``.
    public init?(token: String) {
        guard token.count <= 200 else { return nil }
        var b64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while b64.count % 4 != 0 { b64 += "=" }
        guard let data = Data(base64Encoded: b64), let text = String(data: data, encoding: .utf8) else { return nil }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "v1", let sort = TransactionQuery.Sort(rawValue: String(parts[1])),
              let key = Int64(parts[2]), let id = Int64(parts[3]) else { return nil }
        self.init(sort: sort, key: key, id: id)
    }
}

/// A page of transactions and how many match the filters in all.
public struct TransactionPage: Sendable {
    public var rows: [StoredTransaction]
    /// Transactions matching the filters, on every page.
    public var matching: Int
    /// Where the next page starts; nil on the last page.
    public var next: TransactionCursor?
    /// Matching rows before this page (0 on the first page); counted only when the query asks
    /// (``TransactionQuery/locate``), else nil.
    public var before: Int?
    package init(rows: [StoredTransaction], matching: Int, next: TransactionCursor?, before: Int? = nil) {
        self.rows = rows; self.matching = matching; self.next = next; self.before = before
    }
}

extension SQLiteLedgerStore {
    /// The sort key of the amount orders: the stored first amount (indexed by `txn_first_amount`).
    static let firstAmountSQL = "t.first_amount"

    /// One page of `query`: at most `query.limit` rows after `query.after`, in `query.sort` order,
    /// with the count of all matching rows (counted in SQL, on the indexes where the filters allow).
    public func transactionPage(_ query: TransactionQuery) throws(StoreError) -> TransactionPage {
        if let c = query.after, c.sort != query.sort {
            throw .invalid("the page position was made for another order (\(c.sort.rawValue)), not \(query.sort.rawValue)")
        }
        return try read { db in
            var conds: [String] = []
            var args: [DatabaseValueConvertible?] = []
            if let p = query.period { conds.append("t.day >= ? AND t.day < ?"); args += [p.start.ordinal, p.end.ordinal] }
            // Names as the user typed them ("upwork"): the ledger's names that fold to them, then an exact
            // match on those, which the platform and client indexes serve.
            for (column, names) in [("platform", query.platforms), ("client", query.clients)] where !names.isEmpty {
                conds.append("t.\(column) IN (SELECT n FROM (SELECT DISTINCT \(column) AS n FROM txn WHERE \(column) IS NOT NULL) WHERE saldo_fold(n) IN ("
                             + names.map { _ in "?" }.joined(separator: ",") + "))")
                args += names.map(SearchFolding.fold)
            }
            if !query.accounts.isEmpty {
                let ids = try Int64.fetchAll(db, sql: "SELECT id FROM account WHERE " + query.accounts.map { _ in "(path = ? OR path LIKE ? ESCAPE '\\')" }.joined(separator: " OR "),
                                             arguments: StatementArguments(query.accounts.flatMap { [$0.path, Self.likeEscaped($0.path) + ":%"] }))
                conds.append(ids.isEmpty ? "0" : "EXISTS (SELECT 1 FROM json_each(t.postings) j WHERE json_extract(j.value, '$[0]') IN (" + ids.map(String.init).joined(separator: ",") + "))")
            }
            if !query.currencies.isEmpty {
                conds.append("EXISTS (SELECT 1 FROM json_each(t.postings) j WHERE json_extract(j.value, '$[1]') IN (" + query.currencies.map { _ in "?" }.joined(separator: ",") + "))")
                args += query.currencies.map(\.code)
            }
            if let text = query.text?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
                let pattern = "%" + Self.likeEscaped(SearchFolding.fold(text)) + "%"
                conds.append("(" + ["t.description", "t.payee", "t.external_id", "t.platform", "t.client"]
                    .map { "saldo_fold(\($0)) LIKE ? ESCAPE '\\'" }.joined(separator: " OR ") + ")")
                args += Array(repeating: pattern, count: 5)
            }
            let filter = conds.isEmpty ? "" : " WHERE " + conds.joined(separator: " AND ")
            let matching = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM txn t" + filter, arguments: StatementArguments(args)) ?? 0

            let keySQL = query.sort.isAmount ? Self.firstAmountSQL : "t.day"
            let dir = query.sort.isDescending ? "DESC" : "ASC"
            var pageConds = conds
            var pageArgs = args
            if let c = query.after {
                // After (key, id) in the order: a plain range on the key (which the index serves), then the tie on id.
                let (le, lt) = query.sort.isDescending ? ("<=", "<") : (">=", ">")
                pageConds.append("\(keySQL) \(le) ? AND (\(keySQL) \(lt) ? OR t.id \(lt) ?)")
                pageArgs += [c.key, c.key, c.id]
            }
            // Where the page is: the matching rows less those from the cursor on (on the key's index).
            var before: Int?
            if query.locate {
                before = 0
                if query.after != nil {
                    let following = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM txn t WHERE " + pageConds.joined(separator: " AND "),
                                                     arguments: StatementArguments(pageArgs)) ?? 0
                    before = matching - following
                }
            }
            let sql = """
                SELECT t.id, t.day, t.timestamp, t.time_zone, t.payee, t.platform, t.client, t.description, t.kind, t.external_id,
                       t.dedup_key, COALESCE(t.source_file, b.file_name), t.source_line, t.source_record, t.postings, t.derived, \(keySQL)
                FROM txn t LEFT JOIN import_batch b ON b.id = t.batch_id
                \(pageConds.isEmpty ? "" : "WHERE " + pageConds.joined(separator: " AND "))
                ORDER BY \(keySQL) \(dir), t.id \(dir) LIMIT ?
                """
            pageArgs.append(query.limit + 1)
            var cache = try Interner(db: db)
            var rows: [StoredTransaction] = []
            var keys: [Int64] = []
            let cursor = try Row.fetchCursor(db, sql: sql, arguments: StatementArguments(pageArgs))
            while let row = try cursor.next() {
                var source: SourceLocation?
                if let f: String = row[11] { source = SourceLocation(file: f, line: row[12], record: row[13]) }
                let postings = try PostingsColumn.decode(row[14], interner: &cache)
                var t = Transaction(
                    date: Day(ordinal: row[1]), description: row[7], kind: TransactionKind(rawValue: row[8]) ?? .other,
                    postings: postings, payee: row[4], platform: row[5], client: row[6], timestamp: row[2], timeZone: row[3],
                    externalID: row[9], dedupKey: row[10], source: source)
                t.isDerived = (row[15] as Int64? ?? 0) != 0
                rows.append(StoredTransaction(id: row[0], transaction: t))
                keys.append(row[16] as Int64? ?? 0)
            }
            var next: TransactionCursor?
            if rows.count > query.limit {
                rows.removeLast(); keys.removeLast()
                next = TransactionCursor(sort: query.sort, key: keys.last!, id: rows.last!.id)
            }
            return TransactionPage(rows: rows, matching: matching, next: next, before: before)
        }
    }

    /// SQLite's change counter for this connection: it moves when another connection (another
    /// command, the server's writer) commits. Derived documents are cached under it.
    public func dataVersion() throws(StoreError) -> Int {
        try read { db in try Int.fetchOne(db, sql: "PRAGMA data_version") ?? 0 }
    }

    /// `saldo_fold(text)`: ``SearchFolding/fold(_:)`` for SQL (NULL stays NULL).
    static let foldFunction = DatabaseFunction("saldo_fold", argumentCount: 1, pure: true) { values in
        guard let text = String.fromDatabaseValue(values[0]) else { return nil }
        return SearchFolding.fold(text)
    }

    package static func likeEscaped(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
    }
}
