/// A party on an invoice: seller or buyer.
public struct Party: Hashable, Sendable, Codable {
    public var name: String
    /// VAT id, NIF, RFC… as written.
    public var taxID: String?
    /// ISO 3166 alpha-2 country code.
    public var country: String?
    public init(name: String, taxID: String? = nil, country: String? = nil) {
        self.name = name; self.taxID = taxID; self.country = country
    }
    /// A stable key for dedup and matching: the tax id if any, else the lower-cased name.
    public var key: String { (taxID?.isEmpty == false ? taxID! : name).lowercased() }
}

/// What an invoice document is.
public enum InvoiceKind: String, Sendable, Codable, CaseIterable {
    /// An ordinary commercial invoice (UNTDID 1001 code 380 and relatives).
    case invoice
    /// A credit note (381, 396, Facturae "R…" corrective with negative amounts…).
    case creditNote
    /// A corrective invoice replacing an earlier one (384, Facturae rectificativa).
    case corrective
    /// An invoice issued by the buyer on the seller's behalf (389).
    case selfBilled
    /// A prepayment invoice (386).
    case prepayment
    /// A payment receipt (CFDI "P"): not income.
    case paymentReceipt
}

public enum InvoiceStatus: String, Sendable, Codable, CaseIterable {
    case open, partiallyPaid = "partially_paid", paid, cancelled
}

/// Whether the user issued the invoice (a sale) or received it (a purchase).
public enum InvoiceDirection: String, Sendable, Codable {
    case issued, received
}

/// An e-invoice as a first-class record. Amounts are as the document states them, in its currency,
/// with the sign that makes a credit note negative.
public struct Invoice: Hashable, Sendable {
    public var number: String
    /// UNTDID 1001 code as written (`380`, `381`…), or the syntax's own (Facturae `OO`, CFDI `I`).
    public var typeCode: String
    public var kind: InvoiceKind
    public var direction: InvoiceDirection
    public var issueDate: Day
    public var dueDate: Day?
    public var seller: Party
    public var buyer: Party
    public var currency: CurrencyCode
    /// Sum of lines net of allowances and charges, before VAT (BT-109 tax exclusive amount).
    public var net: Money
    /// VAT / IVA total in the document currency (BT-110).
    public var tax: Money
    /// Income tax withheld by the payer (IRPF, ISR).
    public var withholding: Money
    /// Total with VAT (BT-112).
    public var total: Money
    /// Already paid (BT-113).
    public var prepaid: Money
    /// What is still to pay (BT-115); for withholding invoices, total minus withholding.
    public var payable: Money
    /// The VAT total in the VAT-accounting currency when the document states one (BT-111).
    public var taxInAccountingCurrency: Money?
    /// The invoice this one corrects, if stated.
    public var correctsNumber: String?
    public var status: InvoiceStatus
    /// `ubl`, `cii`, `facturae`, `cfdi`.
    public var format: String
    public var source: SourceLocation?
    /// Problems found while reading (totals that do not add up…), kept with the record.
    public var problems: [Diagnostic]

    public init(number: String, typeCode: String, kind: InvoiceKind, direction: InvoiceDirection = .issued,
                issueDate: Day, dueDate: Day? = nil, seller: Party, buyer: Party, currency: CurrencyCode,
                net: Money, tax: Money, withholding: Money, total: Money, prepaid: Money, payable: Money,
                taxInAccountingCurrency: Money? = nil, correctsNumber: String? = nil,
                status: InvoiceStatus = .open, format: String, source: SourceLocation? = nil, problems: [Diagnostic] = []) {
        self.number = number; self.typeCode = typeCode; self.kind = kind; self.direction = direction
        self.issueDate = issueDate; self.dueDate = dueDate; self.seller = seller; self.buyer = buyer
        self.currency = currency; self.net = net; self.tax = tax; self.withholding = withholding
        self.total = total; self.prepaid = prepaid; self.payable = payable
        self.taxInAccountingCurrency = taxInAccountingCurrency; self.correctsNumber = correctsNumber
        self.status = status; self.format = format; self.source = source; self.problems = problems
    }

    /// The key that makes re-importing the same invoice add it once: seller, number, type, date.
    public var dedupKey: String { "invoice:\(seller.key)|\(number)|\(typeCode)|\(issueDate)" }
}
