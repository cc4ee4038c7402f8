import Foundation
import SaldoCore
import SaldoStore
import SaldoPostgres

/// A whole ledger copied into another, on either engine: a SQLite file into an empty workspace of
/// a PostgreSQL database (a freelancer hands their books to their gestoría), a workspace into a new
/// SQLite file (they take them home), or file to file. Everything a ledger holds moves as it is
/// stored — imported statements with their file names, SHA-256, formats and times, transactions with
/// their ids, dedup keys and origins, day totals, balance checks, conversion legs, invoices and their
/// payments, rates, settings and the kept statement files — so the copy answers every report exactly
/// as the original, and importing any of the original statements into it again adds nothing.
///
/// One database transaction on the target: the copy is all there or not at all. Only into an empty
/// ledger (a new file, an empty file, a new or empty workspace).
public enum LedgerCopy {
    public struct Summary: Sendable, Equatable {
        public var from: String
        public var to: String
        /// Rows copied per table (``LedgerTable`` names).
        public var counts: LedgerTableCounts
        public var transactions: Int { counts["txn"] }
        public var statements: Int { counts["import_batch"] }
        public var invoices: Int { counts["invoice"] }
        public var rates: Int { counts["rate"] }
        public var settings: Int { counts["setting"] }
        public var keptFiles: Int { counts["statement_original"] }
    }

    public static func copy(from source: LedgerLocation, to target: LedgerLocation) throws -> Summary {
        if same(source.path, target.path) {
            throw UserError(LocalizedText("error.ledger_copy.same").english, hint: LocalizedText("error.ledger_copy.same.hint").english)
        }
        let from = try source.open(.existing)
        // A file this copy creates is removed again when the copy fails: nothing is left behind.
        let createsFile = !target.isPostgres && !FileManager.default.fileExists(atPath: target.path)
        var done = false
        defer { if !done && createsFile { try? FileManager.default.removeItem(atPath: target.path) } }
        let to = try target.open(.create)
        let counts = try fill(to, from: from)
        try check(from, to)
        done = true
        return Summary(from: from.path, to: to.path, counts: counts)
    }

    /// Every row of `from` into `to`, in one transaction on `to`; a target that is not empty is refused.
    static func fill(_ to: any LedgerStore, from: any LedgerStore) throws -> LedgerTableCounts {
        do {
            return try to.importTables { add in try from.exportTables(add) }
        } catch {
            guard case .notEmpty(let p, _) = error else { throw error }
            throw UserError(LocalizedText("error.ledger_copy.not_empty", ["path": p]).english,
                            hint: LocalizedText("error.ledger_copy.not_empty.hint").english)
        }
    }

    /// The copy answers as the original: the same balance per account and currency, the same number
    /// of transactions (read back from the target after the commit).
    static func check(_ a: any LedgerStore, _ b: any LedgerStore) throws {
        func key(_ x: AccountBalance) -> String { "\(x.account.path)|\(x.balance.currency.code)|\(x.balance.minorUnits)|\(x.postings)" }
        let l = try a.balances().map(key).sorted(), r = try b.balances().map(key).sorted()
        guard l == r, try a.transactionCount() == b.transactionCount() else {
            throw UserError(LocalizedText("error.ledger_copy.differs", ["path": b.path]).english,
                            hint: LocalizedText("error.ledger_copy.differs.hint").english)
        }
    }

    /// Whether two locations name the same ledger (the same file, or the same database and workspace).
    static func same(_ a: String, _ b: String) -> Bool {
        func normal(_ p: String) -> String {
            if PostgresLocation.isURL(p) {
                guard let l = try? PostgresLocation(url: p) else { return p }
                return "postgres://\(l.host):\(l.port)/\(l.database)?workspace=\(l.workspace.map(String.init) ?? "")"
            }
            return URL(fileURLWithPath: p).standardizedFileURL.resolvingSymlinksInPath().path
        }
        return normal(a) == normal(b)
    }
}
