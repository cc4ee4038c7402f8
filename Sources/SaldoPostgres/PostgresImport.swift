import Foundation
import PostgresNIO
import SaldoBatch
import SaldoCore
import SaldoStore

extension PostgresLedgerStore {
    public func record(_ r: ImportRecord, dryRun: Bool, now: Date) throws(StoreError) -> ImportOutcome {
        try record(r, dryRun: dryRun, now: now, failAfter: nil)
    }

    /// `failAfter`: tests make the write fail after that many transactions, to prove nothing is kept.
    package func record(_ r: ImportRecord, dryRun: Bool, now: Date, failAfter: Int?) throws(StoreError) -> ImportOutcome {
        try r.validate()
        let loader = useLoader
        var outcome = try write(rollbackIf: { _ in dryRun }) { tx in
            let w = try PGBatchWriter(tx: tx, workspace: workspace, fileName: r.fileName, sha256: r.sha256, format: r.format, now: now, loader: loader)
            do {
                if let f = failAfter, f < r.transactions.count {
                    try w.add(Array(r.transactions.prefix(f)))
                    try w.endCopy()
                    throw StoreError.database("injected failure after \(f) transactions")
                }
                try w.add(r.transactions)
                for (inv, t) in r.invoices { try w.add(inv, t) }
                let outcome = try w.finish(balanceChecks: r.balanceChecks, filteredCount: r.filteredCount, problemCount: r.problemCount,
                                           conversionLegs: r.conversionLegs)
                if let data = r.original, !dryRun { try keepOriginal(data, sha256: r.sha256, tx: tx) }
                return outcome
            } catch {
                w.abandon()
                throw error
            }
        }
        if dryRun { outcome.batchID = nil }
        return outcome
    }

    public func recordStream(fileName: String, sha256: String, format: String, dryRun: Bool, now: Date, keysAreUnique: Bool, original: Data?,
                             body: (_ sink: StreamSink) throws -> ImportStreamEnd) throws(StoreError) -> ImportOutcome? {
        let loader = useLoader
        var outcome = try write(rollbackIf: { $0 == nil || dryRun }) { tx -> ImportOutcome? in
                let w = try PGBatchWriter(tx: tx, workspace: workspace, fileName: fileName, sha256: sha256, format: format, now: now,
                                          keysAreUnique: keysAreUnique, loader: loader)
                let end: ImportStreamEnd
                do {
                    end = try body(StreamSink(add: { try w.add($0) }, noMoreBatches: { try w.flushTotals() },
                                              addTelling: { try w.add($0, telling: $1) }))
                } catch {
                    w.abandon()
                    throw error
                }
                guard end.keep else { w.abandon(); return nil }
                try w.endCopy()
                if let f = end.format { try tx.query("UPDATE import_batch SET format = \(f) WHERE workspace_id = \(workspace) AND id = \(w.batch)") }
                let outcome = try w.finish(balanceChecks: end.balanceChecks, filteredCount: end.filteredCount, problemCount: end.problemCount,
                                           conversionLegs: end.conversionLegs)
                if let data = original, !dryRun { try keepOriginal(data, sha256: sha256, tx: tx) }
                return outcome
            }
        if dryRun { outcome?.batchID = nil }
        return outcome
    }
}

