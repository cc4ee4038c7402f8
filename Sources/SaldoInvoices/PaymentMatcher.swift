import Foundation
import SaldoCore

/// Money that arrived on an account, as a candidate payment of an open invoice.
public struct PaymentCandidate: Hashable, Sendable {
    /// The statement transaction's dedup key or external id.
    public var id: String
    public var date: Day
    /// Positive: money received.
    public var amount: Money
    public var counterparty: String?
    public var reference: String?
    public init(id: String, date: Day, amount: Money, counterparty: String?, reference: String?) {
        self.id = id; self.date = date; self.amount = amount; self.counterparty = counterparty; self.reference = reference
    }

    /// Incoming money in a statement transaction: each positive posting on an asset account that
    /// is not a receivable or a tax account. Invoice transactions themselves give nothing.
    public static func from(_ t: Transaction) -> [PaymentCandidate] {
        guard t.kind != .invoice else { return [] }
        let id = t.dedupKey ?? t.externalID ?? "\(t.date) \(t.description)"
        return t.postings.enumerated().compactMap { i, p in
            guard p.account.root == .assets, p.amount.isPositive,
                  !p.account.isUnder(Account(.assets, "receivable")), !p.account.isUnder(Account(.assets, "tax")) else { return nil }
            return PaymentCandidate(id: i == 0 ? id : "\(id)#\(i)", date: t.date, amount: p.amount,
                                    counterparty: t.payee ?? t.client, reference: t.description)
        }
    }
}

/// A proposed link between an open invoice and a payment, with its reasons.
public struct PaymentMatch: Hashable, Sendable {
    public var invoiceKey: String
    public var invoiceNumber: String
    public var paymentID: String
    public var paymentDate: Day
    public var amount: Money
    /// What the invoice still expected minus what arrived (bank or platform fees, 0 when exact).
    public var shortfall: Money
    /// 0…1; higher is more certain.
    public var score: Double
    /// One sentence a user can check: amounts, name, dates, reference.
    public var explanation: String
}

/// Proposes which incoming payments settle which open invoices. Pure: no database.
///
/// A pair is considered when the currency is the same, the payment is no more than the amount
/// outstanding and no less than it minus the fee tolerance, and the payment date falls between
/// `daysBefore` days before the issue date and `daysAfter` days after the due date. Its score
/// weighs amount (exact 1.0, down to 0.5 at the tolerance), counterparty name similarity with the
/// buyer, the invoice number in the payment reference, and date closeness. Pairs are assigned
/// greedily by score, each invoice and payment once.
public struct PaymentMatcher: Sendable {
    /// Largest fee as a percentage of the outstanding amount.
    public var feePercent: ExactDecimal
    /// Plus a fixed allowance in the invoice currency's major unit (e.g. 5 EUR wire fee).
    public var feeFixed: ExactDecimal
    public var daysBefore: Int
    public var daysAfter: Int
    public var minimumScore: Double

    public init(feePercent: ExactDecimal = ExactDecimal(significand: 5, scale: 0), feeFixed: ExactDecimal = ExactDecimal(significand: 5, scale: 0),
                daysBefore: Int = 7, daysAfter: Int = 120, minimumScore: Double = 0.5) {
        self.feePercent = feePercent; self.feeFixed = feeFixed; self.daysBefore = daysBefore; self.daysAfter = daysAfter
        self.minimumScore = minimumScore
    }

