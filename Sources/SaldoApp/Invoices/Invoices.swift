import Foundation
import SaldoCore
import SaldoInvoices
import SaldoReports
import SaldoStore

/// The invoice use cases: list, summary, link, unlink, match.
public enum Invoices {
    public enum StatusFilter: String, CaseIterable, Sendable { case all, open, overdue, paid }

    /// The payments linked to invoices (rejected automatic matches left out).
    static func payments(_ stored: [StoredInvoice]) -> [InvoicePayment] {
        stored.flatMap { s in
            s.payments.filter { $0.method != "rejected" }.map {
                InvoicePayment(invoiceKey: s.invoice.dedupKey, date: $0.date, amount: $0.amount, reference: "#\($0.transactionID) \($0.description)")
            }
        }
    }

    /// Invoices issued in `period` (all when nil) whose position as of `today` passes `status`.
    public static func list(status: StatusFilter = .all, period: Period? = nil, today: Day, store: any LedgerStore) throws -> InvoiceListDocument {
        var stored = try store.invoices()
        if let p = period { stored = stored.filter { p.contains($0.invoice.issueDate) } }
        let payments = payments(stored)
        let entries = stored.map { s -> (StoredInvoice, InvoicePosition) in
            (s, InvoiceSummary.position(of: s.invoice, payments: payments, today: today))
        }.filter { _, p in
            switch status {
            case .all: return true
            case .open: return p.outstanding.isPositive
            case .overdue: return p.isOverdue
            case .paid: return p.status == .paid
            }
        }
        var problems: [String] = []
        for s in stored where !s.invoice.problems.isEmpty { for d in s.invoice.problems { problems.append("\(s.invoice.number): \(d.message)") } }
        return InvoiceListDocument(
            entries: entries.map { s, p in
                InvoiceListEntry(invoice: s.invoice, position: p,
                                 paidBy: s.payments.filter { $0.method != "rejected" }.map { LocalizedText("invoice.paid_by.entry", ["transaction": String($0.transactionID), "date": $0.date.description, "method": $0.method]).english })
            },
            total: stored.count, today: today, problems: problems,
            rows: entries.map { InvoiceRow($0.0.invoice, payments: payments, today: today) })
    }

    /// By client and currency: issued, paid, outstanding, overdue, aging, DSO, next due dates.
    public static func summary(today: Day, store: any LedgerStore) throws -> InvoiceSummaryDocument {
        let stored = try store.invoices()
        return InvoiceSummaryDocument(summary: InvoiceSummary.compute(invoices: stored.map(\.invoice), payments: payments(stored), today: today),
                                      count: stored.count)
    }

    /// Records that a transaction pays an invoice: `amount` in the invoice currency, or everything
    /// still outstanding. Returns the amount linked.
    @discardableResult
    public static func link(number: String, seller: String? = nil, transaction: Int64, amount: String? = nil, store: any LedgerStore) throws -> Money {
        let id = try store.invoiceID(number: number, seller: seller)
        // An unknown transaction is named as such, before anything is said about amounts.
        guard try store.transactionExists(transaction) else {
            throw StoreError.notFound("no transaction #\(transaction) in the ledger; the ledger's CSV export lists the ids")
        }
        guard let s = try store.invoices().first(where: { $0.id == id }) else { throw UserError("invoice \(number) disappeared") }
        let paid = s.payments.filter { $0.method != "rejected" && $0.transactionID != transaction }.reduce(Money.zero(s.invoice.currency)) { $0 + $1.amount }
        let value: Money
        if let a = amount {
            do { value = try Money(parsing: a, currency: s.invoice.currency, notation: .point) } catch {
                throw UserError("the amount \"\(a)\" is not an amount in \(s.invoice.currency.code): \(error)", hint: "write it with a decimal point, e.g. 848.00")
            }
            guard value.isPositive else {
                throw UserError("the amount \(value) does not pay anything", hint: "give the part of the invoice this payment settles, more than zero")
            }
        } else {
            value = s.invoice.payable - paid
            guard value.isPositive else {
                throw UserError("invoice \(number) has nothing outstanding", hint: "give the amount this payment settles, or unlink the payment that settled it first")
            }
        }
        try store.link(invoiceID: id, transactionID: transaction, amount: value, method: "manual", explanation: LocalizedText("match.linked_by_user").english)
        return value
    }

    /// Removes payment links (one transaction's, or every one); an automatic match removed is
    /// remembered and not proposed again. Returns how many links were removed.
    @discardableResult
    public static func unlink(number: String, seller: String? = nil, transaction: Int64? = nil, store: any LedgerStore) throws -> Int {
        let id = try store.invoiceID(number: number, seller: seller)
        let links = try store.invoices().first { $0.id == id }?.payments.filter { transaction == nil || $0.transactionID == transaction } ?? []
        guard !links.isEmpty else { throw UserError("invoice \(number) has no such payment link", hint: "the invoice list shows each invoice's links") }
        for l in links where l.method != "rejected" {
            _ = try store.unlink(invoiceID: id, transactionID: l.transactionID)
            if l.method == "auto" {
                try store.link(invoiceID: id, transactionID: l.transactionID, amount: .zero(l.amount.currency), method: "rejected", explanation: LocalizedText("match.unlinked_by_user").english)
            }
        }
        return links.count
    }

    /// A link the matcher proposes and why, before anything is linked.
    public struct Suggestion: Sendable {
        public var invoice: String
        public var seller: String
        public var transaction: Int64
        public var date: Day
        public var amount: Money
        public var explanation: String
    }

    /// What matching would link now, without linking: each proposal with the matcher's explanation.
    public static func suggest(store: any LedgerStore) throws -> [Suggestion] {
        try InvoiceMatching.proposals(store).map {
            Suggestion(invoice: $0.invoice.number, seller: $0.invoice.seller.name, transaction: $0.transactionID, date: $0.date,
                       amount: $0.amount, explanation: $0.explanation)
        }
    }

    /// An automatic match and why it was made.
    public struct Match: Sendable {
        public var invoice: String; public var transaction: Int64; public var date: Day; public var explanation: String
        public var seller: String = ""
        public var amount: Money? = nil
    }

    /// The automatic matches in the ledger, each with why it was made (reading only).
    public static func automaticMatches(store: any LedgerStore) throws -> [Match] {
        try store.invoices().flatMap { s in
            s.payments.filter { $0.method == "auto" }.map {
                Match(invoice: s.invoice.number, transaction: $0.transactionID, date: $0.date, explanation: $0.explanation,
                      seller: s.invoice.seller.name, amount: $0.amount)
            }
        }
    }

    /// Matches incoming payments to open invoices now; returns how many were linked and every
    /// automatic match with its explanation.
    public static func match(store: any LedgerStore) throws -> (linked: Int, matches: [Match]) {
        let n = try InvoiceMatching.matchOpenInvoices(store)
        return (n, try automaticMatches(store: store))
    }
}
