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
    public var problems: [InvoiceProblemNote]
    public var rows: [InvoiceRow]

    public init(entries: [InvoiceListEntry], total: Int, today: Day, problems: [InvoiceProblemNote], rows: [InvoiceRow]) {
        self.entries = entries; self.total = total; self.today = today; self.problems = problems; self.rows = rows
    }

    public func document() -> ReportDocument { document(in: .shipped(.en)) }

    public func document(in L: Catalog) -> ReportDocument {
        let todayText = L.language == .en ? today.description : L.format.date(today)
        let rows = entries.map { e -> ReportRow in
            let inv = e.invoice, p = e.position
            return ReportRow([
                .text(inv.number), .text(L("invoice.kind.\(inv.kind.rawValue)")), .date(inv.issueDate), p.isPayable ? .date(p.effectiveDueDate) : .empty, .text(inv.buyer.name),
                .money(inv.net), .money(inv.tax), .money(inv.withholding), .money(inv.payable), p.isPayable ? .money(p.outstanding) : .empty,
                .text(!p.isPayable ? L("invoice.status.not_payable") : p.isOverdue ? L("invoice.status.overdue_days", ["days": String(p.daysPastDue)]) : L("invoice.status.\(p.status.rawValue)")), .text(e.paidBy.map { L.translating($0, keyPrefix: "invoice.paid_by.") }.joined(separator: "; ")),
            ])
        }
        let table = ReportTable(id: "invoices", title: L("invoice.list.table", ["date": todayText]), columns: [
            ReportColumn("number", L("invoice.column.number")), ReportColumn("kind", L("invoice.column.kind")), ReportColumn("issue_date", L("invoice.column.issued"), .date),
            ReportColumn("due_date", L("invoice.column.due"), .date), ReportColumn("buyer", L("invoice.column.client")), ReportColumn("net", L("invoice.column.net"), .money(nil)),
            ReportColumn("vat", L("invoice.column.vat"), .money(nil)), ReportColumn("withholding", L("invoice.column.withheld"), .money(nil)),
            ReportColumn("payable", L("invoice.column.payable"), .money(nil)), ReportColumn("outstanding", L("invoice.column.outstanding"), .money(nil)),
            ReportColumn("status", L("invoice.column.status")), ReportColumn("payments", L("invoice.column.paid_by")),
        ], rows: rows)
        var notes = problems.map { $0.text(in: L) }
        if total == 0 { notes.append(L("invoice.note.none_yet")) }
        return ReportDocument(title: L("invoice.list.title"), subtitle: L("invoice.list.subtitle", ["shown": String(entries.count), "count": String(total), "date": todayText]), notes: notes, blocks: [.table(table)],
                              encodedJSON: ReportDocument.encodeJSON(self.rows))
    }
}

/// The invoice summary as a report document.
public struct InvoiceSummaryDocument: ReportConvertible, Sendable {
    public var summary: InvoiceSummary
    public var count: Int
    public init(summary: InvoiceSummary, count: Int) { self.summary = summary; self.count = count }

    public func document() -> ReportDocument { document(in: .shipped(.en)) }

