import SaldoCore

/// The e-invoice syntaxes Saldo reads.
public enum InvoiceFormat: String, Sendable, Codable, CaseIterable {
    /// UBL 2.1 Invoice / CreditNote (Peppol BIS 3, EN 16931, XRechnung UBL).
    case ubl
    /// UN/CEFACT CII D16B (Factur-X, ZUGFeRD 2.x, XRechnung CII) and ZUGFeRD 1.0.
    case cii
    /// Facturae 3.2, 3.2.1, 3.2.2 (and the legacy 3.1).
    case facturae
    /// CFDI 4.0.
    case cfdi
}

/// Totals exactly as the document writes them (lexical scale kept: `336.9` stays `336.9`),
/// without any sign applied. `nil` when the document does not state the value.
public struct StatedTotals: Hashable, Sendable {
    /// BT-106 Σ line net (Facturae TotalGrossAmount, CFDI SubTotal).
    public var lineTotal: ExactDecimal?
    /// BT-107 Σ document allowances (Facturae TotalGeneralDiscounts, CFDI Descuento).
    public var allowances: ExactDecimal?
    /// BT-108 Σ document charges (Facturae TotalGeneralSurcharges).
    public var charges: ExactDecimal?
    /// BT-109 total without VAT (Facturae TotalGrossAmountBeforeTaxes, CFDI SubTotal − Descuento).
    public var net: ExactDecimal?
    /// BT-110 VAT total in the document currency (Facturae TotalTaxOutputs, CFDI TotalImpuestosTrasladados).
    public var vat: ExactDecimal?
    /// BT-111 VAT total in the VAT-accounting currency.
    public var vatInAccountingCurrency: ExactDecimal?
    /// BT-112 total with VAT.
    public var gross: ExactDecimal?
    /// BT-113 prepaid (Facturae TotalPaymentsOnAccount).
    public var prepaid: ExactDecimal?
    /// BT-114 rounding.
    public var rounding: ExactDecimal?
    /// BT-115 amount due (Facturae TotalExecutableAmount, CFDI Total).
    public var payable: ExactDecimal?
    /// Income/other tax withheld in total (Facturae TotalTaxesWithheld, CFDI TotalImpuestosRetenidos).
    public var withholding: ExactDecimal?
    /// Facturae InvoiceTotal (after withholding by the XSD's formula), CFDI Total.
    public var invoiceTotal: ExactDecimal?
    /// Facturae TotalOutstandingAmount.
    public var outstanding: ExactDecimal?

    public init() {}
}

/// One row of the VAT breakdown (BG-23, Facturae TaxesOutputs/Tax, CFDI Traslado), signed like the invoice.
public struct VATLine: Hashable, Sendable {
    /// EN 16931 category (S, Z, E, AE, K, G, O…), Facturae TaxTypeCode (01 IVA, 02 IPSI, 03 IGIC), CFDI Impuesto (002 IVA, 003 IEPS).
    public var category: String
    /// Percent (21 for 21 %); CFDI TasaOCuota is converted to a percent.
    public var rate: ExactDecimal?
    public var taxable: Money?
    public var amount: Money
    /// Facturae equivalence surcharge (recargo de equivalencia): included in TotalTaxOutputs, not VAT.
    public var equivalenceSurcharge: Money?
    public var exemptionReason: String?
    public init(category: String, rate: ExactDecimal?, taxable: Money?, amount: Money, equivalenceSurcharge: Money? = nil, exemptionReason: String? = nil) {
        self.category = category; self.rate = rate; self.taxable = taxable; self.amount = amount
        self.equivalenceSurcharge = equivalenceSurcharge; self.exemptionReason = exemptionReason
    }
}

