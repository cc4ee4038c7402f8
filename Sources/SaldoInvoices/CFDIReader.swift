import SaldoCore
import SaldoXML

/// CFDI 4.0 (Mexico). Almost all data are attributes. Types: I ingreso (invoice), E egreso
/// (credit note, positive amounts), P pago (payment receipt: recognised, never booked as income),
/// N nómina and T traslado (read, not booked).
enum CFDIReader {
    static func read(_ root: XElement, _ ctx: ReadContext) -> Draft? {
        let c = NS.cfdi4
        func attr(_ e: XElement?, _ n: String) -> String? {
            guard let v = e?.attribute(n).map(XElement.trimmed), !v.isEmpty else { return nil }
            return v
        }
        func dec(_ e: XElement?, _ n: String) -> ExactDecimal? { ctx.decimal(attribute: n, of: e, "@\(n)") }
        func one(_ e: XElement?, _ ns: String, _ n: String) -> XElement? { ctx.single(e?.children(ns, n) ?? [], n, parent: e) }

        let tipo = attr(root, "TipoDeComprobante") ?? ""
        if tipo.isEmpty { ctx.error("invoice.missing", "missing TipoDeComprobante", root, "@TipoDeComprobante") }
        let fecha = attr(root, "Fecha")
        let issueDate = fecha.flatMap(XS.date)
        if issueDate == nil {
            ctx.error("invoice.date", "expected Fecha as yyyy-mm-ddThh:mm:ss, found \"\(fecha?.prefix(30) ?? "nothing")\"", root, "@Fecha")
        }
        let uuid = attr(one(one(root, c, "Complemento"), NS.tfd, "TimbreFiscalDigital"), "UUID")
        let serieFolio = [attr(root, "Serie"), attr(root, "Folio")].compactMap { $0 }.joined(separator: " ")
        let number = serieFolio.isEmpty ? (uuid ?? "") : serieFolio
        if number.isEmpty {
            ctx.warning("invoice.number", "the CFDI has no Serie, Folio or stamp UUID; it is not a stamped CFDI", root, "@Folio",
                        hint: "an unstamped CFDI has no fiscal validity yet")
        }

        // Payment complements (Pagos 2.0).
        var payments: [CFDIPaymentApplied] = []
        var paymentCurrency: CurrencyCode?
        for pagos in root.child(c, "Complemento")?.children(NS.pagos20, "Pagos") ?? [] {
            for pago in pagos.children(NS.pagos20, "Pago") {
                let pd = attr(pago, "FechaPago").flatMap(XS.date)
                let pc = ctx.currency(attr(pago, "MonedaP"), pago, "@MonedaP")
                if paymentCurrency == nil { paymentCurrency = pc }
                for dr in pago.children(NS.pagos20, "DoctoRelacionado") {
                    guard let dc = ctx.currency(attr(dr, "MonedaDR") ?? pc?.code, dr, "@MonedaDR"),
                          let paid = dec(dr, "ImpPagado") else { continue }
                    payments.append(CFDIPaymentApplied(paymentDate: pd, invoiceUUID: attr(dr, "IdDocumento") ?? "",
                                                       amountPaid: ctx.money(paid, dc, dr, "@ImpPagado"),
                                                       balanceAfter: dec(dr, "ImpSaldoInsoluto").map { ctx.money($0, dc, dr, "@ImpSaldoInsoluto") }))
                }
            }
        }

        let moneda = attr(root, "Moneda")
        var currency: CurrencyCode?
        if moneda == "XXX" || (tipo == "P" && moneda == nil) {
            currency = paymentCurrency ?? .MXN   // payment receipts state XXX; their amounts are zero
        } else {
            currency = ctx.currency(moneda, root, "@Moneda")
            if moneda == nil { ctx.error("invoice.missing", "missing Moneda", root, "@Moneda") }
        }
        let tipoCambio = dec(root, "TipoCambio")

        var st = StatedTotals()
        st.lineTotal = dec(root, "SubTotal")
        st.allowances = dec(root, "Descuento")
        st.invoiceTotal = dec(root, "Total")
        st.payable = st.invoiceTotal
        if st.lineTotal == nil { ctx.error("invoice.missing", "missing SubTotal", root, "@SubTotal") }
        if st.payable == nil { ctx.error("invoice.missing", "missing Total", root, "@Total") }
        if let s = st.lineTotal { st.net = Dec.sub(s, st.allowances ?? Dec.zero) }
        let imp = one(root, c, "Impuestos")
        st.vat = dec(imp, "TotalImpuestosTrasladados")
        st.withholding = dec(imp, "TotalImpuestosRetenidos")

        var vat: [Draft.VAT] = []
        for t in imp?.child(c, "Traslados")?.children(c, "Traslado") ?? [] {
            let amount = dec(t, "Importe") ?? Dec.zero   // TipoFactor Exento has no Importe
            let rate = dec(t, "TasaOCuota").flatMap { Dec.mul($0, ExactDecimal(100)) }
            vat.append(Draft.VAT(category: attr(t, "Impuesto") ?? "", rate: attr(t, "TipoFactor") == "Cuota" ? nil : rate,
                                 taxable: dec(t, "Base"), amount: amount, surcharge: nil,
                                 reason: attr(t, "TipoFactor") == "Exento" ? "Exento" : nil))
        }
        if st.vat == nil && !vat.isEmpty { st.vat = Dec.sum(vat.map(\.amount)) }
        var withheld: [Draft.Withheld] = []
        for r in imp?.child(c, "Retenciones")?.children(c, "Retencion") ?? [] {
            guard let a = dec(r, "Importe") else { continue }
            let code = attr(r, "Impuesto") ?? ""
            let name = ["001": "ISR", "002": "IVA", "003": "IEPS"][code] ?? code
            withheld.append(Draft.Withheld(code: code, name: name, isIncomeTax: code == "001", rate: nil, base: nil, amount: a))
        }
        if st.withholding == nil && !withheld.isEmpty { st.withholding = Dec.sum(withheld.map(\.amount)) }

        let emisor = one(root, c, "Emisor"), receptor = one(root, c, "Receptor")
        let seller = Party(name: attr(emisor, "Nombre") ?? "", taxID: attr(emisor, "Rfc"), country: "MX")
        let buyerRfc = attr(receptor, "Rfc")
        let buyer = Party(name: attr(receptor, "Nombre") ?? "", taxID: buyerRfc,
                          country: buyerRfc == "XEXX010101000" ? attr(receptor, "ResidenciaFiscal").map(FacturaeReader.alpha2) : "MX")
        if emisor == nil { ctx.warning("invoice.party", "no cfdi:Emisor", root, "cfdi:Emisor") }
        if receptor == nil { ctx.warning("invoice.party", "no cfdi:Receptor", root, "cfdi:Receptor") }
        var corrects: String?
        for rel in root.children(c, "CfdiRelacionados") where attr(rel, "TipoRelacion") == "01" {
            corrects = attr(rel.child(c, "CfdiRelacionado"), "UUID")
        }
        let conceptos = root.child(c, "Conceptos")?.children(c, "Concepto") ?? []
        let lineImportes = conceptos.compactMap { dec($0, "Importe") }
        let lineDescuentos = conceptos.compactMap { dec($0, "Descuento") }

        guard !ctx.hasErrors, let issueDate, let currency else { return nil }
        var kind: InvoiceKind = .invoice
        var sign = 1
        var books = true
        switch tipo {
        case "I": break
        case "E": kind = .creditNote; sign = -1
        case "P": kind = .paymentReceipt; books = false
        default:
            books = false
            ctx.note("invoice.type", "CFDI type \(tipo) (N payroll, T transfer) is read but not booked", root, "@TipoDeComprobante")
        }
        var d = Draft(format: .cfdi, element: root, number: number, typeCode: tipo, kind: kind, typeSign: sign,
                      issueDate: issueDate, seller: seller, buyer: buyer, currency: currency,
                      taxCurrency: nil, exchangeRate: tipoCambio, stated: st, vat: vat, withheld: withheld,
                      correctsNumber: corrects, profile: "CFDI 4.0", uuid: uuid, payments: payments, books: books)
        d.paymentMethod = attr(root, "MetodoPago")
        // VAT in pesos at the stated TipoCambio, rounded once to the centavo.
        if let tipoCambio, currency != .MXN, let v = st.vat, let mxn = Dec.mul(v, tipoCambio).flatMap({ Dec.mul($0, ExactDecimal(sign)) }),
           let r = Dec.round(mxn, CurrencyCode.MXN.exponent), let m = try? Money(r, currency: .MXN) {
            d.taxInAccountingCurrency = m
        }
        // CfdiUtils SumasConceptos: SubTotal = Σ Importe, Descuento = Σ Descuento, Total = SubTotal − Descuento + trasladados − retenidos.
        let tol = ExactDecimal(significand: Int128(max(1, conceptos.count)), scale: currency.exponent)
        if !conceptos.isEmpty {
            d.check("CFDI SubTotal = sum of Concepto Importe", st.lineTotal, Dec.sum(lineImportes), tolerance: tol)
            if st.allowances != nil || !lineDescuentos.isEmpty {
                d.check("CFDI Descuento = sum of Concepto Descuento", st.allowances ?? Dec.zero, Dec.sum(lineDescuentos), tolerance: tol)
            }
        }
        if !vat.isEmpty { d.check("CFDI TotalImpuestosTrasladados = sum of Traslado Importe", st.vat, Dec.sum(vat.map(\.amount)), tolerance: tol) }
        if !withheld.isEmpty { d.check("CFDI TotalImpuestosRetenidos = sum of Retencion Importe", st.withholding, Dec.sum(withheld.map(\.amount)), tolerance: tol) }
        if let n = st.net, books {
            let expected = Dec.add(n, st.vat ?? Dec.zero).flatMap { Dec.sub($0, st.withholding ?? Dec.zero) }
            d.check("CFDI Total = SubTotal - Descuento + trasladados - retenidos", st.invoiceTotal, expected, tolerance: ExactDecimal(significand: 1, scale: currency.exponent))
        }
        for v in vat {
            guard let t = v.taxable, let r = v.rate, let expected = Dec.percent(t, r, places: currency.exponent) else { continue }
            d.check("CFDI Traslado \(v.category) \(r)% of \(t)", v.amount, expected, tolerance: ExactDecimal(1))
        }
        return d
    }
}