/// Writes one import batch inside the open transaction, with the SQLite writer's rules: a
/// transaction whose dedup key the ledger (or this file) already holds is a duplicate, except that
/// a transaction booked from derived amounts gives way to the same transaction as stated by its
/// source; ids are the largest so far plus one, given in file order (the same ids SQLite gives);
/// day sums kept in memory and added to `daily_total` at the end.
///
/// Rows are written as COPY text straight from the batches' columns (no ``Transaction`` per row)
/// and go into `txn` by COPY: through the loader role when the database has one (see
/// ``PostgresSchema/loaderRole``), kept open across batches while nothing else needs the
/// connection, else through a temporary table (see `copyPending`).
final class PGBatchWriter {
    let tx: PGTx
    let ws: Int64
    let batch: Int64
    private let fileName: String
    private let keysAreUnique: Bool
    private var maxTxnID: Int64
    private var accountIDs: [String: Int64] = [:]
    private var maxAccountID: Int64 = 0
    /// Accounts made while a copy was open, written when it ends (no row of `txn` refers to
    /// `account` by key; the day sums, written later, do).
    private var pendingAccounts: [(Int64, String)] = []
    /// Dedup keys known to be in the ledger (before or from this file): id, whether derived, whether from this file.
    /// Not kept for a file whose keys are unique going into an empty workspace: every row is new there,
    /// and the unique index on the key refuses a repeated one.
    private var known: [String: (id: Int64, derived: Bool, thisFile: Bool)] = [:]
    private struct TotalKey: Hashable { var day: Int32; var account: Int64; var currency: String; var kind: String; var platform: String; var client: String }
    /// The day sums of this import, with their parts (``DayTotalParts``), added to the ledger's at the end.
    private var totals: [TotalKey: TransactionBatch.Total] = [:]
    var new = 0, dup = 0, newInv = 0, dupInv = 0
    /// For each invoice added, in order, whether it was new (see ``ImportOutcome/invoicesNew``).
    private var invoicesNew: [Bool] = []

    /// Whether rows go into `txn` by COPY as the loader role (else through the temporary table).
    let viaLoader: Bool
    /// The open COPY into `txn` (loader only), and whether the loader role is in effect.
    private var stream: CopyStream?
    private var loaderRoleSet = false
    /// Rows encoded and not yet sent, and how many.
    private var copyText = CopyTextEncoder()
    private var pendingRows = 0
    /// Bytes of COPY text per chunk handed to the server (about 2,000 PayPal rows).
    static let chunkBytes = 512 * 1024
    /// The fields every row of this file starts with: workspace and batch.
    private let rowPrefix: [UInt8]

    // Per index of the batches' tables (see ``TransactionBatch/tables``): ledger account ids (in
    // the postings encoder; 0 until first used), names and currencies as COPY text and as strings.
    private var tables: UInt64 = 0
    private var encoder = PostingsEncoder()
    private var nameText: [[UInt8]] = []
    private static let kindText: [[UInt8]] = TransactionKind.allCases.map { CopyTextEncoder.escaped($0.rawValue) }

    init(tx: PGTx, workspace: Int64, fileName: String, sha256: String, format: String, now: Date, keysAreUnique: Bool = false,
         loader allowed: Bool = true) throws {
        self.tx = tx; ws = workspace; self.fileName = fileName
        batch = try tx.query("SELECT COALESCE(MAX(id), 0)::bigint + 1 FROM import_batch WHERE workspace_id = \(ws)").first!.decode(Int64.self)
        let stamp = ISO8601DateFormatter().string(from: now)
        try tx.query("INSERT INTO import_batch (workspace_id, id, file_name, sha256, format, imported_at) VALUES (\(ws), \(batch), \(fileName), \(sha256), \(format), \(stamp))")
        maxTxnID = try tx.query("SELECT COALESCE(MAX(id), 0)::bigint FROM txn WHERE workspace_id = \(ws)").first!.decode(Int64.self)
        // As SQLite's bulk load: a file whose keys the reader guarantees unique, going into a
        // ledger without transactions, fails on a repeated key; into any other ledger a repeat
        // is a duplicate like any other.
        self.keysAreUnique = keysAreUnique && maxTxnID == 0
        for row in try tx.query("SELECT id, path FROM account WHERE workspace_id = \(ws)") {
            let (id, path) = try row.decode((Int64, String).self)
            accountIDs[path] = id
            maxAccountID = max(maxAccountID, id)
        }
        let usable = allowed ? try PostgresSchema.loaderUsable(tx) : false
        viaLoader = usable
        var p = CopyTextEncoder()
        p.int(ws); p.int(batch)
        rowPrefix = p.bytes
    }

    /// The columns of the COPY text, in order (constants: PostgresNIO writes them into the statement as given).
    static let copyColumns: [StaticString] = ["workspace_id", "batch_id", "id", "day", "timestamp", "time_zone", "payee", "platform", "client",
                                              "description", "kind", "external_id", "dedup_key", "source_file", "source_line", "source_record",
                                              "postings", "has_cost", "derived", "first_amount"]
    static let copyColumnList = copyColumns.map(\.description).joined(separator: ", ")

