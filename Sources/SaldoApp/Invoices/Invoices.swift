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
        // The ledger keeps each problem's text line by line (a hint on a line of its own): one note each.
        var problems: [InvoiceProblemNote] = []
        for s in stored {
            var texts: [String] = []
            for d in s.invoice.problems {
                if d.message.hasPrefix("  hint: "), !texts.isEmpty { texts[texts.count - 1] += "\n" + d.message } else { texts.append(d.message) }
            }
            problems += texts.map { InvoiceProblemNote(number: s.invoice.number, stored: $0, file: s.invoice.source?.file) }
        }
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

    /// What kind of document a number names, to choose between documents a seller numbered alike
    /// (an invoice and its credit note, say).
    public enum DocumentKind: String, CaseIterable, Sendable {
        case invoice, creditNote = "credit-note", corrective, selfBilled = "self-billed", prepayment, paymentReceipt = "payment-receipt"
        public init(_ kind: InvoiceKind) {
            switch kind {
            case .invoice: self = .invoice
            case .creditNote: self = .creditNote
            case .corrective: self = .corrective
            case .selfBilled: self = .selfBilled
            case .prepayment: self = .prepayment
            case .paymentReceipt: self = .paymentReceipt
            }
        }
    }

    /// The one stored invoice that a number names, narrowed by seller (name or tax id), kind and
    /// issue date when several share the number. Several left: an error listing them and how to choose.
    public static func find(number: String, seller: String? = nil, kind: DocumentKind? = nil, issued: Day? = nil,
                            in stored: [StoredInvoice]) throws -> StoredInvoice {
        let numbered = stored.filter { $0.invoice.number == number }
        guard !numbered.isEmpty else { throw StoreError.notFound("no invoice numbered \"\(number)\" in the ledger; the invoice list shows them") }
        let chosen = numbered.filter { s in
            (seller == nil || s.invoice.seller.name == seller || s.invoice.seller.taxID == seller)
                && (kind == nil || DocumentKind(s.invoice.kind) == kind) && (issued == nil || s.invoice.issueDate == issued)
        }
        if chosen.count == 1 { return chosen[0] }
        // Each as the options name it (kind, issue date as written), so the same words choose it.
        let described = numbered.map { s in
            "\(DocumentKind(s.invoice.kind).rawValue) \(s.invoice.issueDate.description) (\(s.invoice.seller.name.isEmpty ? s.invoice.seller.taxID ?? "" : s.invoice.seller.name))"
        }.joined(separator: ", ")
        if chosen.isEmpty {
            throw UserError("no document numbered \"\(number)\" fits what you named; the ledger holds \(described)",
                            hint: "name the seller, kind or issue date of one of them", fix: .chooseInvoice)
        }
        throw UserError("\(chosen.count) documents are numbered \"\(number)\": \(described)",
                        hint: "say which by its seller, kind or issue date", fix: .chooseInvoice)
    }

    /// A link recorded, and what the user should know about it (the transaction is much earlier than
    /// the invoice, or in another currency, so the amount could not be checked).
    public struct LinkOutcome: Sendable {
        public var amount: Money
        public var warnings: [LocalizedText]
    }

    /// Records that a transaction pays an invoice: `amount` in the invoice currency, or everything
    /// still outstanding. Returns the amount linked.
    @discardableResult
    public static func link(number: String, seller: String? = nil, kind: DocumentKind? = nil, issued: Day? = nil,
                            transaction: Int64, amount: String? = nil, store: any LedgerStore) throws -> Money {
        try linkChecked(number: number, seller: seller, kind: kind, issued: issued, transaction: transaction, amount: amount, store: store).amount
    }

    /// How many days before an invoice's issue date a payment may still be its (a deposit, an
    /// invoice written a few days after the money came); earlier is said. The matcher's own window.
    public static let earlyPaymentDays = PaymentMatcher().daysBefore

    /// How many days after an invoice's due date (its issue date when it states none) a payment may
    /// come before the link says so: half a year. Late payers are common (Spain's legal term is 60
    /// days, and public bodies and large clients often take 90 to 120; the matcher looks 120 days
    /// past the due date), so a payment a few months late is not remarked on; one more than six
    /// months late is more often another invoice's payment, or a typo in the transaction id, than a
    /// late one, and is worth a second look.
    public static let latePaymentDays = 180

    /// ``link(number:seller:kind:issued:transaction:amount:store:)`` with what the user should know.
    /// Refused: a transaction that moves money the wrong way for the invoice (money out for an
    /// invoice the user issued, money in for one received), or none at all, and an amount larger
    /// than what the transaction moved in the invoice's currency.
    public static func linkChecked(number: String, seller: String? = nil, kind: DocumentKind? = nil, issued: Day? = nil,
                                   transaction: Int64, amount: String? = nil, store: any LedgerStore) throws -> LinkOutcome {
        let s = try find(number: number, seller: seller, kind: kind, issued: issued, in: try store.invoices())
        let id = s.id
        // An unknown transaction is named as such, before anything is said about amounts.
        guard try store.transactionExists(transaction) else {
            throw StoreError.notFound("no transaction #\(transaction) in the ledger; the ledger's CSV export lists the ids")
        }
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
        guard let txn = try findTransaction(transaction, near: s.invoice, store: store) else {
            throw StoreError.notFound("no transaction #\(transaction) in the ledger; the ledger's CSV export lists the ids")
        }
        var warnings = try check(txn, pays: s.invoice, value: value, amountGiven: amount != nil)
        // The same money counted twice: the transaction already pays other invoices.
        for other in try store.invoices() where other.id != id {
            for l in other.payments where l.transactionID == transaction && l.method != "rejected" {
                warnings.append(LocalizedText("invoice.link.warning.also_pays", ["transaction": String(transaction), "invoice": other.invoice.number,
                                                                               "linked": l.amount.description]))
            }
        }
        try store.link(invoiceID: id, transactionID: transaction, amount: value, method: "manual", explanation: LocalizedText("match.linked_by_user").english)
        return LinkOutcome(amount: value, warnings: warnings)
    }

    /// The transaction with this id: looked for around the invoice's dates first (where payments
    /// are), then in the whole ledger.
    static func findTransaction(_ id: Int64, near invoice: Invoice, store: any LedgerStore) throws -> StoredTransaction? {
        let due = invoice.dueDate ?? invoice.issueDate
        let near = Period(start: invoice.issueDate.adding(days: -120), end: due.adding(days: 400))
        if let t = try store.transactions(in: near).first(where: { $0.id == id }) { return t }
        return try store.transactions(in: nil).first { $0.id == id }
    }

    /// What a transaction moved in and out of the user's own money accounts (assets other than
    /// receivables and taxes), by currency: positive is money in.
    static func moneyMoved(_ t: Transaction) -> [CurrencyCode: Int64] {
        var net: [CurrencyCode: Int64] = [:]
        for p in t.postings where p.account.root == .assets
            && !p.account.isUnder(Account(.assets, "receivable")) && !p.account.isUnder(Account(.assets, "tax")) {
            net[p.amount.currency, default: 0] &+= p.amount.minorUnits
        }
        return net.filter { $0.value != 0 }
    }

    /// Refuses a transaction that cannot pay the invoice; returns what to warn about.
    static func check(_ stored: StoredTransaction, pays invoice: Invoice, value: Money, amountGiven: Bool) throws -> [LocalizedText] {
        let t = stored.transaction
        // Money comes in for an invoice the user issued, goes out for one received (the other way for a credit note).
        let inward = (invoice.direction == .issued) != invoice.payable.isNegative
        let moved = moneyMoved(t)
        let what = LocalizedText("error.link.transaction", ["id": String(stored.id), "date": t.date.description, "description": t.description]).english
        let sameWay = moved.filter { inward ? $0.value > 0 : $0.value < 0 }
        if sameWay.isEmpty {
            let other = moved.sorted { $0.key < $1.key }.map { Money(minorUnits: $0.value, currency: $0.key).description }.joined(separator: ", ")
            if other.isEmpty {
                throw UserError("\(what) moved no money in or out of your accounts, so it pays no invoice",
                                hint: "link the statement transaction in which the money arrived or left")
            }
            if inward {
                throw UserError("\(what) took money out of your accounts (\(other)); invoice \(invoice.number) is paid with money coming in",
                                hint: "link the statement transaction in which the money for this invoice arrived")
            }
            throw UserError("\(what) brought money into your accounts (\(other)); invoice \(invoice.number) is paid with money going out",
                            hint: "link the statement transaction in which the money for this invoice left")
        }
        var warnings: [LocalizedText] = []
        if let same = sameWay[invoice.currency] {
            let got = Money(minorUnits: abs(same), currency: invoice.currency)
            if value.minorUnits > got.minorUnits {
                if amountGiven {
                    throw UserError("\(what) moved \(got), less than the \(value) you link to invoice \(invoice.number)",
                                    hint: "give at most \(got.decimalString), what the transaction moved")
                }
                warnings.append(LocalizedText("invoice.link.warning.short", ["transaction": String(stored.id), "moved": got.description,
                                                                           "linked": value.description, "max": got.decimalString]))
            }
        } else {
            let currencies = sameWay.keys.sorted().map(\.code).joined(separator: ", ")
            warnings.append(LocalizedText("invoice.link.warning.currency", ["transaction": String(stored.id), "currencies": currencies,
                                                                          "currency": invoice.currency.code]))
        }
        let early = t.date.distance(to: invoice.issueDate)
        if early > earlyPaymentDays {
            warnings.append(LocalizedText("invoice.link.warning.early", ["transaction": String(stored.id), "date": t.date.description,
                                                                       "days": String(early), "issue_date": invoice.issueDate.description]))
        }
        // Long after the invoice was due (or issued, when it states no due date).
        let due = invoice.dueDate ?? invoice.issueDate
        let late = due.distance(to: t.date)
        if late > latePaymentDays {
            warnings.append(LocalizedText(invoice.dueDate == nil ? "invoice.link.warning.late_issued" : "invoice.link.warning.late",
                                          ["transaction": String(stored.id), "date": t.date.description, "days": String(late),
                                           invoice.dueDate == nil ? "issue_date" : "due_date": due.description]))
        }
        return warnings
    }

    /// Removes payment links (one transaction's, or every one); an automatic match removed is
    /// remembered and not proposed again. Returns how many links were removed.
    @discardableResult
    public static func unlink(number: String, seller: String? = nil, kind: DocumentKind? = nil, issued: Day? = nil,
                              transaction: Int64? = nil, store: any LedgerStore) throws -> Int {
        let id = try find(number: number, seller: seller, kind: kind, issued: issued, in: try store.invoices()).id
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
