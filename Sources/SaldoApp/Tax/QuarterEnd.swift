import Foundation
import SaldoCore
import SaldoReports
import SaldoStore
import SaldoTax

/// One ledger of an office's quarter-end: a client's workspace (or a client's SQLite file).
public struct QuarterEndLedger: Sendable {
    /// How the office finds it again: a workspace id, or a file path.
    public var id: String
    /// The client's name as the office knows it.
    public var name: String
    /// Opens the ledger (read only is enough); called once, from one thread at a time.
    public var open: @Sendable () throws -> any LedgerStore

    public init(id: String, name: String, open: @escaping @Sendable () throws -> any LedgerStore) {
        self.id = id; self.name = name; self.open = open
    }
}

/// The quarter-end of an accounting office: every client's returns for one calendar quarter, with
/// their due dates and amounts, in one table (and a CSV for the office's filing software).
///
/// Which returns: every payment or filing of a client's tax calendar (the same deadlines
/// `Taxes.summary` lists) whose due date falls in the three months after the quarter: Spain's
/// Modelo 130 and 303 for the quarter (due by the 20th, or 30 January), the US 1040-ES instalment
/// and the UK Self Assessment payments and MTD updates that fall due then. Each client's own
/// settings (jurisdiction, region, tax profile, last year's figures) decide its computation, as
/// they do for `Taxes.summary`; the figures come from the ledger alone (no income forecast: a
/// return is filed on what happened). A client whose books cannot be computed is listed with the
/// reason; the others are still computed.
public enum QuarterEnd {
    /// The quarter an office prepares on `today`: the last one that has ended.
    public static func lastEndedQuarter(before today: Day) -> (year: Int, quarter: Int) {
        let q = (today.month - 1) / 3 + 1
        return q == 1 ? (today.year - 1, 4) : (today.year, q - 1)
    }

