import SaldoCore

/// One invoice as `saldo invoices list --format json` prints it. Amounts are decimal strings with
/// exactly the currency's decimals (`"1452.00"`, `"1500"` for JPY); absent dates are `null`.
public struct InvoiceRow: Codable, Hashable, Sendable {
    public var number: String
    public var typeCode: String
    public var kind: String
    public var direction: String
    public var issueDate: String
    public var dueDate: String?
    public var currency: String
    public var net: String
    public var vat: String
    public var gross: String
    public var prepaid: String
    public var payable: String
    public var withholding: String
    public var paid: String
    public var outstanding: String
    public var vatAccountingCurrency: String?
    public var vatInAccountingCurrency: String?
    public var seller: String
    public var sellerTaxID: String?
    public var buyer: String
    public var buyerTaxID: String?
    public var status: String
    public var format: String
    public var source: String?
    public var problems: Int

    enum CodingKeys: String, CodingKey {
        case number, typeCode = "type_code", kind, direction, issueDate = "issue_date", dueDate = "due_date", currency
        case net, vat, gross, prepaid, payable, withholding, paid, outstanding
        case vatAccountingCurrency = "vat_accounting_currency", vatInAccountingCurrency = "vat_in_accounting_currency"
        case seller, sellerTaxID = "seller_tax_id", buyer, buyerTaxID = "buyer_tax_id", status, format, source, problems
    }

    /// The row for `invoice` with `payments` applied on `today` (status and outstanding follow them).
    public init(_ invoice: Invoice, payments: [InvoicePayment] = [], today: Day) {
        let p = InvoiceSummary.position(of: invoice, payments: payments, today: today)
        number = invoice.number; typeCode = invoice.typeCode; kind = invoice.kind.rawValue; direction = invoice.direction.rawValue
        issueDate = invoice.issueDate.description; dueDate = invoice.dueDate?.description; currency = invoice.currency.code
        net = invoice.net.decimalString; vat = invoice.tax.decimalString; gross = invoice.total.decimalString
        prepaid = invoice.prepaid.decimalString; payable = invoice.payable.decimalString; withholding = invoice.withholding.decimalString
        paid = p.paid.decimalString; outstanding = p.outstanding.decimalString
        vatAccountingCurrency = invoice.taxInAccountingCurrency?.currency.code
        vatInAccountingCurrency = invoice.taxInAccountingCurrency?.decimalString
        seller = invoice.seller.name; sellerTaxID = invoice.seller.taxID; buyer = invoice.buyer.name; buyerTaxID = invoice.buyer.taxID
        status = invoice.kind == .paymentReceipt ? invoice.status.rawValue : p.status.rawValue
        format = invoice.format; source = invoice.source?.description; // A stored problem's hint comes back as a line of its own: not a problem more.
        problems = invoice.problems.filter { $0.severity != .note && !$0.message.hasPrefix("  hint: ") }.count
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(number, forKey: .number); try c.encode(typeCode, forKey: .typeCode); try c.encode(kind, forKey: .kind)
        try c.encode(direction, forKey: .direction); try c.encode(issueDate, forKey: .issueDate); try c.encode(dueDate, forKey: .dueDate)
        try c.encode(currency, forKey: .currency)
        try c.encode(net, forKey: .net); try c.encode(vat, forKey: .vat); try c.encode(gross, forKey: .gross)
        try c.encode(prepaid, forKey: .prepaid); try c.encode(payable, forKey: .payable); try c.encode(withholding, forKey: .withholding)
        try c.encode(paid, forKey: .paid); try c.encode(outstanding, forKey: .outstanding)
        try c.encode(vatAccountingCurrency, forKey: .vatAccountingCurrency); try c.encode(vatInAccountingCurrency, forKey: .vatInAccountingCurrency)
        try c.encode(seller, forKey: .seller); try c.encode(sellerTaxID, forKey: .sellerTaxID)
        try c.encode(buyer, forKey: .buyer); try c.encode(buyerTaxID, forKey: .buyerTaxID)
        try c.encode(status, forKey: .status); try c.encode(format, forKey: .format); try c.encode(source, forKey: .source)
        try c.encode(problems, forKey: .problems)
    }
}
