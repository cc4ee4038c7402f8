import Foundation
import PostgresNIO
import SaldoBatch
import SaldoCore
import SaldoStore

/// One workspace of a PostgreSQL database as a ledger: the same ``LedgerStore`` as a SQLite file,
/// with the same results. Every call is one transaction on the store's own connection; its first
/// statement sets `app.workspace_id`, which row-level security checks on every row, and every
/// query also says `workspace_id = $1` itself (defence in depth, and what a distributed database
/// routes on).
public final class PostgresLedgerStore: LedgerStore {
    let session: PGSession
    public let workspace: Int64
    public var path: String { session.location.description }
    /// Tests switch the queries' own `workspace_id` predicates off to prove that row-level
    /// security alone keeps other workspaces out ("filter off"). Never set outside tests.
    package let filterOff: Bool
    /// Whether imports may write through the loader role when the database has one (tests switch
    /// it off to run the temporary-table path on the same database).
    package nonisolated(unsafe) var useLoader = true
    /// A streaming replica of the database that reads go to (``ReadReplica``); nil: reads go to the primary.
    let replica: ReadReplica?
    /// Connections shared with other workspaces' stores (``PostgresSessionPool``): each transaction
    /// runs on a free one; nil: the store's own connection.
    let pool: PostgresSessionPool?

    /// Opens workspace `workspace` (or the URL's `?workspace=N`) of the database at `url`, as the
    /// URL's role. With `.create`, a missing workspace is created; with `.existing`, it is
    /// `StoreError.noLedger`. The schema must be in place (``PostgresSchema/migrate(ownerURL:appRole:)``).
    /// `readURL`: a read-only replica of the same database (streaming replication): every read
    /// transaction goes there, every write to `url` (see ``ReadReplica``).
    public convenience init(url: String, workspace: Int64? = nil, mode: LedgerOpenMode = .create, readURL: String? = nil) throws(StoreError) {
        try self.init(url: url, workspace: workspace, mode: mode, filterOff: false, readURL: readURL)
    }

    package init(url: String, workspace: Int64? = nil, mode: LedgerOpenMode = .create, filterOff: Bool, readURL: String? = nil) throws(StoreError) {
        var location = try PostgresLocation(url: url)
        if let w = workspace { location = location.with(workspace: w) }
        guard let ws = location.workspace else {
            throw .cannotOpen(location.description, reason: "the address names no workspace; add ?workspace=N (a whole number) to it")
        }
        self.workspace = ws
        self.filterOff = filterOff
        pool = nil
        session = try PGSession(location)
        if let readURL {
            var r = try PostgresLocation(url: readURL)
            r.workspace = ws
            replica = ReadReplica(session: try PGSession(r))
        } else {
            replica = nil
        }
        func applied() throws(StoreError) -> [String] {
            try session.transaction(workspace: nil, readOnly: true) { tx in
                guard try tx.query("SELECT to_regclass('saldo_migration') IS NOT NULL").first!.decode(Bool.self) else { return [] }
                return try tx.query("SELECT name FROM saldo_migration ORDER BY name").map { try $0.decode(String.self) }
            }
        }
        var names = try applied()
        if names != PostgresSchema.migrationNames {
            // The schema's owner (the role that runs the migrations) brings it up to date on
            // opening, as a SQLite ledger migrates itself; the app role cannot and is told so.
            let owns = try session.transaction(workspace: nil, readOnly: true) { tx in
                try tx.query("SELECT pg_get_userbyid(nspowner) = current_user FROM pg_namespace WHERE nspname = current_schema()").first?.decode(Bool.self) ?? false
            }
            if owns {
                try PostgresSchema.migrate(ownerURL: url)
                names = try applied()
            }
        }
        guard names == PostgresSchema.migrationNames else {
            throw .cannotOpen(location.description, reason: "the database's Saldo schema is missing or out of date (it has \(names.count) of \(PostgresSchema.migrationNames.count) migrations); let its owner apply the migrations first")
        }
        let exists = try session.transaction(workspace: ws) { tx in
            try tx.query("SELECT 1 FROM workspace WHERE id = \(ws)").count > 0
        }
        if !exists {
            guard mode == .create else { throw .noLedger(location.description) }
            try session.transaction(workspace: ws) { tx in
                try tx.query("INSERT INTO workspace (id) VALUES (\(ws)) ON CONFLICT DO NOTHING")
            }
        }
    }

    /// Workspace `workspace` on a pool's connections (``PostgresSessionPool/store(workspace:)``).
    init(pool: PostgresSessionPool, workspace: Int64) {
        self.pool = pool
        self.workspace = workspace
        filterOff = false
        replica = nil
        session = pool.sessions[0]   // the connection for the whole-ledger copy's own transactions
    }

