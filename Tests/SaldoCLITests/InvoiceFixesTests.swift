import Foundation
import Testing
import SaldoCore
import SaldoStore
import SaldoCLI
import SaldoTestSupport

/// The invoice defects of the CLI findings (H2–H5, M1, M5–M7), through the command line on the
/// real samples kept in fixtures/.
@Suite struct InvoiceFixesTests {
    func ledger(_ name: String) -> String { Fixtures.temporaryDirectory().appendingPathComponent(name).path }
    func fixture(_ path: String) -> String { Fixtures.url("invoices/\(path)").path }

    /// H2: omeuid's `totales-incorrectos` is invoice A 1 of the same seller and day as the official
    /// example, but payable 99.99 instead of 66.03: it was counted "already in the ledger" and lost.
    @Test func anInvoiceUnderAKnownKeyWithOtherAmountsIsRefused() throws {
        let path = ledger("h2.sqlite")
        let first = SaldoCLI.capture(["import", fixture("facturae/omeuid-3.2-valid.xml"), "--ledger", path])
        #expect(first.status == 0, "\(first.out)\(first.err)")
        // The same invoice again (3.2.1 layout of the same example) is a duplicate, as before.
        let same = SaldoCLI.capture(["import", fixture("facturae/omeuid-3.2.1-valid.xml"), "--ledger", path])
        #expect(same.status == 0 && same.out.contains("0 new, 1 already in the ledger"), "\(same.out)\(same.err)")
        let other = SaldoCLI.capture(["import", fixture("facturae/omeuid-3.2.2-totales-incorrectos.xml"), "--ledger", path])
        #expect(other.status == 1, "\(other.out)\(other.err)")
        let said = other.out + other.err
        #expect(said.contains("invoice A 1 from Empresa de Pruebas y Ejemplos, S.L. of 2013-04-30 is already in the ledger with payable 66.03 EUR, but this file's invoice with that number, type and date has payable 99.99 EUR"), "\(said)")
        #expect(said.contains("ask them for a corrective invoice or a credit note"), "\(said)")
        #expect(!said.contains("already in the ledger\n") && said.contains("not imported"), "\(said)")
        let es = SaldoCLI.capture(["--lang", "es", "import", fixture("facturae/omeuid-3.2.2-totales-incorrectos.xml"), "--ledger", path])
        #expect((es.out + es.err).contains("ya está en el libro con un importe a pagar de 66,03 €, pero la de este fichero con ese número, tipo y fecha tiene 99,99 €"), "\(es.out)\(es.err)")
        #expect((es.out + es.err).contains("pídele una factura rectificativa"), "\(es.out)\(es.err)")
        let store = try SQLiteLedgerStore(path: path)
        #expect(try store.invoices().map(\.invoice.payable.description) == ["66.03 EUR"])
    }

    /// A Factur-X MINIMUM file of an invoice already imported from its full file (the buyer's tax id
    /// left out) is the same invoice, not a conflict.
    @Test func theSameInvoiceWithLessDetailIsStillADuplicate() {
        let path = ledger("minimum.sqlite")
        let r = SaldoCLI.capture(["import", fixture("cii/facturx-en16931-three-categories.xml"), fixture("cii/facturx-minimum.xml"), "--ledger", path])
        #expect(r.status == 0 && r.out.contains("0 new, 1 already in the ledger"), "\(r.out)\(r.err)")
    }

    /// H3: the help's own example linked an outgoing 70.40 USD Upwork fee, 8 months before the
    /// invoice, to a EUR invoice. Now: money going the wrong way, or none, is refused; more than the
    /// transaction moved is refused; another currency or a much earlier date is said.
    @Test func linkRefusesTransactionsThatCannotPayTheInvoice() throws {
        let path = ledger("link.sqlite")
        _ = try DemoCommand.buildLedger(at: path)
        var r = SaldoCLI.capture(["invoices", "link", "LMS-2026-009", "412", "--amount", "848.00", "--ledger", path])
        #expect(r.status == 1 && r.err.contains("transaction #412 of 2026-01-15") && r.err.contains("took money out of your accounts (-70.40 USD); invoice LMS-2026-009 is paid with money coming in"), "\(r.err)")
        r = SaldoCLI.capture(["invoices", "link", "LMS-2026-009", "705", "--ledger", path])   // a Wise payout into the bank: the user's own money
        #expect(r.status == 1 && r.err.contains("moved no money in or out of your accounts"), "\(r.err)")
        r = SaldoCLI.capture(["invoices", "link", "LMS-2026-009", "702", "--amount", "1200.00", "--ledger", path])
        #expect(r.status == 1 && r.err.contains("moved 1091.80 EUR, less than the 1200.00 EUR you link to invoice LMS-2026-009"), "\(r.err)")
        r = SaldoCLI.capture(["--lang", "es", "invoices", "link", "LMS-2026-009", "412", "--ledger", path])
        #expect(r.status == 1 && r.err.contains("sacó dinero de tus cuentas"), "\(r.err)")
        // GBP money from another client 16 days before the invoice: linked, with both warnings.
        r = SaldoCLI.capture(["invoices", "link", "LMS-2026-009", "552", "--amount", "100.00", "--ledger", path])
        #expect(r.status == 0, "\(r.err)")
        #expect(r.err.contains("transaction #552 moved money in GBP, not in EUR"), "\(r.err)")
        #expect(r.err.contains("transaction #552 of 2026-09-12 is 16 days before the invoice was issued (2026-09-28)"), "\(r.err)")
        // The help's new examples work on the demo ledger, in both languages' help.
        for lang in ["en", "es"] {
            let help = SaldoCLI.capture(["--lang", lang, "invoices", "--help"]).out + SaldoCLI.capture(["--lang", lang, "invoices", "link", "--help"]).out
            #expect(help.contains("saldo invoices link LMS-2026-008 702") && !help.contains("412"), "\(help)")
        }
        r = SaldoCLI.capture(["invoices", "link", "LMS-2026-008", "702", "--amount", "1091.80", "--ledger", path])
        #expect(r.status == 0 && r.err.isEmpty && r.out.contains("invoice LMS-2026-008: transaction #702 pays 1091.80 EUR"), "\(r.out)\(r.err)")
        #expect(SaldoCLI.capture(["invoices", "unlink", "LMS-2026-008", "702", "--ledger", path]).status == 0)
    }

