import SaldoCore
import SaldoXML

/// Facturae 3.2, 3.2.1, 3.2.2 (and 3.1): one file is a batch of one or more invoices sharing
/// seller and buyer. Only the root element is namespace-qualified; children are in no namespace.
enum FacturaeReader {
    static func read(_ root: XElement, _ ctx: ReadContext) -> [Draft] {
        let rootNS = root.namespace
        let version = NS.facturae[rootNS] ?? "?"
        func kids(_ e: XElement?, _ n: String) -> [XElement] {
            (e?.children ?? []).filter { $0.name == n && ($0.namespace.isEmpty || $0.namespace == rootNS) }
        }
        func one(_ e: XElement?, _ n: String) -> XElement? { ctx.single(kids(e, n), n, parent: e) }
        func path(_ e: XElement?, _ ns: String...) -> XElement? {
            var cur = e
            for n in ns { cur = one(cur, n); if cur == nil { return nil } }
            return cur
        }

        let header = one(root, "FileHeader")
        let parties = one(root, "Parties")
        let seller = party(one(parties, "SellerParty"), one: one, ctx, role: "seller")
        let buyer = party(one(parties, "BuyerParty"), one: one, ctx, role: "buyer")
        let invoices = kids(one(root, "Invoices"), "Invoice")
        if let countText = ctx.text(path(header, "Batch", "InvoicesCount"), "InvoicesCount"), let n = Int(countText), n != invoices.count {
            ctx.warning("invoice.batch", "the batch says it holds \(n) invoices but \(invoices.count) were found", header, "InvoicesCount")
        }
        if invoices.isEmpty { ctx.error("invoice.missing", "no Invoices/Invoice in the Facturae file", root, "Invoices") }
        var drafts: [Draft] = []
        for inv in invoices {
            let errorsBefore = ctx.diagnostics.filter { $0.severity == .error }.count
            let h = one(inv, "InvoiceHeader")
            let numberText = ctx.required(one(h, "InvoiceNumber"), "InvoiceNumber", parent: h ?? inv, what: "invoice number")
            let series = ctx.text(one(h, "InvoiceSeriesCode"), "InvoiceSeriesCode")
            let docType = ctx.text(one(h, "InvoiceDocumentType"), "InvoiceDocumentType") ?? "FC"
            let cls = ctx.text(one(h, "InvoiceClass"), "InvoiceClass") ?? "OO"
            let corrective = one(h, "Corrective")
            var corrects: String?
            if let c = corrective, let n = ctx.text(one(c, "InvoiceNumber"), "Corrective/InvoiceNumber") {
                corrects = ctx.text(one(c, "InvoiceSeriesCode"), "Corrective/InvoiceSeriesCode").map { "\($0) \(n)" } ?? n
            }
            let issue = one(inv, "InvoiceIssueData")
            let issueEl = one(issue, "IssueDate")
            let issueDate = ctx.required(issueEl, "IssueDate", parent: issue ?? inv, what: "issue date").flatMap { t -> Day? in
                if let d = XS.date(t) { return d }
                ctx.error("invoice.date", "expected a date yyyy-mm-dd, found \"\(t.prefix(30))\"", issueEl, "IssueDate"); return nil
            }
            let curEl = one(issue, "InvoiceCurrencyCode")
            let currency = ctx.currency(ctx.required(curEl, "InvoiceCurrencyCode", parent: issue ?? inv, what: "invoice currency"), curEl, "InvoiceCurrencyCode")
            let taxCurEl = one(issue, "TaxCurrencyCode")
            let taxCurrency = ctx.currency(ctx.text(taxCurEl, "TaxCurrencyCode"), taxCurEl, "TaxCurrencyCode")
            let rate = ctx.decimal(path(issue, "ExchangeRateDetails", "ExchangeRate"), "ExchangeRate")

            let totals = one(inv, "InvoiceTotals")
            if totals == nil { ctx.error("invoice.missing", "missing InvoiceTotals", inv, "InvoiceTotals") }
            func amt(_ n: String) -> ExactDecimal? { ctx.decimal(one(totals, n), n) }
            var st = StatedTotals()
            st.lineTotal = amt("TotalGrossAmount")
            st.allowances = amt("TotalGeneralDiscounts")
            st.charges = amt("TotalGeneralSurcharges")
            st.net = amt("TotalGrossAmountBeforeTaxes")
            st.vat = amt("TotalTaxOutputs")
            st.withholding = amt("TotalTaxesWithheld")
            st.invoiceTotal = amt("InvoiceTotal")
            st.prepaid = amt("TotalPaymentsOnAccount")
            st.outstanding = amt("TotalOutstandingAmount")
            st.payable = amt("TotalExecutableAmount")
            if totals != nil && st.payable == nil {
                ctx.error("invoice.missing", "missing TotalExecutableAmount (the amount to pay)", totals, "TotalExecutableAmount")
            }
            if totals != nil && st.net == nil {
                ctx.error("invoice.missing", "missing TotalGrossAmountBeforeTaxes (the taxable base)", totals, "TotalGrossAmountBeforeTaxes")
            }

            var vat: [Draft.VAT] = []
            var euros: [ExactDecimal] = []
            for t in kids(one(inv, "TaxesOutputs"), "Tax") {
                guard let a = ctx.decimal(path(t, "TaxAmount", "TotalAmount"), "TaxAmount/TotalAmount") else { continue }
                if let e = ctx.decimal(path(t, "TaxAmount", "EquivalentInEuros"), "TaxAmount/EquivalentInEuros") { euros.append(e) }
                vat.append(Draft.VAT(category: ctx.text(one(t, "TaxTypeCode"), "TaxTypeCode") ?? "",
                                     rate: ctx.decimal(one(t, "TaxRate"), "TaxRate"),
                                     taxable: ctx.decimal(path(t, "TaxableBase", "TotalAmount"), "TaxableBase/TotalAmount"),
                                     amount: a,
                                     surcharge: ctx.decimal(path(t, "EquivalenceSurchargeAmount", "TotalAmount"), "EquivalenceSurchargeAmount"),
                                     reason: nil))
            }
            var withheld: [Draft.Withheld] = []
            for t in kids(one(inv, "TaxesWithheld"), "Tax") {
                guard let a = ctx.decimal(path(t, "TaxAmount", "TotalAmount"), "TaxesWithheld/Tax/TaxAmount") else { continue }
                let code = ctx.text(one(t, "TaxTypeCode"), "TaxTypeCode") ?? ""
                let (name, income) = taxName(code)
                withheld.append(Draft.Withheld(code: code, name: name, isIncomeTax: income, rate: ctx.decimal(one(t, "TaxRate"), "TaxRate"),
                                               base: ctx.decimal(path(t, "TaxableBase", "TotalAmount"), "TaxableBase/TotalAmount"), amount: a))
            }
            var dueDates: [Day] = []
            for inst in kids(one(inv, "PaymentDetails"), "Installment") {
                if let t = ctx.text(one(inst, "InstallmentDueDate"), "InstallmentDueDate") {
                    if let d = XS.date(t) { dueDates.append(d) }
                    else { ctx.warning("invoice.date", "installment due date \"\(t.prefix(30))\" is not a date; ignored", inst, "InstallmentDueDate") }
                }
            }
            let lineNets = kids(one(inv, "Items"), "InvoiceLine").compactMap { ctx.decimal(one($0, "GrossAmount"), "InvoiceLine/GrossAmount") }
            let lineCount = kids(one(inv, "Items"), "InvoiceLine").count

            let newErrors = ctx.diagnostics.filter { $0.severity == .error }.count > errorsBefore
            guard !newErrors, let numberText, let issueDate, let currency else { continue }
            let number = series.map { "\($0) \(numberText)" } ?? numberText
            var kind: InvoiceKind = .invoice
            if docType == "AF" { kind = .selfBilled }
            if cls == "OR" || cls == "CR" || corrective != nil { kind = .corrective }

            var d = Draft(format: .facturae, element: inv, number: number, typeCode: "\(docType)/\(cls)", kind: kind, typeSign: 1,
                          issueDate: issueDate, dueDates: dueDates, seller: seller, buyer: buyer, currency: currency,
                          taxCurrency: taxCurrency == currency ? nil : taxCurrency, exchangeRate: rate, stated: st, vat: vat,
                          withheld: withheld, correctsNumber: corrects, profile: "Facturae \(version)")
            if currency.code != "EUR", !euros.isEmpty, let sum = Dec.sum(euros) {
                d.taxInAccountingCurrency = ctx.money(sum, .EUR, inv, "EquivalentInEuros")
            }
            // What the buyer owes over the invoice's life: outstanding (after withholding) plus payments on account.
            if let o = st.outstanding { d.receivable = Dec.add(o, st.prepaid ?? Dec.zero) }
            checks(&d, lineNets: lineCount > 0 ? lineNets : nil)
            drafts.append(d)
        }
        return drafts
    }

