import Foundation
import SaldoCore
import SaldoInvoices
import SaldoStore

/// Links incoming payments found in statements to open invoices (automatic matches are stored
/// with their explanation; a match the user unlinked is remembered and not proposed again).
public enum InvoiceMatching {
    @discardableResult
    public static func matchOpenInvoices(_ store: LedgerStore, matcher: PaymentMatcher = PaymentMatcher()) throws -> Int {
        let stored = try store.invoices()
        let open = stored.filter { $0.invoice.status == .open || $0.invoice.status == .partiallyPaid }
        guard !open.isEmpty else { return 0 }
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
        var linked = 0
        for m in matcher.propose(openInvoices: open.map(\.invoice), outstanding: outstanding, candidates: candidates) {
            guard let inv = byKey[m.invoiceKey], let txn = idByKey[m.paymentID], !rejected.contains("\(m.invoiceKey)|\(txn)") else { continue }
            // A payment short by no more than the fee tolerance settles the invoice; the link records what it settles.
            try store.link(invoiceID: inv.id, transactionID: txn, amount: m.amount + m.shortfall, method: "auto", explanation: m.explanation)
            linked += 1
        }
        return linked
    }
}
