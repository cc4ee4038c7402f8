import Foundation
import Testing
import SaldoCore
import SaldoTestSupport
import SaldoInvoices

/// The stated values of every sample, copied by hand from the project's reference table
/// (shared/docs/invoice-expected-values.md), which was extracted with another tool (Python
/// ElementTree). This is the independent check of the readers: values as written, no sign applied.
struct Row: Sendable, CustomStringConvertible {
    var file, number, type, issue, due, currency, net, vat, vatAcc, gross, prepaid, payable, withholding: String
    init(_ file: String, number: String, type: String, issue: String, due: String, currency: String, net: String, vat: String,
         vatAcc: String, gross: String, prepaid: String, payable: String, withholding: String) {
        self.file = file; self.number = number; self.type = type; self.issue = issue; self.due = due; self.currency = currency
        self.net = net; self.vat = vat; self.vatAcc = vatAcc; self.gross = gross; self.prepaid = prepaid; self.payable = payable
        self.withholding = withholding
    }
    var description: String { "\(file) \(number)" }
}

let expectedRows: [Row] = [
        Row("ubl/en16931-ubl-tc434-creditnote1.xml", number: "018304 / 28865", type: "381", issue: "2019-09-23", due: "", currency: "EUR", net: "100.11", vat: "0.00", vatAcc: "", gross: "100.11", prepaid: "", payable: "100.11", withholding: ""),
        Row("ubl/en16931-ubl-tc434-example2-NOK-prepaid-allowances.xml", number: "TOSL108", type: "380", issue: "2013-06-30", due: "2013-07-20", currency: "NOK", net: "1436.50", vat: "365.28", vatAcc: "", gross: "1801.78", prepaid: "1000.00", payable: "801.78", withholding: ""),
        Row("ubl/en16931-ubl-tc434-example5-DKK-taxcur-EUR-prepaid.xml", number: "TOSL110", type: "380", issue: "2013-04-10", due: "2013-05-10", currency: "DKK/EUR", net: "4000.00", vat: "675.00", vatAcc: "628.62", gross: "4675.00", prepaid: "2337.50", payable: "2337.50", withholding: ""),
        Row("ubl/oasis-ubl-creditnote-2.1-example.xml", number: "TOSL108", type: "CreditNote", issue: "2009-12-15", due: "", currency: "EUR", net: "1436.5", vat: "292.20", vatAcc: "", gross: "1729", prepaid: "1000", payable: "729", withholding: ""),
        Row("ubl/peppol-allowance-example-taxcurrency-prepaid.xml", number: "Snippet1", type: "380", issue: "2017-11-13", due: "2017-12-01", currency: "EUR/SEK", net: "5900", vat: "1225.00", vatAcc: "9324.00", gross: "7125", prepaid: "1000", payable: "6125.00", withholding: ""),
        Row("ubl/peppol-base-creditnote-correction.xml", number: "Snippet1", type: "381", issue: "2017-11-13", due: "", currency: "EUR", net: "1325", vat: "331.25", vatAcc: "", gross: "1656.25", prepaid: "", payable: "1656.25", withholding: ""),
        Row("ubl/peppol-base-example.xml", number: "Snippet1", type: "380", issue: "2017-11-13", due: "2017-12-01", currency: "EUR", net: "1325", vat: "331.25", vatAcc: "", gross: "1656.25", prepaid: "", payable: "1656.25", withholding: ""),
        Row("ubl/peppol-base-negative-inv-correction.xml", number: "Correction1", type: "380", issue: "2017-11-13", due: "2017-12-01", currency: "EUR", net: "-1325", vat: "-331.25", vatAcc: "", gross: "-1656.25", prepaid: "", payable: "-1656.25", withholding: ""),
        Row("ubl/peppol-vat-category-O-SEK.xml", number: "Vat-O", type: "380", issue: "2018-08-30", due: "", currency: "SEK", net: "3200.00", vat: "0.00", vatAcc: "", gross: "3200.00", prepaid: "", payable: "3200.00", withholding: ""),
        Row("ubl/peppol-vat-category-S-two-rates.xml", number: "Snippet1", type: "380", issue: "2017-11-13", due: "2017-12-01", currency: "EUR", net: "7000", vat: "1550.00", vatAcc: "", gross: "8550", prepaid: "", payable: "8550", withholding: ""),
        Row("ubl/xrechnung-01.17a-rounding-amount_ubl.xml", number: "123456XX", type: "380", issue: "2016-04-04", due: "", currency: "EUR", net: "314.86", vat: "22.04", vatAcc: "", gross: "336.9", prepaid: "", payable: "336.91", withholding: ""),
        Row("ubl/xrechnung-01.21a-reverse-charge-AE_ubl.xml", number: "18383", type: "380", issue: "2020-11-27", due: "2020-12-27", currency: "EUR", net: "233.00", vat: "0.00", vatAcc: "", gross: "233.00", prepaid: "", payable: "233.00", withholding: ""),
        Row("ubl/xrechnung-02.03a-prepaid-payable-zero-taxcur_ubl.xml", number: "1234567", type: "380", issue: "2018-04-13", due: "2018-04-13", currency: "EUR/GBP", net: "10781.25", vat: "2048.44", vatAcc: "2048.44", gross: "12829.69", prepaid: "12829.69", payable: "0", withholding: ""),
        Row("cii/en16931-CII_business_example_01-NOK-prepaid-allowances.xml", number: "TOSL108", type: "380", issue: "20130630", due: "20130720", currency: "NOK", net: "1436.5", vat: "365.28", vatAcc: "", gross: "1801.78", prepaid: "1000", payable: "801.78", withholding: ""),
        Row("cii/en16931-CII_example1-two-rates.xml", number: "12115118", type: "380", issue: "20150109", due: "20150109", currency: "EUR", net: "229.6", vat: "20.73", vatAcc: "", gross: "250.33", prepaid: "", payable: "250.33", withholding: ""),
        Row("cii/en16931-CII_example5-DKK-taxcur-EUR-prepaid.xml", number: "TOSL110", type: "380", issue: "20130410", due: "20130510", currency: "DKK/EUR", net: "4000", vat: "675.00", vatAcc: "628.62", gross: "4675", prepaid: "2337.5", payable: "2337.5", withholding: ""),
        Row("cii/facturx-en16931-three-categories.xml", number: "F20260023", type: "380", issue: "20260131", due: "20260302", currency: "EUR", net: "100.00", vat: "4.90", vatAcc: "", gross: "104.90", prepaid: "0.00", payable: "104.90", withholding: ""),
        Row("cii/facturx-minimum.xml", number: "F20260023", type: "380", issue: "20260131", due: "", currency: "EUR", net: "100.00", vat: "4.90", vatAcc: "", gross: "104.90", prepaid: "", payable: "104.90", withholding: ""),
        Row("cii/ferd-EN16931_Gutschrift-389-selfbilling.cii.xml", number: "471102", type: "389", issue: "20180305", due: "", currency: "EUR", net: "473.00", vat: "56.87", vatAcc: "", gross: "529.87", prepaid: "0.00", payable: "529.87", withholding: ""),
        Row("cii/mustang-ZF2PushCreditNote-381.xml", number: "123", type: "381", issue: "20201222", due: "20201222", currency: "EUR", net: "3.00", vat: "0.57", vatAcc: "", gross: "3.57", prepaid: "0.00", payable: "3.57", withholding: ""),
        Row("cii/xrechnung-01.17a-rounding-amount_uncefact.xml", number: "123456XX", type: "380", issue: "20160404", due: "", currency: "EUR", net: "314.86", vat: "22.04", vatAcc: "", gross: "336.9", prepaid: "", payable: "336.91", withholding: ""),
        Row("cii/xrechnung-01.18a-corrected-384_uncefact.xml", number: "PRG1502112", type: "384", issue: "20150424", due: "", currency: "EUR", net: "8870", vat: "1685.3", vatAcc: "", gross: "10555.3", prepaid: "", payable: "10555.3", withholding: ""),
        Row("cii/xrechnung-01.21a-reverse-charge-AE_uncefact.xml", number: "18383", type: "380", issue: "20201127", due: "20201227", currency: "EUR", net: "233.00", vat: "0.00", vatAcc: "", gross: "233.00", prepaid: "", payable: "233.00", withholding: ""),
        Row("cii/xrechnung-02.03a-prepaid-payable-zero-taxcur_uncefact.xml", number: "1234567", type: "380", issue: "20180413", due: "20180413", currency: "EUR/GBP", net: "10781.25", vat: "2048.44", vatAcc: "2048.44", gross: "12829.69", prepaid: "12829.69", payable: "0", withholding: ""),
        Row("cii/xrechnung-03.01a-payable-negative_uncefact.xml", number: "123456789", type: "380", issue: "20190228", due: "20190314", currency: "EUR", net: "687.28", vat: "117.58", vatAcc: "", gross: "804.86", prepaid: "1030", payable: "-225.14", withholding: ""),
        Row("cii/zugferd1-comfort.xml", number: "471102", type: "380", issue: "20130305", due: "20130404", currency: "EUR", net: "473.00", vat: "56.87", vatAcc: "", gross: "529.87", prepaid: "0.00", payable: "529.87", withholding: ""),
        Row("cii/zugferd21-extended-fremdwaehrung-two-payment-terms.xml", number: "47110815", type: "380", issue: "20181031", due: "20181120,20181114", currency: "GBP/EUR", net: "858.75", vat: "163.16", vatAcc: "183.14", gross: "1021.91", prepaid: "500", payable: "521.91", withholding: ""),
        Row("facturae/clienteafirma-3.1-signed-real.xsig.xml", number: "01 2008/155", type: "FC/OO", issue: "2008-08-04", due: "2008-11-02", currency: "EUR", net: "109.49", vat: "17.52", vatAcc: "", gross: "InvoiceTotal 127.01", prepaid: "", payable: "Executable 127.01", withholding: ""),
        Row("facturae/fawno-3.2-factura-prueba-withheld-code03-discount.xml", number: "PACOP 2", type: "FC/OO", issue: "2013-01-17", due: "", currency: "EUR", net: "1163.52", vat: "279.24", vatAcc: "", gross: "InvoiceTotal 1384.58", prepaid: "", payable: "Executable 1384.58", withholding: "03@5.00=58.18"),
        Row("facturae/gobl-3.2.2-credit-note-corrective.xml", number: "TEST01001R", type: "FC/OR", issue: "2021-12-08", due: "", currency: "EUR", net: "-4202.00", vat: "-882.42", vatAcc: "", gross: "InvoiceTotal -5084.42", prepaid: "", payable: "Executable -5084.42", withholding: ""),
        Row("facturae/gobl-3.2.2-invoice-overseas-individual.xml", number: "TEST01005F", type: "FC/OO", issue: "2021-12-08", due: "", currency: "EUR", net: "1500.00", vat: "315.00", vatAcc: "", gross: "InvoiceTotal 1815.00", prepaid: "", payable: "Executable 1815.00", withholding: ""),
        Row("facturae/gobl-3.2.2-invoice-vat-irpf-inc.xml", number: "TEST01002F", type: "FC/OO", issue: "2021-12-08", due: "", currency: "EUR", net: "3589.26", vat: "697.74", vatAcc: "", gross: "InvoiceTotal 4287.00", prepaid: "", payable: "Executable 3790.89", withholding: "04@15.0=496.12"),
        Row("facturae/gobl-3.2.2-invoice-vat-irpf.xml", number: "TEST01002F", type: "FC/OO", issue: "2021-12-08", due: "", currency: "EUR", net: "4237.00", vat: "843.92", vatAcc: "", gross: "InvoiceTotal 5080.92", prepaid: "", payable: "Executable 4480.62", withholding: "04@15.0=600.30"),
        Row("facturae/omeuid-3.2-valid.xml", number: "A 1", type: "FC/OO", issue: "2013-04-30", due: "2013-05-30", currency: "EUR", net: "59.75", vat: "8.67", vatAcc: "", gross: "InvoiceTotal 66.03", prepaid: "", payable: "Executable 66.03", withholding: "04@4.00=2.39"),
        Row("facturae/omeuid-3.2.1-valid.xml", number: "A 1", type: "FC/OO", issue: "2013-04-30", due: "2013-05-30", currency: "EUR", net: "59.75", vat: "8.67", vatAcc: "", gross: "InvoiceTotal 66.03", prepaid: "", payable: "Executable 66.03", withholding: "04@4.00=2.39"),
        Row("facturae/omeuid-3.2.2-lote-batch.xml", number: "A 1", type: "FC/OO", issue: "2026-01-15", due: "2026-02-15", currency: "EUR", net: "100.00", vat: "21.00", vatAcc: "", gross: "InvoiceTotal 121.00", prepaid: "", payable: "Executable 121.00", withholding: ""),
        Row("facturae/omeuid-3.2.2-lote-batch.xml", number: "A 2", type: "FC/OO", issue: "2026-01-15", due: "2026-02-15", currency: "EUR", net: "100.00", vat: "21.00", vatAcc: "", gross: "InvoiceTotal 121.00", prepaid: "", payable: "Executable 121.00", withholding: ""),
        Row("facturae/omeuid-3.2.2-totales-incorrectos.xml", number: "A 1", type: "FC/OO", issue: "2013-04-30", due: "2013-05-30", currency: "EUR", net: "59.75", vat: "8.67", vatAcc: "", gross: "InvoiceTotal 99.99", prepaid: "", payable: "Executable 99.99", withholding: "04@4.00=2.39"),
        Row("facturae/omeuid-3.2.2-valid.xml", number: "A 1", type: "FC/OO", issue: "2013-04-30", due: "2013-05-30", currency: "EUR", net: "59.75", vat: "8.67", vatAcc: "", gross: "InvoiceTotal 66.03", prepaid: "", payable: "Executable 66.03", withholding: "04@4.00=2.39"),
        Row("cfdi/cfdiutils-cfdi40-real.xml", number: "O 52375239 (UUID C2832671…)", type: "I", issue: "2025-01-24T10:10:41", due: "(PUE)", currency: "MXN @1", net: "862.07", vat: "137.93", vatAcc: "", gross: "", prepaid: "", payable: "Total 1000.00", withholding: ""),
        Row("cfdi/cfdiutils-cfdi40-valid.xml", number: "(UUID 6F35D3B5…)", type: "I", issue: "2025-02-19T08:32:29", due: "(PUE)", currency: "MXN", net: "3824.15 − 956.04", vat: "458.90", vatAcc: "", gross: "", prepaid: "", payable: "Total 3327.01", withholding: ""),
        Row("cfdi/cfdiutils-created-cfdi40-pago20.xml", number: "", type: "P", issue: "2023-06-13T14:15:16", due: "()", currency: "XXX", net: "0", vat: "", vatAcc: "", gross: "", prepaid: "", payable: "Total 0", withholding: ""),
        Row("cfdi/satcfdi-cfdv40-ejemplo-synthetic.xml", number: "A 123ABC", type: "P", issue: "2021-12-07T23:59:59", due: "(PPD)", currency: "MXN @1.0", net: "1000 − 0.00", vat: "360000", vatAcc: "", gross: "", prepaid: "", payable: "Total 1500", withholding: "001=247000;003=500"),
        Row("cfdi/satcfdi-retenciones-isr-iva-rounding.xml", number: "A 123456", type: "I", issue: "2020-01-01T22:40:38", due: "(PPD)", currency: "MXN", net: "600.30", vat: "96.05", vatAcc: "", gross: "", prepaid: "", payable: "Total 572.29", withholding: "001=60.03;002=64.03"),]

