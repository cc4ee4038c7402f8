import Foundation
import GRDB
import SaldoCore

/// Everything one input file contributes to the ledger, recorded as one batch.
public struct ImportRecord: Sendable {
    public var fileName: String
    public var sha256: String
    /// The detected format or profile (`paypal-activity`, `ubl`, …).
    public var format: String
    public var transactions: [Transaction]
    /// Invoices with their ledger transaction.
    public var invoices: [(invoice: Invoice, transaction: Transaction)]
    public var balanceChecks: [BalanceCheck]
    public var filteredCount: Int
    public var problemCount: Int

    public init(fileName: String, sha256: String, format: String, transactions: [Transaction] = [],
                invoices: [(invoice: Invoice, transaction: Transaction)] = [], balanceChecks: [BalanceCheck] = [],
                filteredCount: Int = 0, problemCount: Int = 0) {
        self.fileName = fileName; self.sha256 = sha256; self.format = format; self.transactions = transactions
        self.invoices = invoices; self.balanceChecks = balanceChecks; self.filteredCount = filteredCount; self.problemCount = problemCount
    }
}

/// What a recorded batch added.
public struct ImportOutcome: Sendable, Equatable {
    public var batchID: Int64?
    public var newTransactions: Int
    public var duplicateTransactions: Int
    public var newInvoices: Int
    public var duplicateInvoices: Int
}

extension LedgerStore {
    /// Records a batch in one database transaction: all of it or nothing.
    /// Transactions whose `dedupKey` is already in the ledger are skipped and counted as duplicates;
    /// transactions without a key are always added. With `dryRun`, the same work is done and then
    /// rolled back, so the counts are exactly what a real import would add.
    public func record(_ r: ImportRecord, dryRun: Bool = false, now: Date = Date()) throws(StoreError) -> ImportOutcome {
        try record(r, dryRun: dryRun, now: now, failAfter: nil)
    }

    /// `failAfter`: tests make the write fail after that many transactions, to prove nothing is kept.
    func record(_ r: ImportRecord, dryRun: Bool, now: Date, failAfter: Int?) throws(StoreError) -> ImportOutcome {
        for t in r.transactions + r.invoices.map(\.transaction) {
            do { try t.validate() } catch { throw .invalid("\(t.source.map { "\($0): " } ?? "")\(error)") }
        }
        do {
            var outcome = ImportOutcome(batchID: nil, newTransactions: 0, duplicateTransactions: 0, newInvoices: 0, duplicateInvoices: 0)
            try db.writeWithoutTransaction { db in
                try db.inTransaction(.immediate) {
                    outcome = try self.insert(r, db: db, now: now, failAfter: failAfter)
                    return dryRun ? .rollback : .commit
                }
            }
            if dryRun { outcome.batchID = nil }
            return outcome
        } catch let e as StoreError {
            throw e
        } catch {
            throw .database(Self.describe(error))
        }
    }

    private func insert(_ r: ImportRecord, db: Database, now: Date, failAfter: Int?) throws -> ImportOutcome {
        let stamp = ISO8601DateFormatter().string(from: now)
        try db.execute(sql: "INSERT INTO import_batch (file_name, sha256, format, imported_at, filtered_count, problem_count) VALUES (?, ?, ?, ?, ?, ?)",
                       arguments: [r.fileName, r.sha256, r.format, stamp, r.filteredCount, r.problemCount])
        let batch = db.lastInsertedRowID
        let txnStmt = try db.makeStatement(sql: """
            INSERT INTO txn (day, timestamp, time_zone, payee, platform, client, description, kind, external_id, dedup_key,
                             source_file, source_line, source_record, batch_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(dedup_key) DO NOTHING
            """)
        let postStmt = try db.makeStatement(sql: """
            INSERT INTO posting (txn_id, seq, account, currency, amount, cost_currency, cost_amount) VALUES (?, ?, ?, ?, ?, ?, ?)
            """)
        var new = 0, dup = 0
        func add(_ t: Transaction) throws -> Int64? {
            txnStmt.setUncheckedArguments([
                t.date.ordinal, t.timestamp, t.timeZone, t.payee, t.platform, t.client, t.description, t.kind.rawValue,
                t.externalID, t.dedupKey, t.source?.file, t.source?.line, t.source?.record, batch,
            ])
            try txnStmt.execute()
            guard db.changesCount == 1 else { return nil }
            let id = db.lastInsertedRowID
            for (i, p) in t.postings.enumerated() {
                postStmt.setUncheckedArguments([
                    id, i, p.account.path, p.amount.currency.code, p.amount.minorUnits, p.cost?.currency.code, p.cost?.minorUnits,
                ])
                try postStmt.execute()
            }
            return id
        }
        for (i, t) in r.transactions.enumerated() {
            if let f = failAfter, i == f { throw StoreError.database("injected failure after \(f) transactions") }
            if try add(t) != nil { new += 1 } else { dup += 1 }
        }
        var newInv = 0, dupInv = 0
        for (inv, t) in r.invoices {
            let exists = try Bool.fetchOne(db, sql: "SELECT 1 FROM invoice WHERE dedup_key = ?", arguments: [inv.dedupKey]) ?? false
            if exists { dupInv += 1; continue }
            var tx = t
            if tx.dedupKey == nil { tx.dedupKey = inv.dedupKey }
            let txnID = try add(tx)
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
        for c in r.balanceChecks {
            try db.execute(sql: "INSERT INTO balance_check (batch_id, account, day, currency, stated, computed, source_file, source_line) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                           arguments: [batch, c.account.path, c.date.ordinal, c.stated.currency.code, c.stated.minorUnits, c.computed.minorUnits,
                                       c.location?.file, c.location?.line])
        }
        try db.execute(sql: "UPDATE import_batch SET new_count = ?, duplicate_count = ? WHERE id = ?", arguments: [new + newInv, dup + dupInv, batch])
        return ImportOutcome(batchID: batch, newTransactions: new, duplicateTransactions: dup, newInvoices: newInv, duplicateInvoices: dupInv)
    }
}
