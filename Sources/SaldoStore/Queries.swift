import Foundation
import GRDB
import SaldoBatch
import SaldoCore

/// A transaction as stored, with its ledger id.
public struct StoredTransaction: Sendable, Hashable {
    public var id: Int64
    public var transaction: Transaction
    package init(id: Int64, transaction: Transaction) { self.id = id; self.transaction = transaction }
}

/// One account's balance in one currency.
public struct AccountBalance: Sendable, Hashable {
    public var account: Account
    public var balance: Money
    public var postings: Int
    public var firstDay: Day
    public var lastDay: Day
    package init(account: Account, balance: Money, postings: Int, firstDay: Day, lastDay: Day) {
        self.account = account; self.balance = balance; self.postings = postings; self.firstDay = firstDay; self.lastDay = lastDay
    }
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
    package init(id: Int64, fileName: String, sha256: String, format: String, importedAt: String, newCount: Int,
                 duplicateCount: Int, filteredCount: Int, problemCount: Int) {
        self.id = id; self.fileName = fileName; self.sha256 = sha256; self.format = format; self.importedAt = importedAt
        self.newCount = newCount; self.duplicateCount = duplicateCount; self.filteredCount = filteredCount; self.problemCount = problemCount
    }
}

extension SQLiteLedgerStore {
    static func money(_ minor: Int64, _ code: String) throws -> Money {
        Money(minorUnits: minor, currency: try CurrencyCode(code))
    }

    /// Transactions in booking order (date, then insertion), optionally within a period.
    public func transactions(in period: Period? = nil) throws(StoreError) -> [StoredTransaction] {
        try read { db in
            if let p = period { return try Self.transactions(db, where: "t.day >= ? AND t.day < ?", [p.start.ordinal, p.end.ordinal]) }
            return try Self.transactions(db, where: nil, [])
        }
    }

    /// Transactions in booking order whose row (`t`) meets `condition`, if any.
    static func transactions(_ db: Database, where condition: String?, _ args: StatementArguments) throws -> [StoredTransaction] {
        do {
            // A row's source file is its batch's, unless it says otherwise.
            var sql = """
                SELECT t.id, t.day, t.timestamp, t.time_zone, t.payee, t.platform, t.client, t.description, t.kind, t.external_id,
                       t.dedup_key, COALESCE(t.source_file, b.file_name), t.source_line, t.source_record, t.postings
                FROM txn t LEFT JOIN import_batch b ON b.id = t.batch_id
                """
            if let condition { sql += " WHERE " + condition }
            sql += " ORDER BY t.day, t.id"
            var out: [StoredTransaction] = []
            var cache = try Interner(db: db)
            let rows = try Row.fetchCursor(db, sql: sql, arguments: args)
            while let row = try rows.next() {
                var source: SourceLocation?
                if let f: String = row[11] { source = SourceLocation(file: f, line: row[12], record: row[13]) }
                let postings = try PostingsColumn.decode(row[14], interner: &cache)
                let t = Transaction(
                    date: Day(ordinal: row[1]), description: row[7], kind: TransactionKind(rawValue: row[8]) ?? .other,
                    postings: postings, payee: row[4], platform: row[5], client: row[6], timestamp: row[2], timeZone: row[3],
                    externalID: row[9], dedupKey: row[10], source: source)
                out.append(StoredTransaction(id: row[0], transaction: t))
            }
            return out
        }
    }

