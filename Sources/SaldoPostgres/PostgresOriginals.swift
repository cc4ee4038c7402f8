import Foundation
import PostgresNIO
import SaldoCore
import SaldoStore

/// The kept copies of imported files (see SaldoStore's Originals.swift), per workspace.
extension PostgresLedgerStore {
    /// Keeps `data` as the copy of the file with this SHA-256 in the open transaction, unless the
    /// workspace has it already. PostgreSQL's limit on one value (1 GB) bounds what is kept.
    func keepOriginal(_ data: Data, sha256: String, tx: PGTx) throws {
        guard data.count < 1_000_000_000 else { return }
        // LZ4 where the server has it (PostgreSQL 14+ built with lz4, as Debian's): the default
        // pglz compresses a 170 MB statement at a few tens of MB/s, on the import's critical path.
        if data.count > 1_000_000, try tx.query("SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'").first?.decode(Bool?.self) == true {
            try tx.run("SET LOCAL default_toast_compression = 'lz4'")
        }
        var s = SQL("INSERT INTO statement_original (workspace_id, sha256, byte_count, content) VALUES (")
        s.text += s.bind(workspace) + ", " + s.bind(sha256) + ", " + s.bind(Int64(data.count)) + ", " + s.bind(ByteBuffer(bytes: data))
        s.text += ") ON CONFLICT DO NOTHING"
        _ = try tx.execute(s)
    }

    public func bookedReferences(dedupKeys: Set<String>, numbers: Set<String>) throws(StoreError) -> (dedupKeys: Set<String>, numbers: Set<String>) {
        try read { tx in
            var keys = SQL("SELECT dedup_key FROM txn WHERE ")
            keys.text += own(&keys) + " AND dedup_key = ANY(" + keys.bind(Array(dedupKeys).sorted()) + ")"
            var ids = SQL("SELECT DISTINCT external_id FROM txn WHERE ")
            ids.text += own(&ids) + " AND external_id = ANY(" + ids.bind(Array(numbers).sorted()) + ")"
            return (Set(try tx.query(keys).map { try $0.decode(String.self) }), Set(try tx.query(ids).map { try $0.decode(String.self) }))
        }
    }

    public func origin(ofTransaction id: Int64) throws(StoreError) -> TransactionOrigin? {
        try read { tx in
            var s = SQL("""
                SELECT t.id, t.source_file, t.source_line, b.id, b.file_name, b.format, b.imported_at, b.sha256, o.byte_count
                FROM txn t LEFT JOIN import_batch b ON b.workspace_id = t.workspace_id AND b.id = t.batch_id
                LEFT JOIN statement_original o ON o.workspace_id = b.workspace_id AND o.sha256 = b.sha256
                WHERE
                """)
            s.text += " " + own(&s, "t") + " AND t.id = " + s.bind(id)
            guard let row = try tx.query(s).first else { return nil }
            let r = try row.decode((Int64, String?, Int?, Int64?, String?, String?, String?, String?, Int64?).self)
            let sameFile = r.1 == nil || r.1 == r.4
            return TransactionOrigin(transactionID: r.0, fileName: r.1 ?? r.4, line: r.2, batchID: r.3, batchFileName: r.4, format: r.5,
                                     importedAt: r.6, sha256: r.7, keptBytes: sameFile ? r.8.map(Int.init) : nil)
        }
    }

    @discardableResult
    public func readOriginal(sha256: String, chunkSize: Int, _ body: (UnsafeRawBufferPointer) throws -> Bool) throws(StoreError) -> Bool {
        try read { tx in
            var size = SQL("SELECT byte_count FROM statement_original WHERE ")
            size.text += own(&size) + " AND sha256 = " + size.bind(sha256)
            guard let total = try tx.query(size).first?.decode(Int64.self) else { return false }
            var offset: Int64 = 0
            let step = Int64(max(1, chunkSize))
            while offset < total {
                // substring counts from 1.
                var s = SQL("SELECT substring(content FROM ")
                s.text += s.bind(Int32(offset + 1)) + "::int FOR " + s.bind(Int32(step)) + "::int) FROM statement_original WHERE "
                s.text += own(&s) + " AND sha256 = " + s.bind(sha256)
                guard let chunk = try tx.query(s).first?.decode(ByteBuffer.self) else { break }
                offset += Int64(chunk.readableBytes)
                let more = try chunk.withUnsafeReadableBytes { try body($0) }
                if !more || chunk.readableBytes == 0 { break }
            }
            return true
        }
    }

    public func keptOriginals() throws(StoreError) -> (count: Int, bytes: Int) {
        try read { tx in
            var s = SQL("SELECT COUNT(*), COALESCE(SUM(byte_count), 0)::bigint FROM statement_original WHERE ")
            s.text += own(&s)
            guard let row = try tx.query(s).first else { return (0, 0) }
            let r = try row.decode((Int64, Int64).self)
            return (Int(r.0), Int(r.1))
        }
    }
}
