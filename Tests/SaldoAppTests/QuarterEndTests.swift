import Foundation
import Testing
import SaldoApp
import SaldoCore
import SaldoReports
import SaldoStore
import SaldoTax
import SaldoTestSupport

/// The office's quarter-end lists, for every client, exactly the deadlines that client's own tax
/// computation has in the three months after the quarter, with the same amounts; a client that
/// cannot be computed is reported and does not stop the others.
@Suite struct QuarterEndTests {
    /// A copy of the demo ledger set up for `j` (nil: no jurisdiction at all).
    func client(_ name: String, _ j: Jurisdiction?) throws -> QuarterEndLedger {
        let path = Fixtures.temporaryDirectory().appendingPathComponent("quarter-end-\(name)-\(UUID().uuidString).sqlite").path
        try FileManager.default.copyItem(atPath: appLedger, toPath: path)
        let store = try LedgerLocation(path: path).open(.existing)
        if j != .es {
            try store.setSetting("tax-profile", nil)
            try store.setSetting("region", j == .gb ? "Scotland" : nil)
            try store.setSetting("jurisdiction", j?.rawValue)
            // Last year's Self Assessment liability: the payments on account of this year.
            if j == .gb { try store.setSetting("last-year-tax", "5000") }
        }
        return QuarterEndLedger(id: path, name: name) { try LedgerLocation(path: path).open(.existing) }
    }

    /// The deadlines the client's own computation lists in the window, with their amounts.
    func ownDeadlines(_ ledger: QuarterEndLedger, window: ClosedRange<Day>, years: [Int]) throws -> Set<String> {
        let store = try ledger.open()
        let inputs = try Taxes.inputs(TaxRequest(today: demoDay, useForecast: false), store: store, years: .all)
        var out = Set<String>()
        for y in years {
            guard let s = try? TaxEngine.summary(inputs, year: y) else { continue }
            for d in s.deadlines where window.contains(d.date) {
                out.insert("\(d.form)|\(d.period)|\(d.date)|\(d.amount?.money.decimalString ?? "-")")
            }
        }
        return out
    }