    /// `outstanding` maps an invoice's dedup key to what is still due; when absent, its payable is used.
    public func propose(openInvoices: [Invoice], outstanding: [String: Money] = [:], candidates: [PaymentCandidate]) -> [PaymentMatch] {
        var pairs: [PaymentMatch] = []
        for inv in openInvoices where inv.direction == .issued && inv.kind != .paymentReceipt && inv.kind != .creditNote {
            let due = outstanding[inv.dedupKey] ?? inv.payable
            guard due.isPositive else { continue }
            let feeMinor = fee(on: due)
            let last = (inv.dueDate ?? inv.issueDate).adding(days: daysAfter)
            for c in candidates where c.amount.currency == inv.currency {
                let (shortfall, overflow) = due.minorUnits.subtractingReportingOverflow(c.amount.minorUnits)
                guard !overflow, shortfall >= 0, shortfall <= feeMinor, c.date >= inv.issueDate.adding(days: -daysBefore), c.date <= last else { continue }
                let amountScore = feeMinor == 0 ? 1.0 : 1.0 - 0.5 * Double(shortfall) / Double(feeMinor)
                let nameScore = c.counterparty.map { NameSimilarity.score($0, inv.buyer.name) } ?? 0
                let ref = (c.reference ?? "").lowercased()
                let numberInRef = inv.number.count >= 3 && ref.contains(inv.number.lowercased())
                let dueDay = inv.dueDate ?? inv.issueDate
                let lateness = abs(dueDay.distance(to: c.date))
                let dateScore = max(0, 1 - Double(lateness) / Double(max(1, daysAfter)))
                var score = 0.5 * amountScore + 0.3 * nameScore + 0.2 * dateScore
                if numberInRef { score = min(1, score + 0.25) }
                guard score >= minimumScore else { continue }
                // English from the catalog's `match.*` templates, clauses joined by "; " (front ends show it with `Catalog.translatingClauses`).
                let named = c.counterparty.map { !$0.isEmpty } ?? false
                var args = ["amount": c.amount.formatted(withCode: true), "received_date": "\(c.date)", "counterparty": c.counterparty ?? "",
                            "number": inv.number, "outstanding": due.formatted(withCode: true)]
                if let d = inv.dueDate { args["due_date"] = "\(d)" } else { args["issued_date"] = "\(inv.issueDate)" }
                var why = LocalizedText("match.head." + (inv.dueDate == nil ? "issued" : "due") + (named ? "" : "_unnamed"), args).english
                why += ": " + (shortfall == 0 ? LocalizedText("match.exact_amount").english
                               : LocalizedText("match.fees", ["shortfall": Money(minorUnits: shortfall, currency: inv.currency).formatted(withCode: true)]).english)
                why += "; " + LocalizedText("match.name_similarity", ["similarity_number": String(format: "%.2f", nameScore)]).english
                if numberInRef { why += "; " + LocalizedText("match.number_in_reference").english }
                let delta = dueDay.distance(to: c.date)
                // "1 day", "2 days": the singular has keys of its own.
                let days = (abs(delta) == 1 ? "match.day" : "match.days") + (delta > 0 ? "_after" : "_before")
                why += "; " + (delta == 0 ? LocalizedText("match.on_due_date").english
                               : LocalizedText(days, ["days": "\(abs(delta))"]).english)
                pairs.append(PaymentMatch(invoiceKey: inv.dedupKey, invoiceNumber: inv.number, paymentID: c.id, paymentDate: c.date,
                                          amount: c.amount, shortfall: Money(minorUnits: shortfall, currency: inv.currency),
                                          score: (score * 100).rounded() / 100, explanation: why))
            }
        }
        pairs.sort { ($0.score, $1.paymentDate, $1.invoiceKey) > ($1.score, $0.paymentDate, $0.invoiceKey) }
        var usedInvoices = Set<String>(), usedPayments = Set<String>()
        var out: [PaymentMatch] = []
        for p in pairs where !usedInvoices.contains(p.invoiceKey) && !usedPayments.contains(p.paymentID) {
            usedInvoices.insert(p.invoiceKey); usedPayments.insert(p.paymentID); out.append(p)
        }
        return out.sorted { ($0.paymentDate, $0.invoiceNumber) < ($1.paymentDate, $1.invoiceNumber) }
    }

    func fee(on due: Money) -> Int64 {
        let pct = due.converted(by: feePercent.divided(by: ExactDecimal(100), places: 6), to: due.currency)
        let fixed = (try? Money(feeFixed, currency: due.currency))?.minorUnits ?? 0
        return pct.minorUnits.addingReportingOverflow(fixed).overflow ? Int64.max : pct.minorUnits + fixed
    }
}

/// Similarity of two party names in 0…1, ignoring case, accents, punctuation and legal-form words.
public enum NameSimilarity {
    static let noise: Set<String> = ["sl", "slu", "sa", "s", "l", "a", "ltd", "limited", "gmbh", "bv", "b", "v", "inc", "llc", "co", "kg",
                                     "de", "cv", "the", "sas", "sarl", "srl", "spa", "ag", "oy", "ab", "as", "plc", "y", "and", "und"]
    static func tokens(_ s: String) -> [String] {
        s.lowercased().folding(options: .diacriticInsensitive, locale: nil)
            .split { !($0.isLetter || $0.isNumber) }.map(String.init).filter { !noise.contains($0) }
    }
    public static func score(_ a: String, _ b: String) -> Double {
        let ta = tokens(a), tb = tokens(b)
        if ta.isEmpty || tb.isEmpty { return 0 }
        if ta.joined() == tb.joined() { return 1 }
        let sa = Set(ta), sb = Set(tb)
        let jaccard = Double(sa.intersection(sb).count) / Double(sa.union(sb).count)
        // Prefix matches count (bank statements truncate names: "LIFFEY GAM").
        var prefix = 0
        for x in sa where sb.contains(where: { $0 != x && ($0.hasPrefix(x) || x.hasPrefix($0)) && min($0.count, x.count) >= 3 }) { prefix += 1 }
        let partial = Double(prefix) / Double(max(sa.count, sb.count))
        return min(1, jaccard + 0.5 * partial)
    }
}
