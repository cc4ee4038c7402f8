import Foundation
import GRDB
import SaldoCore

/// What ``LedgerStore/postingSums(_:)`` sums: postings from a day on, on some accounts, by day,
/// account, currency, payee, platform and client, with which other accounts their transactions
/// post to; transactions that carry some references come whole instead.
public struct PostingSumQuery: Sendable, Hashable {
    /// The first day read; nil: every transaction.
    public var from: Day?
    /// The accounts whose postings are summed: each path and every account under it (a root's
    /// name, `income`, covers the whole root).
    public var accounts: [String]
    /// Bit `i` of each sum's markers tells whether its transactions also post under `markers[i]`
    /// (each path and every account under it). At most 63.
    public var markers: [String]
    /// Amounts in this currency are summed whatever they are; amounts in any other currency only
    /// with equal amounts (a conversion rounds each amount).
    public var summingCurrency: CurrencyCode
    /// Transactions whose dedup key or external id is one of these are not summed: they come whole.
    public var wholeDedupKeys: Set<String>
    public var wholeExternalIDs: Set<String>

    public init(from: Day?, accounts: [String], markers: [String] = [], summingCurrency: CurrencyCode,
                wholeDedupKeys: Set<String> = [], wholeExternalIDs: Set<String> = []) {
        self.from = from; self.accounts = accounts; self.markers = markers; self.summingCurrency = summingCurrency
        self.wholeDedupKeys = wholeDedupKeys; self.wholeExternalIDs = wholeExternalIDs
    }

    /// `path` itself or an account under it.
    static func covers(_ path: String, _ account: String) -> Bool { account == path || account.hasPrefix(path + ":") }
}

/// Sums the postings of the rows an engine reads for a ``PostingSumQuery`` (the same code on both
/// engines: each reads `day, payee, platform, client, postings` of the transactions from the
/// query's first day that carry none of its references, and hands each row here).
///
/// Why here and not in SQL: the postings are one packed JSON column per transaction (a third less
/// to write on import). Unpacking and grouping them in the database cost PostgreSQL 110-200 ms per
/// 10,000 transactions on the office benchmark (json_array_elements, then GROUP BY), against 5 ms to
/// read the rows themselves; summing them here as they arrive costs a few milliseconds.
package struct PostingSumsBuilder {
    /// A group: every part an index into this builder's tables (hashing integers, not strings,
    /// for each posting).
    struct Key: Hashable {
        var day: Int
        var account: Int32
        var currency: Int32
        /// The amount, outside the summing currency (equal amounts only are summed).
        var unit: Int64?
        var payee: Int32
        var platform: Int32
        var client: Int32
        var markers: UInt64
    }
    let query: PostingSumQuery
    /// Accounts met, with whether each is summed and its marker bits.
    private var accountIndex: [Account: Int32] = [:]
    private var accounts: [(account: Account, summed: Bool, markers: UInt64)] = []
    private var currencyIndex: [CurrencyCode: Int32] = [:]
    private var currencyList: [CurrencyCode] = []
    /// Payees, platforms and clients met (index 0: none).
    private var nameIndex: [String: Int32] = [:]
    private var names: [String?] = [nil]
    /// The groups in the order first met (the rows come by day: the sums come out by day).
    private var groupIndex: [Key: Int] = [:]
    private var groups: [(key: Key, amount: Int64, count: Int)] = []
    private var costCurrencies: Set<CurrencyCode> = []
    private var first: Int?, last: Int?

    package init(_ query: PostingSumQuery) throws(StoreError) {
        guard query.markers.count < 64 else { throw .invalid("at most 63 markers") }
        self.query = query
    }

    private mutating func account(_ a: Account) -> Int32 {
        if let i = accountIndex[a] { return i }
        var bits: UInt64 = 0
        for (i, m) in query.markers.enumerated() where PostingSumQuery.covers(m, a.path) { bits |= 1 << UInt64(i) }
        accounts.append((a, query.accounts.contains { PostingSumQuery.covers($0, a.path) }, bits))
        let i = Int32(accounts.count - 1)
        accountIndex[a] = i
        return i
    }
    private mutating func currency(_ c: CurrencyCode) -> Int32 {
        if let i = currencyIndex[c] { return i }
        currencyList.append(c)
        let i = Int32(currencyList.count - 1)
        currencyIndex[c] = i
        return i
    }
    private mutating func name(_ s: String?) -> Int32 {
        guard let s else { return 0 }
        if let i = nameIndex[s] { return i }
        names.append(s)
        let i = Int32(names.count - 1)
        nameIndex[s] = i
        return i
    }

    /// The days of a transaction read whole (they count in the range).
    package mutating func see(day: Int) { first = Swift.min(first ?? day, day); last = Swift.max(last ?? day, day) }

    /// One transaction's postings.
    package mutating func add(day: Int, payee: String?, platform: String?, client: String?, postings: [Posting]) throws(StoreError) {
        see(day: day)
        var markers: UInt64 = 0, summed = false
        var ids: [(account: Int32, currency: Int32)] = []
        ids.reserveCapacity(postings.count)
        for p in postings {
            let a = account(p.account), c = currency(p.amount.currency)
            if let cost = p.cost { costCurrencies.insert(cost.currency) }
            markers |= accounts[Int(a)].markers
            summed = summed || accounts[Int(a)].summed
            ids.append((a, c))
        }
        guard summed else { return }
        let pe = name(payee), pl = name(platform), cl = name(client)
        for (p, id) in zip(postings, ids) where accounts[Int(id.account)].summed {
            let c = p.amount.currency
            let key = Key(day: day, account: id.account, currency: id.currency, unit: c == query.summingCurrency ? nil : p.amount.minorUnits,
                          payee: pe, platform: pl, client: cl, markers: markers)
            if let g = groupIndex[key] {
                let (sum, overflow) = groups[g].amount.addingReportingOverflow(p.amount.minorUnits)
                guard !overflow else { throw .invalid("the postings to \(p.account.path) in \(c.code) on \(Day(ordinal: day)) sum beyond what an amount can hold") }
                groups[g].amount = sum; groups[g].count += 1
            } else {
                groupIndex[key] = groups.count
                groups.append((key, p.amount.minorUnits, 1))
            }
        }
    }

    package func finish(whole: [StoredTransaction]) -> PostingSums {
        var out = PostingSums(whole: whole)
        var b = self
        for t in whole {
            b.see(day: t.transaction.date.ordinal)
            for p in t.transaction.postings {
                b.costCurrencies.insert(p.amount.currency)
                if let c = p.cost { b.costCurrencies.insert(c.currency) }
            }
        }
        out.sums = b.groups.map { g in
            let k = g.key
            return PostingSum(date: Day(ordinal: k.day), account: b.accounts[Int(k.account)].account,
                              amount: Money(minorUnits: g.amount, currency: b.currencyList[Int(k.currency)]), count: g.count,
                              payee: b.names[Int(k.payee)], platform: b.names[Int(k.platform)], client: b.names[Int(k.client)], markers: k.markers)
        }
        out.currencies = b.costCurrencies.union(b.currencyList)
        out.firstDay = b.first.map(Day.init(ordinal:)); out.lastDay = b.last.map(Day.init(ordinal:))
        return out
    }
}