/// A tax withheld by the payer, signed like the invoice.
public struct Withholding: Hashable, Sendable {
    /// As written: Facturae TaxTypeCode (`04`), CFDI Impuesto (`001`), UBL TaxScheme id.
    public var code: String
    /// `IRPF`, `IRNR`, `ISR`, `IVA`, `IGIC`… or the code.
    public var name: String
    /// Whether it is an income-tax prepayment (IRPF, IRNR, ISR), booked on `assets:tax:withheld`;
    /// otherwise it is an indirect tax withheld (IVA, IGIC), booked on `assets:tax:vat-withheld`.
    public var isIncomeTax: Bool
    public var rate: ExactDecimal?
    public var base: Money?
    public var amount: Money
    public init(code: String, name: String, isIncomeTax: Bool, rate: ExactDecimal?, base: Money?, amount: Money) {
        self.code = code; self.name = name; self.isIncomeTax = isIncomeTax; self.rate = rate; self.base = base; self.amount = amount
    }
}

/// One recomputation of a stated total from lines or breakdowns.
public struct TotalsCheck: Hashable, Sendable {
    /// The rule checked, e.g. `BR-CO-15 gross = net + VAT`.
    public var rule: String
    public var stated: ExactDecimal
    public var recomputed: ExactDecimal
    /// The largest difference the standard tolerates.
    public var tolerance: ExactDecimal
    public var holds: Bool { Dec.within(stated, recomputed, tolerance) }
    public init(rule: String, stated: ExactDecimal, recomputed: ExactDecimal, tolerance: ExactDecimal) {
        self.rule = rule; self.stated = stated; self.recomputed = recomputed; self.tolerance = tolerance
    }
}

/// A payment recorded by a CFDI payment complement (Pagos 2.0): money received against an invoice.
public struct CFDIPaymentApplied: Hashable, Sendable {
    public var paymentDate: Day?
    /// UUID of the paid invoice (`DoctoRelacionado/@IdDocumento`).
    public var invoiceUUID: String
    public var amountPaid: Money
    public var balanceAfter: Money?
    public init(paymentDate: Day?, invoiceUUID: String, amountPaid: Money, balanceAfter: Money?) {
        self.paymentDate = paymentDate; self.invoiceUUID = invoiceUUID; self.amountPaid = amountPaid; self.balanceAfter = balanceAfter
    }
}

/// An invoice read from a file: the record, its ledger transaction, and the evidence behind them.
public struct ImportedInvoice: Hashable, Sendable {
    public var invoice: Invoice
    /// The balanced ledger transaction; `nil` for documents that book nothing (CFDI payment receipts,
    /// documents whose every amount is zero).
    public var transaction: Transaction?
    public var stated: StatedTotals
    public var checks: [TotalsCheck]
    public var vat: [VATLine]
    public var withholdings: [Withholding]
    /// Every due date the document states, in document order (CII EXTENDED and Facturae may give several).
    public var dueDates: [Day]
    /// VAT-accounting currency (BT-6), when stated.
    public var taxCurrency: CurrencyCode?
    /// Exchange rate stated by the document (CFDI TipoCambio, Facturae ExchangeRate).
    public var exchangeRate: ExactDecimal?
    /// Specification id (BT-24) or version (`Facturae 3.2.2`, `CFDI 4.0`).
    public var profile: String
    /// CFDI fiscal folio (TimbreFiscalDigital UUID).
    public var uuid: String?
    /// Payments recorded by a CFDI payment complement (type P).
    public var paymentsApplied: [CFDIPaymentApplied]
    /// How payment is due when the syntax says so instead of a date: CFDI `MetodoPago`
    /// (`PUE` paid in one go at issue, `PPD` deferred and settled by payment CFDIs).
    public var paymentMethod: String?

    public init(invoice: Invoice, transaction: Transaction?, stated: StatedTotals, checks: [TotalsCheck], vat: [VATLine],
                withholdings: [Withholding], dueDates: [Day], taxCurrency: CurrencyCode?, exchangeRate: ExactDecimal?,
                profile: String, uuid: String?, paymentsApplied: [CFDIPaymentApplied], paymentMethod: String? = nil) {
        self.invoice = invoice; self.transaction = transaction; self.stated = stated; self.checks = checks; self.vat = vat
        self.withholdings = withholdings; self.dueDates = dueDates; self.taxCurrency = taxCurrency; self.exchangeRate = exchangeRate
        self.profile = profile; self.uuid = uuid; self.paymentsApplied = paymentsApplied; self.paymentMethod = paymentMethod
    }
}

