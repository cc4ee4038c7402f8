import Foundation
import GRDB

/// Everything a ledger holds, table by table, as the engines store it: what a full copy of a
/// ledger into another one reads and writes (``LedgerStore/exportTables(_:)`` and
/// ``LedgerStore/importTables(_:)``). Rows travel as they are stored — ids, dedup keys, import
/// times, postings text, day totals, kept files — so the copy answers every read exactly as the
/// original, on either engine. The list follows the migrations: a migration that adds a table or
/// a column must add it here (`LedgerCopyTests.tableListCoversTheSchema` compares the list with
/// both engines' catalogs).
public struct LedgerTable: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case integer
        case text
        /// 0 or 1 in SQLite, `boolean` in PostgreSQL.
        case boolean
        case blob
    }
    public var name: String
    public var columns: [(name: String, kind: Kind)]
    /// The key the rows are read in (so both engines hand them over in the same order).
    public var orderBy: String

    public static func == (l: LedgerTable, r: LedgerTable) -> Bool {
        l.name == r.name && l.orderBy == r.orderBy && l.columns.map(\.name) == r.columns.map(\.name) && l.columns.map(\.kind) == r.columns.map(\.kind)
    }

    public var columnNames: [String] { columns.map(\.name) }

    /// What a table's rows are, in the words of the books (for messages).
    public static func describe(_ name: String) -> String {
        switch name {
        case "import_batch": return "imported statements"
        case "account": return "accounts"
        case "txn": return "transactions"
        case "daily_total": return "transactions' day totals"
        case "balance_check": return "statement balance checks"
        case "invoice": return "invoices"
        case "invoice_payment": return "invoice payments"
        case "rate": return "exchange rates"
        case "setting": return "settings"
        case "conversion_leg": return "currency conversions"
        case "statement_original": return "kept statement files"
        default: return name
        }
    }

    /// In an order that satisfies the foreign keys (parents first).
    public static let all: [LedgerTable] = [
        LedgerTable(name: "import_batch", columns: [
            ("id", .integer), ("file_name", .text), ("sha256", .text), ("format", .text), ("imported_at", .text),
            ("new_count", .integer), ("duplicate_count", .integer), ("filtered_count", .integer), ("problem_count", .integer),
        ], orderBy: "id"),
        LedgerTable(name: "account", columns: [("id", .integer), ("path", .text)], orderBy: "id"),
        LedgerTable(name: "txn", columns: [
            ("id", .integer), ("day", .integer), ("timestamp", .text), ("time_zone", .text), ("payee", .text), ("platform", .text),
            ("client", .text), ("description", .text), ("kind", .text), ("external_id", .text), ("dedup_key", .text),
            ("source_file", .text), ("source_line", .integer), ("source_record", .integer), ("batch_id", .integer),
            ("postings", .text), ("has_cost", .boolean), ("derived", .boolean), ("first_amount", .integer),
        ], orderBy: "id"),
        LedgerTable(name: "daily_total", columns: [
            ("day", .integer), ("account_id", .integer), ("currency", .text), ("kind", .text), ("platform", .text), ("client", .text),
            ("amount", .integer), ("postings", .integer), ("parts", .text),
        ], orderBy: "day, account_id, currency, kind, platform, client"),
        LedgerTable(name: "balance_check", columns: [
            ("id", .integer), ("batch_id", .integer), ("account", .text), ("day", .integer), ("currency", .text),
            ("stated", .integer), ("computed", .integer), ("source_file", .text), ("source_line", .integer),
        ], orderBy: "id"),
        LedgerTable(name: "invoice", columns: [
            ("id", .integer), ("dedup_key", .text), ("number", .text), ("type_code", .text), ("kind", .text), ("direction", .text),
            ("issue_day", .integer), ("due_day", .integer), ("seller_name", .text), ("seller_tax_id", .text), ("seller_country", .text),
            ("buyer_name", .text), ("buyer_tax_id", .text), ("buyer_country", .text), ("currency", .text), ("net", .integer),
            ("tax", .integer), ("withholding", .integer), ("total", .integer), ("prepaid", .integer), ("payable", .integer),
            ("tax_accounting_currency", .text), ("tax_accounting_amount", .integer), ("corrects_number", .text), ("status", .text),
            ("format", .text), ("source_file", .text), ("problems", .text), ("txn_id", .integer), ("batch_id", .integer),
        ], orderBy: "id"),
        LedgerTable(name: "invoice_payment", columns: [
            ("invoice_id", .integer), ("txn_id", .integer), ("amount", .integer), ("method", .text), ("explanation", .text),
        ], orderBy: "invoice_id, txn_id"),
        LedgerTable(name: "rate", columns: [("day", .integer), ("base", .text), ("quote", .text), ("source", .text), ("rate", .text)],
                    orderBy: "day, base, quote, source"),
        LedgerTable(name: "setting", columns: [("key", .text), ("value", .text)], orderBy: "key"),
        LedgerTable(name: "conversion_leg", columns: [
            ("txn_key", .text), ("institution", .text), ("leg_id", .text), ("reference", .text), ("day", .integer), ("seconds", .integer),
            ("currency", .text), ("gross", .integer), ("net", .integer), ("source_file", .text), ("source_line", .integer), ("paired_key", .text),
        ], orderBy: "txn_key"),
        LedgerTable(name: "statement_original", columns: [("sha256", .text), ("byte_count", .integer), ("content", .blob)], orderBy: "sha256"),
    ]

    /// Rows handed over at a time (files: fewer, by size; see ``LedgerRowChunker``).
    public static let chunkRows = 4_096
    /// Kept files handed over at most this many bytes at a time (one file may exceed it alone).
    public static let chunkBytes = 16 << 20
}

