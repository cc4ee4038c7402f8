import Foundation
import GRDB
import GRDBSQLite

/// The statement files as they were imported, kept inside the ledger (one copy per distinct file,
/// by SHA-256), so that every transaction can show the line it came from and the file can be
/// downloaded again. Written in the import's own database transaction, so a file is kept exactly
/// when its rows are; never read back into the books.

/// Where a transaction came from (``LedgerStore/origin(ofTransaction:)``).
public struct TransactionOrigin: Sendable, Equatable {
    public var transactionID: Int64
    /// The file the row names (its own, else its batch's), as the import showed it.
    public var fileName: String?
    public var line: Int?
    public var batchID: Int64?
    /// The batch's file, format, time and SHA-256 (nil for a row recorded without a batch).
    public var batchFileName: String?
    public var format: String?
    public var importedAt: String?
    public var sha256: String?
    /// The size of the kept copy; nil when none is kept (imported before copies were kept, or
    /// a row that names a file other than its batch's).
    public var keptBytes: Int?

    package init(transactionID: Int64, fileName: String?, line: Int?, batchID: Int64?, batchFileName: String?, format: String?,
                 importedAt: String?, sha256: String?, keptBytes: Int?) {
        self.transactionID = transactionID; self.fileName = fileName; self.line = line; self.batchID = batchID
        self.batchFileName = batchFileName; self.format = format; self.importedAt = importedAt; self.sha256 = sha256; self.keptBytes = keptBytes
    }
}

extension SQLiteLedgerStore {
    /// Where transaction `id` came from; nil when the ledger has no such transaction.
    public func origin(ofTransaction id: Int64) throws(StoreError) -> TransactionOrigin? {
        try read { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT t.id, t.source_file, t.source_line, b.id, b.file_name, b.format, b.imported_at, b.sha256, o.byte_count
                FROM txn t LEFT JOIN import_batch b ON b.id = t.batch_id
                LEFT JOIN statement_original o ON o.sha256 = b.sha256
                WHERE t.id = ?
                """, arguments: [id]) else { return nil }
            let own: String? = row[1]
            let batchFile: String? = row[4]
            // A row that names another file than its batch's: the batch's copy is not its file.
            let sameFile = own == nil || own == batchFile
            return TransactionOrigin(transactionID: row[0], fileName: own ?? batchFile, line: row[2], batchID: row[3], batchFileName: batchFile,
                                     format: row[5], importedAt: row[6], sha256: row[7], keptBytes: sameFile ? row[8] : nil)
        }
    }

    /// Reads the kept copy with this SHA-256 in order, `chunkSize` bytes at a time, without
    /// loading it whole; `body` returns false to stop early. Returns false when no copy is kept.
    @discardableResult
    public func readOriginal(sha256: String, chunkSize: Int, _ body: (UnsafeRawBufferPointer) throws -> Bool) throws(StoreError) -> Bool {
        try read { db in
            guard let rowid = try Int64.fetchOne(db, sql: "SELECT rowid FROM statement_original WHERE sha256 = ?", arguments: [sha256]) else { return false }
            var blob: OpaquePointer?
            guard sqlite3_blob_open(db.sqliteConnection, "main", "statement_original", "content", rowid, 0, &blob) == SQLITE_OK, let blob else {
                throw StoreError.database("cannot read the kept copy of a statement: \(String(cString: sqlite3_errmsg(db.sqliteConnection)))")
            }
            defer { sqlite3_blob_close(blob) }
            let total = Int(sqlite3_blob_bytes(blob))
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(1, min(chunkSize, total)), alignment: 8)
            defer { buffer.deallocate() }
            var offset = 0
            while offset < total {
                let n = min(buffer.count, total - offset)
                guard sqlite3_blob_read(blob, buffer.baseAddress, Int32(n), Int32(offset)) == SQLITE_OK else {
                    throw StoreError.database("cannot read the kept copy of a statement: \(String(cString: sqlite3_errmsg(db.sqliteConnection)))")
                }
                offset += n
                guard try body(UnsafeRawBufferPointer(rebasing: buffer[0..<n])) else { break }
            }
            return true
        }
    }

    /// How many statement copies the ledger keeps, and their total size in bytes.
    public func keptOriginals() throws(StoreError) -> (count: Int, bytes: Int) {
        try read { db in
            let row = try Row.fetchOne(db, sql: "SELECT COUNT(*), COALESCE(SUM(byte_count), 0) FROM statement_original")
            return (row?[0] ?? 0, row?[1] ?? 0)
        }
    }
}

extension BatchWriter {
    /// Keeps `data` as the copy of the file with this SHA-256, unless the ledger has it already.
    /// The bytes are handed to SQLite where they are (a mapped file stays out of the heap).
    /// A file larger than SQLite's limit on one value (1 GB by default) is not kept: its rows say
    /// their file and line without a copy to open.
    func keepOriginal(_ data: Data, sha256: String) throws {
        guard data.count < Int(sqlite3_limit(db.sqliteConnection, SQLITE_LIMIT_LENGTH, -1)) - 1024 else { return }
        let st = RawStatement(try db.makeStatement(sql: "INSERT OR IGNORE INTO statement_original (sha256, byte_count, content) VALUES (?, ?, ?)"), db)
        st.bind(1, sha256)
        st.bind(2, data.count)
        try data.withUnsafeBytes { bytes in
            st.bindBlob(3, bytes)
            _ = try st.run()
        }
    }
}