    /// `AND workspace_id = $n` for `alias` (or nothing when the filter is switched off for a test).
    func own(_ s: inout SQL, _ alias: String = "") -> String {
        filterOff ? "TRUE" : "\(alias.isEmpty ? "" : alias + ".")workspace_id = " + s.bind(workspace)
    }

    func read<T>(_ body: (PGTx) throws -> T) throws(StoreError) -> T {
        if let replica, replica.caughtUp() { return try replica.session.transaction(workspace: workspace, readOnly: true, body) }
        if let pool { return try pool.transaction(workspace: workspace, readOnly: true, body) }
        return try session.transaction(workspace: workspace, readOnly: true, body)
    }

    /// A write: the workspace row is locked first (one writer per workspace at a time, as SQLite's
    /// immediate transaction), and its data version moves when the write commits.
    func write<T>(rollbackIf: (T) -> Bool = { _ in false }, _ body: (PGTx) throws -> T) throws(StoreError) -> T {
        func locked(_ tx: PGTx) throws -> T {
            try tx.query("SELECT id FROM workspace WHERE id = \(workspace) FOR UPDATE")
            let v = try body(tx)
            try tx.query("UPDATE workspace SET data_version = data_version + 1 WHERE id = \(workspace)")
            return v
        }
        if let pool { return try pool.transaction(workspace: workspace, rollbackIf: rollbackIf, locked) }
        let v = try session.transaction(workspace: workspace, rollbackIf: rollbackIf, locked)
        if let replica { try replica.wrote(on: session) }
        return v
    }

    static func money(_ minor: Int64, _ code: String) throws -> Money { Money(minorUnits: minor, currency: try CurrencyCode(code)) }

    func interner(_ tx: PGTx) throws -> Interner {
        var s = SQL("SELECT id, path FROM account WHERE ")
        s += own(&s)
        let rows = try tx.query(s).map { row -> (id: Int64, path: String) in let (i, p) = try row.decode((Int64, String).self); return (i, p) }
        return try Interner(accounts: rows)
    }

    // MARK: reading

    static let txnColumns = """
        t.id, t.day, t.timestamp, t.time_zone, t.payee, t.platform, t.client, t.description, t.kind, t.external_id,
        t.dedup_key, COALESCE(t.source_file, b.file_name), t.source_line, t.source_record, t.postings, t.derived
        """

    static func storedTransaction(_ row: PostgresRow, _ cache: inout Interner) throws -> StoredTransaction {
        let c = row.makeRandomAccess()
        var source: SourceLocation?
        if let f = try c[11].decode(String?.self) {
            source = SourceLocation(file: f, line: try c[12].decode(Int?.self), record: try c[13].decode(Int?.self))
        }
        let postings = try PostingsColumn.decode(try c[14].decode(String.self), interner: &cache)
        var t = Transaction(
            date: Day(ordinal: try c[1].decode(Int.self)), description: try c[7].decode(String.self),
            kind: TransactionKind(rawValue: try c[8].decode(String.self)) ?? .other,
            postings: postings, payee: try c[4].decode(String?.self), platform: try c[5].decode(String?.self), client: try c[6].decode(String?.self),
            timestamp: try c[2].decode(String?.self), timeZone: try c[3].decode(String?.self),
            externalID: try c[9].decode(String?.self), dedupKey: try c[10].decode(String?.self), source: source)
        t.isDerived = try c[15].decode(Bool.self)
        return StoredTransaction(id: try c[0].decode(Int64.self), transaction: t)
    }

    public func transactions(in period: Period?) throws(StoreError) -> [StoredTransaction] {
        try read { tx in
            var s = SQL()
            s += "SELECT \(Self.txnColumns) FROM txn t LEFT JOIN import_batch b ON b.workspace_id = t.workspace_id AND b.id = t.batch_id WHERE "
            s += own(&s, "t")
            if let p = period { s += " AND t.day >= \(s.bind(Int32(p.start.ordinal))) AND t.day < \(s.bind(Int32(p.end.ordinal)))" }
            s += " ORDER BY t.day, t.id"
            var cache = try interner(tx)
            return try tx.query(s).map { row in
                var st = try Self.storedTransaction(row, &cache)
                // As SQLite's `transactions(in:)`, which does not read the derived flag.
                st.transaction.isDerived = false
                return st
            }
        }
    }

