import Foundation
import NIOCore
import PostgresNIO
import SaldoCore
import SaldoStore

extension PostgresLedgerStore {
    /// ``PostingSumQuery`` on a workspace: the transactions carrying a reference whole, the others'
    /// postings summed as their rows arrive (``PostingSumsBuilder``, the code SQLite uses), in one
    /// read-only transaction. Only five short columns of each row travel.
    public func postingSums(_ q: PostingSumQuery) throws(StoreError) -> PostingSums {
        var builder = try PostingSumsBuilder(q)
        return try read { tx in
            var cache = try interner(tx)
            /// The rows read (`t`): the workspace's, from the day asked.
            func range(_ s: inout SQL) -> String {
                var c = own(&s, "t")
                if let from = q.from { c += " AND t.day >= \(s.bind(Int32(from.ordinal)))" }
                return c
            }
            func references(_ s: inout SQL) -> String? {
                var refs: [String] = []
                if !q.wholeDedupKeys.isEmpty { refs.append("COALESCE(t.dedup_key = ANY(\(s.bind(q.wholeDedupKeys.sorted()))), false)") }
                if !q.wholeExternalIDs.isEmpty { refs.append("COALESCE(t.external_id = ANY(\(s.bind(q.wholeExternalIDs.sorted()))), false)") }
                return refs.isEmpty ? nil : "(" + refs.joined(separator: " OR ") + ")"
            }
            var whole: [StoredTransaction] = []
            var w = SQL("SELECT \(Self.txnColumns) FROM txn t LEFT JOIN import_batch b ON b.workspace_id = t.workspace_id AND b.id = t.batch_id WHERE ")
            let wr = range(&w)
            w += wr
            if let refs = references(&w) {
                w += " AND " + refs + " ORDER BY t.day, t.id"
                whole = try tx.query(w).map { row in
                    var st = try Self.storedTransaction(row, &cache)
                    st.transaction.isDerived = false   // as `transactions(in:)` on both engines
                    return st
                }
            }
            var s = SQL("SELECT t.day, t.payee, t.platform, t.client, t.postings FROM txn t WHERE ")
            let sr = range(&s)
            s += sr
            if let refs = references(&s) { s += " AND NOT " + refs }
            s += " ORDER BY t.day, t.id"
            for row in try tx.query(s) {
                let (day, payee, platform, client, postings) = try Self.sumsRow(row)
                try builder.add(day: day, payee: payee, platform: platform, client: client, postingsColumn: postings, interner: &cache)
            }
            return builder.finish(whole: whole)
        }
    }

    /// `day, payee, platform, client, postings` of one row, read from the cells' bytes: an `int4`
    /// in binary and four `text` cells (UTF-8 in either format). The generic tuple decode cost more
    /// than summing the row (a quarter of the office quarter-end's time went to it); a cell of
    /// another type or format is decoded the generic way.
    static func sumsRow(_ row: PostgresRow) throws -> (Int, String?, String?, String?, String) {
        var cells = row.makeIterator()
        guard let c0 = cells.next(), let c1 = cells.next(), let c2 = cells.next(), let c3 = cells.next(), let c4 = cells.next(),
              cells.next() == nil else {
            return try row.decode((Int, String?, String?, String?, String).self)
        }
        func text(_ c: PostgresCell) throws -> String? {
            guard c.dataType == .text else { return try c.decode(String?.self) }
            return c.bytes.map { String(buffer: $0) }
        }
        let day: Int
        if c0.dataType == .int4, c0.format == .binary, let b = c0.bytes, b.readableBytes == 4, let v = b.getInteger(at: b.readerIndex, as: Int32.self) {
            day = Int(v)
        } else {
            day = try c0.decode(Int.self)
        }
        guard let postings = try text(c4) else { return try row.decode((Int, String?, String?, String?, String).self) }
        return (day, try text(c1), try text(c2), try text(c3), postings)
    }
}
