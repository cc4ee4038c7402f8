import Foundation
import Testing
import SaldoCore
import SaldoTestSupport
import SaldoInvoices

/// Every invoice fixture (permissively licensed copies and Saldo's own files) against its golden:
/// the Invoice record and its Transaction in canonical text, plus the file's diagnostics.
func invoiceFixtures() -> [String] {
    var out: [String] = []
    for dir in ["ubl", "cii", "facturae", "cfdi"] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: Fixtures.url("invoices/\(dir)").path)) ?? []
        out += files.filter { $0.hasSuffix(".xml") }.sorted().map { "\(dir)/\($0)" }
    }
    return out
}

func goldenText(_ relative: String, options: InvoiceReadOptions = InvoiceReadOptions()) -> String {
    let r = InvoiceReader.read(contentsOf: Fixtures.url("invoices/\(relative)"), file: relative, options: options)
    var text = "# \(relative)\n"
    for d in r.diagnostics { text += "diagnostic: [\(d.severity.rawValue) \(d.code)] \(d.description.replacingOccurrences(of: "\n", with: " | "))\n" }
    for i in r.invoices { text += "\n" + CanonicalText.render(i) }
    return text
}

@Suite("Invoice goldens")
struct GoldenTests {
    @Test(arguments: invoiceFixtures())
    func golden(_ relative: String) {
        let golden = "invoices/goldens/" + relative.replacingOccurrences(of: ".xml", with: ".txt")
        #expect(Fixtures.compareGolden(goldenText(relative), golden) == nil, "\(Fixtures.compareGolden(goldenText(relative), golden) ?? "")")
    }

    @Test func fixtureCount() { #expect(invoiceFixtures().count == 43) }
}
