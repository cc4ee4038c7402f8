import Foundation
import Testing
import SaldoCore
import SaldoStore
import SaldoCLI
import SaldoTestSupport

/// The four invoices issue 4 names, through the CLI: import, the invoice summary, and the hledger
/// export (hledger loads it with the same balances).
@Suite struct InvoiceAcceptanceTests {
    let files = [
        "facturae/gobl-3.2.2-invoice-vat-irpf.xml",                 // Facturae with IRPF withheld
        "cii/mustang-ZF2PushCreditNote-381.xml",                    // CII credit note
        "ubl/en16931-ubl-tc434-example5-DKK-taxcur-EUR-prepaid.xml", // UBL in DKK with EUR as VAT currency
        "cfdi/saldo-cfdi40-usd-isr-iva-retenciones.xml",            // CFDI with ISR and IVA withheld
    ]

    @Test func importSummariseAndExport() throws {
        let path = Fixtures.temporaryDirectory().appendingPathComponent("inv.sqlite").path
        let imported = SaldoCLI.capture(["import"] + files.map { Fixtures.url("invoices/\($0)").path } + ["--ledger", path, "--format", "json"])
        #expect(imported.status == 0, "\(imported.out)\(imported.err)")
        // One JSON object per file, one per line.
        let lines = imported.out.split(separator: "\n")
        #expect(lines.count == files.count, "\(imported.out)")
        for line in lines { #expect((try? JSONSerialization.jsonObject(with: Data(line.utf8))) is [String: Any], "\(line)") }
        // An invoice counts once, not once more for its ledger transaction (pinned: it counted twice).
        func counts(_ out: String) -> [[Int]] {
            out.split(separator: "\n").map { line in
                let o = try! JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
                return [o["new"] as! Int, o["duplicates"] as! Int]
            }
        }
        #expect(counts(imported.out) == Array(repeating: [1, 0], count: files.count), "\(imported.out)")
        let again = SaldoCLI.capture(["import"] + files.map { Fixtures.url("invoices/\($0)").path } + ["--ledger", path, "--format", "json"])
        #expect(counts(again.out) == Array(repeating: [0, 1], count: files.count), "\(again.out)")
        let store = try SQLiteLedgerStore(path: path)
        let invoices = try store.invoices().map(\.invoice)
        #expect(invoices.count == 4)
        // Credit note negative, withholding kept, VAT-accounting currency kept.
        #expect(invoices.contains { $0.kind == .creditNote && $0.total.isNegative })
        #expect(invoices.contains { $0.format == "facturae" && $0.withholding.isPositive })
        #expect(invoices.contains { $0.currency.code == "DKK" && $0.taxInAccountingCurrency?.currency == .EUR })
        #expect(invoices.contains { $0.format == "cfdi" && $0.withholding.isPositive })

        let summary = SaldoCLI.capture(["invoices", "summary", "--today", "2026-11-15", "--format", "json", "--ledger", path])
        #expect(summary.status == 0)
        let json = try JSONSerialization.jsonObject(with: Data(summary.out.utf8)) as! [String: Any]
        let rows = json["clients"] as! [[String: Any]]
        let currencies = Set(rows.compactMap { $0["currency"] as? String })
        #expect(currencies.isSuperset(of: ["EUR", "DKK", "USD"]))

        let exported = SaldoCLI.capture(["export", "--format", "hledger", "--ledger", path])
        let journal = Fixtures.temporaryDirectory().appendingPathComponent("inv.journal").path
        try exported.out.write(toFile: journal, atomically: true, encoding: .utf8)
        guard let h = hledgerBalances(journal) else { return }
        #expect(h == (try saldoBalances(store)))
        #expect(h["assets:tax:withheld|EUR"] != nil)
    }
}

@Suite struct InvoiceLinkTests {
    /// On the demo ledger: LMS-2026-009 is unpaid; linking a payment pays it, unlinking reopens it,
    /// and an automatic match the user unlinked is not proposed again.
    @Test func linkUnlinkAndRejectedMatches() throws {
        let path = Fixtures.temporaryDirectory().appendingPathComponent("link.sqlite").path
        _ = try DemoCommand.buildLedger(at: path)
        func status(_ number: String) throws -> String? {
            let r = SaldoCLI.capture(["invoices", "list", "--today", "2026-11-15", "--format", "json", "--ledger", path])
            let rows = try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as! [[String: Any]]
            return rows.first { $0["number"] as? String == number }?["status"] as? String
        }
        #expect(try status("LMS-2026-009") == "open")
        let store = try SQLiteLedgerStore(path: path)
        // A bank receipt in EUR of at least the 873.44 outstanding: the one that paid LMS-2026-008
        // (a PayPal payout to the bank, the user's own money moving, is refused now that a link
        // checks what the transaction moved).
        let someBankReceipt = try store.transactions().first { $0.transaction.description.contains("EDITORIAL LEVANTE SL FRA LMS-2026-008") }!.id
        #expect(SaldoCLI.capture(["invoices", "link", "LMS-2026-009", String(someBankReceipt), "--ledger", path]).status == 0)
        #expect(try status("LMS-2026-009") == "paid")
        #expect(SaldoCLI.capture(["invoices", "unlink", "LMS-2026-009", "--ledger", path]).status == 0)
        #expect(try status("LMS-2026-009") == "open")

        // An automatic match, unlinked, stays unlinked when matching runs again.
        let auto = try store.invoices().first { $0.invoice.number == "LMS-2026-001" }!
        let txn = auto.payments.first { $0.method == "auto" }!.transactionID
        #expect(SaldoCLI.capture(["invoices", "unlink", "LMS-2026-001", String(txn), "--ledger", path]).status == 0)
        #expect(SaldoCLI.capture(["invoices", "match", "--ledger", path]).status == 0)
        #expect(try status("LMS-2026-001") == "open")
        #expect(SaldoCLI.capture(["invoices", "link", "NOPE-1", "1", "--ledger", path]).status == 1)
    }
}
