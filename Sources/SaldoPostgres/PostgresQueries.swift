import Foundation
import PostgresNIO
import SaldoCore
import SaldoStore

extension PostgresLedgerStore {
    // MARK: transaction pages

    /// The sort key of the amount orders: the stored first amount (indexed by `txn_first_amount`).
    static let firstAmountSQL = "t.first_amount"
    /// SQLite's LIKE folds ASCII letters only; so does this (`lower` would fold every letter).
    static func asciiFolded(_ column: String) -> String {
        "translate(\(column), 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')"
    }
    /// SQLite's `saldo_fold`: case and accents folded by ``SearchFolding``'s one table.
    static func searchFolded(_ column: String) -> String {
        "translate(\(column), '\(SearchFolding.from)', '\(SearchFolding.to)')"
    }

    public func transactionPage(_ query: TransactionQuery) throws(StoreError) -> TransactionPage {
        if let c = query.after, c.sort != query.sort {
            throw .invalid("the page position was made for another order (\(c.sort.rawValue)), not \(query.sort.rawValue)")
        }
        return try read { tx in
            // The filters are built twice (the count and the page) so that each statement numbers its own parameters.
            func filters(_ s: inout SQL, accountIDs: [Int64]?) -> String {
                var conds = [own(&s, "t")]
                if let p = query.period { conds.append("t.day >= \(s.bind(Int32(p.start.ordinal))) AND t.day < \(s.bind(Int32(p.end.ordinal)))") }
                // Names as typed ("upwork"): the workspace's names that fold to them, then an exact match.
                for (column, names) in [("platform", query.platforms), ("client", query.clients)] where !names.isEmpty {
                    conds.append("t.\(column) IN (SELECT n FROM (SELECT DISTINCT \(column) AS n FROM txn WHERE \(own(&s)) AND \(column) IS NOT NULL) d WHERE "
                                 + Self.searchFolded("n") + " = ANY(\(s.bind(names.map(SearchFolding.fold)))))")
                }
                if let ids = accountIDs {
                    conds.append(ids.isEmpty ? "FALSE" : "EXISTS (SELECT 1 FROM jsonb_array_elements(t.postings::jsonb) j WHERE (j ->> 0)::bigint = ANY(\(s.bind(ids))))")
                }
                if !query.currencies.isEmpty {
                    conds.append("EXISTS (SELECT 1 FROM jsonb_array_elements(t.postings::jsonb) j WHERE (j ->> 1) = ANY(\(s.bind(query.currencies.map(\.code)))))")
                }
                if let text = query.text?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
                    let p = s.bind("%" + SQLiteLedgerStore.likeEscaped(SearchFolding.fold(text)) + "%")
                    conds.append("(" + ["t.description", "t.payee", "t.external_id", "t.platform", "t.client"]
                        .map { "\(Self.searchFolded($0)) LIKE \(p)" }.joined(separator: " OR ") + ")")
                }
                return conds.joined(separator: " AND ")
            }
            var accountIDs: [Int64]?
            if !query.accounts.isEmpty {
                var s = SQL("SELECT id FROM account WHERE ")
                var paths: [String] = [], prefixes: [String] = []
                for a in query.accounts { paths.append(a.path); prefixes.append(SQLiteLedgerStore.likeEscaped(a.path) + ":%") }
                s += own(&s) + " AND (\(Self.asciiFolded("path")) = ANY(SELECT \(Self.asciiFolded("x")) FROM unnest(\(s.bind(paths))::text[]) x)"
                s += " OR \(Self.asciiFolded("path")) LIKE ANY(SELECT \(Self.asciiFolded("x")) FROM unnest(\(s.bind(prefixes))::text[]) x))"
                accountIDs = try tx.query(s).map { try $0.decode(Int64.self) }
            }
            var count = SQL("SELECT COUNT(*) FROM txn t WHERE ")
            count += filters(&count, accountIDs: accountIDs)
            let matching = try tx.query(count).first!.decode(Int.self)

            let keySQL = query.sort.isAmount ? Self.firstAmountSQL : "t.day"
            let dir = query.sort.isDescending ? "DESC" : "ASC"
            /// The rows from the cursor on, in the page's order.
            func fromCursor(_ s: inout SQL) -> String {
                guard let c = query.after else { return "" }
                let (le, lt) = query.sort.isDescending ? ("<=", "<") : (">=", ">")
                return " AND \(keySQL) \(le) \(s.bind(c.key)) AND (\(keySQL) \(lt) \(s.bind(c.key)) OR t.id \(lt) \(s.bind(c.id)))"
            }
            // Where the page is (only when asked): the matching rows less those from the cursor on.
            var before: Int?
            if query.locate {
                if query.after == nil { before = 0 } else {
                    var following = SQL("SELECT COUNT(*) FROM txn t WHERE ")
                    following += filters(&following, accountIDs: accountIDs)
                    following += fromCursor(&following)
                    before = matching - (try tx.query(following).first!.decode(Int.self))
                }
            }
            var s = SQL("SELECT \(Self.txnColumns), \(keySQL) FROM txn t LEFT JOIN import_batch b ON b.workspace_id = t.workspace_id AND b.id = t.batch_id WHERE ")
            s += filters(&s, accountIDs: accountIDs)
            s += fromCursor(&s)
            s += " ORDER BY \(keySQL) \(dir), t.id \(dir) LIMIT \(s.bind(Int64(query.limit + 1)))"
            var cache = try interner(tx)
            var rows: [StoredTransaction] = []
            var keys: [Int64] = []
            for row in try tx.query(s) {
                rows.append(try Self.storedTransaction(row, &cache))
                keys.append(try row.makeRandomAccess()[16].decode(Int64.self))
            }
            var next: TransactionCursor?
            if rows.count > query.limit {
                rows.removeLast(); keys.removeLast()
                next = TransactionCursor(sort: query.sort, key: keys.last!, id: rows.last!.id)
            }
            return TransactionPage(rows: rows, matching: matching, next: next, before: before)
        }
    }

    // MARK: invoices

    public func invoices() throws(StoreError) -> [StoredInvoice] {
        try read { tx in
            var payments: [Int64: [LinkedPayment]] = [:]
            var p = SQL("""
                SELECT ip.invoice_id, ip.txn_id, ip.amount, i.currency, ip.method, ip.explanation, t.day, t.description
                FROM invoice_payment ip JOIN invoice i ON i.workspace_id = ip.workspace_id AND i.id = ip.invoice_id
                JOIN txn t ON t.workspace_id = ip.workspace_id AND t.id = ip.txn_id WHERE
                """)
            p += " " + own(&p, "ip") + " ORDER BY ip.invoice_id, t.day, ip.txn_id"
            for row in try tx.query(p) {
                let r = try row.decode((Int64, Int64, Int64, String, String, String, Int, String).self)
                payments[r.0, default: []].append(LinkedPayment(transactionID: r.1, date: Day(ordinal: r.6), description: r.7,
                                                                amount: try Self.money(r.2, r.3), method: r.4, explanation: r.5))
            }
            var s = SQL("""
                SELECT id, number, type_code, kind, direction, issue_day, due_day, seller_name, seller_tax_id, seller_country,
                       buyer_name, buyer_tax_id, buyer_country, currency, net, tax, withholding, total, prepaid, payable,
                       tax_accounting_currency, tax_accounting_amount, corrects_number, status, format, source_file, problems, txn_id
                FROM invoice WHERE
                """)
            s += " " + own(&s) + " ORDER BY issue_day, id"
            return try tx.query(s).map { row in
                let c = row.makeRandomAccess()
                let cur = try CurrencyCode(try c[13].decode(String.self))
                func m(_ i: Int) throws -> Money { Money(minorUnits: try c[i].decode(Int64.self), currency: cur) }
                var taxAcc: Money?
                if let tc = try c[20].decode(String?.self), let a = try c[21].decode(Int64?.self) { taxAcc = try Self.money(a, tc) }
                let problemsText = try c[26].decode(String.self)
                let inv = Invoice(
                    number: try c[1].decode(String.self), typeCode: try c[2].decode(String.self),
                    kind: InvoiceKind(rawValue: try c[3].decode(String.self)) ?? .invoice,
                    direction: InvoiceDirection(rawValue: try c[4].decode(String.self)) ?? .issued,
                    issueDate: Day(ordinal: try c[5].decode(Int.self)), dueDate: try c[6].decode(Int?.self).map { Day(ordinal: $0) },
                    seller: Party(name: try c[7].decode(String.self), taxID: try c[8].decode(String?.self), country: try c[9].decode(String?.self)),
                    buyer: Party(name: try c[10].decode(String.self), taxID: try c[11].decode(String?.self), country: try c[12].decode(String?.self)),
                    currency: cur, net: try m(14), tax: try m(15), withholding: try m(16), total: try m(17),
                    prepaid: try m(18), payable: try m(19), taxInAccountingCurrency: taxAcc, correctsNumber: try c[22].decode(String?.self),
                    status: InvoiceStatus(rawValue: try c[23].decode(String.self)) ?? .open, format: try c[24].decode(String.self),
                    source: try c[25].decode(String?.self).map { SourceLocation(file: $0) },
                    problems: problemsText.isEmpty ? [] : problemsText.split(separator: "\n").map { Diagnostic.warning("invoice.totals", String($0)) })
                let id = try c[0].decode(Int64.self)
                return StoredInvoice(id: id, invoice: inv, transactionID: try c[27].decode(Int64?.self), payments: payments[id] ?? [])
            }
        }
    }

    public func invoiceID(number: String, seller: String?) throws(StoreError) -> Int64 {
        let ids: [Int64] = try read { tx in
            var s = SQL("SELECT id FROM invoice WHERE ")
            s += own(&s) + " AND number = \(s.bind(number))"
            if let v = seller { s += " AND (seller_name = \(s.bind(v)) OR seller_tax_id = \(s.bind(v)))" }
            return try tx.query(s).map { try $0.decode(Int64.self) }
        }
        if ids.isEmpty { throw .notFound("no invoice numbered \"\(number)\" in the ledger; the invoice list shows them") }
        if ids.count > 1 { throw .invalid("\(ids.count) invoices are numbered \"\(number)\"; name the seller to say which") }
        return ids[0]
    }

    public func link(invoiceID: Int64, transactionID: Int64, amount: Money, method: String, explanation: String) throws(StoreError) {
        try write { tx in
            guard try tx.query("SELECT 1 FROM txn WHERE workspace_id = \(workspace) AND id = \(transactionID)").count > 0 else {
                throw StoreError.notFound("no transaction #\(transactionID) in the ledger; the ledger's CSV export lists the ids")
            }
            try tx.query("""
                INSERT INTO invoice_payment (workspace_id, invoice_id, txn_id, amount, method, explanation)
                VALUES (\(workspace), \(invoiceID), \(transactionID), \(amount.minorUnits), \(method), \(explanation))
                ON CONFLICT (workspace_id, invoice_id, txn_id) DO UPDATE SET amount = excluded.amount, method = excluded.method, explanation = excluded.explanation
                """)
            try refreshStatus(tx, invoiceID: invoiceID)
        }
    }

    public func unlink(invoiceID: Int64, transactionID: Int64?) throws(StoreError) -> Int {
        try write { tx in
            let n: Int
            if let t = transactionID {
                n = try tx.query("DELETE FROM invoice_payment WHERE workspace_id = \(workspace) AND invoice_id = \(invoiceID) AND txn_id = \(t)").metadata.rows ?? 0
            } else {
                n = try tx.query("DELETE FROM invoice_payment WHERE workspace_id = \(workspace) AND invoice_id = \(invoiceID)").metadata.rows ?? 0
            }
            try refreshStatus(tx, invoiceID: invoiceID)
            return n
        }
    }

    /// Status follows the links: paid when payments reach the payable amount.
    func refreshStatus(_ tx: PGTx, invoiceID: Int64) throws {
        let payable = try tx.query("SELECT payable FROM invoice WHERE workspace_id = \(workspace) AND id = \(invoiceID)").first?.decode(Int64.self) ?? 0
        let paid = try tx.query("SELECT COALESCE(SUM(amount), 0)::bigint FROM invoice_payment WHERE workspace_id = \(workspace) AND invoice_id = \(invoiceID) AND method != 'rejected'").first?.decode(Int64.self) ?? 0
        let status: InvoiceStatus = paid == 0 ? .open : (abs(paid) >= abs(payable) ? .paid : .partiallyPaid)
        try tx.query("UPDATE invoice SET status = \(status.rawValue) WHERE workspace_id = \(workspace) AND id = \(invoiceID) AND status != 'cancelled'")
    }
}