/// What ``LedgerStore/postingSums(_:)`` returns.
public struct PostingSums: Sendable, Hashable {
    /// The sums of postings on the query's accounts, by day (in the order first met within a day).
    public var sums: [PostingSum]
    /// The transactions carrying one of the query's references, whole, in booking order.
    public var whole: [StoredTransaction]
    /// The first and last day of the transactions read (summed or whole, on any account).
    public var firstDay: Day?
    public var lastDay: Day?
    /// Every currency of the transactions read: their postings' amounts and costs, on any account.
    public var currencies: Set<CurrencyCode>

    package init(sums: [PostingSum] = [], whole: [StoredTransaction] = [], firstDay: Day? = nil, lastDay: Day? = nil,
                 currencies: Set<CurrencyCode> = []) {
        self.sums = sums; self.whole = whole; self.firstDay = firstDay; self.lastDay = lastDay; self.currencies = currencies
    }

}

extension SQLiteLedgerStore {
    public func postingSums(_ q: PostingSumQuery) throws(StoreError) -> PostingSums {
        var builder = try PostingSumsBuilder(q)
        return try read { db in
            var cache = try Interner(db: db)
            var conds: [String] = [], args: [(any DatabaseValueConvertible)?] = []
            if let from = q.from { conds.append("t.day >= ?"); args.append(from.ordinal) }
            // A reference set as one JSON array bound once (no limit on bound values).
            func json(_ s: Set<String>) -> String { JSONValue.array(s.sorted().map(JSONValue.string)).line() }
            var refs: [String] = [], refArgs: [(any DatabaseValueConvertible)?] = []
            if !q.wholeDedupKeys.isEmpty { refs.append("COALESCE(t.dedup_key IN (SELECT value FROM json_each(?)), 0)"); refArgs.append(json(q.wholeDedupKeys)) }
            if !q.wholeExternalIDs.isEmpty { refs.append("COALESCE(t.external_id IN (SELECT value FROM json_each(?)), 0)"); refArgs.append(json(q.wholeExternalIDs)) }
            var whole: [StoredTransaction] = []
            if !refs.isEmpty {
                whole = try Self.transactions(db, where: (conds + ["(" + refs.joined(separator: " OR ") + ")"]).joined(separator: " AND "),
                                              StatementArguments(args + refArgs)!)
            }
            let summed = conds + (refs.isEmpty ? [] : ["NOT (" + refs.joined(separator: " OR ") + ")"])
            let rows = try Row.fetchCursor(db, sql: "SELECT t.day, t.payee, t.platform, t.client, t.postings FROM txn t"
                                           + (summed.isEmpty ? "" : " WHERE " + summed.joined(separator: " AND ")) + " ORDER BY t.day, t.id",
                                           arguments: StatementArguments(args + refArgs)!)
            while let row = try rows.next() {
                try builder.add(day: row[0], payee: row[1], platform: row[2], client: row[3], postings: try PostingsColumn.decode(row[4], interner: &cache))
            }
            return builder.finish(whole: whole)
        }
    }
}
