import Foundation
import GRDB
import SaldoCore
import SaldoBatch

/// Everything one input file contributes to the ledger, recorded as one batch.
public struct ImportRecord: Sendable {
    public var fileName: String
    public var sha256: String
    /// The detected format or profile (`paypal-activity`, `ubl`, …).
    public var format: String
    public var transactions: [Transaction]
    /// Invoices with their ledger transaction.
    public var invoices: [(invoice: Invoice, transaction: Transaction?)]
    public var balanceChecks: [BalanceCheck]
    public var filteredCount: Int
    public var problemCount: Int
    /// Conversion legs booked on their own, and the ledger's legs this file paired (see ``ConversionLeg``).
    public var conversionLegs: [ConversionLeg]
    /// The file's bytes, kept in the ledger with the batch (see Originals.swift); nil keeps none.
    public var original: Data?

    public init(fileName: String, sha256: String, format: String, transactions: [Transaction] = [],
                invoices: [(invoice: Invoice, transaction: Transaction?)] = [], balanceChecks: [BalanceCheck] = [],
                filteredCount: Int = 0, problemCount: Int = 0, conversionLegs: [ConversionLeg] = [], original: Data? = nil) {
        self.fileName = fileName; self.sha256 = sha256; self.format = format; self.transactions = transactions
        self.invoices = invoices; self.balanceChecks = balanceChecks; self.filteredCount = filteredCount; self.problemCount = problemCount
        self.conversionLegs = conversionLegs; self.original = original
    }
}

extension ImportRecord {
    /// Every transaction balances and is well formed (checked before any engine writes a row).
    package func validate() throws(StoreError) {
        for t in transactions + invoices.compactMap(\.transaction) {
            do { try t.validate() } catch { throw .invalid("\(t.source.map { "\($0): " } ?? "")\(error)") }
        }
    }
}

/// What a recorded batch added.
public struct ImportOutcome: Sendable, Equatable {
    public var batchID: Int64?
    public var newTransactions: Int
    public var duplicateTransactions: Int
    public var newInvoices: Int
    public var duplicateInvoices: Int
    /// Keys of conversion legs the file booked on their own that the ledger already held inside a
    /// whole conversion: counted as duplicates, not waiting for anything.
    public var legsInWholeConversions: [String] = []
    /// For each invoice of the record, in its order, whether it was new (false: the ledger already
    /// held it, so it and its transaction were skipped).
    public var invoicesNew: [Bool] = []
    package init(batchID: Int64?, newTransactions: Int, duplicateTransactions: Int, newInvoices: Int, duplicateInvoices: Int,
                 legsInWholeConversions: [String] = [], invoicesNew: [Bool] = []) {
        self.batchID = batchID; self.newTransactions = newTransactions; self.duplicateTransactions = duplicateTransactions
        self.newInvoices = newInvoices; self.duplicateInvoices = duplicateInvoices; self.legsInWholeConversions = legsInWholeConversions
        self.invoicesNew = invoicesNew
    }
}

extension SQLiteLedgerStore {
    /// Records a batch in one database transaction: all of it or nothing.
    /// Transactions whose `dedupKey` is already in the ledger are skipped and counted as duplicates;
    /// transactions without a key are always added. With `dryRun`, the same work is done and then
    /// rolled back, so the counts are exactly what a real import would add.
    public func record(_ r: ImportRecord, dryRun: Bool, now: Date) throws(StoreError) -> ImportOutcome {
        try record(r, dryRun: dryRun, now: now, failAfter: nil)
    }

    /// `failAfter`: tests make the write fail after that many transactions, to prove nothing is kept.
    package func record(_ r: ImportRecord, dryRun: Bool, now: Date, failAfter: Int?) throws(StoreError) -> ImportOutcome {
        try r.validate()
        do {
            var outcome = ImportOutcome(batchID: nil, newTransactions: 0, duplicateTransactions: 0, newInvoices: 0, duplicateInvoices: 0)
            try db.writeWithoutTransaction { db in
                try db.inTransaction(.immediate) {
                    outcome = try self.insert(r, db: db, now: now, failAfter: failAfter, dryRun: dryRun)
                    return dryRun ? .rollback : .commit
                }
            }
            if dryRun { outcome.batchID = nil }
            return outcome
        } catch let e as StoreError {
            throw e
        } catch {
            throw .database(Self.describe(error, waited: lockTimeout))
        }
    }

    private func insert(_ r: ImportRecord, db: Database, now: Date, failAfter: Int?, dryRun: Bool) throws -> ImportOutcome {
        let w = try BatchWriter(db: db, fileName: r.fileName, sha256: r.sha256, format: r.format, now: now)
        try w.add(r.transactions, failAfter: failAfter)
        for (inv, t) in r.invoices { try w.add(inv, t) }
        let outcome = try w.finish(balanceChecks: r.balanceChecks, filteredCount: r.filteredCount, problemCount: r.problemCount, conversionLegs: r.conversionLegs)
        // A dry run is rolled back anyway: the copy is not written at all.
        if let data = r.original, !dryRun { try w.keepOriginal(data, sha256: r.sha256) }
        return outcome
    }