    /// H5: the seller gave an invoice the number of an earlier credit note (same seller, same day):
    /// --seller could not choose; --kind (or --issued) does, and the error says so.
    @Test func kindOrIssueDateChoosesAmongDocumentsSharingANumber() {
        let path = ledger("h5.sqlite")
        let imported = SaldoCLI.capture(["import", fixture("ubl/saldo-ubl-creditnote-381.xml"), fixture("ubl/saldo-ubl-invoice-numbered-like-credit-note.xml"), "--ledger", path])
        #expect(imported.status == 0 && imported.out.contains("2 new"), "\(imported.out)\(imported.err)")
        var r = SaldoCLI.capture(["invoices", "unlink", "CN-2026-007", "--seller", "ES12345678Z", "--ledger", path])
        #expect(r.status == 1 && r.err.contains("2 documents are numbered \"CN-2026-007\": credit-note 2026-03-02 (Lucía Freelance Design), invoice 2026-03-02 (Lucía Freelance Design)"), "\(r.err)")
        #expect(r.err.contains("--kind credit-note or --issued YYYY-MM-DD"), "\(r.err)")
        // Chosen: what is said next is about that document (it has no links), not about the number.
        r = SaldoCLI.capture(["invoices", "unlink", "CN-2026-007", "--kind", "invoice", "--ledger", path])
        #expect(r.status == 1 && r.err.contains("invoice CN-2026-007 has no such payment link"), "\(r.err)")
        r = SaldoCLI.capture(["invoices", "link", "CN-2026-007", "2", "--kind", "invoice", "--ledger", path])
        #expect(r.status == 1 && r.err.contains("transaction #2 of 2026-03-02 (Invoice CN-2026-007 to Tulip Apps B.V.) moved no money"), "\(r.err)")
        r = SaldoCLI.capture(["invoices", "link", "CN-2026-007", "2", "--issued", "2026-03-05", "--ledger", path])
        #expect(r.status == 1 && r.err.contains("no document numbered \"CN-2026-007\" fits what you named"), "\(r.err)")
        r = SaldoCLI.capture(["--lang", "es", "invoices", "link", "CN-2026-007", "2", "--ledger", path])
        #expect(r.status == 1 && r.err.contains("hay 2 documentos con el número \"CN-2026-007\"") && r.err.contains("--kind credit-note o --issued AAAA-MM-DD"), "\(r.err)")
    }

