import Foundation
import Testing
import SaldoApp
import SaldoCore
import SaldoReports
import SaldoStore
@testable import SaldoCLI
import SaldoTestSupport

/// `saldo overview` and `saldo transactions` print the documents the web app serves (one use case
/// each), so the CLI's JSON is the oracle for the Overview and Transactions APIs.
@Suite struct OverviewCLITests {
    @Test func overviewJSONIsTheUseCasesDocument() throws {
        let r = SaldoCLI.capture(["overview", "--today", asOf, "--floor", "1500", "--format", "json", "--ledger", demoLedger])
        #expect(r.status == 0, "\(r.err)")
        let store = try LedgerLocation(path: demoLedger).open(.existing)
        let doc = try Overview.build(OverviewRequest(today: Day(iso: asOf)!, floor: try ExactDecimal("1500")), store: store)
        #expect(r.out == doc.json().serialized())
        #expect(r.out.contains("\"report\": \"overview\""))
        // And readable as a table.
        let table = SaldoCLI.capture(["overview", "--today", asOf, "--ledger", demoLedger])
        #expect(table.status == 0 && table.out.contains("Next tax payment"), "\(table.out)")
    }

    @Test func transactionsPagesWithTheCursor() throws {
        var args = ["transactions", "--platform", "Upwork", "--limit", "100", "--format", "json", "--ledger", demoLedger]
        var seen = 0
        var pages = 0
        while pages < 20 {
            let r = SaldoCLI.capture(args)
            #expect(r.status == 0, "\(r.err)")
            guard case .object(let top) = try JSONParser.parse(Array(r.out.utf8)).value else { Issue.record("not JSON"); return }
            if case .array(let rows)? = top.first(where: { $0.key == "transactions" })?.value { seen += rows.count }
            pages += 1
            guard case .string(let next)? = top.first(where: { $0.key == "next_cursor" })?.value else { break }
            args = ["transactions", "--platform", "Upwork", "--limit", "100", "--format", "json", "--cursor", next, "--ledger", demoLedger]
        }
        let store = try LedgerLocation(path: demoLedger).open(.existing)
        let all = try Transactions.page(TransactionQuery(platforms: ["Upwork"], limit: 200), store: store)
        #expect(seen == all.matching && seen > 100 && pages == (seen + 99) / 100)
        let bad = SaldoCLI.capture(["transactions", "--sort", "sideways", "--ledger", demoLedger])
        #expect(bad.status == ExitStatus.userError && bad.err.contains("--sort sideways is not an order"), "\(bad.err)")
    }
}

/// Pinned (2026-12-07, newcomer pass): `saldo transactions` in Spanish printed an English title,
/// headings and subtitle ("Transactions", "19 matching, date-desc") and English amounts
/// ("35,797.44 USD") beside Spanish dates. Now all in the run's language; CSV and JSON unchanged.
@Suite struct TransactionsInSpanishTests {
    @Test func theTableIsInTheRunsLanguage() throws {
        let args = ["transactions", "--platform", "Upwork", "--period", "2026-Q1", "--limit", "5", "--ledger", demoLedger]
        let es = SaldoCLI.capture(["--lang", "es"] + args)
        #expect(es.status == 0, "\(es.err)")
        #expect(es.out.hasPrefix("Movimientos\n"), "\(es.out)")
        #expect(es.out.contains("movimientos coinciden (periodo 1T 2026, plataforma Upwork), más recientes primero"), "\(es.out)")
        #expect(es.out.contains("Concepto") && es.out.contains("Importes") && es.out.contains("Origen"), "\(es.out)")
        #expect(es.out.contains(" US$") && !es.out.contains(" USD;"), "amounts as Spanish writes them: \(es.out)")
        #expect(!es.out.contains("matching") && !es.out.contains("date-desc"), "\(es.out)")
        let en = SaldoCLI.capture(["--lang", "en"] + args)
        #expect(en.out.hasPrefix("Transactions\n") && en.out.contains("matching (period 2026-Q1, platform Upwork), newest first"), "\(en.out)")
        #expect(en.out.contains(" USD"), "\(en.out)")
        // Machine formats are the same in every language.
        for format in ["csv", "json"] {
            #expect(SaldoCLI.capture(["--lang", "es"] + args + ["--format", format]).out == SaldoCLI.capture(["--lang", "en"] + args + ["--format", format]).out, "\(format)")
        }
    }
}
