import Foundation
import NIOCore
import PostgresNIO
import SaldoCore
import SaldoStore

extension PostgresLedgerStore {
    /// ``PostingSumQuery`` on a workspace: the transactions carrying a reference whole, the others'
    /// postings summed as their rows arrive (``PostingSumsBuilder``, the code SQLite uses), in one
    /// read-only transaction. Only five short columns of each row travel (and the id of one that
    /// carries a reference).
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
            // One pass over the range: each row says whether it carries a reference (its id, else
            // NULL); those are read whole afterwards by id, the others summed as they arrive. (Two
            // passes, one for each kind, cost the server a second scan of every row.)
            var s = SQL("SELECT t.day, t.payee, t.platform, t.client, t.postings")
            let refs = references(&s)
            if let refs { s += ", CASE WHEN \(refs) THEN t.id END" }
            s += " FROM txn t WHERE "
            let sr = range(&s)
            s += sr + " ORDER BY t.day, t.id"
            var referenced: [Int64] = []
            for row in try tx.query(s) {
                let (day, payee, platform, client, postings, id) = try Self.sumsRow(row, withID: refs != nil)
                if let id { referenced.append(id); continue }
                try builder.add(day: day, payee: payee, platform: platform, client: client, postingsColumn: postings, interner: &cache)
            }
            var whole: [StoredTransaction] = []
            if !referenced.isEmpty {
                var w = SQL("SELECT \(Self.txnColumns) FROM txn t LEFT JOIN import_batch b ON b.workspace_id = t.workspace_id AND b.id = t.batch_id WHERE ")
                let mine = own(&w, "t")
                w += mine + " AND t.id = ANY(\(w.bind(referenced))) ORDER BY t.day, t.id"
                whole = try tx.query(w).map { row in
                    var st = try Self.storedTransaction(row, &cache)
                    st.transaction.isDerived = false   // as `transactions(in:)` on both engines
                    return st
                }
            }
            return builder.finish(whole: whole)
        }
    }

    /// `day, payee, platform, client, postings` of one row (and, `withID`, the id of a row that
    /// carries a reference, else nil), read from the cells' bytes: an `int4` and an `int8` in
    /// binary and four `text` cells (UTF-8 in either format). The generic tuple decode cost more
    /// than summing the row (a quarter of the office quarter-end's time went to it); a cell of
    /// another type or format is decoded the generic way.
    static func sumsRow(_ row: PostgresRow, withID: Bool) throws -> (Int, String?, String?, String?, String, Int64?) {
        var cells = row.makeIterator()
        guard let c0 = cells.next(), let c1 = cells.next(), let c2 = cells.next(), let c3 = cells.next(), let c4 = cells.next() else {
            throw StoreError.database("a posting sums row has fewer columns than asked for")
        }
        let c5 = withID ? cells.next() : nil
        guard cells.next() == nil, withID == (c5 != nil) else { throw StoreError.database("a posting sums row has more columns than asked for") }
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
        var id: Int64?
        if let c5, let b = c5.bytes {
            if c5.dataType == .int8, c5.format == .binary, b.readableBytes == 8, let v = b.getInteger(at: b.readerIndex, as: Int64.self) { id = v }
            else { id = try c5.decode(Int64?.self) }
        }
        guard let postings = try text(c4) else { throw StoreError.database("a transaction without postings") }
        return (day, try text(c1), try text(c2), try text(c3), postings, id)
    }
}
