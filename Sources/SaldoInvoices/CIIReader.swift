import SaldoCore
import SaldoXML

/// UN/CEFACT CII D16B (EN 16931 CII, Factur-X 1.0 / ZUGFeRD 2.x, XRechnung CII) and the older
/// ZUGFeRD 1.0 schema, which has the same structure under other element names.
enum CIIReader {
    struct Dialect {
        var rsm, ram, udt: String
        var context, document, transaction, agreement, settlement, summation, lineSettlement, lineSummation, ratePercent: String
        var profileName: String
    }
    static let d16b = Dialect(rsm: NS.cii, ram: NS.ciiRam, udt: NS.ciiUdt,
                              context: "ExchangedDocumentContext", document: "ExchangedDocument",
                              transaction: "SupplyChainTradeTransaction", agreement: "ApplicableHeaderTradeAgreement",
                              settlement: "ApplicableHeaderTradeSettlement", summation: "SpecifiedTradeSettlementHeaderMonetarySummation",
                              lineSettlement: "SpecifiedLineTradeSettlement", lineSummation: "SpecifiedTradeSettlementLineMonetarySummation",
                              ratePercent: "RateApplicablePercent", profileName: "CII D16B")
    static let zugferd1 = Dialect(rsm: NS.zf1, ram: NS.zf1Ram, udt: NS.zf1Udt,
                                  context: "SpecifiedExchangedDocumentContext", document: "HeaderExchangedDocument",
                                  transaction: "SpecifiedSupplyChainTradeTransaction", agreement: "ApplicableSupplyChainTradeAgreement",
                                  settlement: "ApplicableSupplyChainTradeSettlement", summation: "SpecifiedTradeSettlementMonetarySummation",
                                  lineSettlement: "SpecifiedSupplyChainTradeSettlement", lineSummation: "SpecifiedTradeSettlementMonetarySummation",
                                  ratePercent: "ApplicablePercent", profileName: "ZUGFeRD 1.0")