    /// Facturae tax codes: 04 IRPF and 28 IRNR are income tax; others (01 IVA, 02 IPSI, 03 IGIC…) are indirect taxes.
    static func taxName(_ code: String) -> (String, Bool) {
        switch code {
        case "04": return ("IRPF", true)
        case "28": return ("IRNR", true)
        case "01": return ("IVA", false)
        case "02": return ("IPSI", false)
        case "03": return ("IGIC", false)
        default: return (code.isEmpty ? "withholding" : "tax \(code)", false)
        }
    }

    /// The XSD's formulas, with ±0.01 per summed component (rounded components, see docs).
    static func checks(_ d: inout Draft, lineNets: [ExactDecimal]?) {
        let s = d.stated
        let z = Dec.zero
        func tol(_ n: Int) -> ExactDecimal { ExactDecimal(significand: Int128(max(1, n)), scale: 2) }
        if let lineNets {
            d.check("Facturae TotalGrossAmount = sum of line GrossAmount", s.lineTotal, Dec.sum(lineNets), tolerance: tol(lineNets.count))
        }
        if let g = s.lineTotal {
            d.check("Facturae TotalGrossAmountBeforeTaxes = TotalGrossAmount - discounts + surcharges", s.net,
                    Dec.add(g, s.charges ?? z).flatMap { Dec.sub($0, s.allowances ?? z) }, tolerance: z)
        }
        if !d.vat.isEmpty {
            let parts = d.vat.map(\.amount) + d.vat.compactMap(\.surcharge)
            d.check("Facturae TotalTaxOutputs = sum of taxes and equivalence surcharges", s.vat, Dec.sum(parts), tolerance: tol(parts.count))
        }
        if !d.withheld.isEmpty {
            d.check("Facturae TotalTaxesWithheld = sum of taxes withheld", s.withholding ?? z, Dec.sum(d.withheld.map(\.amount)), tolerance: tol(d.withheld.count))
        }
        if let n = s.net {
            let expected = Dec.add(n, s.vat ?? z).flatMap { Dec.sub($0, s.withholding ?? z) }
            d.check("Facturae InvoiceTotal = base + taxes - taxes withheld", s.invoiceTotal, expected, tolerance: z)
            let outstanding = expected.flatMap { Dec.sub($0, s.prepaid ?? z) }
            d.check("Facturae TotalOutstandingAmount = InvoiceTotal - payments on account", s.outstanding, outstanding, tolerance: z)
        }
        if let o = s.outstanding {
            d.check("Facturae TotalExecutableAmount = TotalOutstandingAmount", s.payable, o, tolerance: z)
        }
        // BR-CO-17-like: each tax within ±1 of base × rate.
        for v in d.vat {
            guard let t = v.taxable, let r = v.rate, let expected = Dec.percent(t, r, places: 2) else { continue }
            d.check("Facturae tax \(v.category) \(r)% of \(t)", v.amount, expected, tolerance: ExactDecimal(1))
        }
    }

