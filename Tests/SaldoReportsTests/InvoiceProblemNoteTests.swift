import Testing
import SaldoCore
import SaldoReports

/// Pinned (review of the invoice fixes): a note of a document without a number (a CFDI payment
/// receipt may have none) printed as "nota: : …".
@Suite struct InvoiceProblemNoteTests {
    @Test func aDocumentWithoutANumberIsNamedByItsLocationAlone() {
        let stored = "pago.xml:3: warning: BR-CO-15 gross = net + VAT: the document states 10 but its parts add up to 9 (tolerance 0)"
        let en = Catalog.shipped(.en)
        #expect(InvoiceProblemNote(number: "", stored: stored, file: "pago.xml").text(in: en) == stored)
        #expect(InvoiceProblemNote(number: "A-1", stored: stored, file: "pago.xml").text(in: en) == "A-1: " + stored)
        #expect(!InvoiceProblemNote(number: "", stored: stored, file: "pago.xml").text(in: Catalog.shipped(.es)).hasPrefix(":"))
    }
}