    public func document(in L: Catalog) -> ReportDocument {
        let todayText = L.language == .en ? summary.today.description : L.format.date(summary.today)
        // Two clients the invoices call alike (one without a tax id, two tax ids) are told apart by it.
        let alike = Dictionary(grouping: summary.clients) { "\($0.client.lowercased())|\($0.currency.code)" }.filter { $0.value.count > 1 }
        func label(_ c: ClientSummary) -> String {
            guard alike["\(c.client.lowercased())|\(c.currency.code)"] != nil else { return c.client }
            return "\(c.client) (\(c.clientTaxID ?? L("invoice.summary.no_tax_id")))"
        }
        func row(_ c: ClientSummary) -> ReportRow {
            ReportRow([.text(label(c)), .text(c.currency.code), .integer(c.invoiceCount), .money(c.issued), .money(c.paid), .money(c.outstanding),
                       .money(c.overdue), .money(c.aging.current), .money(c.aging.days1to30), .money(c.aging.days31to60),
                       .money(c.aging.days61to90), .money(c.aging.over90), c.daysSalesOutstanding.map { .integer($0) } ?? .empty,
                       .text(c.nextDueDates.map { L.language == .en ? $0.description : L.format.date($0) }.joined(separator: ", "))], style: c.client == "*" ? .total : .normal)
        }
        let columns = [
            ReportColumn("client", L("invoice.column.client")), ReportColumn("currency", L("invoice.column.cur")), ReportColumn("invoices", L("invoice.column.invoices"), .number),
            ReportColumn("issued", L("invoice.column.issued_amount"), .money(nil)), ReportColumn("paid", L("invoice.column.paid"), .money(nil)), ReportColumn("outstanding", L("invoice.column.outstanding"), .money(nil)),
            ReportColumn("overdue", L("invoice.column.overdue"), .money(nil)), ReportColumn("current", L("invoice.column.current"), .money(nil)), ReportColumn("days_1_30", "1-30", .money(nil)),
            ReportColumn("days_31_60", "31-60", .money(nil)), ReportColumn("days_61_90", "61-90", .money(nil)), ReportColumn("over_90", ">90", .money(nil)),
            ReportColumn("dso_days", L("invoice.column.dso"), .number), ReportColumn("next_due", L("invoice.column.next_due")),
        ]
        let rows = summary.clients.map(row) + summary.totals.map { var r = row($0); r.cells[0] = .text(L("invoice.summary.all_clients")); return r }
        var notes = [L("invoice.summary.note.issued", ["date": todayText])]
        if summary.clients.contains(where: { $0.openCredit?.isNegative == true }) {
            notes.append(L("invoice.summary.note.credit_notes"))
        }
        let prepaid = summary.totals.compactMap(\.prepaid).filter { !$0.isZero }
        if !prepaid.isEmpty {
            notes.append(L("invoice.summary.note.prepaid", ["amounts": prepaid.map { L.format.money($0) }.joined(separator: ", ")]))
        }
        if count == 0 { notes.append(L("invoice.note.none_yet")) }
        var json: [(String, JSONValue)] = [("today", .string(summary.today.description))]
        json.append(("clients", .array((summary.clients + summary.totals).map { c in
            .obj([("client", .string(c.client == "*" ? "*" : c.client)), ("client_tax_id", c.clientTaxID.map(JSONValue.string) ?? .null), ("currency", .string(c.currency.code)), ("invoices", .int(c.invoiceCount)),
                  ("issued", .money(c.issued)), ("paid", .money(c.paid)), ("outstanding", .money(c.outstanding)), ("overdue", .money(c.overdue)),
                  ("aging", .obj([("current", .money(c.aging.current)), ("1-30", .money(c.aging.days1to30)), ("31-60", .money(c.aging.days31to60)),
                                  ("61-90", .money(c.aging.days61to90)), ("over_90", .money(c.aging.over90))])),
                  ("dso_days", c.daysSalesOutstanding.map { .int($0) } ?? .null),
                  ("next_due", .array(c.nextDueDates.map { .string($0.description) }))])
        })))
        return ReportDocument(title: L("invoice.summary.title"), subtitle: L("invoice.summary.subtitle", ["date": todayText]), notes: notes,
                              blocks: [.table(ReportTable(id: "clients", columns: columns, rows: rows))], json: .obj(json))
    }
}

/// A problem an invoice carried when it was imported, as the ledger keeps it (its text in English),
/// shown in the reader's language: the message and hint are read back against the catalog's
/// diagnostic templates, so a note stored in English comes back in Spanish under `--lang es`.
public struct InvoiceProblemNote: Sendable, Hashable {
    public var number: String
    /// The stored text: `file:line (field): warning: message`, possibly with a hint line.
    public var stored: String
    /// The invoice's file, which the stored location starts with.
    public var file: String?
    public init(number: String, stored: String, file: String? = nil) { self.number = number; self.stored = stored; self.file = file }

    public func text(in L: Catalog) -> String {
        var out = ""
        for (i, line) in stored.components(separatedBy: "\n").enumerated() {
            if i > 0, line.hasPrefix("  hint: ") {
                out += "\n  " + L.text("diag.label.hint") + " " + Self.translate(String(line.dropFirst(8)), prefixes: ["diag_hint.invoice.", "diag_hint."], in: L)
            } else {
                out += (i > 0 ? "\n" : "") + translateProblem(line, in: L)
            }
        }
        // A document without a number (a CFDI payment receipt may have none): its location says which.
        return number.isEmpty ? out : "\(number): \(out)"
    }

    /// `location: warning: message` with the message (and the warning label) in the catalog's language.
    func translateProblem(_ line: String, in L: Catalog) -> String {
        guard L.language != .en else { return line }
        var location = "", rest = Substring(line)
        if let file, !file.isEmpty, rest.hasPrefix(file) {
            // file[:line[:column]][ (field)]: — the location as `SourceLocation.description` writes it.
            var after = rest.dropFirst(file.count)
            for _ in 0..<2 where after.first == ":" && after.dropFirst().first?.isNumber == true {
                after = after.dropFirst().drop { $0.isNumber }
            }
            if after.hasPrefix(" ("), let close = after.firstIndex(of: ")") { after = after[after.index(after: close)...] }
            if after.hasPrefix(": ") {
                let end = after.index(after.startIndex, offsetBy: 2)
                location = String(rest[..<end]); rest = after[end...]
            }
        }
        var warning = false
        if rest.hasPrefix("warning: ") { rest = rest.dropFirst(9); warning = true }
        return location + (warning ? L.text("diag.label.warning") : "") + Self.translate(String(rest), prefixes: ["diag.invoice.", "diag.xml.", "diag."], in: L)
    }

    static func translate(_ english: String, prefixes: [String], in L: Catalog) -> String {
        guard L.language != .en else { return english }
        for prefix in prefixes {
            if let t = Catalog.recognize(english, keyPrefix: prefix), !t.key.hasPrefix("diag.label.") { return t.text(in: L) }
        }
        return english
    }
}
