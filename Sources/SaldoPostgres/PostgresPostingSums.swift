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
            // One pass over the range, one row per day: each column an array of that day's
            // transactions in booking order, and, when references are asked for, the id of each
            // transaction that carries one (else NULL); those are read whole afterwards by id, the
            // others summed as they arrive. (One row per transaction cost this process more in the
            // driver's per-row work than in summing: 14.8 million rows on the office benchmark.
            // Two passes, one for each kind, cost the server a second scan of every row.)
            // The rows are sorted once, by day and id, below the aggregates: an `ORDER BY` inside
            // each of the five aggregates sorted every day five times (15.3 ms a workspace against
            // 7.9 ms). The aggregates take their rows in that order; the ids come along, and
            // `sumsDay` puts a day back in order should they not (PostgreSQL does not promise it).
            var s = SQL("SELECT t.day, array_agg(t.id), array_agg(t.payee), array_agg(t.platform), array_agg(t.client), array_agg(t.postings)")
            let refs = references(&s)
            if let refs { s += ", array_agg(CASE WHEN \(refs) THEN t.id END)" }
            s += " FROM (SELECT t.id, t.day, t.payee, t.platform, t.client, t.postings, t.dedup_key, t.external_id FROM txn t WHERE "
            let sr = range(&s)
            s += sr + " ORDER BY t.day, t.id) t GROUP BY t.day ORDER BY t.day"
            var referenced: [Int64] = []
            for row in try tx.query(s) {
                let day = try Self.sumsDay(row, withIDs: refs != nil)
                for i in day.postings.indices {
                    if let id = day.ids?[i] { referenced.append(id); continue }
                    guard let postings = day.postings[i] else { throw StoreError.database("a transaction without postings") }
                    try builder.add(day: day.day, payee: day.payees[i], platform: day.platforms[i], client: day.clients[i],
                                    postingsColumn: postings, interner: &cache)
                }
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

    /// One day's transactions as ``postingSums(_:)`` reads them: their payees, platforms, clients
    /// and postings columns (and, `withIDs`, the id of each that carries a reference), by id.
    struct SumsDay {
        var day: Int
        var payees: [String?], platforms: [String?], clients: [String?], postings: [String?]
        var ids: [Int64?]?

        /// Puts the transactions in the order of their ids (`ids[i]` is transaction `i`'s id),
        /// unless they are in it already.
        mutating func arrange(byID ids: [Int64]) {
            guard !zip(ids, ids.dropFirst()).allSatisfy({ $0 < $1 }) else { return }
            let byID = ids.indices.sorted { ids[$0] < ids[$1] }
            func arranged<T>(_ a: [T]) -> [T] { byID.map { a[$0] } }
            payees = arranged(payees); platforms = arranged(platforms); clients = arranged(clients)
            postings = arranged(postings); self.ids = self.ids.map(arranged)
        }
    }

    /// The row of one day, read from the cells' bytes: an `int4` and arrays of `int8` and `text`
    /// in PostgreSQL's binary array format (``BinaryArray``; the driver's generic decoding of one
    /// row per transaction cost more than summing it). The transactions come by id, put in that
    /// order here if the server did not keep it.
    static func sumsDay(_ row: PostgresRow, withIDs: Bool) throws -> SumsDay {
        var cells = row.makeIterator()
        guard let c0 = cells.next(), let c1 = cells.next(), let c2 = cells.next(), let c3 = cells.next(), let c4 = cells.next(),
              let c5 = cells.next() else {
            throw StoreError.database("a posting sums row has fewer columns than asked for")
        }
        let c6 = withIDs ? cells.next() : nil
        guard cells.next() == nil, withIDs == (c6 != nil) else { throw StoreError.database("a posting sums row has more columns than asked for") }
        let day: Int
        if c0.dataType == .int4, c0.format == .binary, let b = c0.bytes, b.readableBytes == 4, let v = b.getInteger(at: b.readerIndex, as: Int32.self) {
            day = Int(v)
        } else {
            day = try c0.decode(Int.self)
        }
        // The driver asks for every result in binary; it has no generic decoding of arrays with NULLs.
        func unreadable(_ c: PostgresCell) -> StoreError {
            .database("a posting sums row's column \(c.columnName) came as \(c.dataType) in \(c.format) format, not an array in binary format")
        }
        func texts(_ c: PostgresCell) throws -> [String?] {
            guard c.dataType == .textArray, c.format == .binary, let b = c.bytes,
                  let v = BinaryArray.elements(b, elementType: .text, { String(buffer: $0) }) else { throw unreadable(c) }
            return v
        }
        func integers(_ c: PostgresCell) throws -> [Int64?] {
            guard c.dataType == .int8Array, c.format == .binary, let b = c.bytes,
                  let v = BinaryArray.elements(b, elementType: .int8, { $0.readableBytes == 8 ? $0.getInteger(at: $0.readerIndex, as: Int64.self) : nil })
            else { throw unreadable(c) }
            return v
        }
        let order = try integers(c1)
        var read = SumsDay(day: day, payees: try texts(c2), platforms: try texts(c3), clients: try texts(c4), postings: try texts(c5))
        if let c6 { read.ids = try integers(c6) }
        let n = order.count
        guard read.postings.count == n, read.payees.count == n, read.platforms.count == n, read.clients.count == n, (read.ids?.count ?? n) == n,
              !order.contains(nil) else {
            throw StoreError.database("a posting sums row's arrays differ in length")
        }
        read.arrange(byID: order.map { $0! })
        return read
    }
}

/// PostgreSQL's binary format of a one-dimensional array: the number of dimensions, a flag for
/// NULLs, the element type, the length and lower bound of the dimension, then each element as its
/// byte count (−1: NULL) and its bytes.
enum BinaryArray {
    /// The elements, each read by `element` from its bytes (nil for NULL); nil when the bytes are
    /// not such an array of `elementType`, or `element` cannot read one.
    static func elements<T>(_ buffer: ByteBuffer, elementType: PostgresDataType, _ element: (ByteBuffer) -> T?) -> [T?]? {
        var b = buffer
        guard let dimensions = b.readInteger(as: Int32.self), b.readInteger(as: Int32.self) != nil,
              let type = b.readInteger(as: UInt32.self), type == elementType.rawValue else { return nil }
        if dimensions == 0 { return b.readableBytes == 0 ? [] : nil }
        guard dimensions == 1, let count = b.readInteger(as: Int32.self), count >= 0, b.readInteger(as: Int32.self) != nil else { return nil }
        var out: [T?] = []
        out.reserveCapacity(min(Int(count), b.readableBytes / 4))   // each element takes at least its 4-byte length
        for _ in 0..<count {
            guard let length = b.readInteger(as: Int32.self) else { return nil }
            if length == -1 { out.append(nil); continue }
            guard length >= 0, let bytes = b.readSlice(length: Int(length)), let v = element(bytes) else { return nil }
            out.append(v)
        }
        return b.readableBytes == 0 ? out : nil
    }
}

extension BinaryArray {
    /// ``elements(_:elementType:_:)`` of `text` elements from plain bytes (for tests, which do not
    /// import the driver's buffer type).
    static func texts(_ bytes: [UInt8]) -> [String?]? {
        elements(ByteBuffer(bytes: bytes), elementType: .text) { String(buffer: $0) }
    }
    /// The same for `int8` elements.
    static func integers(_ bytes: [UInt8]) -> [Int64?]? {
        elements(ByteBuffer(bytes: bytes), elementType: .int8) { $0.readableBytes == 8 ? $0.getInteger(at: $0.readerIndex, as: Int64.self) : nil }
    }
}
