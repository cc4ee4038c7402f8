import SaldoCore
import SaldoXML

/// UBL 2.1 Invoice and CreditNote (Peppol BIS Billing 3.0, EN 16931, XRechnung UBL).
enum UBLReader {
    static let tolerance = Assembler.cent

    static func read(_ root: XElement, _ ctx: ReadContext) -> Draft? {
        let isCredit = root.name == "CreditNote"
        func cbc(_ e: XElement?, _ n: String) -> XElement? { ctx.single(e?.children(NS.cbc, n) ?? [], "cbc:\(n)", parent: e) }
        func cac(_ e: XElement?, _ n: String) -> XElement? { ctx.single(e?.children(NS.cac, n) ?? [], "cac:\(n)", parent: e) }

        let number = ctx.required(cbc(root, "ID"), "cbc:ID", parent: root, what: "invoice number (BT-1)")
        let issueText = ctx.required(cbc(root, "IssueDate"), "cbc:IssueDate", parent: root, what: "issue date (BT-2)")
        let issueDate = issueText.flatMap { t -> Day? in
            if let d = XS.date(t) { return d }
            ctx.error("invoice.date", "expected a date yyyy-mm-dd, found \"\(t.prefix(30))\"", cbc(root, "IssueDate"), "cbc:IssueDate"); return nil
        }
        let typeEl = cbc(root, isCredit ? "CreditNoteTypeCode" : "InvoiceTypeCode")
        var typeCode = ctx.text(typeEl, isCredit ? "cbc:CreditNoteTypeCode" : "cbc:InvoiceTypeCode") ?? ""
        if typeCode.isEmpty {
            typeCode = isCredit ? "381" : "380"
            ctx.note("invoice.type", "no type code (BT-3); read as \(typeCode) from the document element", root, "BT-3")
        }
        let curEl = cbc(root, "DocumentCurrencyCode")
        let currency = ctx.currency(ctx.required(curEl, "cbc:DocumentCurrencyCode", parent: root, what: "invoice currency (BT-5)"), curEl, "cbc:DocumentCurrencyCode")
        let taxCurEl = cbc(root, "TaxCurrencyCode")
        let taxCurrency = ctx.currency(ctx.text(taxCurEl, "cbc:TaxCurrencyCode"), taxCurEl, "cbc:TaxCurrencyCode")

        let lmt = cac(root, "LegalMonetaryTotal")
        if lmt == nil {
            ctx.error("invoice.missing", "missing cac:LegalMonetaryTotal (the document totals)", root, "cac:LegalMonetaryTotal",
                      hint: "a UBL invoice must state its totals in cac:LegalMonetaryTotal (UBL namespace)")
        }
        func amt(_ n: String) -> ExactDecimal? { ctx.amount(cbc(lmt, n), "cbc:\(n)", currency: currency) }
        var st = StatedTotals()
        st.lineTotal = amt("LineExtensionAmount")
        st.net = amt("TaxExclusiveAmount")
        st.gross = amt("TaxInclusiveAmount")
        st.allowances = amt("AllowanceTotalAmount")
        st.charges = amt("ChargeTotalAmount")
        st.prepaid = amt("PrepaidAmount")
        st.rounding = amt("PayableRoundingAmount")
        st.payable = amt("PayableAmount")
        if lmt != nil && st.payable == nil && !ctx.hasErrors {
            ctx.error("invoice.missing", "missing the amount due (cbc:PayableAmount, BT-115)", lmt, "cbc:PayableAmount",
                      hint: "every invoice must state the amount due")
        }

        // VAT totals: one TaxTotal per currency; pick by currencyID, never the first blindly.
        var vat: [Draft.VAT] = []
        for tt in root.children(NS.cac, "TaxTotal") {
            guard let ta = cbc(tt, "TaxAmount") else { continue }
            let cid = ta.attribute("currencyID").map(XElement.trimmed)?.uppercased()
            if let cid, let taxCurrency, cid == taxCurrency.code, cid != currency?.code {
                st.vatInAccountingCurrency = ctx.decimal(ta, "cac:TaxTotal/cbc:TaxAmount (BT-111)")
                continue
            }
            if let cid, let currency, cid != currency.code {
                ctx.error("invoice.currency", "a VAT total is in \(cid), neither the invoice currency \(currency.code) nor the VAT accounting currency",
                          ta, "cac:TaxTotal/cbc:TaxAmount"); continue
            }
            if st.vat != nil {
                ctx.error("invoice.cardinality", "two VAT totals in the invoice currency", ta, "cac:TaxTotal/cbc:TaxAmount"); continue
            }
            st.vat = ctx.decimal(ta, "cac:TaxTotal/cbc:TaxAmount (BT-110)")
            for sub in tt.children(NS.cac, "TaxSubtotal") {
                let cat = cac(sub, "TaxCategory")
                guard let a = ctx.amount(cbc(sub, "TaxAmount"), "cac:TaxSubtotal/cbc:TaxAmount", currency: currency) else { continue }
                vat.append(Draft.VAT(category: ctx.text(cbc(cat, "ID"), "cac:TaxCategory/cbc:ID") ?? "",
                                     rate: ctx.decimal(cbc(cat, "Percent"), "cac:TaxCategory/cbc:Percent"),
                                     taxable: ctx.amount(cbc(sub, "TaxableAmount"), "cac:TaxSubtotal/cbc:TaxableAmount", currency: currency),
                                     amount: a, surcharge: nil,
                                     reason: ctx.text(cbc(cat, "TaxExemptionReason"), "cbc:TaxExemptionReason")))
            }
        }
        // UBL 2.1 has cac:WithholdingTaxTotal (not part of EN 16931): read it if present, and say so.
        var withheld: [Draft.Withheld] = []
        for wt in root.children(NS.cac, "WithholdingTaxTotal") {
            ctx.note("invoice.withholding", "the invoice states a withholding tax (cac:WithholdingTaxTotal, outside EN 16931)", wt, "cac:WithholdingTaxTotal")
            let subs = wt.children(NS.cac, "TaxSubtotal")
            if subs.isEmpty, let a = ctx.amount(cbc(wt, "TaxAmount"), "cac:WithholdingTaxTotal/cbc:TaxAmount", currency: currency) {
                withheld.append(Draft.Withheld(code: "", name: "withholding", isIncomeTax: true, rate: nil, base: nil, amount: a))
            }
            for sub in subs {
                let cat = cac(sub, "TaxCategory")
                guard let a = ctx.amount(cbc(sub, "TaxAmount"), "cac:TaxSubtotal/cbc:TaxAmount", currency: currency) else { continue }
                let scheme = ctx.text(cbc(cac(cat, "TaxScheme"), "ID"), "cac:TaxScheme/cbc:ID") ?? ctx.text(cbc(cat, "ID"), "cbc:ID") ?? ""
                let up = scheme.uppercased()
                let isVAT = up.contains("VAT") || up.contains("IVA") || up.contains("IGIC")
                withheld.append(Draft.Withheld(code: scheme, name: scheme.isEmpty ? "withholding" : scheme, isIncomeTax: !isVAT,
                                               rate: ctx.decimal(cbc(cat, "Percent"), "cbc:Percent"),
                                               base: ctx.amount(cbc(sub, "TaxableAmount"), "cbc:TaxableAmount", currency: currency), amount: a))
            }
        }
        if !withheld.isEmpty { st.withholding = Dec.sum(withheld.map(\.amount)) }

        // Due dates: Invoice cbc:DueDate; CreditNote PaymentMeans/PaymentDueDate (also accepted on invoices).
        var dueDates: [Day] = []
        var dueEls = root.children(NS.cbc, "DueDate")
        for pm in root.children(NS.cac, "PaymentMeans") { dueEls += pm.children(NS.cbc, "PaymentDueDate") }
        for e in dueEls {
            guard let t = ctx.text(e, "cbc:DueDate") else { continue }
            if let d = XS.date(t) { if !dueDates.contains(d) { dueDates.append(d) } }
            else { ctx.warning("invoice.date", "due date \"\(t.prefix(30))\" is not a date yyyy-mm-dd; ignored", e, "BT-9") }
        }

        let lineName = isCredit ? "CreditNoteLine" : "InvoiceLine"
        let lines = root.children(NS.cac, lineName)
        let lineNets = lines.compactMap { ctx.amount(cbc($0, "LineExtensionAmount"), "cac:\(lineName)/cbc:LineExtensionAmount", currency: currency) }
        var allow: [ExactDecimal] = [], charge: [ExactDecimal] = []
        for ac in root.children(NS.cac, "AllowanceCharge") {
            guard let a = ctx.amount(cbc(ac, "Amount"), "cac:AllowanceCharge/cbc:Amount", currency: currency) else { continue }
            if ctx.text(cbc(ac, "ChargeIndicator"), "cbc:ChargeIndicator")?.lowercased() == "true" { charge.append(a) } else { allow.append(a) }
        }

        let seller = party(cac(cac(root, "AccountingSupplierParty"), "Party"), ctx, role: "seller")
        let buyer = party(cac(cac(root, "AccountingCustomerParty"), "Party"), ctx, role: "buyer")
        let corrects = ctx.text(cbc(cac(cac(root, "BillingReference"), "InvoiceDocumentReference"), "ID"), "BT-25")
        let profile = ctx.text(cbc(root, "CustomizationID"), "cbc:CustomizationID") ?? "UBL 2.1"

        guard !ctx.hasErrors, let number, let issueDate, let currency else { return nil }
        var (kind, sign) = Assembler.kind(forTypeCode: typeCode)
        if isCredit { kind = .creditNote; sign = -1 }

        var d = Draft(format: .ubl, element: root, number: number, typeCode: typeCode, kind: kind, typeSign: sign,
                      issueDate: issueDate, dueDates: dueDates, seller: seller, buyer: buyer, currency: currency,
                      taxCurrency: taxCurrency, stated: st, vat: vat, withheld: withheld, correctsNumber: corrects, profile: profile)
        EN16931.checks(&d, lineNets: lines.isEmpty ? nil : lineNets, allowances: allow, charges: charge)
        return d
    }

