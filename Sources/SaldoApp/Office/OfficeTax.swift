import Foundation
import SaldoCore
import SaldoPostgres
import SaldoReports

extension Office {
    /// Every client workspace of `organisation` as a quarter-end ledger (named as the office names it).
    public static func quarterEndLedgers(database url: String, organisation: Int64) throws -> (office: String, ledgers: [QuarterEndLedger]) {
        let d = try directory(url)
        let org = try Office.organisation(d, organisation)
        let workspaces = try d.workspaces(organisation: organisation)
        // One connection per client computed at once, shared by all of them (opening each
        // workspace's own connection cost more than some clients' computation).
        let pool = try PostgresSessionPool(url: url, size: min(max(1, workspaces.count), ProcessInfo.processInfo.activeProcessorCount))
        let ledgers = workspaces.map { w in
            QuarterEndLedger(id: String(w.id), name: w.name.isEmpty ? "#\(w.id)" : w.name) { pool.store(workspace: w.id) }
        }
        return (org.name, ledgers)
    }

    /// Quarter-end for a whole office: ``QuarterEnd`` over every client workspace of `organisation`
    /// (each computed from its own ledger and settings; a workspace that cannot be computed is
    /// listed with the reason, not a failure of the whole table).
    public static func quarterEnd(database url: String, organisation: Int64, today: Day, year: Int?, quarter: Int?,
                                  progress: (@Sendable (Int, Int) -> Void)? = nil) throws -> QuarterEndReport {
        if let q = quarter, !(1...4).contains(q) { throw UserError("the quarter must be 1, 2, 3 or 4, not \(q)") }
        let (office, ledgers) = try quarterEndLedgers(database: url, organisation: organisation)
        var report = QuarterEnd.run(ledgers, year: year, quarter: quarter, today: today, progress: progress)
        report.office = office
        return report
    }
}
