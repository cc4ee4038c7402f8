import Foundation
import Testing
import SaldoCLI
import SaldoTestSupport

/// Libraries say what to do in domain words; the command line adds the command or option that does it.
@Suite struct CLIHintsTests {
    @Test func anAmbiguousFileNamesTheOptionThatSettlesIt() throws {
        let ledger = Fixtures.temporaryDirectory().appendingPathComponent("hints.sqlite").path
        let dates = Fixtures.url("errors/ambiguous-dates.csv").path
        let r = SaldoCLI.capture(["import", dates, "--ledger", ledger])
        #expect(r.status == 1)
        #expect(r.out.contains("dd/mm/yyyy or mm/dd/yyyy (--date-format dd/mm/yyyy or --date-format mm/dd/yyyy)"), "\(r.out)")
        let marks = Fixtures.url("errors/ambiguous-decimal.csv").path
        let m = SaldoCLI.capture(["import", marks, "--ledger", ledger, "--format", "json"])
        #expect(m.out.contains("--decimal-mark point or --decimal-mark comma"), "\(m.out)")
    }

    /// No library names a command or an option of the command line: a scan of their string literals.
    @Test func librariesNameNoCommandOrOption() throws {
        let root = Fixtures.url("").deletingLastPathComponent().appendingPathComponent("Sources")
        let libraries = ["SaldoCore", "SaldoImport", "SaldoXML", "SaldoInvoices", "SaldoFX", "SaldoTax", "SaldoForecast", "SaldoStore", "SaldoReports", "SaldoApp"]
        let command = try NSRegularExpression(pattern: #""[^"\n]*(`saldo |saldo (import|rates|report|config|invoices|tax|export|profiles|demo) |\s--[a-z][a-z-]+)[^"\n]*""#)
        var found: [String] = []
        for lib in libraries {
            guard let files = FileManager.default.enumerator(atPath: root.appendingPathComponent(lib).path) else { continue }
            for case let f as String in files where f.hasSuffix(".swift") {
                let text = try String(contentsOf: root.appendingPathComponent(lib).appendingPathComponent(f), encoding: .utf8)
                for (n, line) in text.components(separatedBy: "\n").enumerated() {
                    let trimmed = line.trimmingCharacters(in: .whitespaces)
                    if trimmed.hasPrefix("//") { continue }
                    if command.firstMatch(in: line, range: NSRange(line.startIndex..., in: line)) != nil { found.append("\(lib)/\(f):\(n + 1): \(trimmed)") }
                }
            }
        }
        #expect(found.isEmpty, "library messages that name a command or option:\n\(found.joined(separator: "\n"))")
    }
}

/// Pinned: an ECB rates XML given to import was refused by the invoice readers ("the document
/// element … Envelope is not an e-invoice") without saying what it is or which command takes it.
@Suite struct MisplacedRatesTests {
    @Test func anECBRatesXMLGivenToImportSaysWhatItIsAndWhichCommandTakesIt() throws {
        let ledger = Fixtures.temporaryDirectory().appendingPathComponent("rates-xml.sqlite").path
        let xml = Fixtures.temporaryDirectory().appendingPathComponent("eurofxref-daily.xml")
        try Data("""
        <?xml version="1.0" encoding="UTF-8"?>
        <gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01" xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">
        <Cube><Cube time="2025-05-09"><Cube currency="USD" rate="1.1240"/></Cube></Cube></gesmes:Envelope>
        """.utf8).write(to: xml)
        let r = SaldoCLI.capture(["import", xml.path, "--ledger", ledger])
        #expect(r.status == 1)
        #expect(r.out.contains("holds ECB exchange rates"), "\(r.out)")
        #expect(r.out.contains("`saldo rates import FILE`"), "\(r.out)")
    }
}
