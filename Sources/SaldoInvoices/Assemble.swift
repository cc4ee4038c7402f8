import SaldoCore
import SaldoXML

/// What a syntax reader found in one invoice, before signs, money and ledger are applied.
struct Draft {
    struct VAT { var category: String; var rate: ExactDecimal?; var taxable: ExactDecimal?; var amount: ExactDecimal; var surcharge: ExactDecimal?; var reason: String? }
    struct Withheld { var code: String; var name: String; var isIncomeTax: Bool; var rate: ExactDecimal?; var base: ExactDecimal?; var amount: ExactDecimal }

    var format: InvoiceFormat
    var element: XElement
    var number: String
    var typeCode: String
    var kind: InvoiceKind
    /// −1 when the type says "credit" and the amounts are written positive (UBL/CII 381, CFDI E).
    var typeSign: Int
    var issueDate: Day
    var dueDates: [Day] = []
    var seller: Party
    var buyer: Party
    var currency: CurrencyCode
    var taxCurrency: CurrencyCode?
    var exchangeRate: ExactDecimal?
    var stated = StatedTotals()
    var vat: [VAT] = []
    var withheld: [Withheld] = []
    var checks: [TotalsCheck] = []
    var correctsNumber: String?
    var profile: String
    var uuid: String?
    var payments: [CFDIPaymentApplied] = []
    var paymentMethod: String?
    /// VAT in the accounting currency computed from a stated rate (CFDI TipoCambio) or stated per tax (Facturae euros).
    var taxInAccountingCurrency: Money?
    /// What the buyer owes over the life of the invoice, when the syntax states it differently from payable + prepaid.
    var receivable: ExactDecimal?
    /// False for documents that must not be booked (payment receipts).
    var books = true

    mutating func check(_ rule: String, _ stated: ExactDecimal?, _ recomputed: ExactDecimal?, tolerance: ExactDecimal) {
        guard let stated, let recomputed else { return }
        checks.append(TotalsCheck(rule: rule, stated: stated, recomputed: recomputed, tolerance: tolerance))
    }
}

enum Assembler {
    static let cent = ExactDecimal(significand: 1, scale: 2)

    static func kind(forTypeCode code: String) -> (InvoiceKind, Int) {
        switch code {
        case "381", "396", "81", "83", "261", "262", "296", "308", "420", "458", "532":
            return (.creditNote, -1)
        case "384", "385", "467":
            return (.corrective, 1)
        case "389", "527":
            return (.selfBilled, 1)
        case "386", "188", "875", "876", "877":
            return (.prepayment, 1)
        default:
            return (.invoice, 1)
        }
    }