    /// M7, M6, M5, H4 on the samples: the CFDI payment receipt has nothing outstanding; clients are
    /// one row each under the name their invoices use; the prepaid note; Overdue within Outstanding.
    @Test func listAndSummaryOnTheSamples() throws {
        let path = ledger("samples.sqlite")
        let files = ["cfdi/satcfdi-cfdv40-ejemplo-synthetic.xml", "cii/zugferd1-comfort.xml", "cii/ferd-EN16931_Gutschrift-389-selfbilling.cii.xml",
                     "ubl/oasis-ubl-creditnote-2.1-example.xml", "ubl/en16931-ubl-tc434-example5-DKK-taxcur-EUR-prepaid.xml"]
        for f in files { _ = SaldoCLI.capture(["import", fixture(f), "--ledger", path]) }
        let list = SaldoCLI.capture(["invoices", "list", "--today", "2026-12-07", "--ledger", path])
        let receipt = try #require(list.out.split(separator: "\n").first { $0.hasPrefix("A 123ABC") })
        #expect(receipt.contains("nothing to pay") && !receipt.contains("overdue") && !receipt.contains("1,500.00 MXN  1,500.00 MXN"), "\(receipt)")
        let rows = try JSONSerialization.jsonObject(with: Data(SaldoCLI.capture(["invoices", "list", "--today", "2026-12-07", "--format", "json", "--ledger", path]).out.utf8)) as! [[String: Any]]
        #expect(rows.first { $0["number"] as? String == "A 123ABC" }?["outstanding"] as? String == "0.00")

        let summary = SaldoCLI.capture(["invoices", "summary", "--today", "2026-12-07", "--ledger", path])
        #expect(summary.out.components(separatedBy: "Kunden AG Mitte").count == 2, "one row: \(summary.out)")
        #expect(summary.out.contains("Paid counts the amounts invoices state as already paid (2,337.50 DKK, -1,000.00 EUR)"), "\(summary.out)")
        let json = try JSONSerialization.jsonObject(with: Data(SaldoCLI.capture(["invoices", "summary", "--today", "2026-12-07", "--format", "json", "--ledger", path]).out.utf8)) as! [String: Any]
        for c in json["clients"] as! [[String: Any]] {
            let outstanding = Double(c["outstanding"] as! String)!, overdue = Double(c["overdue"] as! String)!
            #expect(overdue <= max(outstanding, 0) + 0.001, "\(c)")
        }
        #expect((json["clients"] as! [[String: Any]]).contains { $0["client_tax_id"] as? String == "DE136695976" })
    }

    /// M1: notes stored at import come back in the reader's language (they came back in English).
    @Test func storedInvoiceNotesAreShownInSpanish() {
        let path = ledger("m1.sqlite")
        _ = SaldoCLI.capture(["--lang", "es", "import", fixture("ubl/oasis-ubl-creditnote-2.1-example.xml"), "--ledger", path])
        let r = SaldoCLI.capture(["--lang", "es", "invoices", "list", "--today", "2026-12-07", "--ledger", path])
        #expect(r.status == 0)
        #expect(r.out.contains("no hay código de tipo (BT-3); se lee como 381 por el elemento del documento"), "\(r.out)")
        #expect(r.out.contains("aviso: BR-CO-15 total = neto + IVA: el documento indica 1.729 pero sus partes suman 1.728,70 (tolerancia 0)"), "\(r.out)")
        #expect(r.out.contains("sugerencia: Saldo anota la base imponible del documento y aparta en equity:invoices:unexplained"), "\(r.out)")
        #expect(!r.out.contains("warning:") && !r.out.contains("hint:") && !r.out.contains("no type code"), "\(r.out)")
        // Problems found while reading: the terms in Spanish too.
        let lookalike = Fixtures.url("malicious-xml/wrong-namespace-lookalike.xml").path, split = Fixtures.url("malicious-xml/split-text-comment-cdata-pi.xml").path
        let read = SaldoCLI.capture(["--lang", "es", "import", "--dry-run", lookalike, split, "--ledger", ledger("m1b.sqlite")])
        let said = read.out + read.err
        #expect(said.contains("falta la divisa de la factura (BT-5)") && said.contains("toda factura debe indicar la divisa de la factura (BT-5)"), "\(said)")
        #expect(said.contains("(emisor): aviso: no consta el emisor") && said.contains("no consta el destinatario"), "\(said)")
        #expect(!said.contains("invoice currency") && !said.contains("seller"), "\(said)")
    }
}

/// Pinned (web tester): an invoice whose stated total (99.99) is not what its parts add up to (66.03)
/// was booked with the whole gap as income (93.71 against a tax base of 59.75). Income is now the
/// document's net, and the unexplained difference waits on its own account, reported.
@Suite struct UnexplainedInvoiceTotalsTests {
    @Test func theGapBetweenAmountDueAndPartsIsNeitherIncomeNorExpense() throws {
        let path = Fixtures.temporaryDirectory().appendingPathComponent("gap-\(UUID().uuidString).sqlite").path
        let file = Fixtures.url("invoices/facturae/omeuid-3.2.2-totales-incorrectos.xml").path
        let r = SaldoCLI.capture(["import", file, "--ledger", path, "--lang", "en"])
        #expect(r.status == 0, "\(r.out)\(r.err)")
        #expect(r.out.contains("keeps any difference the amount due implies apart, in equity:invoices:unexplained"), "\(r.out)")
        let accounts = SaldoCLI.capture(["accounts", "--ledger", path, "--format", "csv"])
        #expect(accounts.out.contains("equity:invoices:unexplained,EUR,-33.96"), "\(accounts.out)")
        #expect(accounts.out.contains("income:comercial-de-ejemplo-s-a,EUR,-59.75"), "\(accounts.out)")
        #expect(accounts.out.contains("assets:receivable:comercial-de-ejemplo-s-a,EUR,99.99"), "\(accounts.out)")
    }
}
