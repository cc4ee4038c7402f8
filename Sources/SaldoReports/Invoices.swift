import SaldoCore
import SaldoInvoices

/// One invoice in the list: its position as of a day and the payments linked to it.
public struct InvoiceListEntry: Sendable {
    public var invoice: Invoice
    public var position: InvoicePosition
    /// The linked payments, e.g. `#412 2026-10-03 (auto)`.
    public var paidBy: [String]
    public init(invoice: Invoice, position: InvoicePosition, paidBy: [String]) { self.invoice = invoice; self.position = position; self.paidBy = paidBy }
}

/// `invoices list`: one line per invoice; its JSON is the list of ``InvoiceRow``s.
public struct InvoiceListDocument: ReportConvertible, Sendable {
    public var entries: [InvoiceListEntry]
    /// Every invoice in the ledger (before the status filter), for the subtitle.
    public var total: Int
    public var today: Day
    /// Problems found in the invoices shown, one note each.
    public var problems: [String]
    public var rows: [InvoiceRow]

    public init(entries: [InvoiceListEntry], total: Int, today: Day, problems: [String], rows: [InvoiceRow]) {
        self.entries = entries; self.total = total; self.today = today; self.problems = problems; self.rows = rows
    }

    public func document() -> ReportDocument {
        let rows = entries.map { e -> ReportRow in
            let inv = e.invoice, p = e.position
            return ReportRow([
                .text(inv.number), .text(inv.kind.rawValue), .date(inv.issueDate), .date(p.effectiveDueDate), .text(inv.buyer.name),
                .money(inv.net), .money(inv.tax), .money(inv.withholding), .money(inv.payable), .money(p.outstanding),
                .text(p.isOverdue ? "overdue \(p.daysPastDue)d" : p.status.rawValue), .text(e.paidBy.joined(separator: "; ")),
            ])
        }
        let table = ReportTable(id: "invoices", title: "Invoices as of \(today)", columns: [
            ReportColumn("number", "Number"), ReportColumn("kind", "Kind"), ReportColumn("issue_date", "Issued", .date),
            ReportColumn("due_date", "Due", .date), ReportColumn("buyer", "Client"), ReportColumn("net", "Net", .money(nil)),
            ReportColumn("vat", "VAT", .money(nil)), ReportColumn("withholding", "Withheld", .money(nil)),
            ReportColumn("payable", "Payable", .money(nil)), ReportColumn("outstanding", "Outstanding", .money(nil)),
            ReportColumn("status", "Status"), ReportColumn("payments", "Paid by"),
        ], rows: rows)
        var notes = problems
        if total == 0 { notes.append("No invoices in the ledger yet: importing an e-invoice (UBL, CII, Facturae or CFDI) adds it.") }
        return ReportDocument(title: "Invoices", subtitle: "\(entries.count) of \(total) invoices, as of \(today)", notes: notes, blocks: [.table(table)],
                              encodedJSON: ReportDocument.encodeJSON(self.rows))
    }
}

/// The invoice summary as a report document.
public struct InvoiceSummaryDocument: ReportConvertible, Sendable {
    public var summary: InvoiceSummary
    public var count: Int
    public init(summary: InvoiceSummary, count: Int) { self.summary = summary; self.count = count }

    public func document() -> ReportDocument {
        func row(_ c: ClientSummary) -> ReportRow {
            ReportRow([.text(c.client), .text(c.currency.code), .integer(c.invoiceCount), .money(c.issued), .money(c.paid), .money(c.outstanding),
                       .money(c.overdue), .money(c.aging.current), .money(c.aging.days1to30), .money(c.aging.days31to60),
                       .money(c.aging.days61to90), .money(c.aging.over90), c.daysSalesOutstanding.map { .integer($0) } ?? .empty,
                       .text(c.nextDueDates.map(\.description).joined(separator: ", "))], style: c.client == "*" ? .total : .normal)
        }
        let columns = [
            ReportColumn("client", "Client"), ReportColumn("currency", "Cur"), ReportColumn("invoices", "Invoices", .number),
            ReportColumn("issued", "Issued", .money(nil)), ReportColumn("paid", "Paid", .money(nil)), ReportColumn("outstanding", "Outstanding", .money(nil)),
            ReportColumn("overdue", "Overdue", .money(nil)), ReportColumn("current", "Current", .money(nil)), ReportColumn("days_1_30", "1-30", .money(nil)),
            ReportColumn("days_31_60", "31-60", .money(nil)), ReportColumn("days_61_90", "61-90", .money(nil)), ReportColumn("over_90", ">90", .money(nil)),
            ReportColumn("dso_days", "DSO", .number), ReportColumn("next_due", "Next due"),
        ]
        let rows = summary.clients.map(row) + summary.totals.map { var r = row($0); r.cells[0] = .text("All clients"); return r }
        var notes = ["Issued = what clients owe after income tax withheld (payable + prepaid); aging buckets are days past due on \(summary.today)."]
        if count == 0 { notes.append("No invoices in the ledger yet: importing an e-invoice (UBL, CII, Facturae or CFDI) adds it.") }
        var json: [(String, JSONValue)] = [("today", .string(summary.today.description))]
        json.append(("clients", .array((summary.clients + summary.totals).map { c in
            .obj([("client", .string(c.client == "*" ? "*" : c.client)), ("currency", .string(c.currency.code)), ("invoices", .int(c.invoiceCount)),
                  ("issued", .money(c.issued)), ("paid", .money(c.paid)), ("outstanding", .money(c.outstanding)), ("overdue", .money(c.overdue)),
                  ("aging", .obj([("current", .money(c.aging.current)), ("1-30", .money(c.aging.days1to30)), ("31-60", .money(c.aging.days31to60)),
                                  ("61-90", .money(c.aging.days61to90)), ("over_90", .money(c.aging.over90))])),
                  ("dso_days", c.daysSalesOutstanding.map { .int($0) } ?? .null),
                  ("next_due", .array(c.nextDueDates.map { .string($0.description) }))])
        })))
        return ReportDocument(title: "Invoice summary", subtitle: "as of \(summary.today)", notes: notes,
                              blocks: [.table(ReportTable(id: "clients", columns: columns, rows: rows))], json: .obj(json))
    }
}
