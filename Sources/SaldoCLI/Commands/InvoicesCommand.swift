import ArgumentParser
import Foundation
import SaldoCore
import SaldoInvoices
import SaldoReports
import SaldoStore

/// `--today`: the day outstanding and overdue amounts are computed for.
struct TodayOption: ParsableArguments {
    @Option(help: ArgumentHelp("Compute as of this day (yyyy-mm-dd; default: today).", valueName: "date")) var today: String?
    func resolve() throws -> Day { try resolveToday(today) }
}

/// The day given as yyyy-mm-dd, else today's date in the local time zone.
func resolveToday(_ today: String?) throws -> Day {
        if let t = today {
            guard let d = Day(iso: t), t.count == 10 else { throw UserError("--today \(t) is not a date", hint: "write it as yyyy-mm-dd") }
            return d
        }
        let c = Calendar(identifier: .gregorian).dateComponents(in: TimeZone.current, from: Date())
        return Day(year: c.year!, month: c.month!, day: c.day!)!
}

struct InvoicesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "invoices",
        abstract: "List invoices and summarise what is paid, outstanding and overdue.",
        discussion: prose("""
        Payments found in imported statements are matched to open invoices automatically (same
        currency, amount within fees, counterparty, dates); `link` and `unlink` fix what matching cannot know.

        Examples:
          saldo invoices list
          saldo invoices list --status open --format json
          saldo invoices summary
          saldo invoices link LMS-2026-009 412   # transaction 412 pays it
          saldo invoices unlink LMS-2026-009 412
        """),
        subcommands: [List.self, Summary.self, Link.self, Unlink.self, Match.self],
        defaultSubcommand: Summary.self
    )

    static func payments(_ stored: [StoredInvoice]) -> [InvoicePayment] {
        stored.flatMap { s in
            s.payments.filter { $0.method != "rejected" }.map {
                InvoicePayment(invoiceKey: s.invoice.dedupKey, date: $0.date, amount: $0.amount, reference: "#\($0.transactionID) \($0.description)")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "One line per invoice: amounts, status, and which payment settled it.",
            discussion: "Example: saldo invoices list --status overdue --format csv")
        enum StatusFilter: String, ExpressibleByArgument, CaseIterable { case all, open, overdue, paid }
        @OptionGroup var ledger: LedgerOption
        @OptionGroup var periodOptions: PeriodOptions
        @OptionGroup var todayOption: TodayOption
        @Option(help: "all, open (anything outstanding), overdue or paid.") var status: StatusFilter = .all
        @OptionGroup var output: DocumentOutput

        func run() throws {
            let store = try ledger.open(.existing)
            let today = try todayOption.resolve()
            let period = try periodOptions.resolve()
            var stored = try store.invoices()
            if let p = period { stored = stored.filter { p.contains($0.invoice.issueDate) } }
            let payments = InvoicesCommand.payments(stored)
            let positions = stored.map { ($0, InvoiceSummary.position(of: $0.invoice, payments: payments, today: today)) }.filter { _, p in
                switch status {
                case .all: return true
                case .open: return p.outstanding.isPositive
                case .overdue: return p.isOverdue
                case .paid: return p.status == .paid
                }
            }
            if output.format == .json {
                let rows = positions.map { InvoiceRow($0.0.invoice, payments: payments, today: today) }
                let enc = JSONEncoder(); enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                let text = String(decoding: try enc.encode(rows), as: UTF8.self)
                if let o = output.file { try writeOutput(text + "\n", to: o); Console.current.err("wrote \(o)") } else { Console.current.out(text) }
                return
            }
            var rows: [ReportRow] = []
            for (s, p) in positions {
                let inv = s.invoice
                let matched = s.payments.filter { $0.method != "rejected" }.map { "#\($0.transactionID) \($0.date) (\($0.method))" }.joined(separator: "; ")
                rows.append(ReportRow([
                    .text(inv.number), .text(inv.kind.rawValue), .date(inv.issueDate), .date(p.effectiveDueDate), .text(inv.buyer.name),
                    .money(inv.net), .money(inv.tax), .money(inv.withholding), .money(inv.payable), .money(p.outstanding),
                    .text(p.isOverdue ? "overdue \(p.daysPastDue)d" : p.status.rawValue), .text(matched),
                ]))
            }
            let table = ReportTable(id: "invoices", title: "Invoices as of \(today)", columns: [
                ReportColumn("number", "Number"), ReportColumn("kind", "Kind"), ReportColumn("issue_date", "Issued", .date),
                ReportColumn("due_date", "Due", .date), ReportColumn("buyer", "Client"), ReportColumn("net", "Net", .money(nil)),
                ReportColumn("vat", "VAT", .money(nil)), ReportColumn("withholding", "Withheld", .money(nil)),
                ReportColumn("payable", "Payable", .money(nil)), ReportColumn("outstanding", "Outstanding", .money(nil)),
                ReportColumn("status", "Status"), ReportColumn("payments", "Paid by"),
            ], rows: rows)
            var notes: [String] = []
            let problems = stored.filter { !$0.invoice.problems.isEmpty }
            for s in problems { for d in s.invoice.problems { notes.append("\(s.invoice.number): \(d.message)") } }
            if stored.isEmpty { notes.append("No invoices in the ledger yet: `saldo import invoice.xml` reads UBL, CII, Facturae and CFDI.") }
            let doc = ReportDocument(title: "Invoices", subtitle: "\(positions.count) of \(stored.count) invoices, as of \(today)", notes: notes, blocks: [.table(table)])
            try output.emit(doc)
        }
    }

    struct Summary: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "summary", abstract: "By client and currency: issued, paid, outstanding, overdue, aging buckets, DSO, next due dates.",
            discussion: "Example: saldo invoices summary --today 2026-11-15 --format markdown")
        @OptionGroup var ledger: LedgerOption
        @OptionGroup var todayOption: TodayOption
        @OptionGroup var output: DocumentOutput

        func run() throws {
            let store = try ledger.open(.existing)
            let today = try todayOption.resolve()
            let stored = try store.invoices()
            let summary = InvoiceSummary.compute(invoices: stored.map(\.invoice), payments: InvoicesCommand.payments(stored), today: today)
            try output.emit(InvoiceSummaryDocument(summary: summary, count: stored.count))
        }
    }

    struct Link: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "link", abstract: "Record that a statement transaction pays an invoice.",
            discussion: "Example: saldo invoices link LMS-2026-009 412 --amount 848.00")
        @OptionGroup var ledger: LedgerOption
        @Argument(help: "Invoice number.") var number: String
        @Argument(help: "Transaction id (see `saldo export --format csv`).") var transaction: Int64
        @Option(help: ArgumentHelp("Amount it pays in the invoice currency (default: everything outstanding).", valueName: "amount")) var amount: String?
        @Option(help: ArgumentHelp("Seller name or tax id, when several invoices share the number.", valueName: "seller")) var seller: String?

        func run() throws {
            let store = try ledger.open(.existing)
            let id = try store.invoiceID(number: number, seller: seller)
            guard let s = try store.invoices().first(where: { $0.id == id }) else { throw UserError("invoice \(number) disappeared") }
            let paid = s.payments.filter { $0.method != "rejected" && $0.transactionID != transaction }.reduce(Money.zero(s.invoice.currency)) { $0 + $1.amount }
            let value: Money
            if let a = amount {
                do { value = try Money(parsing: a, currency: s.invoice.currency, notation: .point) } catch { throw UserError("--amount: \(error)") }
            } else { value = s.invoice.payable - paid }
            try store.link(invoiceID: id, transactionID: transaction, amount: value, method: "manual", explanation: "linked by the user")
            Console.current.out("invoice \(number): transaction #\(transaction) pays \(value)")
        }
    }

    struct Unlink: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "unlink", abstract: "Remove a payment link (an automatic match you unlink is not proposed again).",
            discussion: "Example: saldo invoices unlink LMS-2026-009 412")
        @OptionGroup var ledger: LedgerOption
        @Argument(help: "Invoice number.") var number: String
        @Argument(help: "Transaction id; without it, every link of the invoice.") var transaction: Int64?
        @Option(help: ArgumentHelp("Seller name or tax id, when several invoices share the number.", valueName: "seller")) var seller: String?

        func run() throws {
            let store = try ledger.open(.existing)
            let id = try store.invoiceID(number: number, seller: seller)
            let links = try store.invoices().first { $0.id == id }?.payments.filter { transaction == nil || $0.transactionID == transaction } ?? []
            guard !links.isEmpty else { throw UserError("invoice \(number) has no such payment link", hint: "`saldo invoices list` shows the links") }
            for l in links where l.method != "rejected" {
                _ = try store.unlink(invoiceID: id, transactionID: l.transactionID)
                if l.method == "auto" {
                    try store.link(invoiceID: id, transactionID: l.transactionID, amount: .zero(l.amount.currency), method: "rejected", explanation: "unlinked by the user")
                }
            }
            Console.current.out("invoice \(number): removed \(links.count) link\(links.count == 1 ? "" : "s")")
        }
    }

    struct Match: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "match", abstract: "Match incoming payments to open invoices now, and explain each match.",
            discussion: "Example: saldo invoices match")
        @OptionGroup var ledger: LedgerOption
        func run() throws {
            let store = try ledger.open(.existing)
            let n = try InvoiceMatching.matchOpenInvoices(store)
            Console.current.out("matched \(n) payment\(n == 1 ? "" : "s")")
            for s in try store.invoices() {
                for p in s.payments where p.method == "auto" { Console.current.out("\(s.invoice.number) ← #\(p.transactionID) \(p.date): \(p.explanation)") }
            }
        }
    }
}

/// The invoice summary as a report document.
struct InvoiceSummaryDocument: ReportConvertible {
    var summary: InvoiceSummary
    var count: Int

    func document() -> ReportDocument {
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
        if count == 0 { notes.append("No invoices in the ledger yet: `saldo import invoice.xml` reads UBL, CII, Facturae and CFDI.") }
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
