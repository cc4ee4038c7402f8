import Foundation
import SaldoCore
import SaldoReports
import SaldoTax

/// Quarter-end for a whole office: every client workspace's filings (Modelo 130 and 303, Form
/// 1040-ES, Self Assessment, …) with their deadlines and estimated amounts, as one table.
public struct OfficeQuarterEnd: ReportConvertible, Sendable {
    public struct Row: Sendable {
        public var workspace: Int64
        public var client: String
        public var jurisdiction: String
        public var form: String
        public var period: String
        public var due: Day?
        public var amount: Money?
        /// Why this workspace has no figures (no ledger yet, no jurisdiction set, …).
        public var problem: String?
    }
    public var organisation: String
    public var year: Int?
    public var quarter: Int?
    public var rows: [Row]

    public func document() -> ReportDocument { document(in: .shipped(.en)) }

    public func document(in L: Catalog) -> ReportDocument {
        let columns = [
            ReportColumn("workspace", L.text("office.tax.column.workspace")), ReportColumn("client", L.text("office.tax.column.client")),
            ReportColumn("jurisdiction", L.text("office.tax.column.jurisdiction")), ReportColumn("form", L.text("office.tax.column.form")),
            ReportColumn("period", L.text("office.tax.column.period")), ReportColumn("due", L.text("office.tax.column.due"), .date),
            ReportColumn("amount", L.text("office.tax.column.amount"), .money(nil)), ReportColumn("problem", L.text("office.tax.column.problem")),
        ]
        let table = ReportTable(id: "quarter_end", title: nil, columns: columns, rows: rows.map { r in
            ReportRow([.text(String(r.workspace)), .text(r.client), .text(r.jurisdiction), .text(r.form), .text(r.period),
                       r.due.map { .date($0) } ?? .empty, r.amount.map { .money($0) } ?? .empty,
                       .text(r.problem.map { L.translating($0, keyPrefix: "error.") } ?? "")])
        })
        let when = quarter.map { q in year.map { "\($0)-Q\(q)" } ?? "Q\(q)" } ?? year.map(String.init) ?? ""
        return ReportDocument(title: L.text("office.tax.title", ["office": organisation, "period": when]),
                              notes: [L.text("office.tax.note")], blocks: [.table(table)])
    }
}

extension Office {
    /// Every workspace of `organisation`: its tax summary for `year`/`quarter` (the settings of each
    /// ledger say its jurisdiction), reduced to the filings of that quarter: the deadlines after the
    /// quarter's end and within three months of it (without a quarter, every deadline of the year).
    /// One ledger transaction per workspace; a workspace that cannot be computed gives a row that
    /// says why, not a failure of the whole table.
    public static func quarterEnd(database url: String, organisation: Int64, today: Day, year: Int?, quarter: Int?) throws -> OfficeQuarterEnd {
        if let q = quarter, !(1...4).contains(q) { throw UserError("the quarter must be 1, 2, 3 or 4, not \(q)") }
        let d = try directory(url)
        let org = try Office.organisation(d, organisation)
        var rows: [OfficeQuarterEnd.Row] = []
        for w in try d.workspaces(organisation: organisation) {
            let name = w.name.isEmpty ? "#\(w.id)" : w.name
            do {
                let store = try ledger(database: url, workspace: w.id).open(.existing)
                let request = TaxRequest(today: today)
                let inputs = try Taxes.inputs(request, store: store, years: .year(year))
                let j = inputs.profile.jurisdiction
                let y = year ?? TaxEngine.taxYear(containing: today, j)
                let summary: TaxSummary
                do { summary = try TaxEngine.summary(inputs, year: y, quarter: quarter) } catch { throw UserError("\(error)") }
                var dues = summary.deadlines
                if let q = quarter {
                    let end = Day(year: y, month: q * 3, day: 1)!.adding(months: 1)
                    let limit = end.adding(months: 3)
                    dues = dues.filter { $0.date >= end && $0.date < limit }
                }
                if dues.isEmpty {
                    rows.append(.init(workspace: w.id, client: name, jurisdiction: j.rawValue, form: "", period: "", due: nil, amount: nil,
                                      problem: "no filing falls due for this period"))
                }
                for due in dues.sorted(by: { ($0.date, $0.form) < ($1.date, $1.form) }) {
                    rows.append(.init(workspace: w.id, client: name, jurisdiction: due.jurisdiction, form: due.form, period: due.period,
                                      due: due.date, amount: due.amount?.money, problem: nil))
                }
            } catch {
                let message = (error as? UserError)?.message ?? "\(error)"
                rows.append(.init(workspace: w.id, client: name, jurisdiction: "", form: "", period: "", due: nil, amount: nil, problem: message))
            }
        }
        return OfficeQuarterEnd(organisation: org.name, year: year, quarter: quarter, rows: rows)
    }
}