    /// The quarter's filings of every ledger; `progress(done, total)` after each (from one thread at
    /// a time). Clients are computed `parallelism` at a time (default: one per processor): each opens
    /// its own ledger, so they share nothing.
    public static func run(_ ledgers: [QuarterEndLedger], year: Int? = nil, quarter: Int? = nil, today: Day,
                           parallelism: Int = ProcessInfo.processInfo.activeProcessorCount,
                           progress: (@Sendable (Int, Int) -> Void)? = nil) -> QuarterEndReport {
        let chosen: (year: Int, quarter: Int) = {
            if let year, let quarter { return (year, quarter) }
            let last = lastEndedQuarter(before: today)
            return (year ?? last.year, quarter ?? last.quarter)
        }()
        let window = filingWindow(year: chosen.year, quarter: chosen.quarter)
        let results = Results(count: ledgers.count)
        let workers = max(1, min(parallelism, ledgers.count))
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var i = worker
            while i < ledgers.count {
                let ledger = ledgers[i]
                let outcome: Result<[QuarterEndReport.Filing], QuarterEndReport.Failure>
                do {
                    outcome = .success(try filings(of: ledger, window: window, year: chosen.year, quarter: chosen.quarter, today: today))
                } catch {
                    let (message, hint) = describe(error)
                    outcome = .failure(QuarterEndReport.Failure(id: ledger.id, client: ledger.name, message: message, hint: hint))
                }
                results.set(i, outcome) { done in progress?(done, ledgers.count) }
                i += workers
            }
        }
        var report = QuarterEndReport(year: chosen.year, quarter: chosen.quarter, windowStart: window.start, windowEnd: window.lastDay,
                                      today: today, clients: ledgers.count, filings: [], failures: [])
        for outcome in results.all {
            switch outcome {
            case .success(let f): report.filings += f
            case .failure(let f): report.failures.append(f)
            case nil: break
            }
        }
        report.filings.sort { ($0.due, $0.client, $0.id, $0.form) < ($1.due, $1.client, $1.id, $1.form) }
        return report
    }

    /// Each client's outcome in the order given, filled from several threads.
    private final class Results: @unchecked Sendable {
        private let lock = NSLock()
        private var outcomes: [Result<[QuarterEndReport.Filing], QuarterEndReport.Failure>?]
        private var done = 0
        init(count: Int) { outcomes = Array(repeating: nil, count: count) }
        /// Stores one outcome, then tells `counted` how many are in (under the lock: counts arrive in order).
        func set(_ i: Int, _ r: Result<[QuarterEndReport.Filing], QuarterEndReport.Failure>, counted: (Int) -> Void) {
            lock.lock(); defer { lock.unlock() }
            outcomes[i] = r; done += 1
            counted(done)
        }
        var all: [Result<[QuarterEndReport.Filing], QuarterEndReport.Failure>?] { lock.lock(); defer { lock.unlock() }; return outcomes }
    }

    /// The day after the quarter ends to three months later.
    static func filingWindow(year: Int, quarter: Int) -> Period {
        let endMonth = YearMonth(year: year, month: quarter * 3)
        return Period(start: endMonth.next.first, end: endMonth.adding(4).first)
    }

    static func filings(of ledger: QuarterEndLedger, window: Period, year: Int, quarter: Int, today: Day) throws -> [QuarterEndReport.Filing] {
        let store = try ledger.open()
        let request = TaxRequest(today: today, useForecast: false)
        // Transactions from the start of the quarter's calendar year (Spain, the US: the tax year
        // is the calendar year, and a return reads only its own year's), or of the year before (the
        // UK: a tax year begins the April before; its payments fall due up to 31 July of the second
        // year after): enough for every tax year below. A Spanish client thus reads what
        // `Taxes.summary` reads for the year, and no more.
        let inputs = try Taxes.inputs(request, store: store, years: .quarterEnd(year))
        let j = inputs.profile.jurisdiction
        let quarterStart = YearMonth(year: year, month: quarter * 3 - 2).first
        // The tax years whose deadlines can fall in the window: the quarter's own; for the UK also the
        // one before the window (its balancing payment falls due the next 31 January) and the one the
        // window ends in. The quarter's own year must compute; the others may lack a rule file.
        var years = [TaxEngine.taxYear(containing: quarterStart, j)]
        if j == .gb {
            for y in [TaxEngine.taxYear(containing: window.start, j) - 1, TaxEngine.taxYear(containing: window.lastDay, j)] where !years.contains(y) {
                years.append(y)
            }
        }
        var computed: [(year: Int, deadlines: [TaxDue])] = []
        for (n, y) in years.enumerated() {
            do { computed.append((y, try TaxEngine.summary(inputs, year: y, quarter: nil).deadlines)) } catch {
                if n > 0 { continue }
                throw UserError("\(error)")
            }
        }
        // One payment per form and day: when two tax years list the same UK payment (31 January
        // holds the earlier year's balancing payment and the next year's first payment on account,
        // which the earlier year's figure already includes), the earlier year's figure is the one
        // computed from a finished year.
        var dues: [TaxDue] = []
        var seen = Set<String>()
        for (_, deadlines) in computed.sorted(by: { $0.year < $1.year }) {
            for d in deadlines where window.contains(d.date) && seen.insert(d.form + "|" + d.date.description).inserted {
                dues.append(d)
            }
        }
        let currency = taxCurrency(j)
        return dues.map { d in
            QuarterEndReport.Filing(id: ledger.id, client: ledger.name, jurisdiction: d.jurisdiction, form: d.form, period: d.period,
                                    due: d.date, amount: d.amount.map(\.money), currency: currency)
        }
    }

    static func describe(_ error: any Error) -> (String, String?) {
        if let u = error as? UserError { return (u.message, u.hint) }
        return ("\(error)", nil)
    }
}

extension QuarterEnd {
    /// Client ledgers kept as SQLite files: each path is a ledger file, or a folder whose `.sqlite`
    /// files (not its subfolders) are the clients' ledgers, in name order. A client is named by its
    /// file name without the extension.
    public static func ledgers(paths: [String]) throws -> [QuarterEndLedger] {
        let files = try InputFiles.expand(paths, extensions: ["sqlite"], descend: false).map(\.path)
        guard !files.isEmpty else { throw UserError("no client ledger (.sqlite file) among the paths given", hint: "name client ledger files, or a folder that holds them") }
        return files.map { file in
            QuarterEndLedger(id: file, name: ((file as NSString).lastPathComponent as NSString).deletingPathExtension) {
                try LedgerLocation(path: file).open(.existing)
            }
        }
    }
}
