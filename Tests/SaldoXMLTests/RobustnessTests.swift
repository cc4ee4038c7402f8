import Foundation
import Testing
import SaldoCore
import SaldoTestSupport
import SaldoInvoices

/// Inputs that would trap a careless reader: extreme amounts, rates and repetitions. Each must end
/// in invoices that balance or in diagnostics, never a crash. (The fuzz target found no crash in
/// 209,680 runs; these pin the overflow paths found by reading the code for it.)
@Suite("Robustness: extreme values")
struct RobustnessTests {
    func read(_ xml: String) -> InvoiceReadResult { InvoiceReader.read(Array(xml.utf8), file: "extreme.xml") }

    func ubl(amount: String, percent: String = "25", subtotals: Int = 1, lineAmount: String? = nil) -> String {
        let sub = String(repeating: """
        <cac:TaxSubtotal><cbc:TaxableAmount currencyID="EUR">\(amount)</cbc:TaxableAmount><cbc:TaxAmount currencyID="EUR">\(amount)</cbc:TaxAmount>
        <cac:TaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>\(percent)</cbc:Percent></cac:TaxCategory></cac:TaxSubtotal>
        """, count: subtotals)
        return """
        <Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
        <cbc:ID>X</cbc:ID><cbc:IssueDate>2026-01-01</cbc:IssueDate><cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>
        <cac:TaxTotal><cbc:TaxAmount currencyID="EUR">\(amount)</cbc:TaxAmount>\(sub)</cac:TaxTotal>
        <cac:LegalMonetaryTotal><cbc:LineExtensionAmount currencyID="EUR">\(lineAmount ?? amount)</cbc:LineExtensionAmount>
        <cbc:TaxExclusiveAmount currencyID="EUR">\(amount)</cbc:TaxExclusiveAmount><cbc:TaxInclusiveAmount currencyID="EUR">\(amount)</cbc:TaxInclusiveAmount>
        <cbc:PrepaidAmount currencyID="EUR">\(amount)</cbc:PrepaidAmount><cbc:PayableAmount currencyID="EUR">\(amount)</cbc:PayableAmount></cac:LegalMonetaryTotal>
        <cac:InvoiceLine><cbc:ID>1</cbc:ID><cbc:LineExtensionAmount currencyID="EUR">\(lineAmount ?? amount)</cbc:LineExtensionAmount></cac:InvoiceLine>
        </Invoice>
        """
    }

    func expectSafe(_ r: InvoiceReadResult) {
        for i in r.invoices { if let t = i.transaction { #expect(throws: Never.self) { try t.validate() } } }
        #expect(!r.invoices.isEmpty || r.hasErrors)
    }

    @Test func largestAcceptedAmounts() {
        let r = read(ubl(amount: "999999999999999.9999999999", percent: "999999999999999.9999999999", subtotals: 200))
        expectSafe(r)
    }

    @Test func tooManyDigitsIsAClearError() {
        let r = read(ubl(amount: "12345678901234567890"))
        #expect(r.invoices.isEmpty)
        #expect(r.diagnostics.contains { $0.code == "invoice.amount" && $0.message.contains("expected a decimal number") })
    }

    @Test func decimalsBeyondTheCurrencyAreRoundedWithAWarning() throws {
        let r = read(ubl(amount: "10.005"))
        let inv = try #require(r.invoices.first)
        #expect(inv.invoice.payable.description == "10.00 EUR")
        #expect(inv.invoice.problems.contains { $0.code == "invoice.decimals" })
    }

    @Test func largeAmountsThatOverflowTheLedgerAreRefused() {
        let r = read(ubl(amount: "999999999999999", lineAmount: "-999999999999999"))
        expectSafe(r)
    }

    @Test func facturaeWithManyHugeWithholdingsDoesNotTrap() {
        let tax = String(repeating: "<Tax><TaxTypeCode>04</TaxTypeCode><TaxRate>15</TaxRate><TaxableBase><TotalAmount>1</TotalAmount></TaxableBase><TaxAmount><TotalAmount>999999999999999.99</TotalAmount></TaxAmount></Tax>", count: 150)
        let xml = """
        <fe:Facturae xmlns:fe="http://www.facturae.gob.es/formato/Versiones/Facturaev3_2_2.xml"><Parties/><Invoices><Invoice>
        <InvoiceHeader><InvoiceNumber>1</InvoiceNumber></InvoiceHeader><InvoiceIssueData><IssueDate>2026-01-01</IssueDate><InvoiceCurrencyCode>EUR</InvoiceCurrencyCode></InvoiceIssueData>
        <TaxesWithheld>\(tax)</TaxesWithheld>
        <InvoiceTotals><TotalGrossAmountBeforeTaxes>1</TotalGrossAmountBeforeTaxes><TotalTaxOutputs>0</TotalTaxOutputs><TotalExecutableAmount>1</TotalExecutableAmount></InvoiceTotals>
        </Invoice></Invoices></fe:Facturae>
        """
        let r = read(xml)
        expectSafe(r)
    }

    @Test func cfdiWithAbsurdExchangeRateDoesNotTrap() throws {
        let xml = """
        <cfdi:Comprobante xmlns:cfdi="http://www.sat.gob.mx/cfd/4" Serie="A" Folio="1" Fecha="2026-01-01T00:00:00" SubTotal="999999999999999" Moneda="USD"
          TipoCambio="999999999999999.9999999999" Total="999999999999999" TipoDeComprobante="I">
          <cfdi:Impuestos TotalImpuestosTrasladados="999999999999999"/>
        </cfdi:Comprobante>
        """
        let r = read(xml)
        expectSafe(r)
        let zero = read(xml.replacingOccurrences(of: "999999999999999.9999999999", with: "0"))
        expectSafe(zero)
    }

    @Test func summaryAndMatcherSurviveExtremes() {
        let big = Money(minorUnits: Int64.max / 2, currency: .EUR)
        let inv = Invoice(number: "B", typeCode: "380", kind: .invoice, issueDate: Day(year: 9999, month: 12, day: 31)!, seller: Party(name: "a"),
                          buyer: Party(name: "b"), currency: .EUR, net: big, tax: .zero(.EUR), withholding: .zero(.EUR), total: big, prepaid: big, payable: big, format: "ubl")
        let s = InvoiceSummary.compute(invoices: [inv, inv, inv], payments: [], today: Day(year: 9999, month: 12, day: 31)!)
        #expect(s.clients.count == 1)
        let m = PaymentMatcher().propose(openInvoices: [inv], candidates: [
            PaymentCandidate(id: "p", date: Day(year: 9999, month: 12, day: 31)!, amount: Money(minorUnits: Int64.min, currency: .EUR), counterparty: nil, reference: nil),
        ])
        #expect(m.isEmpty)
    }
}