    /// Postings with their transaction's facts, for reports. With `roots`, only postings on accounts
    /// under those roots. With `aggregateByDay`, postings of one day with the same account, currency,
    /// kind, platform and client come summed as one fact (from `daily_total`, transaction id 0),
    /// except postings that carry a conversion cost, which always come one by one.
    public func facts(in period: Period? = nil, roots: [Account.Root]? = nil, aggregateByDay: Bool = false) throws(StoreError) -> [PostingFact] {
        try read { db in
            var cache = try Interner(db: db)
            func keep(_ a: Account) -> Bool { roots.map { $0.isEmpty || $0.contains(a.root) } ?? true }
            var args: StatementArguments = []
            var range = ""
            if let p = period { range = "day >= ? AND day < ?"; args = [p.start.ordinal, p.end.ordinal] }
            var out: [PostingFact] = []
            func appendPostings(costedOnly: Bool) throws {
                var conds = range.isEmpty ? [] : [range]
                if costedOnly { conds.append("has_cost = 1") }
                let sql = "SELECT id, day, kind, platform, client, description, postings FROM txn"
                    + (conds.isEmpty ? "" : " WHERE " + conds.joined(separator: " AND ")) + " ORDER BY day, id"
                let rows = try Row.fetchCursor(db, sql: sql, arguments: args)
                while let row = try rows.next() {
                    let kind = TransactionKind(rawValue: row[2]) ?? .other
                    let date = Day(ordinal: row[1])
                    let id: Int64 = row[0]
                    let platform: String? = row[3], client: String? = row[4], description: String? = row[5]
                    for p in try PostingsColumn.decode(row[6], interner: &cache)
                    where keep(p.account) && (!costedOnly || p.cost != nil) {
                        out.append(PostingFact(transactionID: id, date: date, account: p.account, amount: p.amount, cost: p.cost,
                                               kind: kind, platform: platform, client: client, description: description))
                    }
                }
            }
            guard aggregateByDay else {
                try appendPostings(costedOnly: false)
                return out
            }
            // Roots are filtered in SQL too (on account ids), so a report on income reads no asset rows.
            var conds = range.isEmpty ? [] : ["d." + range.replacingOccurrences(of: "AND day", with: "AND d.day")]
            let sumArgs = args
            if let r = roots, !r.isEmpty {
                let ids = try Int64.fetchAll(db, sql: "SELECT id FROM account WHERE " + r.map { _ in "(path = ? OR path LIKE ?)" }.joined(separator: " OR "),
                                             arguments: StatementArguments(r.flatMap { [$0.rawValue, $0.rawValue + ":%"] }))
                conds.append(ids.isEmpty ? "0" : "d.account_id IN (" + ids.map(String.init).joined(separator: ",") + ")")
            }
            let sums = """
                SELECT d.day, a.path, d.currency, d.amount, d.kind, d.platform, d.client, d.parts
                FROM daily_total d JOIN account a ON a.id = d.account_id\(conds.isEmpty ? "" : " WHERE " + conds.joined(separator: " AND "))
                ORDER BY d.day, d.account_id, d.currency, d.kind, d.platform, d.client
                """
            // Read in place through SQLite's C API (RawRows): the parts column alone is megabytes.
            let rows = try RawRows(db, sql: sums, arguments: sumArgs)
            while try rows.next() {
                let amount = rows.int64(3)
                let partsText = rows.bytes(7)
                if DayTotalParts.addsNothing(amount: amount, partsText) { continue }
                let account = try cache.account(rows.string(1))
                guard keep(account) else { continue }
                let platform = rows.string(5), client = rows.string(6)
                out.append(PostingFact(transactionID: 0, date: Day(ordinal: Int(rows.int64(0))), account: account,
                                       amount: Money(minorUnits: amount, currency: try cache.currency(rows.string(2))),
                                       kind: TransactionKind(rawValue: rows.string(4)) ?? .other,
                                       platform: platform.isEmpty ? nil : platform, client: client.isEmpty ? nil : client,
                                       parts: DayTotalParts.several(partsText)))
            }
            // The postings with a conversion cost, by day too: merged in (both lists come by day; on
            // one day the day totals first), not sorted, which moved every fact.
            let totals = out.count
            try appendPostings(costedOnly: true)
            return PostingFact.mergedByDay(out, splitAt: totals)
        }
    }

    /// Per account and currency: balance, number of postings, first and last day.
    public func balances(in period: Period? = nil) throws(StoreError) -> [AccountBalance] {
        var args: StatementArguments = []
        var range = ""
        if let p = period { range = " WHERE d.day >= ? AND d.day < ?"; args = [p.start.ordinal, p.end.ordinal] }
        let rows: [Row] = try read { db in
            try Row.fetchAll(db, sql: """
                SELECT a.path || '|' || d.currency, SUM(d.amount), SUM(d.postings), MIN(d.day), MAX(d.day)
                FROM daily_total d JOIN account a ON a.id = d.account_id\(range) GROUP BY 1
                """, arguments: args)
        }
        return try BalanceAssembly.balances(daySums: rows.map { ($0[0], $0[1], $0[2], $0[3], $0[4]) },
                                            costed: try facts(in: period, aggregateByDay: true).filter { $0.cost != nil })
    }