    static func read(_ root: XElement, _ ctx: ReadContext) -> Draft? {
        let D = root.namespace == NS.zf1 ? zugferd1 : d16b
        func rsm(_ e: XElement?, _ n: String) -> XElement? { ctx.single(e?.children(D.rsm, n) ?? [], "rsm:\(n)", parent: e) }
        func ram(_ e: XElement?, _ n: String) -> XElement? { ctx.single(e?.children(D.ram, n) ?? [], "ram:\(n)", parent: e) }
        func date(_ holder: XElement?, _ field: String, required: Bool) -> Day? {
            guard let holder else { return nil }
            let ds = ctx.single(holder.children(D.udt, "DateTimeString") + holder.children(NS.ciiQdt, "DateTimeString") + holder.children(D.udt, "DateString"),
                                "DateTimeString", parent: holder)
            guard let t = ctx.text(ds, field) else {
                if required { ctx.error("invoice.missing", "missing \(field)", holder, field) }
                return nil
            }
            if let f = ds?.attribute("format"), XElement.trimmed(f) != "102" {
                ctx.error("invoice.date", "date format \(f) is not supported (expected 102, YYYYMMDD)", ds, field); return nil
            }
            if let d = XS.date102(t) { return d }
            ctx.error("invoice.date", "expected a date YYYYMMDD, found \"\(t.prefix(30))\"", ds, field); return nil
        }

        let doc = rsm(root, D.document)
        let tx = rsm(root, D.transaction)
        if doc == nil || tx == nil {
            ctx.error("invoice.missing", "missing rsm:\(doc == nil ? D.document : D.transaction)", root, nil,
                      hint: "a CII invoice has ExchangedDocument and SupplyChainTradeTransaction")
            return nil
        }
        let number = ctx.required(ram(doc, "ID"), "ram:ID", parent: doc, what: "invoice number (BT-1)")
        let typeCode = ctx.text(ram(doc, "TypeCode"), "ram:TypeCode") ?? "380"
        let issueDate = date(ram(doc, "IssueDateTime"), "IssueDateTime (BT-2)", required: true)
        if ram(doc, "IssueDateTime") == nil { ctx.error("invoice.missing", "missing the issue date (ram:IssueDateTime, BT-2)", doc, "BT-2") }

        let agreement = ram(tx, D.agreement)
        let settlement = ram(tx, D.settlement)
        if settlement == nil { ctx.error("invoice.missing", "missing ram:\(D.settlement)", tx, nil); return nil }
        let curEl = ram(settlement, "InvoiceCurrencyCode")
        let currency = ctx.currency(ctx.required(curEl, "ram:InvoiceCurrencyCode", parent: settlement, what: "invoice currency (BT-5)"), curEl, "BT-5")
        let taxCurEl = ram(settlement, "TaxCurrencyCode")
        let taxCurrency = ctx.currency(ctx.text(taxCurEl, "ram:TaxCurrencyCode"), taxCurEl, "BT-6")

        let ms = ram(settlement, D.summation)
        if ms == nil { ctx.error("invoice.missing", "missing the document totals (ram:\(D.summation))", settlement, nil) }
        func amt(_ n: String) -> ExactDecimal? { ctx.amount(ram(ms, n), "ram:\(n)", currency: currency) }
        var st = StatedTotals()
        st.lineTotal = amt("LineTotalAmount")
        st.charges = amt("ChargeTotalAmount")
        st.allowances = amt("AllowanceTotalAmount")
        st.net = amt("TaxBasisTotalAmount")
        st.gross = amt("GrandTotalAmount")
        st.prepaid = amt("TotalPrepaidAmount")
        st.rounding = amt("RoundingAmount")
        st.payable = amt("DuePayableAmount")
        if ms != nil && st.payable == nil && !ctx.hasErrors {
            ctx.error("invoice.missing", "missing the amount due (ram:DuePayableAmount, BT-115)", ms, "ram:DuePayableAmount")
        }
        for tta in ms?.children(D.ram, "TaxTotalAmount") ?? [] {
            let cid = tta.attribute("currencyID").map(XElement.trimmed)?.uppercased()
            if cid == nil || cid == currency?.code {
                if st.vat != nil { ctx.error("invoice.cardinality", "two VAT totals in the invoice currency", tta, "ram:TaxTotalAmount"); continue }
                st.vat = ctx.decimal(tta, "ram:TaxTotalAmount (BT-110)")
            } else if let taxCurrency, cid == taxCurrency.code {
                st.vatInAccountingCurrency = ctx.decimal(tta, "ram:TaxTotalAmount (BT-111)")
            } else {
                ctx.error("invoice.currency", "a VAT total is in \(cid ?? "?"), neither the invoice currency nor the VAT accounting currency", tta, "ram:TaxTotalAmount")
            }
        }

        var vat: [Draft.VAT] = []
        for t in settlement?.children(D.ram, "ApplicableTradeTax") ?? [] {
            guard let a = ctx.amount(ram(t, "CalculatedAmount"), "ram:CalculatedAmount", currency: currency) else { continue }
            vat.append(Draft.VAT(category: ctx.text(ram(t, "CategoryCode"), "ram:CategoryCode") ?? "",
                                 rate: ctx.decimal(ram(t, D.ratePercent), "ram:\(D.ratePercent)"),
                                 taxable: ctx.amount(ram(t, "BasisAmount"), "ram:BasisAmount", currency: currency),
                                 amount: a, surcharge: nil, reason: ctx.text(ram(t, "ExemptionReason"), "ram:ExemptionReason")))
        }
        var dueDates: [Day] = []
        for pt in settlement?.children(D.ram, "SpecifiedTradePaymentTerms") ?? [] {
            if let dd = date(ram(pt, "DueDateDateTime"), "DueDateDateTime (BT-9)", required: false), !dueDates.contains(dd) { dueDates.append(dd) }
        }
        var allow: [ExactDecimal] = [], charge: [ExactDecimal] = []
        for ac in settlement?.children(D.ram, "SpecifiedTradeAllowanceCharge") ?? [] {
            guard let a = ctx.amount(ram(ac, "ActualAmount"), "ram:ActualAmount", currency: currency) else { continue }
            let ind = ram(ram(ac, "ChargeIndicator"), "Indicator") ?? ac.child(D.ram, "ChargeIndicator")?.child(D.udt, "Indicator")
            if ind?.trimmedText.lowercased() == "true" { charge.append(a) } else { allow.append(a) }
        }
        let lineItems = tx?.children(D.ram, "IncludedSupplyChainTradeLineItem") ?? []
        var lineNets: [ExactDecimal] = []
        for li in lineItems {
            if let a = ctx.amount(ram(ram(ram(li, D.lineSettlement), D.lineSummation), "LineTotalAmount"), "ram:LineTotalAmount", currency: currency) {
                lineNets.append(a)
            }
        }
        let seller = party(ram(agreement, "SellerTradeParty"), D, ctx, role: "seller")
        let buyer = party(ram(agreement, "BuyerTradeParty"), D, ctx, role: "buyer")
        let corrects = ctx.text(ram(ram(settlement, "InvoiceReferencedDocument"), "IssuerAssignedID"), "BT-25")
        let profile = ctx.text(ram(ram(rsm(root, D.context), "GuidelineSpecifiedDocumentContextParameter"), "ID"), "BT-24") ?? D.profileName

        guard !ctx.hasErrors, let number, let issueDate, let currency else { return nil }
        let (kind, sign) = Assembler.kind(forTypeCode: typeCode)
        var d = Draft(format: .cii, element: root, number: number, typeCode: typeCode, kind: kind, typeSign: sign,
                      issueDate: issueDate, dueDates: dueDates, seller: seller, buyer: buyer, currency: currency,
                      taxCurrency: taxCurrency, stated: st, vat: vat, correctsNumber: corrects, profile: profile)
        EN16931.checks(&d, lineNets: lineItems.isEmpty ? nil : lineNets, allowances: allow, charges: charge)
        return d
    }

    static func party(_ p: XElement?, _ D: Dialect, _ ctx: ReadContext, role: String) -> Party {
        guard let p else { ctx.warning("invoice.party", "no \(role) party", nil, role); return Party(name: "") }
        let name = ctx.text(p.child(D.ram, "Name"), "ram:Name") ?? ""
        var taxID: String?
        for reg in p.children(D.ram, "SpecifiedTaxRegistration") {
            guard let id = reg.child(D.ram, "ID"), let t = ctx.text(id, "ram:ID") else { continue }
            if id.attribute("schemeID")?.uppercased() == "VA" { taxID = t; break }
            if taxID == nil { taxID = t }
        }
        let country = ctx.text(p.child(D.ram, "PostalTradeAddress")?.child(D.ram, "CountryID"), "ram:CountryID")
        if name.isEmpty { ctx.warning("invoice.party", "the \(role) has no name", p, role) }
        return Party(name: name, taxID: taxID, country: country)
    }
}