    /// Adds transactions given whole (a record, an invoice's), through the batch path: one batch
    /// per run of transactions from the same source file.
    func add(_ ts: [Transaction]) throws {
        try TransactionBatchBuilder.batches(of: ts) { try add($0) }
    }

    /// A batch from a statement reader: validated as SQLite's writer does, then added in file
    /// order, skipping (and counting) the transactions already in the ledger.
    ///
    /// `telling`: for that many first entries of the batch, whether each was added (true) or
    /// skipped as already in the ledger (false), in order (an import's preview shows them).
    @discardableResult
    func add(_ b: TransactionBatch, telling: Int = 0) throws -> [Bool] {
        var fates: [Bool] = []
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
            encoder = PostingsEncoder(); nameText = []
        }
        while nameText.count < b.names.count { nameText.append(CopyTextEncoder.escaped(b.names[nameText.count])) }
        while encoder.currencyText.count < b.currencies.count { encoder.currencyText.append(Array(b.currencies[encoder.currencyText.count].code.utf8)) }
        while encoder.accountIDs.count < b.accounts.count { encoder.accountIDs.append(0) }
        let sourceFile: [UInt8]? = b.sourceFile == nil || b.sourceFile == fileName ? nil : CopyTextEncoder.escaped(b.sourceFile!)
        var start = 0
        while start < b.entries.count {
            let end = min(start + 4096, b.entries.count)
            // Accounts first, in order of first use (as SQLite gives them ids), duplicates included.
            for i in start..<end {
                let e = b.entries[i]
                for k in Int(e.firstLeg)..<Int(e.firstLeg + e.legCount) where encoder.accountIDs[Int(b.legs[k].account)] == 0 {
                    let a = Int(b.legs[k].account), path = b.accounts[a].path
                    if let id = accountIDs[path] { encoder.accountIDs[a] = id; continue }
                    maxAccountID += 1
                    accountIDs[path] = maxAccountID
                    encoder.accountIDs[a] = maxAccountID
                    pendingAccounts.append((maxAccountID, path))
                }
            }
            if stream == nil { try writeAccounts() }
            if !keysAreUnique {
                let unknown = Array(Set((start..<end).compactMap { b.string(b.entries[$0].dedupKey) }.filter { known[$0] == nil }))
                if !unknown.isEmpty {
                    try endCopy()
                    for row in try tx.query("SELECT dedup_key, id, derived FROM txn WHERE workspace_id = \(ws) AND dedup_key = ANY(\(unknown))") {
                        let (key, id, derived) = try row.decode((String, Int64, Bool).self)
                        known[key] = (id, derived, false)
                    }
                }
            }
            try b.text.withUnsafeBufferPointer { text in
                func span(_ r: TransactionBatch.TextRef) -> UnsafeBufferPointer<UInt8> {
                    UnsafeBufferPointer(rebasing: text[Int(r.start)..<Int(r.start + r.count)])
                }
                for i in start..<end {
                    let e = b.entries[i]
                    if !keysAreUnique, let key = b.string(e.dedupKey) {
                        if let k = known[key] {
                            dup += 1
                            if i < telling { fates.append(false) }
                            subtractFromTotals(b, i)
                            if !e.isDerived && k.derived {
                                try flushPending()
                                try replaceDerived(id: k.id, with: b.transaction(at: i))
                                known[key] = (k.id, false, k.thisFile)
                            }
                            continue
                        }
                        known[key] = (maxTxnID + 1, e.isDerived, true)
                    }
                    maxTxnID += 1
                    new += 1
                    if i < telling { fates.append(true) }
                    Self.encodeRow(e, id: maxTxnID, prefix: rowPrefix, sourceFile: sourceFile, legs: b.legs, span: span, names: nameText,
                                   encoder: &encoder, into: &copyText)
                    pendingRows += 1
                    if copyText.bytes.count >= Self.chunkBytes && viaLoader { try sendPending() }
                }
            }
            if !viaLoader || !keysAreUnique { try flushPending() }
            start = end
        }
        // The batch's day sums count every entry; the duplicates' were taken out above.
        for (k, t) in b.totals {
            let key = TotalKey(day: k.day, account: encoder.accountIDs[Int(k.account)], currency: b.currencies[Int(k.currency)].code,
                               kind: TransactionKind.allCases[Int(k.kind)].rawValue, platform: b.name(k.platform) ?? "", client: b.name(k.client) ?? "")
            totals[key, default: TransactionBatch.Total()].add(t)
        }
        return fates
    }

    /// One row of COPY text, the fields in ``copyColumns`` order (static, with its state passed
    /// in: no exclusivity check per field of a class's stored property).
    @inline(__always)
    private static func encodeRow(_ e: TransactionBatch.Entry, id: Int64, prefix: [UInt8], sourceFile: [UInt8]?, legs: [TransactionBatch.Leg],
                                  span: (TransactionBatch.TextRef) -> UnsafeBufferPointer<UInt8>, names: [[UInt8]],
                                  encoder: inout PostingsEncoder, into out: inout CopyTextEncoder) {
        @inline(__always) func name(_ n: Int32) { if n < 0 { out.null() } else { out.raw(names[Int(n)]) } }
        @inline(__always) func text(_ r: TransactionBatch.TextRef) { if r.isNone { out.null() } else { out.text(span(r)) } }
        out.raw(prefix)
        out.int(id); out.int(Int64(e.day))
        text(e.timestamp)
        name(e.timeZone); name(e.payee); name(e.platform); name(e.client)
        if e.description.isNone { out.raw([]) } else { out.text(span(e.description)) }
        out.raw(kindText[e.kind.index])
        text(e.externalID); text(e.dedupKey)
        if let f = sourceFile { out.raw(f) } else { out.null() }
        out.int(e.line < 0 ? nil : Int64(e.line)); out.int(e.record < 0 ? nil : Int64(e.record))
        encoder.text.removeAll(keepingCapacity: true)
        encoder.encode(legs[Int(e.firstLeg)..<Int(e.firstLeg + e.legCount)])
        encoder.text.withUnsafeBufferPointer { out.text($0) }
        out.bool(e.hasCost); out.bool(e.isDerived)
        out.int(e.legCount > 0 ? legs[Int(e.firstLeg)].amount : 0)
        out.endRow()
    }

    private func subtractFromTotals(_ b: TransactionBatch, _ i: Int) {
        let e = b.entries[i]
        for k in Int(e.firstLeg)..<Int(e.firstLeg + e.legCount) where b.legs[k].costCurrency < 0 {
            let l = b.legs[k]
            let key = TotalKey(day: e.day, account: encoder.accountIDs[Int(l.account)], currency: b.currencies[Int(l.currency)].code,
                               kind: e.kind.rawValue, platform: b.name(e.platform) ?? "", client: b.name(e.client) ?? "")
            totals[key, default: TransactionBatch.Total()].add(TransactionBatch.Total(amount: -l.amount, postings: -1, parts: [-l.amount]))
        }
    }


    private func writeAccounts() throws {
        guard !pendingAccounts.isEmpty else { return }
        try tx.query("INSERT INTO account (workspace_id, id, path) SELECT \(ws), * FROM unnest(\(pendingAccounts.map(\.0))::bigint[], \(pendingAccounts.map(\.1))::text[])")
        pendingAccounts.removeAll()
    }

    /// Hands the rows encoded so far to the open COPY into `txn` (opening it, as the loader role,
    /// if needed). The loader role (`SET LOCAL ROLE`) is in effect only while a copy is open.
    private func sendPending() throws {
        guard pendingRows > 0 else { return }
        if stream == nil {
            try writeAccounts()
            try tx.run("SET LOCAL ROLE \(PostgresSchema.loaderRole)")
            loaderRoleSet = true
            stream = CopyStream(tx, into: "txn", columns: Self.copyColumns)
        }
        do { try stream!.send(copyText.take()) } catch { throw Self.described(error) }
        pendingRows = 0
    }

    /// Ends the open COPY (waiting until the server has every row) and goes back to the store's
    /// own role: after it, any statement may be sent.
    func endCopy() throws {
        if let s = stream {
            stream = nil
            do { try s.finish() } catch { throw Self.described(error) }
        }
        if loaderRoleSet {
            loaderRoleSet = false
            try tx.run("SET LOCAL ROLE NONE")
        }
        try writeAccounts()
    }

    /// Leaves the connection usable for the rollback after a failure.
    func abandon() {
        stream?.abort()
        stream = nil
    }

    /// A repeated dedup key within a file whose keys are unique is the profile's bug, said as SQLite says it.
    static func described(_ error: any Error) -> any Error {
        if let e = error as? PSQLError, e.serverInfo?[.sqlState] == "23505", e.serverInfo?[.constraintName] == "txn_dedup_key" {
            // The server names the key only to a role that may read the row, which under row-level security it does not.
            let detail = e.serverInfo?[.detail].map { " (\($0))" } ?? ""
            return StoreError.invalid("two transactions of this file have the same dedup key\(detail); nothing was imported; this is a bug in the profile, please report it")
        }
        return error
    }

    /// Bulk rows without the loader: COPY is refused on a table under row-level security for a
    /// role that is subject to it (which the store's role must be), so the rows are copied into a
    /// temporary table of this transaction (no policy; dropped at commit or rollback), then
    /// inserted from it into `txn` by one `INSERT … SELECT`, which the policy's WITH CHECK does
    /// see. Duplicates were already taken out by the key lookups above, so the insert needs no
    /// ON CONFLICT.
    private var stagingReady = false
    private func copyPending() throws {
        if !stagingReady {
            try tx.run("""
                CREATE TEMPORARY TABLE import_txn (
                    workspace_id bigint, batch_id bigint, id bigint, day integer, timestamp text, time_zone text, payee text, platform text,
                    client text, description text, kind text, external_id text, dedup_key text, source_file text, source_line bigint,
                    source_record bigint, postings text, has_cost boolean, derived boolean, first_amount bigint) ON COMMIT DROP
                """)
            stagingReady = true
        }
        try tx.copy(into: "import_txn", columns: Self.copyColumns, data: copyText.bytes)
        do {
            try tx.query("INSERT INTO txn (\(unescaped: Self.copyColumnList)) SELECT \(unescaped: Self.copyColumnList) FROM import_txn")
        } catch { throw Self.described(error) }
        try tx.run("TRUNCATE import_txn")
        copyText.removeAll()
        pendingRows = 0
    }

    /// Writes the rows encoded so far into `txn`; after it, any statement may be sent.
    private func flushPending() throws {
        if viaLoader {
            try sendPending()
            try endCopy()
        } else if pendingRows > 0 {
            try copyPending()
        }
    }

    private func addToTotals(_ t: Transaction, sign: Int64) {
        for p in t.postings where p.cost == nil {
            let key = TotalKey(day: Int32(t.date.ordinal), account: accountIDs[p.account.path]!, currency: p.amount.currency.code,
                               kind: t.kind.rawValue, platform: t.platform ?? "", client: t.client ?? "")
            totals[key, default: TransactionBatch.Total()].add(TransactionBatch.Total(amount: sign * p.amount.minorUnits, postings: Int(sign), parts: [sign * p.amount.minorUnits]))
        }
    }

    private func stored(_ id: Int64) throws -> Transaction? {
        try flushPending()
        guard let row = try tx.query("SELECT day, kind, platform, client, postings FROM txn WHERE workspace_id = \(ws) AND id = \(id)").first else { return nil }
        let (day, kind, platform, client, postings) = try row.decode((Int, String, String?, String?, String).self)
        var interner = try Interner(accounts: accountIDs.map { (id: $0.value, path: $0.key) })
        return Transaction(date: Day(ordinal: day), description: "", kind: TransactionKind(rawValue: kind) ?? .other,
                           postings: try PostingsColumn.decode(postings, interner: &interner), platform: platform, client: client)
    }

    /// A transaction booked from derived amounts gives way to the same transaction as stated by its source.
    private func replaceDerived(id: Int64, with t: Transaction) throws {
        guard let old = try stored(id) else { return }
        addToTotals(old, sign: -1)
        for p in t.postings where accountIDs[p.account.path] == nil {
            maxAccountID += 1
            accountIDs[p.account.path] = maxAccountID
            try tx.query("INSERT INTO account (workspace_id, id, path) VALUES (\(ws), \(maxAccountID), \(p.account.path))")
        }
        let postings = PostingsColumn.encode(t.postings, accountIDs: t.postings.map { accountIDs[$0.account.path]! })
        try tx.query("""
            UPDATE txn SET postings = \(postings), has_cost = \(t.postings.contains { $0.cost != nil }), derived = false,
                   day = \(Int32(t.date.ordinal)), kind = \(t.kind.rawValue), platform = \(t.platform), client = \(t.client),
                   first_amount = \(t.postings.first?.amount.minorUnits ?? 0)
            WHERE workspace_id = \(ws) AND id = \(id)
            """)
        addToTotals(t, sign: 1)
    }

    /// Takes a transaction this import wrote out again (a lone conversion leg the ledger already
    /// holds inside a whole conversion), with its day sums; it counts as a duplicate.
    func removeTransaction(_ id: Int64) throws {
        guard let t = try stored(id) else { return }
        addToTotals(t, sign: -1)
        try tx.query("DELETE FROM txn WHERE workspace_id = \(ws) AND id = \(id)")
        new -= 1
        dup += 1
    }

    /// Adds an invoice (once per seller, number, type and date) with its ledger transaction.
    func add(_ inv: Invoice, _ t: Transaction?) throws {
        try flushPending()
        let exists = try tx.query("SELECT 1 FROM invoice WHERE workspace_id = \(ws) AND dedup_key = \(inv.dedupKey)").count > 0
        invoicesNew.append(!exists)
        if exists { dupInv += 1; return }
        var txnID: Int64?
        if var t {
            if t.dedupKey == nil { t.dedupKey = inv.dedupKey }
            let counted = (new, dup)
            try add([t])
            try flushPending()
            if new > counted.0 { txnID = maxTxnID }
            (new, dup) = counted
        }
        let id = try tx.query("SELECT COALESCE(MAX(id), 0)::bigint + 1 FROM invoice WHERE workspace_id = \(ws)").first!.decode(Int64.self)
        var s = SQL("""
            INSERT INTO invoice (workspace_id, id, dedup_key, number, type_code, kind, direction, issue_day, due_day, seller_name, seller_tax_id,
              seller_country, buyer_name, buyer_tax_id, buyer_country, currency, net, tax, withholding, total, prepaid, payable,
              tax_accounting_currency, tax_accounting_amount, corrects_number, status, format, source_file, problems, txn_id, batch_id) VALUES (
            """)
        let values: [String] = [
            s.bind(ws), s.bind(id), s.bind(inv.dedupKey), s.bind(inv.number), s.bind(inv.typeCode), s.bind(inv.kind.rawValue), s.bind(inv.direction.rawValue),
            s.bind(Int32(inv.issueDate.ordinal)), s.bind(inv.dueDate.map { Int32($0.ordinal) }), s.bind(inv.seller.name), s.bind(inv.seller.taxID),
            s.bind(inv.seller.country), s.bind(inv.buyer.name), s.bind(inv.buyer.taxID), s.bind(inv.buyer.country), s.bind(inv.currency.code),
            s.bind(inv.net.minorUnits), s.bind(inv.tax.minorUnits), s.bind(inv.withholding.minorUnits), s.bind(inv.total.minorUnits),
            s.bind(inv.prepaid.minorUnits), s.bind(inv.payable.minorUnits), s.bind(inv.taxInAccountingCurrency?.currency.code),
            s.bind(inv.taxInAccountingCurrency?.minorUnits), s.bind(inv.correctsNumber), s.bind(inv.status.rawValue), s.bind(inv.format),
            s.bind(inv.source?.file), s.bind(inv.problems.map(\.description).joined(separator: "\n")), s.bind(txnID), s.bind(batch),
        ]
        s += values.joined(separator: ", ") + ")"
        try tx.query(s)
        newInv += 1
    }

    /// Writes the day sums gathered so far (added to those in the ledger) and starts afresh.
    func flushTotals() throws {
        try flushPending()
        let rows = totals.filter { $0.value.amount != 0 || $0.value.postings != 0 }
        totals = [:]
        guard !rows.isEmpty else { return }
        let keys = Array(rows.keys)
        let sums = keys.map { rows[$0]! }
        try tx.query("""
            INSERT INTO daily_total (workspace_id, day, account_id, currency, kind, platform, client, amount, postings, parts)
            SELECT \(ws), * FROM unnest(\(keys.map(\.day))::integer[], \(keys.map(\.account))::bigint[], \(keys.map(\.currency))::text[],
                                        \(keys.map(\.kind))::text[], \(keys.map(\.platform))::text[], \(keys.map(\.client))::text[],
                                        \(sums.map(\.amount))::bigint[], \(sums.map { Int64($0.postings) })::bigint[],
                                        \(sums.map { DayTotalParts.encode($0.parts) })::text[])
            ON CONFLICT (workspace_id, day, account_id, currency, kind, platform, client)
            DO UPDATE SET amount = daily_total.amount + excluded.amount, postings = daily_total.postings + excluded.postings,
              parts = CASE WHEN daily_total.parts = '' THEN excluded.parts ELSE daily_total.parts || ',' || excluded.parts END
            """)
    }

    /// Flushes the day sums, records the balance checks and the batch's counts.
    func finish(balanceChecks: [BalanceCheck], filteredCount: Int, problemCount: Int, conversionLegs: [ConversionLeg]) throws -> ImportOutcome {
        try flushPending()
        let inWhole = try recordConversionLegs(conversionLegs)
        try flushTotals()
        var next = try tx.query("SELECT COALESCE(MAX(id), 0)::bigint + 1 FROM balance_check WHERE workspace_id = \(ws)").first!.decode(Int64.self)
        for c in balanceChecks {
            try tx.query("""
                INSERT INTO balance_check (workspace_id, id, batch_id, account, day, currency, stated, computed, source_file, source_line)
                VALUES (\(ws), \(next), \(batch), \(c.account.path), \(Int32(c.date.ordinal)), \(c.stated.currency.code), \(c.stated.minorUnits),
                        \(c.computed.minorUnits), \(c.location?.file), \(c.location?.line.map(Int64.init)))
                """)
            next += 1
        }
        try tx.query("""
            UPDATE import_batch SET new_count = \(Int64(new + newInv)), duplicate_count = \(Int64(dup + dupInv)), filtered_count = \(Int64(filteredCount)),
                   problem_count = \(Int64(problemCount)) WHERE workspace_id = \(ws) AND id = \(batch)
            """)
        return ImportOutcome(batchID: batch, newTransactions: new, duplicateTransactions: dup, newInvoices: newInv, duplicateInvoices: dupInv,
                             legsInWholeConversions: inWhole, invoicesNew: invoicesNew)
    }

    // MARK: conversion legs (the rules of SQLite's BatchWriter.recordConversionLegs)

    func recordConversionLegs(_ legs: [ConversionLeg]) throws -> [String] {
        guard !legs.isEmpty else { return [] }
        var removed: [String] = []
        var whole = ConversionKeys.WholeConversions()
        for leg in legs {
            let inserted = try tx.query("SELECT id FROM txn WHERE workspace_id = \(ws) AND dedup_key = \(leg.key) AND batch_id = \(batch)").first?.decode(Int64.self)
            if let id = inserted, leg.pairedBy == nil {
                if try whole.hold(leg, keys: { try keys(from: $0, below: $1) }) {
                    try removeTransaction(id)
                    removed.append(leg.key)
                    continue
                }
            }
            try tx.query("""
                INSERT INTO conversion_leg (workspace_id, txn_key, institution, leg_id, reference, day, seconds, currency, gross, net, source_file, source_line, paired_key)
                VALUES (\(ws), \(leg.key), \(leg.institution), \(leg.id), \(leg.reference), \(Int32(leg.day.ordinal)), \(Int64(leg.seconds)),
                        \(leg.gross.currency.code), \(leg.gross.minorUnits), \(leg.net.minorUnits), \(leg.source?.file), \(leg.source?.line.map(Int64.init)), \(leg.pairedBy))
                ON CONFLICT (workspace_id, txn_key) DO UPDATE SET paired_key = coalesce(conversion_leg.paired_key, excluded.paired_key)
                """)
        }
        return removed
    }

    private func keys(from low: String, below high: String) throws -> [String] {
        try tx.query("SELECT dedup_key FROM txn WHERE workspace_id = \(ws) AND dedup_key >= \(low) AND dedup_key < \(high) AND batch_id <> \(batch)")
            .map { try $0.decode(String.self) }
    }
}