    static func party(_ p: XElement?, one: (XElement?, String) -> XElement?, _ ctx: ReadContext, role: String) -> Party {
        guard let p else { ctx.warning("invoice.party", "no \(role) party", nil, role); return Party(name: "") }
        let taxID = ctx.text(one(one(p, "TaxIdentification"), "TaxIdentificationNumber"), "TaxIdentificationNumber")
        var name = ""
        var holder: XElement?
        if let le = one(p, "LegalEntity") {
            holder = le
            name = ctx.text(one(le, "CorporateName"), "CorporateName") ?? ctx.text(one(le, "TradeName"), "TradeName") ?? ""
        } else if let ind = one(p, "Individual") {
            holder = ind
            name = ["Name", "FirstSurname", "SecondSurname"].compactMap { ctx.text(one(ind, $0), $0) }.joined(separator: " ")
        }
        let country3 = ctx.text(one(one(holder, "AddressInSpain"), "CountryCode"), "CountryCode")
            ?? ctx.text(one(one(holder, "OverseasAddress"), "CountryCode"), "CountryCode")
        if name.isEmpty { ctx.warning("invoice.party", "the \(role) has no name", p, role) }
        return Party(name: name, taxID: taxID, country: country3.map(alpha2))
    }

    /// Facturae writes ISO 3166 alpha-3; the ledger uses alpha-2. Unknown codes are kept as written.
    static func alpha2(_ a3: String) -> String {
        let m: [String: String] = [
            "ESP": "ES", "FRA": "FR", "DEU": "DE", "ITA": "IT", "PRT": "PT", "GBR": "GB", "USA": "US", "MEX": "MX", "NLD": "NL",
            "BEL": "BE", "IRL": "IE", "AUT": "AT", "CHE": "CH", "SWE": "SE", "DNK": "DK", "NOR": "NO", "FIN": "FI", "POL": "PL",
            "AND": "AD", "ARG": "AR", "BRA": "BR", "CAN": "CA", "CHL": "CL", "COL": "CO", "PER": "PE", "LUX": "LU", "GRC": "GR",
            "CZE": "CZ", "ROU": "RO", "HUN": "HU", "BGR": "BG", "HRV": "HR", "SVN": "SI", "SVK": "SK", "EST": "EE", "LVA": "LV",
            "LTU": "LT", "MLT": "MT", "CYP": "CY", "AUS": "AU", "JPN": "JP", "CHN": "CN", "IND": "IN", "MAR": "MA",
        ]
        return m[a3.uppercased()] ?? a3
    }
}
