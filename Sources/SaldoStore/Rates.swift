import Foundation
import GRDB
import SaldoCore

extension SQLiteLedgerStore {
    /// Adds rates in one transaction; a rate already stored for the same day, pair and source is kept.
    public func addRates(_ rates: [ExchangeRate]) throws(StoreError) -> (new: Int, existing: Int) {
        try addRates(rates, settings: [:])
    }

    /// Adds rates and sets `settings` (a nil value removes the key) in one transaction: a download's
    /// rates and the validators that name it are stored together or not at all.
    public func addRates(_ rates: [ExchangeRate], settings: [String: String?]) throws(StoreError) -> (new: Int, existing: Int) {
        try write { db in
            for (k, v) in settings.sorted(by: { $0.key < $1.key }) {
                if let v {
                    try db.execute(sql: "INSERT INTO setting (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", arguments: [k, v])
                } else {
                    try db.execute(sql: "DELETE FROM setting WHERE key = ?", arguments: [k])
                }
            }
            let stmt = try db.makeStatement(sql: "INSERT INTO rate (day, base, quote, rate, source) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")
            var new = 0
            for r in rates {
                stmt.setUncheckedArguments([r.date.ordinal, r.base.code, r.quote.code, r.rate.description, r.source])
                try stmt.execute()
                new += db.changesCount
            }
            return (new, rates.count - new)
        }
    }

    /// Rates, optionally for one quote currency and from a day on, in date order.
    public func rates(quote: CurrencyCode? = nil, from: Day? = nil, to: Day? = nil) throws(StoreError) -> [ExchangeRate] {
        try read { db in
            var conds: [String] = []
            var args: [any DatabaseValueConvertible] = []
            if let q = quote { conds.append("(quote = ? OR base = ?)"); args += [q.code, q.code] }
            if let f = from { conds.append("day >= ?"); args.append(f.ordinal) }
            if let t = to { conds.append("day <= ?"); args.append(t.ordinal) }
            let sql = "SELECT day, base, quote, rate, source FROM rate" + (conds.isEmpty ? "" : " WHERE " + conds.joined(separator: " AND ")) + " ORDER BY day, base, quote"
            return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(args)).map { row in
                let text: String = row[3]
                guard let rate = try? ExactDecimal(text) else { throw StoreError.invalid("the ledger holds a malformed rate \"\(text)\"") }
                return ExchangeRate(date: Day(ordinal: row[0]), base: try CurrencyCode(row[1]), quote: try CurrencyCode(row[2]), rate: rate, source: row[4])
            }
        }
    }

    /// Rates between two of `currencies` (both sides in the set) between two days: what converting a
    /// given set of amounts needs. Include EUR: cross rates go through it.
    public func rates(currencies: Set<CurrencyCode>, from: Day, to: Day) throws(StoreError) -> [ExchangeRate] {
        let codes = currencies.map(\.code).sorted()
        guard !codes.isEmpty else { return [] }
        return try read { db in
            let list = codes.map { _ in "?" }.joined(separator: ",")
            let sql = "SELECT day, base, quote, rate, source FROM rate WHERE day >= ? AND day <= ? AND quote IN (\(list)) AND base IN (\(list)) ORDER BY day, base, quote"
            var args: StatementArguments = [from.ordinal, to.ordinal]
            args += StatementArguments(codes)
            args += StatementArguments(codes)
            var cache = Interner()
            return try Row.fetchAll(db, sql: sql, arguments: args).map { row in
                let text: String = row[3]
                guard let rate = try? ExactDecimal(text) else { throw StoreError.invalid("the ledger holds a malformed rate \"\(text)\"") }
                return ExchangeRate(date: Day(ordinal: row[0]), base: try cache.currency(row[1]), quote: try cache.currency(row[2]), rate: rate, source: row[4])
            }
        }
    }

    public typealias RateSourceSummary = SaldoStore.RateSourceSummary

    /// The ledger's rates per source (optionally only those involving `currency`), largest first.
    public func rateSources(currency: CurrencyCode? = nil) throws(StoreError) -> [RateSourceSummary] {
        try read { db in
            let filter = currency == nil ? "" : " WHERE base = ? OR quote = ?"
            let args: StatementArguments = currency.map { [$0.code, $0.code] } ?? []
            let sql = "SELECT source, COUNT(*), COUNT(DISTINCT CASE WHEN base = 'EUR' THEN quote ELSE base END), MIN(day), MAX(day) FROM rate"
                + filter + " GROUP BY source ORDER BY COUNT(*) DESC, source"
            return try Row.fetchAll(db, sql: sql, arguments: args).map { row in
                RateSourceSummary(source: row[0], count: row[1], currencies: row[2], first: Day(ordinal: row[3]), last: Day(ordinal: row[4]))
            }
        }
    }

    public func rateCount() throws(StoreError) -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM rate") ?? 0 }
    }
}