    /// Which of these invoice dedup keys and numbers some transaction carries, as its dedup key or
    /// its external id: what tax facts need to know of the whole ledger when they read only a year.
    public func bookedReferences(dedupKeys: Set<String>, numbers: Set<String>) throws(StoreError) -> (dedupKeys: Set<String>, numbers: Set<String>) {
        try read { db in
            var keys = Set<String>(), ids = Set<String>()
            // In chunks well under SQLite's limit on bound values.
            for chunk in Array(dedupKeys).sorted().chunked(500) {
                let marks = Array(repeating: "?", count: chunk.count).joined(separator: ",")
                keys.formUnion(try String.fetchAll(db, sql: "SELECT dedup_key FROM txn WHERE dedup_key IN (\(marks))", arguments: StatementArguments(chunk)))
            }
            for chunk in Array(numbers).sorted().chunked(500) {
                let marks = Array(repeating: "?", count: chunk.count).joined(separator: ",")
                ids.formUnion(try String.fetchAll(db, sql: "SELECT DISTINCT external_id FROM txn WHERE external_id IN (\(marks))", arguments: StatementArguments(chunk)))
            }
            return (keys, ids)
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

/// Accounts and currencies parsed once per query.
package struct Interner {
    var accounts: [String: Account] = [:]
    var accountsByID: [Int64: Account] = [:]
    var currencies: [String: CurrencyCode] = [:]

    /// An interner that knows every account id of the ledger (for decoding postings columns).
    init(db: Database) throws {
        for row in try Row.fetchAll(db, sql: "SELECT id, path FROM account") {
            let a = try account(row[1])
            accountsByID[row[0]] = a
        }
    }
    package init() {}
    /// An interner that knows these account ids (for decoding postings columns).
    package init(accounts: [(id: Int64, path: String)]) throws {
        for (id, path) in accounts { accountsByID[id] = try account(path) }
    }
    package mutating func account(_ path: String) throws -> Account {
        if let a = accounts[path] { return a }
        let a = try Account(path); accounts[path] = a; return a
    }
    package mutating func currency(_ code: String) throws -> CurrencyCode {
        if let c = currencies[code] { return c }
        let c = try CurrencyCode(code); currencies[code] = c; return c
    }
}

extension Array {
    /// Consecutive slices of at most `size` elements.
    func chunked(_ size: Int) -> [[Element]] {
        stride(from: 0, to: count, by: size).map { Array(self[$0..<Swift.min($0 + size, count)]) }
    }
}

/// Account balances from the day sums (account|currency, amount, postings, first and last day) and
/// the postings that carry a conversion cost (the day sums leave those out): the same on every engine.
package enum BalanceAssembly {
    package static func balances(daySums: [(key: String, amount: Int64, postings: Int, first: Int, last: Int)],
                                 costed: [PostingFact]) throws(StoreError) -> [AccountBalance] {
        struct Sum { var amount: Int64 = 0; var postings = 0; var first = Int.max; var last = Int.min }
        var sums: [String: Sum] = [:]       // "account|CUR"
        for r in daySums { sums[r.key] = Sum(amount: r.amount, postings: r.postings, first: r.first, last: r.last) }
        for f in costed {
            var s = sums["\(f.account.path)|\(f.amount.currency.code)", default: Sum()]
            s.amount += f.amount.minorUnits; s.postings += 1
            s.first = min(s.first, f.date.ordinal); s.last = max(s.last, f.date.ordinal)
            sums["\(f.account.path)|\(f.amount.currency.code)"] = s
        }
        var cache = Interner()
        var out: [AccountBalance] = []
        for (key, s) in sums.sorted(by: { $0.key < $1.key }) {
            let parts = key.split(separator: "|")
            do {
                out.append(AccountBalance(account: try cache.account(String(parts[0])),
                                          balance: Money(minorUnits: s.amount, currency: try cache.currency(String(parts[1]))),
                                          postings: s.postings, firstDay: Day(ordinal: s.first), lastDay: Day(ordinal: s.last)))
            } catch { throw StoreError.invalid("the ledger holds a malformed account or currency in \(key)") }
        }
        return out
    }
}