/// One stored value.
public enum LedgerCell: Sendable, Equatable {
    case null
    case integer(Int64)
    case text(String)
    case blob(Data)
}

/// What a full copy has moved, per table.
public struct LedgerTableCounts: Sendable, Equatable {
    public var rows: [String: Int] = [:]
    public init() {}
    public subscript(_ table: String) -> Int { rows[table] ?? 0 }
}

/// Gathers rows into chunks of at most ``LedgerTable/chunkRows`` rows or ``LedgerTable/chunkBytes``
/// bytes of blobs, and hands each full chunk on.
package struct LedgerRowChunker {
    let table: LedgerTable
    var rows: [[LedgerCell]] = []
    var bytes = 0
    package init(_ table: LedgerTable) { self.table = table }
    package mutating func add(_ row: [LedgerCell], _ emit: (LedgerTable, [[LedgerCell]]) throws -> Void) throws {
        for case .blob(let d) in row { bytes += d.count }
        rows.append(row)
        if rows.count >= LedgerTable.chunkRows || bytes >= LedgerTable.chunkBytes { try flush(emit) }
    }
    package mutating func flush(_ emit: (LedgerTable, [[LedgerCell]]) throws -> Void) throws {
        guard !rows.isEmpty else { return }
        try emit(table, rows)
        rows = []; bytes = 0
    }
}

extension SQLiteLedgerStore {
    public func exportTables(_ body: (LedgerTable, [[LedgerCell]]) throws -> Void) throws(StoreError) {
        try read { db in
            for table in LedgerTable.all {
                var chunker = LedgerRowChunker(table)
                let cursor = try Row.fetchCursor(db, sql: "SELECT \(table.columnNames.joined(separator: ", ")) FROM \(table.name) ORDER BY \(table.orderBy)")
                while let row = try cursor.next() {
                    var cells: [LedgerCell] = []
                    cells.reserveCapacity(table.columns.count)
                    for i in 0..<table.columns.count {
                        let value: DatabaseValue = row[i]
                        switch value.storage {
                        case .null: cells.append(.null)
                        case .int64(let v): cells.append(.integer(v))
                        case .string(let s): cells.append(.text(s))
                        case .blob(let d): cells.append(.blob(d))
                        case .double(let d):
                            throw StoreError.invalid("the ledger's \(table.name).\(table.columns[i].name) holds a fractional number (\(d)) where a whole number or text belongs; the ledger file was changed outside Saldo")
                        }
                    }
                    try chunker.add(cells, body)
                }
                try chunker.flush(body)
            }
        }
    }

    public func importTables(_ fill: (_ add: (LedgerTable, [[LedgerCell]]) throws -> Void) throws -> Void) throws(StoreError) -> LedgerTableCounts {
        try write { db in
            for table in LedgerTable.all {
                if try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM \(table.name))") == true { throw StoreError.notEmpty(path, table: table.name) }
            }
            var counts = LedgerTableCounts()
            var statements: [String: Statement] = [:]
            try fill { table, rows in
                guard LedgerTable.all.contains(table) else { throw StoreError.invalid("a ledger table named \(table.name) is not known to this version of Saldo") }
                let statement: Statement
                if let s = statements[table.name] { statement = s } else {
                    statement = try db.makeStatement(sql: "INSERT INTO \(table.name) (\(table.columnNames.joined(separator: ", "))) VALUES (\(Array(repeating: "?", count: table.columns.count).joined(separator: ", ")))")
                    statements[table.name] = statement
                }
                for row in rows {
                    guard row.count == table.columns.count else { throw StoreError.invalid("a row of \(table.name) has \(row.count) values where \(table.columns.count) belong") }
                    let values: [(any DatabaseValueConvertible)?] = row.map { cell -> (any DatabaseValueConvertible)? in
                        switch cell {
                        case .null: return nil
                        case .integer(let v): return v
                        case .text(let s): return s
                        case .blob(let d): return d
                        }
                    }
                    try statement.execute(arguments: StatementArguments(values))
                }
                counts.rows[table.name, default: 0] += rows.count
            }
            return counts
        }
    }
}

extension SQLiteLedgerStore {
    /// The columns of a table as the file has them (tests compare them with ``LedgerTable/all``).
    package func columnNames(of table: String) throws(StoreError) -> [String] {
        try read { db in try Row.fetchAll(db, sql: "SELECT name FROM pragma_table_info(?)", arguments: [table]).map { $0[0] as String } }
    }
}