    public typealias StreamEnd = ImportStreamEnd

    /// Records a file whose transactions arrive a batch at a time (a reader streaming a large
    /// statement), still as one database transaction: `body` gets a function to hand each batch to,
    /// and returns how the read ended. If it says not to keep the file (a fatal problem found late), or
    /// throws, nothing is kept. Returns nil when nothing was kept for that reason.
    ///
    /// `keysAreUnique`: the caller guarantees that no two of its transactions share a dedup key (a
    /// statement reader numbers repeated keys). Into a ledger that holds no transaction yet, the
    /// rows then go in without the key's index, which is built once at the end; a repeated key
    /// still fails the whole import.
    /// `original`: the file's bytes, kept in the ledger with the batch (see Originals.swift).
    public func recordStream(fileName: String, sha256: String, format: String, dryRun: Bool = false, now: Date = Date(),
                             keysAreUnique: Bool = false, original: Data? = nil,
                             body: (_ sink: StreamSink) throws -> ImportStreamEnd) throws(StoreError) -> ImportOutcome? {
        do {
            var outcome: ImportOutcome?
            try db.writeWithoutTransaction { db in
                // Into a ledger without transactions, foreign keys are not checked during the load:
                // the only one a row of this import carries is its batch, which the writer inserts
                // itself just before, and SQLite's check of it cost 0.4 s of CPU per million rows
                // (measured with sqlite3, the same table). The setting only changes outside a
                // transaction; it is restored whatever happens. Should another writer add
                // transactions between this look and the write, nothing depends on the checks
                // either (``BatchWriter/removeTransaction(_:)`` deletes its payments itself).
                let uncheckedKeys = try keysAreUnique && !(Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM txn)") ?? true)
                if uncheckedKeys { try db.execute(sql: "PRAGMA foreign_keys = OFF") }
                defer { if uncheckedKeys { try? db.execute(sql: "PRAGMA foreign_keys = ON") } }
                try db.inTransaction(.immediate) {
                    let w = try BatchWriter(db: db, fileName: fileName, sha256: sha256, format: format, now: now, bulk: keysAreUnique)
                    // The copy first: the writer waits for the reader's first batch anyway, and the
                    // end of the import (index builds, commit) is when only one core has work.
                    // A file that turns out not to be kept is rolled back with it.
                    if let data = original, !dryRun { try w.keepOriginal(data, sha256: sha256) }
                    let end = try body(StreamSink(add: { try w.add($0) }, noMoreBatches: { try w.flushTotals(); try w.endBulkLoad() },
                                                  addTelling: { try w.add($0, telling: $1) }))
                    guard end.keep else { return .rollback }
                    if let f = end.format { try db.execute(sql: "UPDATE import_batch SET format = ? WHERE id = ?", arguments: [f, w.batch]) }
                    outcome = try w.finish(balanceChecks: end.balanceChecks, filteredCount: end.filteredCount, problemCount: end.problemCount,
                                           conversionLegs: end.conversionLegs)
                    return dryRun ? .rollback : .commit
                }
            }
            if dryRun { outcome?.batchID = nil }
            return outcome
        } catch let e as StoreError {
            throw e
        } catch {
            throw .database(Self.describe(error, waited: lockTimeout))
        }
    }
}

extension SQLiteLedgerStore {
    /// The connection's settings a bulk load (or a new ledger's migrations) change for a while, and
    /// how many rows break a foreign key (tests check that the settings come back and the ledger
    /// stays whole).
    package func connectionSettings() throws(StoreError) -> [String: Int] {
        try read { db in
            var out: [String: Int] = [:]
            for name in ["foreign_keys", "threads", "cache_size", "temp_store", "synchronous"] { out[name] = try Int.fetchOne(db, sql: "PRAGMA \(name)") ?? -1 }
            out["foreign_key_problems"] = try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").count
            return out
        }
    }
}

/// Writes one import batch inside an open database transaction: prepared statements bound
/// through SQLite's C API, day sums kept in memory and flushed at the end.
final class BatchWriter {
    let db: Database
    let batch: Int64
    /// Rows from this file store no file name of their own (the batch has it).
    private let fileName: String
    private let txnStmt: RawStatement
    private var accounts: AccountIDs
    /// The day sums of this import, with their parts (``DayTotalParts``), added to the ledger's at the end.
    private var totals: [DayTotalKey: TransactionBatch.Total] = [:]
    private var names = NameIDs()
    private var new = 0, dup = 0, newInv = 0, dupInv = 0
    /// For each invoice added, in order, whether it was new (see ``ImportOutcome/invoicesNew``).
    private var invoicesNew: [Bool] = []