    public func facts(in period: Period?, roots: [Account.Root]?, aggregateByDay: Bool) throws(StoreError) -> [PostingFact] {
        try read { tx in
            var cache = try interner(tx)
            func keep(_ a: Account) -> Bool { roots.map { $0.isEmpty || $0.contains(a.root) } ?? true }
            var out: [PostingFact] = []
            func appendPostings(costedOnly: Bool) throws {
                var s = SQL("SELECT id, day, kind, platform, client, description, postings FROM txn WHERE ")
                s += own(&s)
                if let p = period { s += " AND day >= \(s.bind(Int32(p.start.ordinal))) AND day < \(s.bind(Int32(p.end.ordinal)))" }
                if costedOnly { s += " AND has_cost" }
                s += " ORDER BY day, id"
                for row in try tx.query(s) {
                    let (id, day, kindText, platform, client, description, postings) = try row.decode((Int64, Int, String, String?, String?, String?, String).self)
                    let kind = TransactionKind(rawValue: kindText) ?? .other
                    for p in try PostingsColumn.decode(postings, interner: &cache) where keep(p.account) && (!costedOnly || p.cost != nil) {
                        out.append(PostingFact(transactionID: id, date: Day(ordinal: day), account: p.account, amount: p.amount, cost: p.cost,
                                               kind: kind, platform: platform, client: client, description: description))
                    }
                }
            }
            guard aggregateByDay else {
                try appendPostings(costedOnly: false)
                return out
            }
            var s = SQL("""
                SELECT d.day, a.path, d.currency, d.amount, d.kind, d.platform, d.client, d.parts
                FROM daily_total d JOIN account a ON a.workspace_id = d.workspace_id AND a.id = d.account_id WHERE
                """)
            s += " " + own(&s, "d")
            if let p = period { s += " AND d.day >= \(s.bind(Int32(p.start.ordinal))) AND d.day < \(s.bind(Int32(p.end.ordinal)))" }
            if let r = roots, !r.isEmpty {
                var paths: [String] = [], prefixes: [String] = []
                for root in r { paths.append(root.rawValue); prefixes.append(root.rawValue + ":%") }
                s += " AND (a.path = ANY(\(s.bind(paths))) OR a.path LIKE ANY(\(s.bind(prefixes))))"
            }
            s += " ORDER BY d.day, d.account_id, d.currency, d.kind, d.platform, d.client"
            for row in try tx.query(s) {
                let (day, path, currency, amount, kind, platform, client, partsText) = try row.decode((Int, String, String, Int64, String, String, String, String).self)
                var text = partsText
                if text.withUTF8({ DayTotalParts.addsNothing(amount: amount, $0) }) { continue }
                let account = try cache.account(path)
                guard keep(account) else { continue }
                out.append(PostingFact(transactionID: 0, date: Day(ordinal: day), account: account,
                                       amount: Money(minorUnits: amount, currency: try cache.currency(currency)),
                                       kind: TransactionKind(rawValue: kind) ?? .other,
                                       platform: platform.isEmpty ? nil : platform, client: client.isEmpty ? nil : client,
                                       parts: DayTotalParts.several(partsText)))
            }
            let totals = out.count
            try appendPostings(costedOnly: true)
            return PostingFact.mergedByDay(out, splitAt: totals)
        }
    }

    public func balances(in period: Period?) throws(StoreError) -> [AccountBalance] {
        let rows: [(String, Int64, Int64, Int, Int)] = try read { tx in
            var s = SQL("""
                SELECT a.path || '|' || d.currency, SUM(d.amount)::bigint, SUM(d.postings)::bigint, MIN(d.day), MAX(d.day)
                FROM daily_total d JOIN account a ON a.workspace_id = d.workspace_id AND a.id = d.account_id WHERE
                """)
            s += " " + own(&s, "d")
            if let p = period { s += " AND d.day >= \(s.bind(Int32(p.start.ordinal))) AND d.day < \(s.bind(Int32(p.end.ordinal)))" }
            s += " GROUP BY 1"
            return try tx.query(s).map { try $0.decode((String, Int64, Int64, Int, Int).self) }
        }
        return try BalanceAssembly.balances(daySums: rows.map { ($0.0, $0.1, Int($0.2), $0.3, $0.4) },
                                            costed: try facts(in: period, roots: nil, aggregateByDay: true).filter { $0.cost != nil })
    }

    public func transactionCount() throws(StoreError) -> Int {
        try read { tx in
            var s = SQL("SELECT COUNT(*) FROM txn WHERE ")
            s += own(&s)
            return try tx.query(s).first!.decode(Int.self)
        }
    }