    static func finish(_ d: Draft, _ ctx: ReadContext, options: InvoiceReadOptions) -> ImportedInvoice? {
        let errorsBefore = ctx.diagnostics.filter { $0.severity == .error }.count
        let cur = d.currency
        let sign = ExactDecimal(d.typeSign)
        func signed(_ x: ExactDecimal, _ field: String) -> Money? {
            guard let v = Dec.mul(x, sign) else {
                ctx.error("invoice.amount", "\(field) \(x) is too large", d.element, field); return nil
            }
            return ctx.money(v, cur, d.element, field)
        }
        let s = d.stated
        let vatSum = Dec.sum(d.vat.map(\.amount))
        let withheldSum = Dec.sum(d.withheld.map(\.amount))
        var net = s.net
        if net == nil, let lt = s.lineTotal {
            net = Dec.add(lt, s.charges ?? Dec.zero).flatMap { Dec.sub($0, s.allowances ?? Dec.zero) }
        }
        let netD = net ?? Dec.zero
        let vatD = s.vat ?? vatSum ?? Dec.zero
        let whD = s.withholding ?? withheldSum ?? Dec.zero
        let grossD = s.gross ?? Dec.add(netD, vatD) ?? Dec.zero
        let prepaidD = s.prepaid ?? Dec.zero
        guard let payableD = s.payable ?? Dec.add(grossD, s.rounding ?? Dec.zero).flatMap({ Dec.sub($0, prepaidD) }).flatMap({ Dec.sub($0, whD) }) else {
            ctx.error("invoice.amount", "the totals are too large", d.element, nil); return nil
        }
        let receivableD = d.receivable ?? Dec.add(payableD, prepaidD) ?? Dec.zero

        guard let netM = signed(netD, "net"), let vatM = signed(vatD, "VAT"), let whM = signed(whD, "withholding"),
              let grossM = signed(grossD, "gross"), let prepaidM = signed(prepaidD, "prepaid"), let payableM = signed(payableD, "payable"),
              let receivableM = signed(receivableD, "receivable"), let roundingM = signed(s.rounding ?? Dec.zero, "rounding") else { return nil }

        if ctx.diagnostics.filter({ $0.severity == .error }).count > errorsBefore { return nil }
        var kind = d.kind
        if [.invoice, .corrective, .selfBilled, .prepayment].contains(kind), grossM.isNegative || (grossM.isZero && payableM.isNegative) {
            kind = .creditNote
        }
        var taxAcc = d.taxInAccountingCurrency
        if taxAcc == nil, let tc = d.taxCurrency, let v = s.vatInAccountingCurrency, let sv = Dec.mul(v, sign) {
            taxAcc = ctx.money(sv, tc, d.element, "VAT in accounting currency")
        }

        // Totals problems: recorded on the invoice, never corrected.
        var problems: [Diagnostic] = []
        for c in d.checks where !c.holds {
            problems.append(.warning("invoice.totals",
                                     "\(c.rule): the document states \(c.stated) but its parts add up to \(c.recomputed) (tolerance \(c.tolerance))",
                                     at: ctx.loc(d.element, nil),
                                     hint: "Saldo books the document's net and keeps any difference the amount due implies apart, in \(Ledger.unexplained.path); ask the issuer for a corrected invoice if the difference is real"))
        }

        let direction: InvoiceDirection
        if options.isOwn(d.seller.taxID) { direction = .issued }
        else if options.isOwn(d.buyer.taxID) { direction = .received }
        else {
            direction = .issued
            if !options.ownTaxIDs.isEmpty {
                problems.append(Diagnostic(.note, code: "invoice.direction",
                                           "neither the seller (\(d.seller.taxID ?? "no tax id")) nor the buyer (\(d.buyer.taxID ?? "no tax id")) has one of your tax ids; read as an invoice you issued",
                                           at: ctx.loc(d.element, nil), hint: "add the right tax id to your settings if this is a purchase"))
            }
        }

        var vatLines: [VATLine] = []
        for v in d.vat {
            guard let a = signed(v.amount, "VAT amount") else { return nil }
            let t = v.taxable.flatMap { signed($0, "taxable amount") }
            let es = v.surcharge.flatMap { signed($0, "equivalence surcharge") }
            vatLines.append(VATLine(category: v.category, rate: v.rate, taxable: t, amount: a, equivalenceSurcharge: es, exemptionReason: v.reason))
        }
        var withholdings: [Withholding] = []
        for w in d.withheld {
            guard let a = signed(w.amount, "withheld amount") else { return nil }
            withholdings.append(Withholding(code: w.code, name: w.name, isIncomeTax: w.isIncomeTax, rate: w.rate,
                                            base: w.base.flatMap { signed($0, "withholding base") }, amount: a))
        }
        if withholdings.isEmpty && !whM.isZero {
            withholdings.append(Withholding(code: "", name: "withholding", isIncomeTax: true, rate: nil, base: nil, amount: whM))
        }

        let dueDate = d.dueDates.max()
        let status: InvoiceStatus = (payableM.isZero && !grossM.isZero && d.books) ? .paid : .open
        var invoice = Invoice(number: d.number, typeCode: d.typeCode, kind: d.books ? kind : .paymentReceipt, direction: direction,
                              issueDate: d.issueDate, dueDate: dueDate, seller: d.seller, buyer: d.buyer, currency: cur,
                              net: netM, tax: vatM, withholding: whM, total: grossM, prepaid: prepaidM, payable: payableM,
                              taxInAccountingCurrency: taxAcc, correctsNumber: d.correctsNumber, status: status,
                              format: d.format.rawValue, source: ctx.loc(d.element, nil), problems: [])

        var transaction: Transaction?
        if d.books {
            // Totals that do not add up: income is the document's net (its tax base) and the difference
            // the amount due implies beyond it is kept apart, never booked as income or expense.
            let totalsDisagree = problems.contains { $0.code == "invoice.totals" }
            let stated = totalsDisagree ? Money(minorUnits: netM.minorUnits + roundingM.minorUnits, currency: cur) : nil
            switch Ledger.transaction(for: invoice, receivable: receivableM, withholdings: withholdings, net: stated) {
            case .success(let t):
                transaction = t
                if let t, problems.allSatisfy({ $0.code != "invoice.totals" }) {
                    let incomeRoot: Account.Root = direction == .issued ? .income : .expenses
                    let booked = t.postings.filter { $0.account.root == incomeRoot }.reduce(0) { $0 + $1.amount.minorUnits }
                    let expected = (netM.minorUnits + roundingM.minorUnits) * (direction == .issued ? -1 : 1)
                    if booked != expected {
                        problems.append(.warning("invoice.totals",
                                                 "the amount due and the taxes imply a net of \(Money(minorUnits: abs(booked), currency: cur).decimalString) but the document states \(netM.magnitude.decimalString)",
                                                 at: ctx.loc(d.element, nil), hint: "Saldo books what the client owes; check the invoice's totals"))
                    }
                }
            case .failure(let e):
                ctx.error("ledger.unbalanced", "could not book the invoice: \(e)", d.element, nil)
                return nil
            }
        } else {
            problems.append(Diagnostic(.note, code: "invoice.payment-receipt",
                                       "a payment receipt (CFDI type P) records money received against other invoices; it is not income and is not booked",
                                       at: ctx.loc(d.element, nil), hint: nil))
        }
        invoice.problems = problems
        return ImportedInvoice(invoice: invoice, transaction: transaction, stated: s, checks: d.checks, vat: vatLines,
                               withholdings: withholdings, dueDates: d.dueDates, taxCurrency: d.taxCurrency, exchangeRate: d.exchangeRate,
                               profile: d.profile, uuid: d.uuid, paymentsApplied: d.payments, paymentMethod: d.paymentMethod)
    }
}

