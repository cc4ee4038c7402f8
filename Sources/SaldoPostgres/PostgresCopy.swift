import Foundation
import PostgresNIO
import SaldoStore

/// A whole ledger in and out of a workspace, rows as stored (see ``LedgerTable``): what copying a
/// SQLite ledger into a workspace, or a workspace into a SQLite file, reads and writes.
extension PostgresLedgerStore {
    /// Rows read per statement: keyset pages (`(key…) > (last key…)`), so a large workspace is
    /// never held in memory whole; kept files fewer at a time.
    static func pageSize(_ table: LedgerTable) -> Int { table.columns.contains { $0.kind == .blob } ? 16 : LedgerTable.chunkRows }

    public func exportTables(_ body: (LedgerTable, [[LedgerCell]]) throws -> Void) throws(StoreError) {
        // One read-only transaction at REPEATABLE READ: every page sees the same snapshot.
        try session.transaction(workspace: workspace, readOnly: true, snapshot: true) { tx in
            for table in LedgerTable.all {
                let keys = table.orderBy.components(separatedBy: ", ")
                let keyIndexes = keys.map { k in table.columns.firstIndex { $0.name == k }! }
                var last: [LedgerCell]?
                while true {
                    var s = SQL("SELECT \(table.columnNames.joined(separator: ", ")) FROM \(table.name) WHERE ")
                    s += own(&s)
                    if let last {
                        let placeholders = zip(keyIndexes, last).map { i, cell in Self.bind(cell, as: table.columns[i].kind, into: &s) }
                        s += " AND (\(keys.joined(separator: ", "))) > (\(placeholders.joined(separator: ", ")))"
                    }
                    s += " ORDER BY \(table.orderBy) LIMIT \(Self.pageSize(table))"
                    var rows: [[LedgerCell]] = []
                    for row in try tx.query(s) {
                        let c = row.makeRandomAccess()
                        var cells: [LedgerCell] = []
                        cells.reserveCapacity(table.columns.count)
                        for (i, column) in table.columns.enumerated() {
                            switch column.kind {
                            case .integer: cells.append(try c[i].decode(Int64?.self).map { .integer($0) } ?? .null)
                            case .text: cells.append(try c[i].decode(String?.self).map { .text($0) } ?? .null)
                            case .boolean: cells.append(try c[i].decode(Bool?.self).map { .integer($0 ? 1 : 0) } ?? .null)
                            case .blob: cells.append(try c[i].decode(ByteBuffer?.self).map { .blob(Data($0.readableBytesView)) } ?? .null)
                            }
                        }
                        rows.append(cells)
                    }
                    guard let end = rows.last else { break }
                    try body(table, rows)
                    if rows.count < Self.pageSize(table) { break }
                    last = keyIndexes.map { end[$0] }
                }
            }
        }
    }

    public func importTables(_ fill: (_ add: (LedgerTable, [[LedgerCell]]) throws -> Void) throws -> Void) throws(StoreError) -> LedgerTableCounts {
        let displayed = path
        return try write { tx in
            for table in LedgerTable.all {
                var s = SQL("SELECT EXISTS (SELECT 1 FROM \(table.name) WHERE ")
                s += own(&s) + ")"
                if try tx.query(s).first!.decode(Bool.self) { throw StoreError.notEmpty(displayed, table: table.name) }
            }
            var counts = LedgerTableCounts()
            try fill { table, rows in
                guard LedgerTable.all.contains(table) else { throw StoreError.invalid("a ledger table named \(table.name) is not known to this version of Saldo") }
                // A statement takes at most 65,535 bound values.
                let perStatement = max(1, 60_000 / (table.columns.count + 1))
                var start = 0
                while start < rows.count {
                    let slice = rows[start..<min(rows.count, start + perStatement)]
                    var s = SQL("INSERT INTO \(table.name) (workspace_id, \(table.columnNames.joined(separator: ", "))) VALUES ")
                    let ws = s.bind(workspace)
                    var first = true
                    for row in slice {
                        guard row.count == table.columns.count else { throw StoreError.invalid("a row of \(table.name) has \(row.count) values where \(table.columns.count) belong") }
                        let values = zip(row, table.columns).map { cell, column in Self.bind(cell, as: column.kind, into: &s) }
                        s += (first ? "" : ", ") + "(\(ws), \(values.joined(separator: ", ")))"
                        first = false
                    }
                    try tx.query(s)
                    start += slice.count
                }
                counts.rows[table.name, default: 0] += rows.count
            }
            return counts
        }
    }

    /// Binds a cell as the column's type (a NULL too: PostgreSQL types the parameter by its value).
    static func bind(_ cell: LedgerCell, as kind: LedgerTable.Kind, into s: inout SQL) -> String {
        switch (cell, kind) {
        case (.null, .integer): return s.bind(Int64?.none)
        case (.null, .text): return s.bind(String?.none)
        case (.null, .boolean): return s.bind(Bool?.none)
        case (.null, .blob): return s.bind(ByteBuffer?.none)
        case (.integer(let v), .boolean): return s.bind(v != 0)
        case (.integer(let v), _): return s.bind(v)
        case (.text(let t), _): return s.bind(t)
        case (.blob(let d), _): return s.bind(ByteBuffer(bytes: d))
        }
    }
}

extension PostgresLedgerStore {
    /// The columns of a table apart from `workspace_id` (tests compare them with ``LedgerTable/all``).
    package func columnNames(of table: String) throws(StoreError) -> [String] {
        try read { tx in
            try tx.query("SELECT column_name::text FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = \(table) AND column_name <> 'workspace_id'")
                .map { try $0.decode(String.self) }
        }
    }
}
