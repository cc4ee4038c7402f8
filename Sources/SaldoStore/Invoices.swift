import Foundation
import GRDB
import SaldoCore

/// An invoice as stored, with the payments linked to it.
public struct StoredInvoice: Sendable, Hashable {
    public var id: Int64
    public var invoice: Invoice
    public var transactionID: Int64?
    public var payments: [LinkedPayment]
    package init(id: Int64, invoice: Invoice, transactionID: Int64?, payments: [LinkedPayment]) {
        self.id = id; self.invoice = invoice; self.transactionID = transactionID; self.payments = payments
    }
}

/// A payment (a statement transaction) linked to an invoice, automatically or by the user.
public struct LinkedPayment: Sendable, Hashable {
    public var transactionID: Int64
    /// The payment transaction's booking date.
    public var date: Day
    public var description: String
    public var amount: Money
    public var method: String
    public var explanation: String
    public init(transactionID: Int64, date: Day, description: String, amount: Money, method: String, explanation: String) {
        self.transactionID = transactionID; self.date = date; self.description = description
        self.amount = amount; self.method = method; self.explanation = explanation
    }
}

extension SQLiteLedgerStore {
    public func invoices() throws(StoreError) -> [StoredInvoice] {
        try read { db in
            var payments: [Int64: [LinkedPayment]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT ip.invoice_id, ip.txn_id, ip.amount, i.currency, ip.method, ip.explanation, t.day, t.description FROM invoice_payment ip JOIN invoice i ON i.id = ip.invoice_id JOIN txn t ON t.id = ip.txn_id ORDER BY ip.invoice_id, t.day, ip.txn_id") {
                payments[row[0], default: []].append(LinkedPayment(transactionID: row[1], date: Day(ordinal: row[6]), description: row[7],
                                                                   amount: try Self.money(row[2], row[3]), method: row[4], explanation: row[5]))
            }
            return try Row.fetchAll(db, sql: "SELECT * FROM invoice ORDER BY issue_day, id").map { row in
                let cur = try CurrencyCode(row["currency"] as String)
                func m(_ k: String) -> Money { Money(minorUnits: row[k], currency: cur) }
                var taxAcc: Money?
                if let c: String = row["tax_accounting_currency"], let a: Int64 = row["tax_accounting_amount"] { taxAcc = try Self.money(a, c) }
                let problemsText: String = row["problems"]
                let inv = Invoice(
                    number: row["number"], typeCode: row["type_code"], kind: InvoiceKind(rawValue: row["kind"]) ?? .invoice,
                    direction: InvoiceDirection(rawValue: row["direction"]) ?? .issued,
                    issueDate: Day(ordinal: row["issue_day"]), dueDate: (row["due_day"] as Int?).map { Day(ordinal: $0) },
                    seller: Party(name: row["seller_name"], taxID: row["seller_tax_id"], country: row["seller_country"]),
                    buyer: Party(name: row["buyer_name"], taxID: row["buyer_tax_id"], country: row["buyer_country"]),
                    currency: cur, net: m("net"), tax: m("tax"), withholding: m("withholding"), total: m("total"),
                    prepaid: m("prepaid"), payable: m("payable"), taxInAccountingCurrency: taxAcc, correctsNumber: row["corrects_number"],
                    status: InvoiceStatus(rawValue: row["status"]) ?? .open, format: row["format"],
                    source: (row["source_file"] as String?).map { SourceLocation(file: $0) },
                    problems: problemsText.isEmpty ? [] : problemsText.split(separator: "\n").map { Diagnostic.warning("invoice.totals", String($0)) })
                let id: Int64 = row["id"]
                return StoredInvoice(id: id, invoice: inv, transactionID: row["txn_id"], payments: payments[id] ?? [])
            }
        }
    }

    /// Finds an invoice by its number (and, when several share it, the seller name or tax id).
    public func invoiceID(number: String, seller: String? = nil) throws(StoreError) -> Int64 {
        let ids: [Int64] = try read { db in
            var sql = "SELECT id FROM invoice WHERE number = ?"
            var args: [any DatabaseValueConvertible] = [number]
            if let s = seller { sql += " AND (seller_name = ? OR seller_tax_id = ?)"; args += [s, s] }
            return try Int64.fetchAll(db, sql: sql, arguments: StatementArguments(args))
        }
        if ids.isEmpty { throw .notFound("no invoice numbered \"\(number)\" in the ledger; the invoice list shows them") }
        if ids.count > 1 { throw .invalid("\(ids.count) invoices are numbered \"\(number)\"; name the seller to say which") }
        return ids[0]
    }

    /// Whether the ledger holds a transaction with this id.
    public func transactionExists(_ id: Int64) throws(StoreError) -> Bool {
        try read { db in try Bool.fetchOne(db, sql: "SELECT 1 FROM txn WHERE id = ?", arguments: [id]) == true }
    }

    /// Links a payment transaction to an invoice (replacing an earlier link between the two).
    public func link(invoiceID: Int64, transactionID: Int64, amount: Money, method: String, explanation: String) throws(StoreError) {
        try write { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM txn WHERE id = ?", arguments: [transactionID]) == true else {
                throw StoreError.notFound("no transaction #\(transactionID) in the ledger; the ledger's CSV export lists the ids")
            }
            try db.execute(sql: "INSERT OR REPLACE INTO invoice_payment (invoice_id, txn_id, amount, method, explanation) VALUES (?, ?, ?, ?, ?)",
                           arguments: [invoiceID, transactionID, amount.minorUnits, method, explanation])
            try Self.refreshStatus(db, invoiceID: invoiceID)
        }
    }

    /// Removes links of an invoice (to one transaction, or all).
    public func unlink(invoiceID: Int64, transactionID: Int64? = nil) throws(StoreError) -> Int {
        try write { db in
            if let t = transactionID {
                try db.execute(sql: "DELETE FROM invoice_payment WHERE invoice_id = ? AND txn_id = ?", arguments: [invoiceID, t])
            } else {
                try db.execute(sql: "DELETE FROM invoice_payment WHERE invoice_id = ?", arguments: [invoiceID])
            }
            let n = db.changesCount
            try Self.refreshStatus(db, invoiceID: invoiceID)
            return n
        }
    }

    /// Status follows the links: paid when payments reach the payable amount.
    static func refreshStatus(_ db: Database, invoiceID: Int64) throws {
        let payable = try Int64.fetchOne(db, sql: "SELECT payable FROM invoice WHERE id = ?", arguments: [invoiceID]) ?? 0
        let paid = try Int64.fetchOne(db, sql: "SELECT COALESCE(SUM(amount), 0) FROM invoice_payment WHERE invoice_id = ? AND method != 'rejected'", arguments: [invoiceID]) ?? 0
        let status: InvoiceStatus = paid == 0 ? .open : (abs(paid) >= abs(payable) ? .paid : .partiallyPaid)
        try db.execute(sql: "UPDATE invoice SET status = ? WHERE id = ? AND status != 'cancelled'", arguments: [status.rawValue, invoiceID])
    }
}
