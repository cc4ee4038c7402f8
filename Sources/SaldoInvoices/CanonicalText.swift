import SaldoCore

/// A stable, line-oriented text form of an imported invoice and its transaction: used for
/// goldens and for `--explain` style output. One `key: value` per line; amounts as `12.34 EUR`.
public enum CanonicalText {
    public static func render(_ doc: ImportedInvoice) -> String {
        let i = doc.invoice
        var out: [String] = []
        func line(_ k: String, _ v: String?) { if let v, !v.isEmpty { out.append("\(k): \(v)") } }
        func party(_ p: Party) -> String {
            [p.name, p.taxID.map { "tax id \($0)" }, p.country.map { "country \($0)" }].compactMap { $0 }.joined(separator: "; ")
        }
        line("format", "\(i.format) (\(doc.profile))")
        line("number", i.number)
        line("type", "\(i.typeCode) \(i.kind.rawValue)")
        line("direction", i.direction.rawValue)
        line("issue date", i.issueDate.description)
        line("due dates", doc.dueDates.map(\.description).joined(separator: ", "))
        line("payment method", doc.paymentMethod)
        line("seller", party(i.seller))
        line("buyer", party(i.buyer))
        line("currency", i.currency.code)
        line("tax currency", doc.taxCurrency?.code)
        line("exchange rate", doc.exchangeRate?.description)
        line("uuid", doc.uuid)
        line("corrects", i.correctsNumber)
        line("net", i.net.description)
        line("vat", i.tax.description)
        line("vat in accounting currency", i.taxInAccountingCurrency?.description)
        line("withholding", i.withholding.description)
        line("gross", i.total.description)
        line("prepaid", i.prepaid.description)
        line("payable", i.payable.description)
        line("status", i.status.rawValue)
        line("dedup key", i.dedupKey)
        let s = doc.stated
        let stated: [(String, ExactDecimal?)] = [
            ("line total", s.lineTotal), ("allowances", s.allowances), ("charges", s.charges), ("net", s.net), ("vat", s.vat),
            ("vat accounting", s.vatInAccountingCurrency), ("gross", s.gross), ("prepaid", s.prepaid), ("rounding", s.rounding),
            ("payable", s.payable), ("withholding", s.withholding), ("invoice total", s.invoiceTotal), ("outstanding", s.outstanding),
        ]
        for (k, v) in stated { if let v { out.append("stated \(k): \(v)") } }
        for v in doc.vat {
            var t = "vat line: \(v.category)"
            if let r = v.rate { t += " \(r)%" }
            if let b = v.taxable { t += " on \(b)" }
            t += " = \(v.amount)"
            if let e = v.equivalenceSurcharge { t += " + surcharge \(e)" }
            if let r = v.exemptionReason { t += " (\(r))" }
            out.append(t)
        }
        for w in doc.withholdings {
            var t = "withheld: \(w.name)"
            if !w.code.isEmpty { t += " [\(w.code)]" }
            if let r = w.rate { t += " \(r)%" }
            if let b = w.base { t += " on \(b)" }
            out.append(t + " = \(w.amount)\(w.isIncomeTax ? " (income tax)" : "")")
        }
        for p in doc.paymentsApplied {
            out.append("payment applied: \(p.paymentDate?.description ?? "?") \(p.invoiceUUID) \(p.amountPaid)\(p.balanceAfter.map { " balance \($0)" } ?? "")")
        }
        for c in doc.checks {
            out.append("check \(c.holds ? "ok" : "FAILED"): \(c.rule): stated \(c.stated), recomputed \(c.recomputed)")
        }
        for p in i.problems { out.append("problem [\(p.severity.rawValue) \(p.code)]: \(p.message)") }
        if let t = doc.transaction {
            out.append("transaction: \(t.date) \(t.description) (\(t.kind.rawValue))")
            for p in t.postings { out.append("  \(p.account.path)  \(p.amount)") }
        } else {
            out.append("transaction: none")
        }
        return out.joined(separator: "\n") + "\n"
    }
}