    /// `bulk`: a statement streamed into a ledger that holds no transaction yet may drop the dedup
    /// key's index and build it once at the end (see ``bulkLoad``).
    init(db: Database, fileName: String, sha256: String, format: String, now: Date, bulk: Bool = false) throws {
        self.db = db
        self.fileName = fileName
        // An empty ledger has no key to collide with, and the file's own keys are unique by
        // construction (occurrence numbers): rows go in without the index, which is built once,
        // sorted, when the file is done, instead of a million random keys inserted one by one.
        // Building it fails loudly (and rolls everything back) if two keys were ever equal.
        bulkLoad = try bulk && !(Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM txn)") ?? true)
        if bulkLoad {
            try db.execute(sql: "DROP INDEX txn_dedup_key")
            // The other indexes on txn whose keys arrive in random order (the first amount, any
            // index added later) likewise: one sorted build each at the end costs far less than a
            // million random inserts into each. Their own definitions are read back, so the schema
            // after the import is the one before it. Indexes led by the day, or by a name and the
            // day, stay: rows arrive in booking order (by day), so their keys are appended, which
            // costs less than a full scan of txn per index at the end (measured on the 1M-row
            // benchmark ledger: 1.6 s CPU with these four live against 2.0 s with four builds).
            droppedIndexes = try Row.fetchAll(db, sql: """
                SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'txn' AND sql IS NOT NULL AND name != 'txn_dedup_key'
                ORDER BY name
                """).map { ($0[0], $0[1]) }.filter { !Self.keptDuringBulkLoad.contains($0.0) }
            for (name, _) in droppedIndexes { try db.execute(sql: "DROP INDEX \"\(name)\"") }
        }
        let conflict = bulkLoad ? "" : " ON CONFLICT(dedup_key) DO NOTHING"
        let stamp = ISO8601DateFormatter().string(from: now)
        try db.execute(sql: "INSERT INTO import_batch (file_name, sha256, format, imported_at) VALUES (?, ?, ?, ?)",
                       arguments: [fileName, sha256, format, stamp])
        batch = db.lastInsertedRowID
        // The statements follow from the column table (TxnColumn): names, order, placeholders.
        let insert = "INSERT INTO txn (" + TxnColumn.allCases.map(\.name).joined(separator: ", ") + ") VALUES "
        let row = "(" + Array(repeating: "?", count: Self.columns).joined(separator: ", ") + ")"
        txnStmt = RawStatement(try db.makeStatement(sql: insert + row + conflict), db)
        // Rows of this file: no file name of their own and this batch, written into the statement.
        let batchText = String(batch)
        let ownRow = "(" + TxnColumn.allCases.map { (c: TxnColumn) -> String in
            switch c { case .sourceFile: return "NULL"; case .batchID: return batchText; default: return "?" }
        }.joined(separator: ", ") + ")"
        groupStmt = RawStatement(try db.makeStatement(sql: insert + Array(repeating: ownRow, count: Self.rowsPerInsert).joined(separator: ", ")
                                                      + conflict), db)
        maxRowID = try Int64.fetchOne(db, sql: "SELECT coalesce(max(id), 0) FROM txn") ?? 0
        mayHoldDerived = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM txn WHERE derived = 1)") ?? true
        accounts = AccountIDs(db: db)
    }

    /// Adds transactions given whole (a collected read, an invoice's), through the same path as a
    /// stream's batches: one batch per run of transactions from the same source file.
    /// `failAfter`: tests make the write fail after that many transactions.
    func add(_ ts: [Transaction], failAfter: Int? = nil) throws {
        try TransactionBatchBuilder.batches(of: ts, stopAfter: failAfter) { try add($0) }
        if let f = failAfter, f < ts.count { throw StoreError.database("injected failure after \(f) transactions") }
    }

    /// Inserts an invoice's transaction unless its dedup key is already in the ledger; returns its id,
    /// or nil for a duplicate. It is not counted: the invoice is.
    private func insert(_ t: Transaction) throws -> Int64? {
        let counted = (new, dup)
        defer { (new, dup) = counted }
        try add([t])
        return new > counted.0 ? maxRowID : nil
    }

    // MARK: batches (the statement import's hot path)

    /// Per index of the batches' tables (which only grow within a file): account ids (0 until
    /// first used, so ids are given in order of first use), names' ids for the day sums, and
    /// names' text for binding.
    private var batchNameIDs: [Int32] = []
    private var batchNameText: [UInt8] = []
    private var batchNameSpans: [(start: Int, count: Int)] = []
    private var batchCurrencyIDs: [Int32] = []
    /// The builder tables the per-index state above belongs to (see ``TransactionBatch/tables``).
    private var tables: UInt64 = 0
    private lazy var kindIDs: [Int32] = TransactionKind.allCases.map { names.id($0.rawValue) }
    private static let kindText: [[UInt8]] = TransactionKind.allCases.map { Array($0.rawValue.utf8) }
    private var encoder = PostingsEncoder()
    /// Rows per multi-row insert, and the txn insert's parameters per row (in the multi-row
    /// insert, `source_file` and `batch_id` are written into the statement).
    static let rowsPerInsert = 32
    static let columns = TxnColumn.allCases.count
    static let groupColumns = TxnColumn.allCases.filter { !$0.samePerFile }.count
    private let groupStmt: RawStatement
    /// Rows go in without the dedup key's index, built at the end (an import into an empty ledger).
    private(set) var bulkLoad: Bool
    /// Indexes on txn a bulk load keeps: their keys follow the booking order (day first, or a
    /// name then the day), so rows append to them.
    static let keptDuringBulkLoad: Set<String> = ["txn_day", "txn_with_cost", "txn_platform_day", "txn_client_day"]
    /// SQLite's sorter threads and page cache (KiB, negative as `PRAGMA cache_size` takes it) for
    /// the index builds at the end of a bulk load (see ``endBulkLoad()``).
    static let sorterThreads = 1
    static let sorterCacheSize = -4096
    /// Whether SQLite finds a folder for temporary files (its own order: `SQLITE_TMPDIR`, `TMPDIR`,
    /// /var/tmp, /usr/tmp, /tmp); without one, the index builds keep their runs in memory.
    static let temporaryFolderWritable: Bool = {
        let env = ProcessInfo.processInfo.environment
        let folders: [String?] = [env["SQLITE_TMPDIR"], env["TMPDIR"], "/var/tmp", "/usr/tmp", "/tmp"]
        return folders.compactMap { $0 }.contains { access($0, W_OK | X_OK) == 0 }
    }()
    /// The indexes a bulk load dropped, with the statements that create them again.
    private var droppedIndexes: [(name: String, sql: String)] = []
    /// Builds the dedup key's index after a bulk load; a repeated key fails the whole import.
    func endBulkLoad() throws {
        guard bulkLoad else { return }
        bulkLoad = false
        // SQLite sorts an index's keys in runs of at most the page cache's size and, given worker
        // threads, sorts the runs on them while this thread reads the table and merges. With the
        // cache lowered for the builds, a million keys make several runs, and the second core
        // (idle once the reader is done) sorts them. SQLite uses no worker thread while temporary
        // storage is in memory, so the runs go to temporary files for the builds (unlinked as
        // soon as they are opened). Measured with sqlite3's library on a copy of the benchmark's
        // table (both builds, a million rows): this thread's CPU 2.8-3.3 s → 1.2 s, all threads
        // 2.1 s, with one worker and a 4 MiB cache (8 MiB or two workers: no better). Every
        // setting is put back afterwards; if temporary storage cannot be switched (a temporary
        // table in use), the builds run as before.
        let cacheSize = try Int.fetchOne(db, sql: "PRAGMA cache_size") ?? -65536
        let threaded = Self.temporaryFolderWritable && (try? db.execute(sql: "PRAGMA temp_store = FILE")) != nil
        if threaded { try db.execute(sql: "PRAGMA threads = \(Self.sorterThreads); PRAGMA cache_size = \(Self.sorterCacheSize)") }
        defer { if threaded { try? db.execute(sql: "PRAGMA threads = 0; PRAGMA cache_size = \(cacheSize); PRAGMA temp_store = MEMORY") } }
        for (_, sql) in droppedIndexes { try db.execute(sql: sql) }
        droppedIndexes = []
        do { try db.execute(sql: "CREATE UNIQUE INDEX txn_dedup_key ON txn(dedup_key)") } catch {
            throw StoreError.invalid("two transactions of this file have the same dedup key (\(error)); nothing was imported; this is a bug in the profile, please report it")
        }
    }

    /// The largest txn id so far: rows inserted next get larger ones.
    private var maxRowID: Int64
    /// Whether the ledger may hold a derived transaction (see ``Transaction/isDerived``): only then
    /// is a duplicate looked up to see whether it replaces one. Re-importing a large statement
    /// into a ledger without any (most) then costs no query per row.
    private var mayHoldDerived: Bool

    /// Adds every entry of a batch (validated first), skipping those whose dedup key is already in the ledger.
    ///
    /// Rows go in ``rowsPerInsert`` at a time through one multi-row `INSERT`: SQLite's cost per
    /// statement run is larger than its cost per row. When a run inserts fewer rows than it was
    /// given, the rows it inserted are read back by id (new rows get ids above the largest) to tell
    /// which were already in the ledger. The per-row state lives in locals for the loop (a class's
    /// stored properties are checked for exclusive access at run time on every use).
    ///
    /// `telling`: for that many first entries of the batch, whether each was added (true) or
    /// skipped as already in the ledger (false), in order (an import's preview shows them).
    @discardableResult
    func add(_ b: TransactionBatch, telling: Int = 0) throws -> [Bool] {
        var fates: [Bool] = []
        // Entries the builder checked when they were added need no second look.
        for i in b.checkedCount..<b.entries.count {
            do { try b.validate(at: i) } catch {
                let e = b.entries[i]
                let at = b.sourceFile.map { "\(SourceLocation(file: $0, line: e.line < 0 ? nil : Int(e.line), record: e.record < 0 ? nil : Int(e.record))): " } ?? ""
                throw StoreError.invalid("\(at)\(error)")
            }
        }
        if b.tables != tables {
            // Another builder's batches: their indices mean other names.
            tables = b.tables
            batchNameIDs = []; batchNameText = []; batchNameSpans = []; batchCurrencyIDs = []; encoder = PostingsEncoder()
        }
        while batchNameIDs.count < b.names.count {
            let n = b.names[batchNameIDs.count]
            batchNameIDs.append(names.id(n))
            let start = batchNameText.count
            batchNameText.append(contentsOf: n.utf8)
            batchNameSpans.append((start, batchNameText.count - start))
        }
        while batchCurrencyIDs.count < b.currencies.count {
            let c = b.currencies[batchCurrencyIDs.count].code
            batchCurrencyIDs.append(names.id(c))
            encoder.currencyText.append(Array(c.utf8))
        }
        while encoder.accountIDs.count < b.accounts.count { encoder.accountIDs.append(0) }
        var enc = PostingsEncoder()
        swap(&enc, &encoder)
        defer { swap(&enc, &encoder) }
        let nameSpans = batchNameSpans, nameText = batchNameText, batch = self.batch
        let group = groupStmt, single = txnStmt
        let sourceFile = b.sourceFile == nil || b.sourceFile == fileName ? nil : b.sourceFile
        let count = b.entries.count
        var added = 0, skipped = 0
        var rowID = maxRowID
        defer { new += added; dup += skipped; maxRowID = rowID }
        var i = 0
        var spans = [(start: Int, count: Int)](repeating: (0, 0), count: Self.rowsPerInsert)
        try b.text.withUnsafeBufferPointer { text in
            try nameText.withUnsafeBufferPointer { nameText in
                /// Binds one row's values; `grouped`: the multi-row insert's layout (see ``groupColumns``).
                func bindRow(_ st: RawStatement, _ base: Int32, grouped: Bool, _ e: TransactionBatch.Entry, _ postings: UnsafePointer<UInt8>, _ postingsCount: Int) {
                    func at(_ column: TxnColumn) -> Int32 { base + (grouped ? TxnColumn.groupedPosition[column.rawValue] : Int32(column.rawValue + 1)) }
                    func bindText(_ column: TxnColumn, _ r: TransactionBatch.TextRef) {
                        if r.isNone { st.bindNull(at(column)) }
                        else if r.count == 0 { st.bind(at(column), "") }
                        else { st.bindStatic(at(column), text.baseAddress! + Int(r.start), Int(r.count)) }
                    }
                    func bindName(_ column: TxnColumn, _ n: Int32) {
                        if n < 0 { st.bindNull(at(column)); return }
                        let s = nameSpans[Int(n)]
                        if s.count == 0 { st.bind(at(column), "") } else { st.bindStatic(at(column), nameText.baseAddress! + s.start, s.count) }
                    }
                    st.bind(at(.day), Int64(e.day))
                    bindText(.timestamp, e.timestamp); bindName(.timeZone, e.timeZone); bindName(.payee, e.payee); bindName(.platform, e.platform); bindName(.client, e.client)
                    if e.description.isNone { st.bind(at(.description), "") } else { bindText(.description, e.description) }
                    Self.kindText[e.kind.index].withUnsafeBufferPointer { st.bindStatic(at(.kind), $0.baseAddress!, $0.count) }
                    bindText(.externalID, e.externalID); bindText(.dedupKey, e.dedupKey)
                    if !grouped { st.bind(at(.sourceFile), sourceFile) }
                    st.bind(at(.sourceLine), e.line < 0 ? nil : Int64(e.line)); st.bind(at(.sourceRecord), e.record < 0 ? nil : Int64(e.record))
                    if !grouped { st.bind(at(.batchID), batch) }
                    st.bindStatic(at(.postings), postings, postingsCount)
                    st.bind(at(.hasCost), e.hasCost ? 1 : 0); st.bind(at(.derived), e.isDerived ? 1 : 0)
                    // The browser's amount order: the first posting's amount (0 without postings).
                    st.bind(at(.firstAmount), e.legCount > 0 ? b.legs[Int(e.firstLeg)].amount : 0)
                }
                while i < count {
                    let rows = count - i >= Self.rowsPerInsert && sourceFile == nil ? Self.rowsPerInsert : 1
                    let st = rows == 1 ? single : group
                    enc.text.removeAll(keepingCapacity: true)
                    for k in 0..<rows {
                        let e = b.entries[i + k]
                        let legs = b.legs[Int(e.firstLeg)..<Int(e.firstLeg + e.legCount)]
                        for l in legs where enc.accountIDs[Int(l.account)] == 0 {
                            enc.accountIDs[Int(l.account)] = try accounts.id(b.accounts[Int(l.account)])
                        }
                        let start = enc.text.count
                        enc.encode(legs)
                        spans[k] = (start, enc.text.count - start)
                    }
                    let before = rowID
                    let changed = try enc.text.withUnsafeBufferPointer { p in
                        for k in 0..<rows {
                            bindRow(st, Int32(k * (rows == 1 ? Self.columns : Self.groupColumns)), grouped: rows > 1, b.entries[i + k],
                                    p.baseAddress! + spans[k].start, spans[k].count)
                        }
                        return try st.run()
                    }
                    if changed > 0 { rowID = st.lastInsertedRowID }
                    // A derived row just written may be replaced by a later row of this import.
                    if changed > 0 && !mayHoldDerived { for k in 0..<rows where b.entries[i + k].isDerived { mayHoldDerived = true; break } }
                    if changed == rows {
                        added += rows
                        if i < telling { for k in 0..<rows where i + k < telling { fates.append(true) } }
                    } else {
                        // Which rows went in: their keys are among the rows with larger ids (each key once).
                        var inserted = Set(try String.fetchAll(db, sql: "SELECT dedup_key FROM txn WHERE id > ? AND dedup_key IS NOT NULL", arguments: [before]))
                        for k in 0..<rows {
                            let e = b.entries[i + k]
                            let told = i + k < telling
                            guard let key = b.string(e.dedupKey) else { added += 1; if told { fates.append(true) }; continue }
                            if inserted.remove(key) != nil { added += 1; if told { fates.append(true) }; continue }
                            // The batch's totals count every entry: take this one's out.
                            subtractFromTotals(b, i + k, accountIDs: enc.accountIDs)
                            skipped += 1
                            if told { fates.append(false) }
                            if !e.isDerived && mayHoldDerived { try replaceDerived(key: key, with: b.transaction(at: i + k)) }
                        }
                    }
                    i += rows
                }
            }
        }
        for (k, t) in b.totals {
            let key = dailyKey(k.day, account: k.account, currency: k.currency, kind: Int(k.kind), platform: k.platform, client: k.client, accountIDs: enc.accountIDs)
            totals[key, default: TransactionBatch.Total()].add(t)
        }
        return fates
    }

    private func dailyKey(_ day: Int32, account: Int32, currency: Int32, kind: Int, platform: Int32, client: Int32, accountIDs: [Int64]) -> DayTotalKey {
        let empty = names.id("")
        return DayTotalKey(day: day, account: Int32(accountIDs[Int(account)]), currency: batchCurrencyIDs[Int(currency)],
                        kind: kindIDs[kind], platform: platform < 0 ? empty : batchNameIDs[Int(platform)],
                        client: client < 0 ? empty : batchNameIDs[Int(client)])
    }

    private func subtractFromTotals(_ b: TransactionBatch, _ i: Int, accountIDs: [Int64]) {
        let e = b.entries[i]
        for k in Int(e.firstLeg)..<Int(e.firstLeg + e.legCount) where b.legs[k].costCurrency < 0 {
            let l = b.legs[k]
            let key = dailyKey(e.day, account: l.account, currency: l.currency, kind: e.kind.index, platform: e.platform, client: e.client, accountIDs: accountIDs)
            totals[key, default: TransactionBatch.Total()].add(TransactionBatch.Total(amount: -l.amount, postings: -1, parts: [-l.amount]))
        }
    }


    /// A transaction already in the ledger under this key, booked from derived amounts, gives way
    /// to the same transaction as stated by its source (same key, exact amounts).
    private func replaceDerived(key: String, with t: Transaction) throws {
        let find = try db.cachedStatement(sql: "SELECT id, day, kind, platform, client, postings FROM txn WHERE dedup_key = ? AND derived = 1")
        guard let row = try Row.fetchOne(find, arguments: [key]) else { return }
        var interner = try Interner(db: db)
        let old = Transaction(date: Day(ordinal: row[1]), description: "", kind: TransactionKind(rawValue: row[2]) ?? .other,
                              postings: try PostingsColumn.decode(row[5], interner: &interner), platform: row[3], client: row[4])
        try addToTotals(old, sign: -1)
        let ids = try t.postings.map { try accounts.id($0.account) }
        // Every column the day sums are keyed by (the kind too: a row that kept its old kind would
        // disagree with the day totals, which take the stated one).
        try db.execute(sql: "UPDATE txn SET postings = ?, has_cost = ?, derived = 0, day = ?, kind = ?, platform = ?, client = ?, first_amount = ? WHERE id = ?",
                       arguments: [PostingsColumn.encode(t.postings, accountIDs: ids), t.postings.contains { $0.cost != nil } ? 1 : 0, t.date.ordinal, t.kind.rawValue, t.platform, t.client,
                                   t.postings.first?.amount.minorUnits ?? 0, row[0] as Int64])
        try addToTotals(t, sign: 1)
    }

    /// Takes a transaction this import wrote out again (a lone conversion leg the ledger already
    /// holds inside a whole conversion), with its day sums; it counts as a duplicate.
    func removeTransaction(_ id: Int64) throws {
        guard let row = try Row.fetchOne(db, sql: "SELECT day, kind, platform, client, postings FROM txn WHERE id = ?", arguments: [id]) else { return }
        var interner = try Interner(db: db)
        let t = Transaction(date: Day(ordinal: row[0]), description: "", kind: TransactionKind(rawValue: row[1]) ?? .other,
                            postings: try PostingsColumn.decode(row[4], interner: &interner), platform: row[2], client: row[3])
        try addToTotals(t, sign: -1)
        // What the foreign key's cascade does, done here too: a bulk load may run without the checks.
        try db.execute(sql: "DELETE FROM invoice_payment WHERE txn_id = ?", arguments: [id])
        try db.execute(sql: "DELETE FROM txn WHERE id = ?", arguments: [id])
        new -= 1
        dup += 1
    }

    private func addToTotals(_ t: Transaction, sign: Int64) throws {
        let ids = try t.postings.map { try accounts.id($0.account) }
        addToTotals(t, accountIDs: ids, sign: sign)
    }

    private func addToTotals(_ t: Transaction, accountIDs: [Int64], sign: Int64) {
        let kind = names.id(t.kind.rawValue), platform = names.id(t.platform ?? ""), client = names.id(t.client ?? "")
        for (i, p) in t.postings.enumerated() where p.cost == nil {
            let key = DayTotalKey(day: Int32(t.date.ordinal), account: Int32(accountIDs[i]), currency: names.id(p.amount.currency.code),
                               kind: kind, platform: platform, client: client)
            totals[key, default: TransactionBatch.Total()].add(TransactionBatch.Total(amount: sign * p.amount.minorUnits, postings: Int(sign), parts: [sign * p.amount.minorUnits]))
        }
    }

    /// Adds an invoice (once per seller, number, type and date) with its ledger transaction.
    func add(_ inv: Invoice, _ t: Transaction?) throws {
        let exists = try Bool.fetchOne(db, sql: "SELECT 1 FROM invoice WHERE dedup_key = ?", arguments: [inv.dedupKey]) ?? false
        invoicesNew.append(!exists)
        if exists { dupInv += 1; return }
        var txnID: Int64?
        if var tx = t {
            if tx.dedupKey == nil { tx.dedupKey = inv.dedupKey }
            txnID = try insert(tx)
        }
        try db.execute(sql: """
            INSERT INTO invoice (dedup_key, number, type_code, kind, direction, issue_day, due_day, seller_name, seller_tax_id, seller_country,
              buyer_name, buyer_tax_id, buyer_country, currency, net, tax, withholding, total, prepaid, payable,
              tax_accounting_currency, tax_accounting_amount, corrects_number, status, format, source_file, problems, txn_id, batch_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: StatementArguments([
                inv.dedupKey, inv.number, inv.typeCode, inv.kind.rawValue, inv.direction.rawValue, inv.issueDate.ordinal, inv.dueDate?.ordinal,
                inv.seller.name, inv.seller.taxID, inv.seller.country, inv.buyer.name, inv.buyer.taxID, inv.buyer.country,
                inv.currency.code, inv.net.minorUnits, inv.tax.minorUnits, inv.withholding.minorUnits, inv.total.minorUnits,
                inv.prepaid.minorUnits, inv.payable.minorUnits, inv.taxInAccountingCurrency?.currency.code,
                inv.taxInAccountingCurrency?.minorUnits, inv.correctsNumber, inv.status.rawValue, inv.format,
                inv.source?.file, inv.problems.map(\.description).joined(separator: "\n"), txnID, batch,
            ] as [(any DatabaseValueConvertible)?]))
        newInv += 1
    }

    /// Writes the day sums gathered so far (added to those in the ledger) and starts afresh.
    func flushTotals() throws {
        let totalStmt = RawStatement(try db.makeStatement(sql: """
            INSERT INTO daily_total (day, account_id, currency, kind, platform, client, amount, postings, parts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT DO UPDATE SET amount = amount + excluded.amount, postings = postings + excluded.postings,
              parts = CASE WHEN parts = '' THEN excluded.parts ELSE parts || ',' || excluded.parts END
            """), db)
        // A sum that nets to nothing (a row added, then found to be a duplicate or replaced) changes nothing.
        var text: [UInt8] = []
        for (k, v) in totals where v.amount != 0 || v.postings != 0 {
            totalStmt.bind(1, Int(k.day)); totalStmt.bind(2, Int(k.account)); totalStmt.bind(3, names.name(k.currency))
            totalStmt.bind(4, names.name(k.kind)); totalStmt.bind(5, names.name(k.platform)); totalStmt.bind(6, names.name(k.client))
            totalStmt.bind(7, v.amount); totalStmt.bind(8, v.postings)
            text.removeAll(keepingCapacity: true)
            DayTotalParts.encode(v.parts, into: &text)
            _ = try text.withUnsafeBufferPointer { p in
                if let base = p.baseAddress, p.count > 0 { totalStmt.bindStatic(9, base, p.count) } else { totalStmt.bind(9, "") }
                return try totalStmt.run()
            }
        }
        totals = [:]
    }

    /// Flushes the day sums, records the balance checks and the batch's counts.
    func finish(balanceChecks: [BalanceCheck], filteredCount: Int, problemCount: Int, conversionLegs: [ConversionLeg] = []) throws -> ImportOutcome {
        try endBulkLoad()
        let inWhole = try recordConversionLegs(conversionLegs)
        try flushTotals()
        for c in balanceChecks {
            try db.execute(sql: "INSERT INTO balance_check (batch_id, account, day, currency, stated, computed, source_file, source_line) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                           arguments: [batch, c.account.path, c.date.ordinal, c.stated.currency.code, c.stated.minorUnits, c.computed.minorUnits,
                                       c.location?.file, c.location?.line])
        }
        try db.execute(sql: "UPDATE import_batch SET new_count = ?, duplicate_count = ?, filtered_count = ?, problem_count = ? WHERE id = ?",
                       arguments: [new + newInv, dup + dupInv, filteredCount, problemCount, batch])
        return ImportOutcome(batchID: batch, newTransactions: new, duplicateTransactions: dup, newInvoices: newInv, duplicateInvoices: dupInv,
                             legsInWholeConversions: inWhole, invoicesNew: invoicesNew)
    }
}

struct NameIDs {
    private var ids: [String: Int32] = [:]
    private var names: [String] = []
    mutating func id(_ s: String) -> Int32 {
        if let v = ids[s] { return v }
        let v = Int32(names.count); names.append(s); ids[s] = v; return v
    }
    func name(_ id: Int32) -> String { names[Int(id)] }
}

/// Account ids, created on first use, cached for the write.
struct AccountIDs {
    let db: Database
    var cache: [String: Int64] = [:]
    init(db: Database) { self.db = db }
    mutating func id(_ a: Account) throws -> Int64 {
        if let v = cache[a.path] { return v }
        try db.execute(sql: "INSERT INTO account (path) VALUES (?) ON CONFLICT(path) DO NOTHING", arguments: [a.path])
        guard let v = try Int64.fetchOne(db, sql: "SELECT id FROM account WHERE path = ?", arguments: [a.path]) else {
            throw StoreError.database("account \(a.path) could not be created")
        }
        cache[a.path] = v
        return v
    }
}

/// The `txn` table's columns as the import writes them, in order: the one description from which
/// the insert statements (single row and 32-row groups) and every binding position follow.
enum TxnColumn: Int, CaseIterable {
    case day, timestamp, timeZone, payee, platform, client, description, kind, externalID, dedupKey,
         sourceFile, sourceLine, sourceRecord, batchID, postings, hasCost, derived, firstAmount

    var name: String {
        switch self {
        case .day: return "day"
        case .timestamp: return "timestamp"
        case .timeZone: return "time_zone"
        case .payee: return "payee"
        case .platform: return "platform"
        case .client: return "client"
        case .description: return "description"
        case .kind: return "kind"
        case .externalID: return "external_id"
        case .dedupKey: return "dedup_key"
        case .sourceFile: return "source_file"
        case .sourceLine: return "source_line"
        case .sourceRecord: return "source_record"
        case .batchID: return "batch_id"
        case .postings: return "postings"
        case .hasCost: return "has_cost"
        case .derived: return "derived"
        case .firstAmount: return "first_amount"
        }
    }

    /// The same for every row of a file (written into the grouped statement, not bound per row).
    var samePerFile: Bool { self == .sourceFile || self == .batchID }

    /// 1-based position of each column within one row of the grouped statement (0: not bound).
    static let groupedPosition: [Int32] = {
        var out = [Int32](repeating: 0, count: allCases.count), next: Int32 = 1
        for c in allCases where !c.samePerFile { out[c.rawValue] = next; next += 1 }
        return out
    }()
}
