import GRDB
import GRDBSQLite

/// Binds and steps a prepared statement through SQLite's C API: the import hot path writes
/// millions of rows, and GRDB's argument arrays (one existential per value) cost more than the
/// insert itself. Used only inside a GRDB write transaction, on GRDB's own statements.
struct RawStatement {
    let handle: OpaquePointer
    let db: Database
    /// Keeps GRDB's statement (and so the SQLite statement) alive.
    let statement: Statement
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    init(_ statement: Statement, _ db: Database) {
        handle = statement.sqliteStatement
        self.statement = statement
        self.db = db
    }

    func reset() { sqlite3_reset(handle) }
    func bind(_ i: Int32, _ v: Int64) { sqlite3_bind_int64(handle, i, v) }
    func bind(_ i: Int32, _ v: Int) { sqlite3_bind_int64(handle, i, Int64(v)) }
    func bind(_ i: Int32, _ v: Int64?) { if let v { sqlite3_bind_int64(handle, i, v) } else { sqlite3_bind_null(handle, i) } }
    func bind(_ i: Int32, _ v: Int?) { if let v { sqlite3_bind_int64(handle, i, Int64(v)) } else { sqlite3_bind_null(handle, i) } }
    func bindNull(_ i: Int32) { sqlite3_bind_null(handle, i) }
    func bind(_ i: Int32, _ v: String?) {
        guard var s = v else { sqlite3_bind_null(handle, i); return }
        s.withUTF8 { buf in
            _ = sqlite3_bind_text(handle, i, UnsafeRawPointer(buf.baseAddress!).assumingMemoryBound(to: CChar.self), Int32(buf.count), Self.transient)
        }
    }

    private static let isStatic = unsafeBitCast(0, to: sqlite3_destructor_type.self)

    /// Binds text that stays where it is until the statement has run (SQLite does not copy it).
    func bindStatic(_ i: Int32, _ p: UnsafePointer<UInt8>, _ count: Int) {
        _ = sqlite3_bind_text(handle, i, UnsafeRawPointer(p).assumingMemoryBound(to: CChar.self), Int32(count), Self.isStatic)
    }

    /// Binds bytes that stay where they are until the statement has run (SQLite does not copy them:
    /// a mapped file is written from the mapping).
    func bindBlob(_ i: Int32, _ bytes: UnsafeRawBufferPointer) {
        if let p = bytes.baseAddress, bytes.count > 0 {
            _ = sqlite3_bind_blob64(handle, i, p, sqlite3_uint64(bytes.count), Self.isStatic)
        } else {
            _ = sqlite3_bind_zeroblob(handle, i, 0)
        }
    }

    /// Steps once; returns the number of rows the statement changed.
    func run() throws -> Int {
        let rc = sqlite3_step(handle)
        sqlite3_reset(handle)
        guard rc == SQLITE_DONE || rc == SQLITE_ROW else {
            throw DatabaseError(resultCode: ResultCode(rawValue: rc), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
        }
        return Int(sqlite3_changes(db.sqliteConnection))
    }

    var lastInsertedRowID: Int64 { sqlite3_last_insert_rowid(db.sqliteConnection) }
}

/// Steps a prepared query through SQLite's C API and reads its columns in place: a report over a
/// million transactions reads half a million day totals, and GRDB's rows copied each text column
/// (the day totals' parts into a `Data`) before it could be read. Used only inside a GRDB read,
/// on GRDB's own statements.
struct RawRows {
    let handle: OpaquePointer
    let db: Database
    /// Keeps GRDB's statement (and so the SQLite statement) alive.
    let statement: Statement

    init(_ db: Database, sql: String, arguments: StatementArguments) throws {
        statement = try db.makeStatement(sql: sql)
        try statement.setArguments(arguments)
        handle = statement.sqliteStatement
        self.db = db
    }

    /// Moves to the next row; false after the last.
    func next() throws -> Bool {
        let rc = sqlite3_step(handle)
        if rc == SQLITE_ROW { return true }
        sqlite3_reset(handle)
        guard rc == SQLITE_DONE else {
            throw DatabaseError(resultCode: ResultCode(rawValue: rc), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
        }
        return false
    }

    func int64(_ i: Int32) -> Int64 { sqlite3_column_int64(handle, i) }
    /// The column's text, valid until the next step ("" for NULL).
    func bytes(_ i: Int32) -> UnsafeBufferPointer<UInt8> {
        guard let p = sqlite3_column_text(handle, i) else { return UnsafeBufferPointer(start: nil, count: 0) }
        return UnsafeBufferPointer(start: p, count: Int(sqlite3_column_bytes(handle, i)))
    }
    func string(_ i: Int32) -> String { String(decoding: bytes(i), as: UTF8.self) }
}
