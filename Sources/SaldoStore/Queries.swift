import Foundation
import GRDB
import SaldoCore

/// A transaction as stored, with its ledger id.
public struct StoredTransaction: Sendable, Hashable {
    public var id: Int64
    public var transaction: Transaction
}

/// One account's balance in one currency.
public struct AccountBalance: Sendable, Hashable {
    public var account: Account
    public var balance: Money
    public var postings: Int
    public var firstDay: Day
    public var lastDay: Day
}

/// An import batch's provenance.
public struct BatchRow: Sendable, Hashable {
    public var id: Int64
    public var fileName: String
    public var sha256: String
    public var format: String
    public var importedAt: String
    public var newCount: Int
    public var duplicateCount: Int
    public var filteredCount: Int
    public var problemCount: Int
}

extension LedgerStore {
    static func money(_ minor: Int64, _ code: String) throws -> Money {
        Money(minorUnits: minor, currency: try CurrencyCode(code))
    }

    /// Transactions in booking order (date, then insertion), optionally within a period.
    public func transactions(in period: Period? = nil) throws(StoreError) -> [StoredTransaction] {
        try read { db in
            var sql = """
                SELECT t.id, t.day, t.timestamp, t.time_zone, t.payee, t.platform, t.client, t.description, t.kind, t.external_id,
                       t.dedup_key, t.source_file, t.source_line, t.source_record,
                       p.account, p.currency, p.amount, p.cost_currency, p.cost_amount
                FROM txn t JOIN posting p ON p.txn_id = t.id
                """
            var args: StatementArguments = []
            if let p = period { sql += " WHERE t.day >= ? AND t.day < ?"; args = [p.start.ordinal, p.end.ordinal] }
            sql += " ORDER BY t.day, t.id, p.seq"
            var out: [StoredTransaction] = []
            var accounts: [String: Account] = [:]
            let rows = try Row.fetchCursor(db, sql: sql, arguments: args)
            while let row = try rows.next() {
                let id: Int64 = row[0]
                let accText: String = row[14]
                let account: Account
                if let a = accounts[accText] { account = a } else { account = try Account(accText); accounts[accText] = account }
                let amount = try Self.money(row[16], row[15])
                var cost: Money?
                if let cc: String = row[17], let ca: Int64 = row[18] { cost = try Self.money(ca, cc) }
                let posting = Posting(account, amount, cost: cost)
                if let last = out.last, last.id == id {
                    out[out.count - 1].transaction.postings.append(posting)
                    continue
                }
                var source: SourceLocation?
                if let f: String = row[11] { source = SourceLocation(file: f, line: row[12], record: row[13]) }
                let t = Transaction(
                    date: Day(ordinal: row[1]), description: row[7], kind: TransactionKind(rawValue: row[8]) ?? .other,
                    postings: [posting], payee: row[4], platform: row[5], client: row[6], timestamp: row[2], timeZone: row[3],
                    externalID: row[9], dedupKey: row[10], source: source)
                out.append(StoredTransaction(id: id, transaction: t))
            }
            return out
        }
    }