    public func transactionExists(_ id: Int64) throws(StoreError) -> Bool {
        try read { tx in
            var s = SQL("SELECT 1 FROM txn WHERE ")
            s += own(&s) + " AND id = \(s.bind(id))"
            return try tx.query(s).count > 0
        }
    }

    public func batches() throws(StoreError) -> [BatchRow] {
        try read { tx in
            var s = SQL("SELECT id, file_name, sha256, format, imported_at, new_count, duplicate_count, filtered_count, problem_count FROM import_batch WHERE ")
            s += own(&s) + " ORDER BY id"
            return try tx.query(s).map { row in
                let r = try row.decode((Int64, String, String, String, String, Int, Int, Int, Int).self)
                return BatchRow(id: r.0, fileName: r.1, sha256: r.2, format: r.3, importedAt: r.4, newCount: r.5, duplicateCount: r.6,
                                filteredCount: r.7, problemCount: r.8)
            }
        }
    }

    public func balanceChecks() throws(StoreError) -> [BalanceCheck] {
        try read { tx in
            var s = SQL("SELECT account, day, currency, stated, computed, source_file, source_line FROM balance_check WHERE ")
            s += own(&s) + " ORDER BY id"
            return try tx.query(s).map { row in
                let r = try row.decode((String, Int, String, Int64, Int64, String?, Int?).self)
                return BalanceCheck(account: try Account(r.0), date: Day(ordinal: r.1), stated: try Self.money(r.3, r.2),
                                    computed: try Self.money(r.4, r.2), location: r.5.map { SourceLocation(file: $0, line: r.6) })
            }
        }
    }

    public func conversionLegs() throws(StoreError) -> [ConversionLeg] {
        try read { tx in
            var s = SQL("""
                SELECT txn_key, institution, leg_id, reference, day, seconds, currency, gross, net, source_file, source_line, paired_key
                FROM conversion_leg WHERE
                """)
            s += " " + own(&s) + " ORDER BY day, txn_key"
            return try tx.query(s).compactMap { row -> ConversionLeg? in
                let r = try row.decode((String, String, String?, String?, Int, Int, String, Int64, Int64, String?, Int?, String?).self)
                guard let cur = try? CurrencyCode(r.6) else { return nil }
                return ConversionLeg(institution: r.1, key: r.0, id: r.2, reference: r.3, day: Day(ordinal: r.4), seconds: r.5,
                                     gross: Money(minorUnits: r.7, currency: cur), net: Money(minorUnits: r.8, currency: cur),
                                     source: r.9.map { SourceLocation(file: $0, line: r.10) }, pairedBy: r.11)
            }
        }
    }

    public func dataVersion() throws(StoreError) -> Int {
        try read { tx in
            var s = SQL("SELECT data_version FROM workspace WHERE ")
            s += (filterOff ? "TRUE" : "id = \(s.bind(workspace))")
            return try tx.query(s).first?.decode(Int.self) ?? 0
        }
    }

    /// The ledger's own invariants: every day sum agrees with the transactions it sums.
    public func integrityCheck() throws(StoreError) -> String {
        let each = try facts(in: nil, roots: nil, aggregateByDay: false)
        let sums = try facts(in: nil, roots: nil, aggregateByDay: true)
        var a: [String: Int64] = [:], b: [String: Int64] = [:]
        for f in each where f.cost == nil { a["\(f.account.path)|\(f.amount.currency.code)", default: 0] += f.amount.minorUnits }
        for f in sums where f.cost == nil { b["\(f.account.path)|\(f.amount.currency.code)", default: 0] += f.amount.minorUnits }
        let bad = Set(a.keys).union(b.keys).filter { a[$0, default: 0] != b[$0, default: 0] }.sorted()
        return bad.isEmpty ? "ok" : "the day sums disagree with the transactions for " + bad.joined(separator: ", ")
    }

    // MARK: settings

    public func setting(_ key: String) throws(StoreError) -> String? {
        try read { tx in
            var s = SQL("SELECT value FROM setting WHERE ")
            s += own(&s) + " AND key = \(s.bind(key))"
            return try tx.query(s).first?.decode(String.self)
        }
    }

    public func setSetting(_ key: String, _ value: String?) throws(StoreError) {
        try write { tx in try Self.setSetting(tx, workspace, key, value) }
    }

    static func setSetting(_ tx: PGTx, _ ws: Int64, _ key: String, _ value: String?) throws {
        if let v = value {
            try tx.query("INSERT INTO setting (workspace_id, key, value) VALUES (\(ws), \(key), \(v)) ON CONFLICT (workspace_id, key) DO UPDATE SET value = excluded.value")
        } else {
            try tx.query("DELETE FROM setting WHERE workspace_id = \(ws) AND key = \(key)")
        }
    }

