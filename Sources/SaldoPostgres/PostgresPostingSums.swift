import Foundation
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
                let (day, payee, platform, client, postings) = try row.decode((Int, String?, String?, String?, String).self)
                try builder.add(day: day, payee: payee, platform: platform, client: client, postingsColumn: postings, interner: &cache)
            }
            return builder.finish(whole: whole)
        }
    }
}