    /// Postings with their transaction's facts, for reports. With `roots`, only postings on accounts
    /// under those roots. With `aggregateByDay`, postings of one day with the same account, currency,
    /// kind, platform and client are summed into one fact (conversions, which carry costs, never are).
    public func facts(in period: Period? = nil, roots: [Account.Root]? = nil, aggregateByDay: Bool = false) throws(StoreError) -> [PostingFact] {
        try read { db in
            var conds: [String] = []
            var args: [any DatabaseValueConvertible] = []
            if let p = period { conds.append("t.day >= ? AND t.day < ?"); args += [p.start.ordinal, p.end.ordinal] }
            if let r = roots, !r.isEmpty {
                conds.append("(" + r.map { _ in "p.account = ? OR p.account LIKE ?" }.joined(separator: " OR ") + ")")
                for root in r { args += [root.rawValue, root.rawValue + ":%"] }
            }
            let whereSQL = conds.isEmpty ? "" : " WHERE " + conds.joined(separator: " AND ")
            let sql: String
            if aggregateByDay {
                sql = """
                    SELECT MIN(t.id), t.day, p.account, p.currency, SUM(p.amount), NULL, NULL, t.kind, t.platform, t.client, NULL
                    FROM txn t JOIN posting p ON p.txn_id = t.id\(whereSQL)\(conds.isEmpty ? " WHERE" : " AND") p.cost_currency IS NULL
                    GROUP BY t.day, p.account, p.currency, t.kind, t.platform, t.client
                    UNION ALL
                    SELECT t.id, t.day, p.account, p.currency, p.amount, p.cost_currency, p.cost_amount, t.kind, t.platform, t.client, t.description
                    FROM txn t JOIN posting p ON p.txn_id = t.id\(whereSQL)\(conds.isEmpty ? " WHERE" : " AND") p.cost_currency IS NOT NULL
                    ORDER BY 2, 1
                    """
                args += args
            } else {
                sql = """
                    SELECT t.id, t.day, p.account, p.currency, p.amount, p.cost_currency, p.cost_amount, t.kind, t.platform, t.client, t.description
                    FROM txn t JOIN posting p ON p.txn_id = t.id\(whereSQL) ORDER BY t.day, t.id, p.seq
                    """
            }
            var out: [PostingFact] = []
            var accounts: [String: Account] = [:]
            var currencies: [String: CurrencyCode] = [:]
            func currency(_ c: String) throws -> CurrencyCode {
                if let v = currencies[c] { return v }
                let v = try CurrencyCode(c); currencies[c] = v; return v
            }
            let rows = try Row.fetchCursor(db, sql: sql, arguments: StatementArguments(args))
            while let row = try rows.next() {
                let accText: String = row[2]
                let account: Account
                if let a = accounts[accText] { account = a } else { account = try Account(accText); accounts[accText] = account }
                var cost: Money?
                if let cc: String = row[5], let ca: Int64 = row[6] { cost = Money(minorUnits: ca, currency: try currency(cc)) }
                out.append(PostingFact(
                    transactionID: row[0], date: Day(ordinal: row[1]), account: account,
                    amount: Money(minorUnits: row[4], currency: try currency(row[3])), cost: cost,
                    kind: TransactionKind(rawValue: row[7]) ?? .other, platform: row[8], client: row[9], description: row[10]))
            }
            return out
        }
    }

    /// Per account and currency: balance, number of postings, first and last day.
    public func balances(in period: Period? = nil) throws(StoreError) -> [AccountBalance] {
        try read { db in
            var sql = "SELECT p.account, p.currency, SUM(p.amount), COUNT(*), MIN(t.day), MAX(t.day) FROM posting p JOIN txn t ON t.id = p.txn_id"
            var args: StatementArguments = []
            if let p = period { sql += " WHERE t.day >= ? AND t.day < ?"; args = [p.start.ordinal, p.end.ordinal] }
            sql += " GROUP BY p.account, p.currency ORDER BY p.account, p.currency"
            return try Row.fetchAll(db, sql: sql, arguments: args).map { row in
                AccountBalance(account: try Account(row[0]), balance: try Self.money(row[2], row[1]), postings: row[3],
                               firstDay: Day(ordinal: row[4]), lastDay: Day(ordinal: row[5]))
            }
        }
    }

    public func transactionCount() throws(StoreError) -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM txn") ?? 0 }
    }

    public func batches() throws(StoreError) -> [BatchRow] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT id, file_name, sha256, format, imported_at, new_count, duplicate_count, filtered_count, problem_count FROM import_batch ORDER BY id").map {
                BatchRow(id: $0[0], fileName: $0[1], sha256: $0[2], format: $0[3], importedAt: $0[4], newCount: $0[5],
                         duplicateCount: $0[6], filteredCount: $0[7], problemCount: $0[8])
            }
        }
    }

    /// Running-balance checks recorded by imports.
    public func balanceChecks() throws(StoreError) -> [BalanceCheck] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT account, day, currency, stated, computed, source_file, source_line FROM balance_check ORDER BY id").map { row in
                let code: String = row[2]
                var loc: SourceLocation?
                if let f: String = row[5] { loc = SourceLocation(file: f, line: row[6]) }
                return BalanceCheck(account: try Account(row[0]), date: Day(ordinal: row[1]), stated: try Self.money(row[3], code),
                                    computed: try Self.money(row[4], code), location: loc)
            }
        }
    }

    // MARK: settings

    public func setting(_ key: String) throws(StoreError) -> String? {
        try read { db in try String.fetchOne(db, sql: "SELECT value FROM setting WHERE key = ?", arguments: [key]) }
    }
    public func setSetting(_ key: String, _ value: String?) throws(StoreError) {
        try write { db in
            if let v = value {
                try db.execute(sql: "INSERT INTO setting (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", arguments: [key, v])
            } else {
                try db.execute(sql: "DELETE FROM setting WHERE key = ?", arguments: [key])
            }
        }
    }
    public func settings() throws(StoreError) -> [(key: String, value: String)] {
        try read { db in try Row.fetchAll(db, sql: "SELECT key, value FROM setting ORDER BY key").map { ($0[0], $0[1]) } }
    }
}