    @Test func everyClientsDeadlinesInTheWindowWithTheirOwnAmounts() throws {
        let es = try client("Lucía", .es), us = try client("Dana", .us), gb = try client("Fiona", .gb), none = try client("Nadie", nil)
        let steps = Steps()
        let report = QuarterEnd.run([es, us, gb, none], year: 2026, quarter: 2, today: demoDay, parallelism: 3) { done, total in steps.add(done, total) }
        #expect(steps.seen == [1, 2, 3, 4].map { "\($0)/4" })
        // Computed one at a time, the same report.
        #expect(QuarterEnd.run([es, us, gb, none], year: 2026, quarter: 2, today: demoDay, parallelism: 1) == report)
        #expect(report.windowStart == Day(year: 2026, month: 7, day: 1)! && report.windowEnd == Day(year: 2026, month: 9, day: 30)!)
        let window = report.windowStart...report.windowEnd
        for (ledger, years) in [(es, [2026]), (us, [2026])] {
            let listed = Set(report.filings.filter { $0.id == ledger.id }.map { "\($0.form)|\($0.period)|\($0.due)|\($0.amount?.decimalString ?? "-")" })
            let own = try ownDeadlines(ledger, window: window, years: years)
            #expect(listed == own, "\(ledger.name)")
            #expect(!listed.isEmpty, "\(ledger.name) has something due from July to September")
        }
        // Spain: the second quarter's two returns, due 20 July.
        let spanish = report.filings.filter { $0.id == es.id }
        #expect(Set(spanish.map(\.form)) == ["Modelo 130", "Modelo 303"])
        #expect(spanish.allSatisfy { $0.period == "2026-Q2" && $0.due == Day(year: 2026, month: 7, day: 20)! && $0.currency == .EUR })
        // The US instalment of 15 September; the UK's second payment on account of 31 July 2026 (half of
        // last year's 5,000.00), and nothing else for the UK client.
        #expect(report.filings.contains { $0.id == us.id && $0.form == "Form 1040-ES" && $0.due == Day(year: 2026, month: 9, day: 15)! })
        #expect(report.filings.filter { $0.id == gb.id }.map { "\($0.form) \($0.period) \($0.due) \($0.amount?.decimalString ?? "-") \($0.currency)" }
                == ["Self Assessment 2025-26 2026-07-31 2500.00 GBP"])
        // The client without a jurisdiction is named with the reason, and did not stop the others.
        #expect(report.failures.map(\.client) == ["Nadie"])
        #expect(report.failures.first?.message.contains("jurisdiction") == true)
        // Sorted by due date, then client.
        #expect(report.filings.map(\.due) == report.filings.map(\.due).sorted())
        // Totals add up the listed payments per form.
        for t in report.totals {
            let sum = report.filings.filter { $0.form == t.form && $0.currency == t.currency }.compactMap(\.amount).filter(\.isPositive)
                .reduce(Money(minorUnits: 0, currency: t.currency)) { try! $0.adding($1) }
            #expect(t.toPay == sum, "\(t.form)")
        }
    }

    /// The quarter-end reads a Spanish or US client's ledger from the quarter's calendar year (all
    /// that year's returns read), a UK client's from the calendar year before (its tax years begin
    /// in April, and the one before the window is computed too).
    @Test func aClientsLedgerIsReadFromTheYearItsReturnsNeed() throws {
        for (j, first) in [(Jurisdiction.es, 2026), (.us, 2026), (.gb, 2025)] {
            let store = try client("from-\(j)", j).open()
            let inputs = try Taxes.inputs(TaxRequest(today: demoDay, useForecast: false), store: store, years: .quarterEnd(2026))
            let days = inputs.postingSums.map(\.date) + inputs.transactions.map(\.date)
            #expect(days.min()?.year == first, "\(j)")
        }
    }

    @Test func theFourthQuarterIsDueInTheNewYearAndNothingLater() throws {
        let es = try client("Lucía", .es)
        let report = QuarterEnd.run([es], year: 2026, quarter: 4, today: Day(year: 2027, month: 1, day: 10)!)
        #expect(report.windowStart == Day(year: 2027, month: 1, day: 1)! && report.windowEnd == Day(year: 2027, month: 3, day: 31)!)
        // 30 January 2027 is a Saturday: the next business day.
        #expect(report.filings.map(\.period) == ["2026-Q4", "2026-Q4"])
        #expect(report.filings.allSatisfy { $0.due == Day(year: 2027, month: 2, day: 1)! })
        #expect(!report.quarterIsOpen)
    }

    /// 31 January 2027 holds the UK client's 2025-26 balancing payment with the first payment on
    /// account for 2026-27; the 2026-27 computation lists that first payment too: counted once, as
    /// the finished year computes it.
    @Test func aUKPaymentListedByTwoTaxYearsCountsOnce() throws {
        let gb = try client("Fiona", .gb)
        let report = QuarterEnd.run([gb], year: 2026, quarter: 4, today: Day(year: 2027, month: 1, day: 10)!)
        let rows = report.filings.map { "\($0.form) \($0.period) \($0.due) \($0.amount?.decimalString ?? "-")" }
        let store = try gb.open()
        let inputs = try Taxes.inputs(TaxRequest(today: Day(year: 2027, month: 1, day: 10)!, useForecast: false), store: store, years: .all)
        let finished = try #require(try TaxEngine.summary(inputs, year: 2025).deadlines.first { $0.date == Day(year: 2027, month: 1, day: 31)! })
        #expect(rows == ["Self Assessment 2025-26 2027-01-31 \(finished.amount?.money.decimalString ?? "?")"])
        #expect(finished.what.contains("balancing payment"))
    }

    @Test func theDefaultQuarterIsTheLastOneEnded() {
        #expect(QuarterEnd.lastEndedQuarter(before: Day(year: 2026, month: 12, day: 6)!) == (2026, 3))
        #expect(QuarterEnd.lastEndedQuarter(before: Day(year: 2027, month: 1, day: 10)!) == (2026, 4))
        #expect(QuarterEnd.lastEndedQuarter(before: Day(year: 2026, month: 4, day: 1)!) == (2026, 1))
        #expect(QuarterEnd.lastEndedQuarter(before: Day(year: 2026, month: 3, day: 31)!) == (2025, 4))
    }

    @Test func theDocumentReadsInBothLanguagesAndItsCSVIsNeutral() throws {
        let es = try client("Lucía", .es), none = try client("Nadie", nil)
        let report = QuarterEnd.run([es, none], year: 2026, quarter: 3, today: demoDay)
        let english = report.document(in: .shipped(.en)), spanish = report.document(in: .shipped(.es))
        #expect(english.title == "Quarter-end 2026 Q3: 2 clients")
        #expect(spanish.title == "Cierre del trimestre 3T 2026: 2 clientes")
        // The failure reads Spanish in Spanish (from the error's catalog template).
        let failure = try #require(spanish.tables.first { $0.id == "failures" })
        let problem = failure.rows[0].cells[2].plain
        #expect(problem.contains("Saldo no sabe") || problem.contains("jurisdicción"), "\(problem)")
        // CSV: the same columns and numbers in both languages.
        let csvEN = render(report, format: .csv), csvES = render(report, format: .csv, options: RenderOptions(language: .es))
        #expect(csvEN == csvES)
        #expect(csvEN.contains("Modelo 130") && csvEN.contains("2026-10-20"))
        #expect(english.json == spanish.json)
    }
}

final class Steps: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [String] = []
    func add(_ done: Int, _ total: Int) { lock.lock(); list.append("\(done)/\(total)"); lock.unlock() }
    var seen: [String] { lock.lock(); defer { lock.unlock() }; return list }
}
