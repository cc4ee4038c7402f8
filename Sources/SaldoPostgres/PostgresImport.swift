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
        var outcome = try write(rollbackIf: { _ in dryRun }) { tx in
            let w = try PGBatchWriter(tx: tx, workspace: workspace, fileName: r.fileName, sha256: r.sha256, format: r.format, now: now)
            if let f = failAfter, f < r.transactions.count {
                try w.add(Array(r.transactions.prefix(f)))
                throw StoreError.database("injected failure after \(f) transactions")
            }
            try w.add(r.transactions)
            for (inv, t) in r.invoices { try w.add(inv, t) }
            let outcome = try w.finish(balanceChecks: r.balanceChecks, filteredCount: r.filteredCount, problemCount: r.problemCount,
                                       conversionLegs: r.conversionLegs)
            if let data = r.original, !dryRun { try keepOriginal(data, sha256: r.sha256, tx: tx) }
            return outcome
        }
        if dryRun { outcome.batchID = nil }
        return outcome
    }

    public func recordStream(fileName: String, sha256: String, format: String, dryRun: Bool, now: Date, keysAreUnique: Bool, original: Data?,
                             body: (_ sink: StreamSink) throws -> ImportStreamEnd) throws(StoreError) -> ImportOutcome? {
        var outcome = try write(rollbackIf: { $0 == nil || dryRun }) { tx -> ImportOutcome? in
                let w = try PGBatchWriter(tx: tx, workspace: workspace, fileName: fileName, sha256: sha256, format: format, now: now,
                                          keysAreUnique: keysAreUnique)
                let end = try body(StreamSink(add: { try w.add($0) }, noMoreBatches: { try w.flushTotals() }))
                guard end.keep else { return nil }
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
final class PGBatchWriter {
    let tx: PGTx
    let ws: Int64
    let batch: Int64
    private let fileName: String
    private let keysAreUnique: Bool
    private var maxTxnID: Int64
    private var accountIDs: [String: Int64] = [:]
    private var maxAccountID: Int64 = 0
    /// Dedup keys known to be in the ledger (before or from this file): id, whether derived, whether from this file.
    private var known: [String: (id: Int64, derived: Bool, thisFile: Bool)] = [:]
    private struct TotalKey: Hashable { var day: Int32; var account: Int64; var currency: String; var kind: String; var platform: String; var client: String }
    private var totals: [TotalKey: (amount: Int64, postings: Int64)] = [:]
    private var pending: [TxnRow] = []
    var new = 0, dup = 0, newInv = 0, dupInv = 0

    init(tx: PGTx, workspace: Int64, fileName: String, sha256: String, format: String, now: Date, keysAreUnique: Bool = false) throws {
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
    }

    /// One `txn` row as the JSON object `jsonb_to_recordset` reads.
    struct TxnRow: Encodable {
        var id: Int64, day: Int32, timestamp: String?, time_zone: String?, payee: String?, platform: String?, client: String?
        var description: String, kind: String, external_id: String?, dedup_key: String?, source_file: String?
        var source_line: Int64?, source_record: Int64?, postings: String, has_cost: Bool, derived: Bool
        /// The first posting's amount in minor units (0 without postings): the browser's amount order.
        var first_amount: Int64
        func encode(to encoder: any Encoder) throws {
            // Nulls written out (jsonb_to_recordset reads a missing key as null too, but explicit is clearer).
            var c = encoder.container(keyedBy: Key.self)
            try c.encode(id, forKey: .id); try c.encode(day, forKey: .day); try c.encode(timestamp, forKey: .timestamp)
            try c.encode(time_zone, forKey: .time_zone); try c.encode(payee, forKey: .payee); try c.encode(platform, forKey: .platform)
            try c.encode(client, forKey: .client); try c.encode(description, forKey: .description); try c.encode(kind, forKey: .kind)
            try c.encode(external_id, forKey: .external_id); try c.encode(dedup_key, forKey: .dedup_key); try c.encode(source_file, forKey: .source_file)
            try c.encode(source_line, forKey: .source_line); try c.encode(source_record, forKey: .source_record)
            try c.encode(postings, forKey: .postings); try c.encode(has_cost, forKey: .has_cost); try c.encode(derived, forKey: .derived)
            try c.encode(first_amount, forKey: .first_amount)
        }
        enum Key: String, CodingKey {
            case id, day, timestamp, time_zone, payee, platform, client, description, kind, external_id, dedup_key, source_file,
                 source_line, source_record, postings, has_cost, derived, first_amount
        }
        static let recordType = """
            r(id bigint, day integer, timestamp text, time_zone text, payee text, platform text, client text, description text, kind text,
              external_id text, dedup_key text, source_file text, source_line bigint, source_record bigint, postings text, has_cost boolean, derived boolean,
              first_amount bigint)
            """
    }

    /// A batch from a statement reader: validated as SQLite's writer does, then added.
    func add(_ b: TransactionBatch) throws {
        for i in b.checkedCount..<b.entries.count {
            do { try b.validate(at: i) } catch {
                let e = b.entries[i]
                let at = b.sourceFile.map { "\(SourceLocation(file: $0, line: e.line < 0 ? nil : Int(e.line), record: e.record < 0 ? nil : Int(e.record))): " } ?? ""
                throw StoreError.invalid("\(at)\(error)")
            }
        }
        try add(b.transactions)
    }

    /// Adds transactions in file order, skipping (and counting) those already in the ledger.
    func add(_ ts: [Transaction]) throws {
        var start = 0
        while start < ts.count {
            let chunk = ts[start..<min(start + 4096, ts.count)]
            start += chunk.count
            // Accounts first, in order of first use (as SQLite gives them ids), duplicates included.
            var newAccounts: [(Int64, String)] = []
            for t in chunk { for p in t.postings where accountIDs[p.account.path] == nil {
                maxAccountID += 1
                accountIDs[p.account.path] = maxAccountID
                newAccounts.append((maxAccountID, p.account.path))
            } }
            if !newAccounts.isEmpty {
                try tx.query("INSERT INTO account (workspace_id, id, path) SELECT \(ws), * FROM unnest(\(newAccounts.map(\.0))::bigint[], \(newAccounts.map(\.1))::text[])")
            }
            // Into an empty workspace with keys unique by construction, only this file's own rows
            // could match, and those are all in `known`: no lookup (a million index probes saved).
            let unknown = keysAreUnique ? [] : Array(Set(chunk.compactMap(\.dedupKey).filter { known[$0] == nil }))
            if !unknown.isEmpty {
                for row in try tx.query("SELECT dedup_key, id, derived FROM txn WHERE workspace_id = \(ws) AND dedup_key = ANY(\(unknown))") {
                    let (key, id, derived) = try row.decode((String, Int64, Bool).self)
                    known[key] = (id, derived, false)
                }
            }
            for t in chunk {
                if let key = t.dedupKey, let k = known[key] {
                    if keysAreUnique && k.thisFile {
                        throw StoreError.invalid("two transactions of this file have the same dedup key (\(key)); nothing was imported; this is a bug in the profile, please report it")
                    }
                    dup += 1
                    if !t.isDerived && k.derived {
                        try flushPending()
                        try replaceDerived(id: k.id, with: t)
                        known[key] = (k.id, false, k.thisFile)
                    }
                    continue
                }
                maxTxnID += 1
                if let key = t.dedupKey { known[key] = (maxTxnID, t.isDerived, true) }
                pending.append(row(t, id: maxTxnID))
                addToTotals(t, sign: 1)
                new += 1
            }
            try flushPending()
        }
    }

    private func row(_ t: Transaction, id: Int64) -> TxnRow {
        let file = t.source?.file
        return TxnRow(id: id, day: Int32(t.date.ordinal), timestamp: t.timestamp, time_zone: t.timeZone, payee: t.payee, platform: t.platform,
                      client: t.client, description: t.description, kind: t.kind.rawValue, external_id: t.externalID, dedup_key: t.dedupKey,
                      source_file: file == nil || file == fileName ? nil : file, source_line: t.source?.line.map(Int64.init),
                      source_record: t.source?.record.map(Int64.init),
                      postings: PostingsColumn.encode(t.postings, accountIDs: t.postings.map { accountIDs[$0.account.path]! }),
                      has_cost: t.postings.contains { $0.cost != nil }, derived: t.isDerived,
                      first_amount: t.postings.first?.amount.minorUnits ?? 0)
    }

    /// From this many rows on, rows go in through COPY (below it, one `jsonb_to_recordset` insert).
    static let copyThreshold = 256
    /// The staging table's columns, in the order the COPY text gives them (constants: PostgresNIO
    /// writes them into the statement as given).
    static let copyColumns: [StaticString] = ["id", "day", "timestamp", "time_zone", "payee", "platform", "client", "description", "kind",
                                              "external_id", "dedup_key", "source_file", "source_line", "source_record", "postings",
                                              "has_cost", "derived", "first_amount"]
    static let copyColumnList = copyColumns.map(\.description).joined(separator: ", ")
    private var stagingReady = false
    private var copyText = CopyTextEncoder()

    /// Bulk rows: COPY is refused on a table under row-level security for a role that is subject
    /// to it (which the store's role must be), so the rows are copied into a temporary table of
    /// this transaction (no policy; dropped at commit or rollback), then inserted from it into
    /// `txn` by one `INSERT … SELECT`, which the policy's WITH CHECK does see. Duplicates were
    /// already taken out by the key lookups above, so the insert needs no ON CONFLICT.
    private func copyPending() throws {
        if !stagingReady {
            try tx.run("""
                CREATE TEMPORARY TABLE import_txn (
                    id bigint, day integer, timestamp text, time_zone text, payee text, platform text, client text, description text,
                    kind text, external_id text, dedup_key text, source_file text, source_line bigint, source_record bigint, postings text,
                    has_cost boolean, derived boolean, first_amount bigint) ON COMMIT DROP
                """)
            stagingReady = true
        }
        copyText.removeAll()
        for r in pending {
            copyText.int(r.id); copyText.int(Int64(r.day)); copyText.text(r.timestamp); copyText.text(r.time_zone); copyText.text(r.payee)
            copyText.text(r.platform); copyText.text(r.client); copyText.text(r.description); copyText.text(r.kind); copyText.text(r.external_id)
            copyText.text(r.dedup_key); copyText.text(r.source_file); copyText.int(r.source_line); copyText.int(r.source_record)
            copyText.text(r.postings); copyText.bool(r.has_cost); copyText.bool(r.derived); copyText.int(r.first_amount)
            copyText.endRow()
        }
        try tx.copy(into: "import_txn", columns: Self.copyColumns, data: copyText.bytes)
        try tx.query("""
            INSERT INTO txn (workspace_id, batch_id, \(unescaped: Self.copyColumnList))
            SELECT \(ws), \(batch), \(unescaped: Self.copyColumnList) FROM import_txn
            """)
        try tx.run("TRUNCATE import_txn")
        pending.removeAll(keepingCapacity: true)
    }

    private func flushPending() throws {
        guard !pending.isEmpty else { return }
        if pending.count >= Self.copyThreshold { try copyPending(); return }
        let json = String(decoding: try JSONEncoder().encode(pending), as: UTF8.self)
        try tx.query(PostgresQuery(unsafeSQL: """
            INSERT INTO txn (workspace_id, id, day, timestamp, time_zone, payee, platform, client, description, kind, external_id, dedup_key,
                             source_file, source_line, source_record, batch_id, postings, has_cost, derived, first_amount)
            SELECT $1, r.id, r.day, r.timestamp, r.time_zone, r.payee, r.platform, r.client, r.description, r.kind, r.external_id, r.dedup_key,
                   r.source_file, r.source_line, r.source_record, $2, r.postings, r.has_cost, r.derived, r.first_amount
            FROM jsonb_to_recordset($3::jsonb) AS \(TxnRow.recordType)
            """, binds: { var b = PostgresBindings(); b.append(ws); b.append(batch); b.append(json); return b }()))
        pending.removeAll(keepingCapacity: true)
    }

    private func addToTotals(_ t: Transaction, sign: Int64) {
        for p in t.postings where p.cost == nil {
            let key = TotalKey(day: Int32(t.date.ordinal), account: accountIDs[p.account.path]!, currency: p.amount.currency.code,
                               kind: t.kind.rawValue, platform: t.platform ?? "", client: t.client ?? "")
            totals[key, default: (0, 0)].amount += sign * p.amount.minorUnits
            totals[key, default: (0, 0)].postings += sign
        }
    }

    private func stored(_ id: Int64) throws -> Transaction? {
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
                   day = \(Int32(t.date.ordinal)), platform = \(t.platform), client = \(t.client),
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
        if try tx.query("SELECT 1 FROM invoice WHERE workspace_id = \(ws) AND dedup_key = \(inv.dedupKey)").count > 0 { dupInv += 1; return }
        var txnID: Int64?
        if var t {
            if t.dedupKey == nil { t.dedupKey = inv.dedupKey }
            let counted = (new, dup)
            try add([t])
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
            INSERT INTO daily_total (workspace_id, day, account_id, currency, kind, platform, client, amount, postings)
            SELECT \(ws), * FROM unnest(\(keys.map(\.day))::integer[], \(keys.map(\.account))::bigint[], \(keys.map(\.currency))::text[],
                                        \(keys.map(\.kind))::text[], \(keys.map(\.platform))::text[], \(keys.map(\.client))::text[],
                                        \(sums.map(\.amount))::bigint[], \(sums.map(\.postings))::bigint[])
            ON CONFLICT (workspace_id, day, account_id, currency, kind, platform, client)
            DO UPDATE SET amount = daily_total.amount + excluded.amount, postings = daily_total.postings + excluded.postings
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
                             legsInWholeConversions: inWhole)
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
