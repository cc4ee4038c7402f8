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
    /// A group: every part an index into this builder's tables, packed in five words (hashing
    /// integers, not strings, for each posting).
    struct Key: Hashable {
        /// day << 32 | account index
        var dayAccount: UInt64
        /// currency index << 32 | payee index
        var currencyPayee: UInt64
        /// platform index << 32 | client index
        var platformClient: UInt64
        /// The amount, outside the summing currency (equal amounts only are summed; 0 in it).
        var unit: Int64
        /// The marker bits; bit 63: `unit` holds the amount.
        var markers: UInt64

        static let hasUnit: UInt64 = 1 << 63
        init(day: Int, account: Int32, currency: Int32, unit: Int64?, payee: Int32, platform: Int32, client: Int32, markers: UInt64) {
            dayAccount = UInt64(UInt32(truncatingIfNeeded: day)) << 32 | UInt64(UInt32(bitPattern: account))
            currencyPayee = UInt64(UInt32(bitPattern: currency)) << 32 | UInt64(UInt32(bitPattern: payee))
            platformClient = UInt64(UInt32(bitPattern: platform)) << 32 | UInt64(UInt32(bitPattern: client))
            self.unit = unit ?? 0
            self.markers = markers | (unit == nil ? 0 : Self.hasUnit)
        }
        var day: Int { Int(Int32(truncatingIfNeeded: dayAccount >> 32)) }
        var account: Int { Int(UInt32(truncatingIfNeeded: dayAccount)) }
        var currency: Int { Int(UInt32(truncatingIfNeeded: currencyPayee >> 32)) }
        var payee: Int { Int(UInt32(truncatingIfNeeded: currencyPayee)) }
        var platform: Int { Int(UInt32(truncatingIfNeeded: platformClient >> 32)) }
        var client: Int { Int(UInt32(truncatingIfNeeded: platformClient)) }
        var markerBits: UInt64 { markers & ~Self.hasUnit }
    }
    /// One posting of the transaction being added: indices into the tables, and the amount.
    private struct Leg { var account: Int32; var currency: Int32; var amount: Int64 }
    let query: PostingSumQuery
    /// Accounts met, with whether each is summed and its marker bits.
    private var accountIndex: [Account: Int32] = [:]
    private var accounts: [(account: Account, summed: Bool, markers: UInt64)] = []
    /// Accounts met in a postings column, by their ledger id.
    private var accountByID: [Int64: Int32] = [:]
    private var currencyIndex: [CurrencyCode: Int32] = [:]
    private var currencyList: [CurrencyCode] = []
    /// Currencies met in a postings column, by their code's bytes (``PostingsColumn/packedCode``).
    private var currencyByCode: [UInt64: Int32] = [:]
    /// The summing currency's index, once met.
    private var summingIndex: Int32 = -1
    /// Payees, platforms and clients met (index 0: none).
    private var nameIndex: [String: Int32] = [:]
    private var names: [String?] = [nil]
    /// The groups in the order first met (the rows come by day on both engines: the sums come
    /// out by day). Only the current day's groups are indexed (`indexedDay`): a group's key holds
    /// its day, so no later row can join an earlier day's group, and a small table costs less to
    /// look up and never grows (growing one table for a year's groups was 5% of an office's
    /// quarter-end). A row of an earlier day (not by day after all) starts a group of its own,
    /// which sums the same.
    private var groupIndex: [Key: Int] = [:]
    private var indexedDay = Int.min
    private var groups: [(key: Key, amount: Int64, count: Int)] = []
    private var costCurrencies: Set<CurrencyCode> = []
    private var first: Int?, last: Int?
    /// The legs of the transaction being added (kept to reuse their storage).
    private var legs: [Leg] = []

    package init(_ query: PostingSumQuery) throws(StoreError) {
        guard query.markers.count < 64 else { throw .invalid("at most 63 markers") }
        self.query = query
        groupIndex.reserveCapacity(256)
        groups.reserveCapacity(1024)
        legs.reserveCapacity(8)
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
        if c == query.summingCurrency { summingIndex = i }
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
        legs.removeAll(keepingCapacity: true)
        for p in postings {
            let a = account(p.account), c = currency(p.amount.currency)
            if let cost = p.cost { costCurrencies.insert(cost.currency) }
            legs.append(Leg(account: a, currency: c, amount: p.amount.minorUnits))
        }
        try addLegs(day: day, payee: payee, platform: platform, client: client)
    }

    /// One transaction's postings as the `txn.postings` column holds them (``PostingsColumn``),
    /// read without making a posting, an account or a currency code for each: account ids and
    /// currency codes are looked up once per ledger. The same sums as decoding the column and
    /// adding its postings (a column this reader does not take, such as one with an escaped
    /// currency code, is decoded so).
    package mutating func add(day: Int, payee: String?, platform: String?, client: String?, postingsColumn text: String,
                              interner: inout Interner) throws {
        legs.removeAll(keepingCapacity: true)
        var text = text
        let scanned = try text.withUTF8 { b throws -> Bool in
            try PostingsColumn.scan(b) { id, code, amount, costCode in
                let a: Int32
                if let known = accountByID[id] { a = known } else {
                    guard let acc = interner.accountsByID[id] else { throw PostingsColumn.DecodeError.malformed(String(decoding: b, as: UTF8.self)) }
                    a = account(acc)
                    accountByID[id] = a
                }
                let c = try currency(code: code, interner: &interner)
                if let costCode { costCurrencies.insert(currencyList[Int(try currency(code: costCode, interner: &interner))]) }
                legs.append(Leg(account: a, currency: c, amount: amount))
            }
        }
        guard scanned else {
            return try add(day: day, payee: payee, platform: platform, client: client, postings: try PostingsColumn.decode(text, interner: &interner))
        }
        try addLegs(day: day, payee: payee, platform: platform, client: client)
    }

    private mutating func currency(code: UInt64, interner: inout Interner) throws -> Int32 {
        if let i = currencyByCode[code] { return i }
        let i = currency(try interner.currency(PostingsColumn.unpackCode(code)))
        currencyByCode[code] = i
        return i
    }

    /// Sums `legs`, the postings of one transaction.
    private mutating func addLegs(day: Int, payee: String?, platform: String?, client: String?) throws(StoreError) {
        see(day: day)
        var markers: UInt64 = 0, summed = false
        for l in legs {
            let a = accounts[Int(l.account)]
            markers |= a.markers
            summed = summed || a.summed
        }
        guard summed else { return }
        if day != indexedDay { groupIndex.removeAll(keepingCapacity: true); indexedDay = day }
        let pe = name(payee), pl = name(platform), cl = name(client)
        for l in legs where accounts[Int(l.account)].summed {
            let key = Key(day: day, account: l.account, currency: l.currency, unit: l.currency == summingIndex ? nil : l.amount,
                          payee: pe, platform: pl, client: cl, markers: markers)
            if let g = groupIndex[key] {
                let (sum, overflow) = groups[g].amount.addingReportingOverflow(l.amount)
                guard !overflow else {
                    throw .invalid("the postings to \(accounts[Int(l.account)].account.path) in \(currencyList[Int(l.currency)].code) on \(Day(ordinal: day)) sum beyond what an amount can hold")
                }
                groups[g].amount = sum; groups[g].count += 1
            } else {
                groupIndex[key] = groups.count
                groups.append((key, l.amount, 1))
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
            return PostingSum(date: Day(ordinal: k.day), account: b.accounts[k.account].account,
                              amount: Money(minorUnits: g.amount, currency: b.currencyList[k.currency]), count: g.count,
                              payee: b.names[k.payee], platform: b.names[k.platform], client: b.names[k.client], markers: k.markerBits)
        }
        out.currencies = b.costCurrencies.union(b.currencyList)
        out.firstDay = b.first.map(Day.init(ordinal:)); out.lastDay = b.last.map(Day.init(ordinal:))
        return out
    }
}

