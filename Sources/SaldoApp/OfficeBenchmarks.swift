import Foundation
import SaldoCore
import SaldoReports
import SaldoStore

/// The office benchmark's in-process part (issue #18, Speed): a workspace's monthly report through
/// the same use case and JSON rendering as `report monthly --format json` on a workspace's ledger
/// address, over a random sample of an office's workspaces, timed one by one.
public enum OfficeBenchmark {
    /// Nearest-rank percentiles of a list of durations, in milliseconds.
    public struct Percentiles: Sendable, Equatable {
        public var count: Int
        public var p50: Double, p95: Double, p99: Double, max: Double, mean: Double

        public init(milliseconds values: [Double]) {
            let s = values.sorted()
            count = s.count
            func rank(_ q: Double) -> Double {
                guard !s.isEmpty else { return 0 }
                let i = Int((q * Double(s.count)).rounded(.up)) - 1
                return s[Swift.max(0, Swift.min(s.count - 1, i))]
            }
            p50 = rank(0.50); p95 = rank(0.95); p99 = rank(0.99)
            max = s.last ?? 0
            mean = s.isEmpty ? 0 : s.reduce(0, +) / Double(s.count)
        }
    }

    /// What one run measured.
    public struct MonthlyReports: Sendable {
        /// Workspaces in the office, and how many were sampled.
        public var workspaces: Int, sampled: Int
        /// First report of each sampled workspace in this process (its own connection, opened as a
        /// command would open it), then the same workspaces again.
        public var cold: Percentiles, warm: Percentiles
        /// Of the warm pass, the report alone on a connection already open.
        public var reportOnly: Percentiles
        /// Months in the reports and bytes of JSON (summed over the cold pass): the work was done.
        public var months: Int, jsonBytes: Int
    }

    /// Picks `sample` workspaces of office `organisation` at random (`seed`: the same choice every
    /// run) and times each one's monthly report: opened, computed and rendered as JSON.
    public static func monthlyReports(database url: String, organisation: Int64, sample: Int, seed: UInt64 = 1,
                                      progress: ((Int, Int) -> Void)? = nil) throws -> MonthlyReports {
        guard sample > 0 else { throw UserError("the sample must hold at least one workspace, not \(sample)", hint: "give a number such as 200") }
        let all = try Office.list(database: url, organisation: organisation).workspaces.map(\.id)
        guard !all.isEmpty else {
            throw UserError("office \(organisation) has no client workspaces to measure", hint: "add clients with their ledgers first")
        }
        var rng = SplitMix64(seed: seed)
        var pool = all
        var chosen: [Int64] = []
        while chosen.count < min(sample, all.count) {
            let i = Int(rng.next() % UInt64(pool.count))
            chosen.append(pool.remove(at: i))
        }
        func ms(_ since: ContinuousClock.Instant) -> Double {
            let d = ContinuousClock.now - since
            return Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
        }
        func report(_ store: any LedgerStore, _ id: Int64) throws -> (months: Int, bytes: Int) {
            let reported = try Reports.monthly(ReportRequest(), store: store)
            let json = render(reported.report, format: .json)
            guard !reported.report.months.isEmpty else {
                throw UserError("workspace \(id) has no months to report", hint: "import its statements before measuring")
            }
            return (reported.report.months.count, json.utf8.count)
        }
        var cold: [Double] = [], warm: [Double] = [], only: [Double] = []
        var months = 0, bytes = 0
        for (n, id) in chosen.enumerated() {
            let t0 = ContinuousClock.now
            let store = try Office.ledger(database: url, workspace: id).open(.existing)
            let r = try report(store, id)
            cold.append(ms(t0))
            months += r.months; bytes += r.bytes
            progress?(n + 1, chosen.count * 2)
        }
        for (n, id) in chosen.enumerated() {
            let t0 = ContinuousClock.now
            let store = try Office.ledger(database: url, workspace: id).open(.existing)
            let t1 = ContinuousClock.now
            _ = try report(store, id)
            warm.append(ms(t0))
            only.append(ms(t1))
            progress?(chosen.count + n + 1, chosen.count * 2)
        }
        return MonthlyReports(workspaces: all.count, sampled: chosen.count, cold: Percentiles(milliseconds: cold),
                              warm: Percentiles(milliseconds: warm), reportOnly: Percentiles(milliseconds: only),
                              months: months, jsonBytes: bytes)
    }

    /// The run's lines in `catalog`'s language.
    public static func lines(_ r: MonthlyReports, catalog: Catalog = .shipped(.en)) -> [String] {
        func f(_ v: Double) -> String { String(format: "%.1f", v) }
        func line(_ what: String, _ p: Percentiles) -> String {
            LocalizedText("bench.office.percentiles", ["what": catalog.text("bench.office.pass.\(what)"), "p50_number": f(p.p50),
                                                       "p95_number": f(p.p95), "p99_number": f(p.p99), "max_number": f(p.max),
                                                       "mean_number": f(p.mean)]).text(in: catalog)
        }
        return [LocalizedText("bench.office.sample", ["sampled_number": String(r.sampled), "workspaces_number": String(r.workspaces),
                                                      "months_number": String(r.months), "bytes_number": String(r.jsonBytes)]).text(in: catalog),
                line("cold", r.cold), line("warm", r.warm), line("report_only", r.reportOnly)]
    }
}
