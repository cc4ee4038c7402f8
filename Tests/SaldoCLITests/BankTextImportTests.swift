import Foundation
import SaldoCLI
import SaldoCore
@testable import SaldoStore
import SaldoTestSupport
import Testing

/// MT940 and QIF files through the import command into a ledger: what the ledger holds equals
/// the statement's own figures, and importing the same file again adds nothing.
@Suite struct BankTextImportTests {
    static func ledger() throws -> (dir: URL, path: String) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("saldo-banktext-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return (dir, dir.appendingPathComponent("ledger.sqlite").path)
    }

    @Test(arguments: ["mt940/wolph-asnb-mt940-nl-swift-blocks-daily.sta", "mt942/wolph-mbank-mt942-pl-interim-90d-90c.sta",
                      "mt940/wolph-betterplace-mt940-de-sepa-structured86-two-statements.sta",
                      "qif/nerdbank-qif-bom-tags-then-bank-no-final-newline.qif", "qif/saldo-qif-accounts-splits-dmy-invst-memorized.qif"])
    func reimportAddsNothing(_ fixture: String) throws {
        let (dir, ledger) = try Self.ledger()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = Fixtures.url("statements/" + fixture).path
        let first = SaldoCLI.capture(["import", file, "--ledger", ledger, "--format", "json"])
        // The betterplace sample's second statement does not chain: imported, with the break reported.
        let breaks = fixture.contains("betterplace")
        #expect(first.status == (breaks ? 3 : 0), "\(first.out) \(first.err)")
        #expect(!first.out.contains("\"new\":0"))
        let store = try SQLiteLedgerStore(path: ledger)
        let count = try store.rowTexts("SELECT count(*) FROM txn")
        let again = SaldoCLI.capture(["import", file, "--ledger", ledger, "--format", "json"])
        #expect(again.out.contains("\"new\":0"), "\(again.out)")
        #expect(try store.rowTexts("SELECT count(*) FROM txn") == count)
        #expect(try store.integrityCheck() == "ok")
    }

    @Test func theLedgerHoldsTheStatementsClosingBalance() throws {
        let (dir, ledger) = try Self.ledger()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = Fixtures.url("statements/mt940/wolph-asnb-mt940-nl-swift-blocks-daily.sta").path
        #expect(SaldoCLI.capture(["import", file, "--ledger", ledger]).status == 0)
        let store = try SQLiteLedgerStore(path: ledger)
        // Opening 444.29 + entries = closing 501.23: the ledger holds the change, +56.94.
        #expect(try saldoBalances(store)["assets:asn-bank-9999|EUR"] == "56.94")
    }
}

/// A statement whose closing balance the ledger does not reach is said as that, not as a gap
/// between two rows of a running balance (which camt, MT940 and Norma 43 do not have).
@Suite struct ClosingBreakSummaryTests {
    @Test(arguments: [("en", "1 closing balance not reached"), ("es", "1 saldo final que no cuadra")])
    func theSummaryNamesAClosingBreak(_ lang: String, _ expected: String) throws {
        let (dir, ledger) = try BankTextImportTests.ledger()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = Fixtures.url("statements/camt/viafintech-camt053-v08-ch-eur-entry-fx-unbalanced.xml").path
        let r = SaldoCLI.capture(["--lang", lang, "import", file, "--ledger", ledger])
        #expect(r.status == 3, "\(r.out) \(r.err)")
        let all = r.out + r.err
        #expect(all.contains(expected), "\(all)")
        #expect(!all.contains("gap in the running balance") && !all.contains("hueco en el saldo"), "\(all)")
    }
}

/// `import --format json` is the same in every language, as all of Saldo's JSON: its hints were
/// translated (and carried the command line's options in the run's language) while its messages
/// were not.
@Suite struct ImportJSONLanguageTests {
    @Test func theJSONIsTheSameInSpanish() throws {
        let (dir, ledger) = try BankTextImportTests.ledger()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = Fixtures.url("statements/camt/viafintech-camt053-v08-ch-eur-entry-fx-unbalanced.xml").path
        let en = SaldoCLI.capture(["import", "--dry-run", "--format", "json", file, "--ledger", ledger])
        let es = SaldoCLI.capture(["--lang", "es", "import", "--dry-run", "--format", "json", file, "--ledger", ledger])
        #expect(en.out.contains("\"hint\":\"") && en.out.contains("1,249.74 CHF is missing"), "\(en.out)")
        #expect(es.out == en.out, "\(es.out)")
    }
}