extension PostingsColumn {
    /// A currency code of at most 7 bytes as one number (its bytes, and its length in the top byte).
    static func packCode(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64? {
        guard (1...7).contains(bytes.count) else { return nil }
        var v = UInt64(bytes.count) << 56
        for (i, c) in bytes.enumerated() { v |= UInt64(c) << (8 * UInt64(i)) }
        return v
    }

    static func unpackCode(_ v: UInt64) -> String {
        let n = Int(v >> 56)
        return String(decoding: (0..<n).map { UInt8(truncatingIfNeeded: v >> (8 * UInt64($0))) }, as: UTF8.self)
    }

    /// Reads a postings column (what ``decode(_:interner:)`` reads) without making postings: hands
    /// each leg's account id, packed currency code (``packCode(_:)``), amount and packed cost
    /// currency to `leg`. False when a currency code is escaped or longer than 7 bytes (then
    /// nothing should be taken from the legs handed over: decode the column instead); throws
    /// when the column is malformed.
    static func scan(_ b: UnsafeBufferPointer<UInt8>, _ leg: (Int64, UInt64, Int64, UInt64?) throws -> Void) throws -> Bool {
        var i = 0
        let n = b.count
        func fail() -> DecodeError { .malformed(String(decoding: b, as: UTF8.self)) }
        func skip(_ c: UInt8) throws { guard i < n, b[i] == c else { throw fail() }; i += 1 }
        func int() throws -> Int64 {
            guard let v = PostingsColumn.integer(b, at: &i) else { throw fail() }
            return v
        }
        /// A quoted code, packed; nil when escaped or too long.
        func code() throws -> UInt64? {
            try skip(UInt8(ascii: "\""))
            let start = i
            while i < n, b[i] != UInt8(ascii: "\"") {
                if b[i] == UInt8(ascii: "\\") { return nil }
                i += 1
            }
            let packed = PostingsColumn.packCode(UnsafeBufferPointer(rebasing: b[start..<i]))
            try skip(UInt8(ascii: "\""))
            return packed
        }
        try skip(UInt8(ascii: "["))
        while i < n, b[i] == UInt8(ascii: "[") {
            i += 1
            let account = try int()
            try skip(UInt8(ascii: ","))
            guard let currency = try code() else { return false }
            try skip(UInt8(ascii: ","))
            let amount = try int()
            var cost: UInt64?
            if i < n, b[i] == UInt8(ascii: ",") {
                i += 1
                guard let c = try code() else { return false }
                try skip(UInt8(ascii: ","))
                _ = try int()
                cost = c
            }
            try skip(UInt8(ascii: "]"))
            try leg(account, currency, amount, cost)
            if i < n, b[i] == UInt8(ascii: ",") { i += 1 }
        }
        try skip(UInt8(ascii: "]"))
        return true
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
                try builder.add(day: row[0], payee: row[1], platform: row[2], client: row[3], postingsColumn: row[4], interner: &cache)
            }
            return builder.finish(whole: whole)
        }
    }
}