/// What the user tells the readers.
public struct InvoiceReadOptions: Hashable, Sendable {
    /// The user's own tax ids (NIF, VAT id, RFC). An invoice whose seller has one of them is
    /// `issued`; one whose buyer has one is `received`. When neither matches (or the set is empty)
    /// the invoice is taken as issued: Saldo's user is a freelancer importing their sales.
    public var ownTaxIDs: Set<String>
    public init(ownTaxIDs: Set<String> = []) { self.ownTaxIDs = ownTaxIDs }

    /// Tax ids compared without spaces, dots and dashes, upper-cased, and with or without a
    /// two-letter country prefix (`ES B12345678` matches `B12345678`).
    static func normalize(_ id: String) -> String {
        id.uppercased().filter { $0.isLetter || $0.isNumber }
    }
    func isOwn(_ id: String?) -> Bool {
        guard let id, !id.isEmpty else { return false }
        let n = InvoiceReadOptions.normalize(id)
        for own in ownTaxIDs {
            let o = InvoiceReadOptions.normalize(own)
            if o.isEmpty { continue }
            if o == n || (n.count > 2 && String(n.dropFirst(2)) == o) || (o.count > 2 && String(o.dropFirst(2)) == n) { return true }
        }
        return false
    }
}

/// Everything one file gave: zero or more invoices (a Facturae batch holds several) and the
/// problems found. A document with an `error` is not in `invoices`.
public struct InvoiceReadResult: Hashable, Sendable {
    public var format: InvoiceFormat?
    public var invoices: [ImportedInvoice]
    public var diagnostics: [Diagnostic]
    public init(format: InvoiceFormat?, invoices: [ImportedInvoice], diagnostics: [Diagnostic]) {
        self.format = format; self.invoices = invoices; self.diagnostics = diagnostics
    }
    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
}

/// What a person calls an e-invoice's specification: the document names it by an identifier
/// (BT-24, `urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0`), which
/// an import summary or the web's "Read as" should not show raw.
public enum InvoiceSpecification {
    /// "Peppol BIS Billing 3.0 (UBL)", "XRechnung 3.0 (CII)", "Factur-X BASIC WL", "EN 16931 (UBL)";
    /// names that already read as names (Facturae 3.2.2, CFDI 4.0, ZUGFeRD 1.0) and identifiers
    /// not in this list stay as they are.
    public static func displayName(_ identifier: String, format: InvoiceFormat?) -> String {
        let id = identifier.lowercased()
        let syntax = format == .cii ? " (CII)" : format == .ubl ? " (UBL)" : ""
        if id.contains("peppol.eu:2017:poacc:billing:3.0") { return "Peppol BIS Billing 3.0" + syntax }
        if id.contains("xrechnung") {
            let version = id.range(of: #"xrechnung_(\d+\.\d+)"#, options: .regularExpression)
                .map { " " + id[$0].dropFirst("xrechnung_".count) } ?? ""
            return "XRechnung" + version + syntax
        }
        if id.contains("factur-x.eu") || id.contains("zugferd") {
            let brand = id.contains("zugferd") ? "ZUGFeRD" : "Factur-X"
            for (key, name) in [("minimum", "MINIMUM"), ("basicwl", "BASIC WL"), ("basic", "BASIC"), ("extended", "EXTENDED")]
            where id.hasSuffix(key) || id.contains(":" + key) { return "\(brand) \(name)" }
            if id.hasPrefix("urn:cen.eu:en16931:2017") { return "\(brand) EN 16931" }
            return brand
        }
        if id.hasPrefix("urn:cen.eu:en16931:2017") { return "EN 16931" + syntax }
        return identifier
    }
}