    static func party(_ p: XElement?, _ ctx: ReadContext, role: String) -> Party {
        guard let p else {
            ctx.warning("invoice.party", "no \(role) party", nil, role); return Party(name: "")
        }
        let legal = p.child(NS.cac, "PartyLegalEntity")
        let name = ctx.text(legal?.child(NS.cbc, "RegistrationName"), "cbc:RegistrationName")
            ?? ctx.text(p.child(NS.cac, "PartyName")?.child(NS.cbc, "Name"), "cbc:Name") ?? ""
        var taxID: String?
        for pts in p.children(NS.cac, "PartyTaxScheme") {
            let scheme = pts.child(NS.cac, "TaxScheme")?.child(NS.cbc, "ID")?.trimmedText.uppercased()
            if let id = ctx.text(pts.child(NS.cbc, "CompanyID"), "cbc:CompanyID") {
                if scheme == "VAT" { taxID = id; break }
                if taxID == nil { taxID = id }
            }
        }
        if taxID == nil { taxID = ctx.text(legal?.child(NS.cbc, "CompanyID"), "cbc:CompanyID") }
        let country = ctx.text(p.child(NS.cac, "PostalAddress")?.child(NS.cac, "Country")?.child(NS.cbc, "IdentificationCode"), "cbc:IdentificationCode")
        if name.isEmpty { ctx.warning("invoice.party", "the \(role) has no name", p, role) }
        return Party(name: name, taxID: taxID, country: country)
    }
}