/// How an invoice becomes a ledger transaction (see docs/invoices.md).
public enum Ledger {
    /// Issued (a sale): receivable from the buyer, income, output VAT, taxes withheld by the buyer as assets.
    /// Received (a purchase): payable to the seller, expense, input VAT, taxes the user withheld as liabilities.
    /// `receivable` is what the counterparty owes over the life of the invoice (payable + prepaid).
    /// Returns `nil` when every amount is zero.
    /// Where the part of an invoice's amount due that its own figures do not explain waits (its
    /// totals do not add up): neither income nor expense until the issuer corrects the invoice.
    public static let unexplained = Account(.equity, "invoices", "unexplained")

    /// `net`, when given (the document's totals disagree), is what the income (or expense) is; the
    /// rest of what the amount due and the taxes imply is booked on ``unexplained``.
    public static func transaction(for invoice: Invoice, receivable: Money, withholdings: [Withholding], net: Money? = nil) -> Result<Transaction?, LedgerError> {
        let cur = invoice.currency
        let issued = invoice.direction == .issued
        let party = issued ? invoice.buyer : invoice.seller
        let name = accountName(party)
        var postings: [Posting] = []
        func add(_ a: Account, _ m: Money) { if !m.isZero { postings.append(Posting(a, m)) } }

        var rest = Int128(receivable.minorUnits) - Int128(invoice.tax.minorUnits)
        if issued {
            add(Account(.assets, "receivable", name), receivable)
            add(Account(.liabilities, "tax", "vat-output"), -invoice.tax)
            for w in withholdings {
                add(w.isIncomeTax ? Account(.assets, "tax", "withheld") : Account(.assets, "tax", "vat-withheld"), w.amount)
                rest += Int128(w.amount.minorUnits)
            }
        } else {
            add(Account(.liabilities, "payable", name), -receivable)
            add(Account(.assets, "tax", "vat-input"), invoice.tax)
            for w in withholdings {
                add(w.isIncomeTax ? Account(.liabilities, "tax", "withheld") : Account(.liabilities, "tax", "vat-withheld"), -w.amount)
                rest += Int128(w.amount.minorUnits)
            }
        }
        guard let restMinor = Int64(exactly: rest) else {
            return .failure(.unbalanced(date: invoice.issueDate.description, description: invoice.number, residual: "overflow"))
        }
        let rem = Money(minorUnits: restMinor, currency: cur)
        if let net, net.minorUnits != rem.minorUnits {
            add(issued ? Account(.income, name) : Account(.expenses, name), issued ? -net : net)
            let gap = Money(minorUnits: rem.minorUnits - net.minorUnits, currency: cur)
            add(unexplained, issued ? -gap : gap)
        } else {
            add(issued ? Account(.income, name) : Account(.expenses, name), issued ? -rem : rem)
        }
        if postings.isEmpty { return .success(nil) }
        if postings.count == 1 {
            return .failure(.tooFewPostings(date: invoice.issueDate.description, description: invoice.number))
        }
        let what: String
        switch invoice.kind {
        case .creditNote: what = "Credit note"
        case .corrective: what = "Corrective invoice"
        case .selfBilled: what = "Self-billed invoice"
        case .prepayment: what = "Prepayment invoice"
        default: what = "Invoice"
        }
        // MoneyBag sums in Int64 while validating: refuse postings whose running sum would overflow.
        var running: Int128 = 0
        for p in postings {
            running += Int128(p.amount.minorUnits)
            if Int64(exactly: running) == nil {
                return .failure(.unbalanced(date: invoice.issueDate.description, description: invoice.number, residual: "amounts too large"))
            }
        }
        let t = Transaction(date: invoice.issueDate,
                            description: "\(what) \(invoice.number) \(issued ? "to" : "from") \(party.name)",
                            kind: .invoice, postings: postings, payee: party.name, platform: nil,
                            client: issued ? invoice.buyer.name : nil,
                            externalID: invoice.number, dedupKey: invoice.dedupKey, source: invoice.source)
        do { try t.validate() } catch { return .failure(error) }
        return .success(t)
    }

    /// The account component for a party: its name, else its tax id, else `unknown`.
    public static func accountName(_ p: Party) -> String {
        let n = Account.normalizeComponent(p.name)
        if !n.isEmpty { return p.name }
        if let t = p.taxID, !Account.normalizeComponent(t).isEmpty { return t }
        return "unknown"
    }
}