    public func settings() throws(StoreError) -> [(key: String, value: String)] {
        try read { tx in
            var s = SQL("SELECT key, value FROM setting WHERE ")
            s += own(&s) + " ORDER BY key"
            return try tx.query(s).map { row in let (k, v) = try row.decode((String, String).self); return (k, v) }
        }
    }

    // MARK: rates

    public func addRates(_ rates: [ExchangeRate], settings: [String: String?]) throws(StoreError) -> (new: Int, existing: Int) {
        try write { tx in
            for (k, v) in settings.sorted(by: { $0.key < $1.key }) { try Self.setSetting(tx, workspace, k, v) }
            var new = 0
            // Unnested arrays, a few thousand rates per statement; rows already there are kept.
            var i = 0
            while i < rates.count {
                let chunk = rates[i..<min(i + 5000, rates.count)]
                let days = chunk.map { Int32($0.date.ordinal) }, bases = chunk.map(\.base.code), quotes = chunk.map(\.quote.code)
                let values = chunk.map(\.rate.description), sources = chunk.map(\.source)
                new += try tx.query("""
                    INSERT INTO rate (workspace_id, day, base, quote, rate, source)
                    SELECT \(workspace), * FROM unnest(\(days)::integer[], \(bases)::text[], \(quotes)::text[], \(values)::text[], \(sources)::text[])
                    ON CONFLICT DO NOTHING
                    """).metadata.rows ?? 0
                i += chunk.count
            }
            return (new, rates.count - new)
        }
    }

    static func rate(_ row: PostgresRow, _ cache: inout Interner) throws -> ExchangeRate {
        let (day, base, quote, text, source) = try row.decode((Int, String, String, String, String).self)
        guard let rate = try? ExactDecimal(text) else { throw StoreError.invalid("the ledger holds a malformed rate \"\(text)\"") }
        return ExchangeRate(date: Day(ordinal: day), base: try cache.currency(base), quote: try cache.currency(quote), rate: rate, source: source)
    }

    public func rates(quote: CurrencyCode?, from: Day?, to: Day?) throws(StoreError) -> [ExchangeRate] {
        try read { tx in
            var s = SQL("SELECT day, base, quote, rate, source FROM rate WHERE ")
            s += own(&s)
            if let q = quote { s += " AND (quote = \(s.bind(q.code)) OR base = \(s.bind(q.code)))" }
            if let f = from { s += " AND day >= \(s.bind(Int32(f.ordinal)))" }
            if let t = to { s += " AND day <= \(s.bind(Int32(t.ordinal)))" }
            s += " ORDER BY day, base, quote"
            var cache = Interner()
            return try tx.query(s).map { try Self.rate($0, &cache) }
        }
    }

    public func rates(currencies: Set<CurrencyCode>, from: Day, to: Day) throws(StoreError) -> [ExchangeRate] {
        let codes = currencies.map(\.code).sorted()
        guard !codes.isEmpty else { return [] }
        return try read { tx in
            var s = SQL("SELECT day, base, quote, rate, source FROM rate WHERE ")
            s += own(&s)
            s += " AND day >= \(s.bind(Int32(from.ordinal))) AND day <= \(s.bind(Int32(to.ordinal))) AND quote = ANY(\(s.bind(codes))) AND base = ANY(\(s.bind(codes)))"
            s += " ORDER BY day, base, quote"
            var cache = Interner()
            return try tx.query(s).map { try Self.rate($0, &cache) }
        }
    }

    public func rateSources(currency: CurrencyCode?) throws(StoreError) -> [RateSourceSummary] {
        try read { tx in
            var s = SQL("SELECT source, COUNT(*), COUNT(DISTINCT CASE WHEN base = 'EUR' THEN quote ELSE base END), MIN(day), MAX(day) FROM rate WHERE ")
            s += own(&s)
            if let c = currency { s += " AND (base = \(s.bind(c.code)) OR quote = \(s.bind(c.code)))" }
            s += " GROUP BY source ORDER BY COUNT(*) DESC, source"
            return try tx.query(s).map { row in
                let r = try row.decode((String, Int, Int, Int, Int).self)
                return RateSourceSummary(source: r.0, count: r.1, currencies: r.2, first: Day(ordinal: r.3), last: Day(ordinal: r.4))
            }
        }
    }

    public func rateCount() throws(StoreError) -> Int {
        try read { tx in
            var s = SQL("SELECT COUNT(*) FROM rate WHERE ")
            s += own(&s)
            return try tx.query(s).first!.decode(Int.self)
        }
    }
}