/// The EN 16931 totals chain (BR-CO-10…17), shared by UBL and CII.
enum EN16931 {
    static func checks(_ d: inout Draft, lineNets: [ExactDecimal]?, allowances: [ExactDecimal], charges: [ExactDecimal]) {
        let s = d.stated
        let zero = Dec.zero
        let cent = Assembler.cent
        if let lineNets {
            // Peppol's line-net check allows 0.02 (PEPPOL-EN16931-R120); the sum itself is exact (BR-CO-10).
            d.check("BR-CO-10 sum of line net amounts", s.lineTotal, Dec.sum(lineNets), tolerance: ExactDecimal(significand: 2, scale: 2))
        }
        if !allowances.isEmpty { d.check("BR-CO-11 sum of allowances", s.allowances ?? zero, Dec.sum(allowances), tolerance: zero) }
        if !charges.isEmpty { d.check("BR-CO-12 sum of charges", s.charges ?? zero, Dec.sum(charges), tolerance: zero) }
        if let lt = s.lineTotal {
            d.check("BR-CO-13 net = lines - allowances + charges", s.net,
                    Dec.add(lt, s.charges ?? zero).flatMap { Dec.sub($0, s.allowances ?? zero) }, tolerance: zero)
        }
        if !d.vat.isEmpty {
            d.check("BR-CO-14 VAT = sum of VAT breakdown", s.vat, Dec.sum(d.vat.map(\.amount)), tolerance: zero)
        }
        // BR-CO-17: each category amount within ±1 unit of taxable × rate / 100.
        for v in d.vat {
            guard let t = v.taxable, let r = v.rate, let expected = Dec.percent(t, r, places: 2) else { continue }
            d.check("BR-CO-17 VAT \(v.category) \(r)% of \(t)", v.amount, expected, tolerance: ExactDecimal(1))
        }
        if let n = s.net {
            d.check("BR-CO-15 gross = net + VAT", s.gross, Dec.add(n, s.vat ?? zero), tolerance: zero)
        }
        if let g = s.gross {
            let due = Dec.sub(g, s.prepaid ?? zero).flatMap { Dec.add($0, s.rounding ?? zero) }.flatMap { Dec.sub($0, s.withholding ?? zero) }
            d.check("BR-CO-16 payable = gross - prepaid + rounding", s.payable, due, tolerance: zero)
        }
        _ = cent
    }
}