/// Where a sample lives: the fixture copy when its licence allowed one, else the shared reference folder.
func sampleURL(_ relative: String) -> URL {
    let fixture = Fixtures.url("invoices/\(relative)")
    if FileManager.default.fileExists(atPath: fixture.path) { return fixture }
    return Fixtures.root.deletingLastPathComponent().appendingPathComponent("shared/samples/invoices/\(relative)")
}

func dec(_ s: String) -> ExactDecimal? { try? ExactDecimal(s) }

@Suite("Every sample equals the reference table")
struct ExpectedValuesTests {
    @Test("stated values", arguments: expectedRows)
    func statedValues(_ row: Row) throws {
        let url = sampleURL(row.file)
        #expect(FileManager.default.fileExists(atPath: url.path), "sample \(row.file) not found")
        let result = InvoiceReader.read(contentsOf: url, file: row.file)
        #expect(!result.hasErrors, "\(result.diagnostics)")
        // Number: CFDI rows may give "Serie Folio (UUID …)" or only "(UUID prefix…)".
        var number = row.number
        var uuidPrefix: String?
        if let r = number.range(of: "(UUID ") {
            uuidPrefix = String(number[r.upperBound...].prefix { $0 != "…" && $0 != ")" })
            number = String(number[..<r.lowerBound]).trimmingCharacters(in: .whitespaces)
        }
        let candidates = result.invoices.filter { number.isEmpty ? true : $0.invoice.number == number }
        let doc = try #require(candidates.first, "no invoice numbered \(number) in \(row.file)")
        let inv = doc.invoice
        if let uuidPrefix {
            #expect(doc.uuid?.hasPrefix(uuidPrefix) == true)
            if number.isEmpty { #expect(inv.number == doc.uuid) }
        }

        // Type.
        if row.type == "CreditNote" {
            #expect(inv.kind == .creditNote && inv.typeCode == "381")
        } else {
            #expect(inv.typeCode == row.type)
        }
        // Issue date: ISO, YYYYMMDD (CII) or CFDI date-time.
        let issue = row.issue.count == 8 ? "\(row.issue.prefix(4))-\(row.issue.dropFirst(4).prefix(2))-\(row.issue.suffix(2))" : String(row.issue.prefix(10))
        #expect(inv.issueDate.description == issue)
        // Due dates, in document order; CFDI states a payment method instead.
        if row.due.hasPrefix("(") || row.due.isEmpty {
            #expect(doc.dueDates.isEmpty)
            if row.due.hasPrefix("(") {
                let method = String(row.due.dropFirst().dropLast())
                #expect(doc.paymentMethod == (method.isEmpty ? nil : method))
            }
        } else {
            let expected = row.due.split(separator: ",").map { d in d.count == 8 ? "\(d.prefix(4))-\(d.dropFirst(4).prefix(2))-\(d.suffix(2))" : String(d) }
            #expect(doc.dueDates.map(\.description) == expected)
        }
        // Currency, VAT accounting currency, CFDI exchange rate.
        let curParts = row.currency.split(separator: " ")
        let codes = curParts[0].split(separator: "/").map(String.init)
        if codes[0] == "XXX" {
            #expect(inv.kind == .paymentReceipt && doc.transaction == nil)
        } else {
            #expect(inv.currency.code == codes[0])
        }
        if codes.count > 1 { #expect(doc.taxCurrency?.code == codes[1]) }
        if curParts.count > 1, curParts[1].hasPrefix("@") { #expect(doc.exchangeRate == dec(String(curParts[1].dropFirst()))) }

        // Net: lexical as written, or CFDI "SubTotal − Descuento".
        if let r = row.net.range(of: " − ") {
            let a = try #require(dec(String(row.net[..<r.lowerBound]))), b = try #require(dec(String(row.net[r.upperBound...])))
            #expect(doc.stated.net == a - b)
            #expect(doc.stated.lineTotal == a && (doc.stated.allowances ?? ExactDecimal(0)) == b)
        } else {
            #expect(doc.stated.net?.description == row.net)
        }
        #expect(doc.stated.vat?.description == (row.vat.isEmpty ? nil : row.vat))
        #expect(doc.stated.vatInAccountingCurrency?.description == (row.vatAcc.isEmpty ? nil : row.vatAcc))
        if row.gross.hasPrefix("InvoiceTotal ") {
            #expect(doc.stated.invoiceTotal?.description == String(row.gross.dropFirst("InvoiceTotal ".count)))
        } else if !row.gross.isEmpty {
            #expect(doc.stated.gross?.description == row.gross)
        }
        #expect(doc.stated.prepaid?.description == (row.prepaid.isEmpty ? nil : row.prepaid))
        if row.payable.hasPrefix("Executable ") {
            #expect(doc.stated.payable?.description == String(row.payable.dropFirst("Executable ".count)))
        } else if row.payable.hasPrefix("Total ") {
            #expect(doc.stated.invoiceTotal?.description == String(row.payable.dropFirst("Total ".count)))
            #expect(doc.stated.payable == doc.stated.invoiceTotal)
        } else {
            #expect(doc.stated.payable?.description == row.payable)
        }
        // Withholding: "04@15.0=600.30" (Facturae code@rate=amount) or "001=60.03;002=64.03" (CFDI).
        if row.withholding.isEmpty {
            #expect(doc.withholdings.isEmpty)
        } else {
            for part in row.withholding.split(separator: ";") {
                let codeRate = part.split(separator: "=")[0], amount = String(part.split(separator: "=")[1])
                let code = String(codeRate.split(separator: "@")[0])
                let w = try #require(doc.withholdings.first { $0.code == code }, "no withholding \(code)")
                #expect(w.amount.decimal == dec(amount).map { doc.invoice.kind == .creditNote && doc.invoice.typeCode == "E" ? -$0 : $0 })
                if codeRate.contains("@") { #expect(w.rate == dec(String(codeRate.split(separator: "@")[1]))) }
            }
        }

        // The record's signed amounts follow the stated ones: negated only for credit-type documents written positive.
        let creditType = ["381", "CreditNote", "E"].contains(row.type)
        if let payable = doc.stated.payable, inv.kind != .paymentReceipt {
            #expect(inv.payable.decimal == (creditType ? -payable : payable))
        }
        // The transaction balances and books the invoice in its own currency.
        if let t = doc.transaction {
            #expect(throws: Never.self) { try t.validate() }
            #expect(t.postings.allSatisfy { $0.amount.currency == inv.currency })
            #expect(t.dedupKey == inv.dedupKey)
        } else {
            #expect(inv.kind == .paymentReceipt)
        }
    }

    @Test func batchYieldsOneInvoicePerEntry() throws {
        let r = InvoiceReader.read(contentsOf: sampleURL("facturae/omeuid-3.2.2-lote-batch.xml"))
        #expect(r.invoices.map(\.invoice.number) == ["A 1", "A 2"])
        #expect(Set(r.invoices.map(\.invoice.dedupKey)).count == 2)
    }

    @Test func everySampleInTheReferenceFolderImports() throws {
        let base = Fixtures.root.deletingLastPathComponent().appendingPathComponent("shared/samples/invoices")
        var seen = 0
        for dir in ["ubl", "cii", "facturae", "cfdi"] {
            for f in try FileManager.default.contentsOfDirectory(atPath: base.appendingPathComponent(dir).path) where f.hasSuffix(".xml") {
                seen += 1
                let r = InvoiceReader.read(contentsOf: base.appendingPathComponent(dir).appendingPathComponent(f), file: "\(dir)/\(f)")
                #expect(!r.hasErrors, "\(dir)/\(f): \(r.diagnostics)")
                if f == "cfdiutils-retenciones20.xml" {
                    #expect(r.invoices.isEmpty && r.diagnostics.contains { $0.code == "invoice.format" && $0.message.contains("Retenciones") })
                } else {
                    #expect(!r.invoices.isEmpty, "\(dir)/\(f)")
                    #expect(expectedRows.contains { $0.file == "\(dir)/\(f)" }, "\(dir)/\(f) has no row in the reference table")
                }
            }
        }
        #expect(seen == 44)
    }

    @Test func knownInconsistentSamplesAreFlaggedNotCorrected() throws {
        for (file, rule) in [("facturae/omeuid-3.2.2-totales-incorrectos.xml", "InvoiceTotal"),
                             ("facturae/gobl-3.2.2-invoice-vat-irpf.xml", "InvoiceTotal"),
                             ("facturae/gobl-3.2.2-invoice-vat-irpf-inc.xml", "InvoiceTotal"),
                             ("cfdi/satcfdi-cfdv40-ejemplo-synthetic.xml", "SubTotal"),
                             ("ubl/oasis-ubl-creditnote-2.1-example.xml", "BR-CO-15")] {
            let r = InvoiceReader.read(contentsOf: sampleURL(file), file: file)
            let inv = try #require(r.invoices.first)
            #expect(inv.invoice.problems.contains { $0.code == "invoice.totals" && $0.message.contains(rule) }, "\(file)")
            #expect(inv.checks.contains { !$0.holds && $0.rule.contains(rule) })
        }
        // Stated, not corrected: the broken file keeps 99.99.
        let broken = InvoiceReader.read(contentsOf: sampleURL("facturae/omeuid-3.2.2-totales-incorrectos.xml")).invoices[0]
        #expect(broken.stated.invoiceTotal?.description == "99.99")
        #expect(broken.invoice.payable.description == "99.99 EUR")
        // Consistent samples raise no totals problem.
        for file in ["ubl/en16931-ubl-tc434-example5-DKK-taxcur-EUR-prepaid.xml", "cii/xrechnung-01.17a-rounding-amount_uncefact.xml",
                     "facturae/fawno-3.2-factura-prueba-withheld-code03-discount.xml", "cfdi/satcfdi-retenciones-isr-iva-rounding.xml",
                     "cii/zugferd1-comfort.xml", "facturae/omeuid-3.2-valid.xml"] {
            let inv = try #require(InvoiceReader.read(contentsOf: sampleURL(file), file: file).invoices.first)
            #expect(inv.checks.allSatisfy { $0.holds }, "\(file): \(inv.checks.filter { !$0.holds })")
        }
    }
}
