import Foundation
import SaldoCore
import SaldoInvoices
import SaldoStore

/// Links incoming payments found in statements to open invoices (automatic matches are stored
/// with their explanation; a match the user unlinked is remembered and not proposed again).
public enum InvoiceMatching {
    /// A link the matcher proposes: which invoice, which transaction, what it settles, and why.
    public struct Proposal: Sendable {
        public var invoiceID: Int64
        public var invoice: Invoice
        public var transactionID: Int64
        public var date: Day
        /// What the link settles (the payment plus a shortfall within the fee tolerance).
        public var amount: Money
        public var explanation: String
    }

    /// What the matcher would link now, without linking anything: incoming payments not linked
    /// yet against open invoices, leaving out matches the user unlinked.
    public static func proposals(_ store: any LedgerStore, matcher: PaymentMatcher = PaymentMatcher()) throws -> [Proposal] {
        let stored = try store.invoices()
        let open = stored.filter { $0.invoice.status == .open || $0.invoice.status == .partiallyPaid }
        guard !open.isEmpty else { return [] }
        let linkedTxns = Set(stored.flatMap { $0.payments.map(\.transactionID) })
        let rejected = Set(stored.flatMap { s in s.payments.filter { $0.method == "rejected" }.map { "\(s.invoice.dedupKey)|\($0.transactionID)" } })
        var outstanding: [String: Money] = [:]
        for s in open {
            let paid = s.payments.filter { $0.method != "rejected" }.reduce(Money.zero(s.invoice.currency)) { $0 + $1.amount }
            outstanding[s.invoice.dedupKey] = s.invoice.payable - paid
        }
        let start = open.map(\.invoice.issueDate).min()!.adding(days: -matcher.daysBefore)
        let end = open.map { $0.invoice.dueDate ?? $0.invoice.issueDate }.max()!.adding(days: matcher.daysAfter + 1)
        var idByKey: [String: Int64] = [:]
        var candidates: [PaymentCandidate] = []
        // Conversions, payouts and transfers move the user's own money: never a client's payment.
        let notPayments: Set<TransactionKind> = [.conversion, .payout, .transfer, .fee, .refund, .chargeback, .invoice, .withholding, .tax]
        for t in try store.transactions(in: Period(start: start, end: end)) where !linkedTxns.contains(t.id) && !notPayments.contains(t.transaction.kind) {
            for c in PaymentCandidate.from(t.transaction) {
                idByKey[c.id] = t.id
                candidates.append(c)
            }
        }
        let byKey = Dictionary(uniqueKeysWithValues: open.map { ($0.invoice.dedupKey, $0) })
        var out: [Proposal] = []
        for m in matcher.propose(openInvoices: open.map(\.invoice), outstanding: outstanding, candidates: candidates) {
            guard let inv = byKey[m.invoiceKey], let txn = idByKey[m.paymentID], !rejected.contains("\(m.invoiceKey)|\(txn)") else { continue }
            // A payment short by no more than the fee tolerance settles the invoice; the link records what it settles.
            out.append(Proposal(invoiceID: inv.id, invoice: inv.invoice, transactionID: txn, date: m.paymentDate,
                                amount: m.amount + m.shortfall, explanation: m.explanation))
        }
        return out
    }

    @discardableResult
    public static func matchOpenInvoices(_ store: any LedgerStore, matcher: PaymentMatcher = PaymentMatcher()) throws -> Int {
        let proposed = try proposals(store, matcher: matcher)
        for p in proposed {
            try store.link(invoiceID: p.invoiceID, transactionID: p.transactionID, amount: p.amount, method: "auto", explanation: p.explanation)
        }
        return proposed.count
    }
}
