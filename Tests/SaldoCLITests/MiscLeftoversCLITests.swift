import Foundation
import Testing
import SaldoCore
import SaldoStore
import SaldoCLI
import SaldoTestSupport

/// Findings of the exploratory tester, through the command line: a retired currency (HRK) is shown
/// and reported in, not called unknown; camt and MT940 balance warnings write money grouped and in
/// the reader's language; a payment linked long after the invoice's due date is said.
@Suite struct MiscLeftoversCLITests {
    func ledger(_ name: String) -> String { Fixtures.temporaryDirectory().appendingPathComponent(name).path }

    /// The two-statement camt.053 sample with its account and amounts in HRK (2014-12-30 and -31).
    func hrkStatement() throws -> String {
        var text = String(decoding: try Fixtures.data("statements/camt/genkgo-camt053-v02-two-statements.xml"), as: UTF8.self)
        text = text.replacingOccurrences(of: "Ccy=\"EUR\"", with: "Ccy=\"HRK\"").replacingOccurrences(of: "<Ccy>EUR</Ccy>", with: "<Ccy>HRK</Ccy>")
        let url = Fixtures.temporaryDirectory().appendingPathComponent("hrk-camt053.xml")
        try Data(text.utf8).write(to: url)
        return url.path
    }

    @Test func ratesShowARetiredCurrencyFromTheBundledHistory() throws {
        let path = ledger("hrk-rates.sqlite")
        #expect(SaldoCLI.capture(["import", Fixtures.url("statements/camt/genkgo-camt053-v02-two-statements.xml").path, "--ledger", path]).status == 0)
        let en = SaldoCLI.capture(["rates", "show", "HRK", "--today", "2026-11-03", "--ledger", path])
        #expect(en.status == 0, "\(en.err)")
        #expect(en.out.contains("2022-12-30      7.5365 HRK  ECB (bundled)"), "\(en.out)")
        #expect(en.out.contains("showing HRK rates from 2022-12-01 to 2022-12-30, the 30 days up to the newest"), "\(en.out)")
        #expect(en.out.contains("HRK is no longer in use since 2023-01-01 (replaced by EUR): no newer rates will be published"), "\(en.out)")
        #expect(en.out.contains("newest HRK rate: 2022-12-30, 1404 days old\n"), "\(en.out)")
        #expect(!en.out.contains("rates update") && !en.out.contains("can be downloaded"), "no newer HRK rate exists: \(en.out)")
        let es = SaldoCLI.capture(["--lang", "es", "rates", "show", "hrk", "--today", "2026-11-03", "--ledger", path])
        #expect(es.status == 0, "\(es.err)")
        #expect(es.out.contains("30 dic 2022      7,5365 HRK  BCE (incluido en Saldo)"), "\(es.out)")
        #expect(es.out.contains("HRK ya no está en uso desde el 1 ene 2023 (la sustituyó el EUR): no se publicarán tipos más nuevos"), "\(es.out)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(SaldoCLI.capture(["rates", "show", "HRK", "--format", "json", "--ledger", path]).out.utf8)) as? [String: Any])
        #expect((json["retired"] as? [String: String]) == ["since": "2023-01-01", "replaced_by": "EUR"])
        #expect(json["newest"] as? String == "2022-12-30")
        // Days after it was replaced: said so, with the last day there is.
        let late = SaldoCLI.capture(["rates", "show", "HRK", "--from", "2024-01-01", "--ledger", path])
        #expect(late.status == 1 && late.err.contains("HRK is no longer in use since 2023-01-01 (replaced by EUR): its last rate is of 2022-12-30"), "\(late.err)")
        #expect(late.err.contains("choose days up to 2022-12-30") && !late.err.contains("rates import"), "\(late.err)")
        let lateES = SaldoCLI.capture(["--lang", "es", "rates", "show", "HRK", "--from", "2024-01-01", "--ledger", path])
        #expect(lateES.err.contains("HRK ya no está en uso desde el 1 ene 2023 (la sustituyó el EUR): su último tipo es del 30 dic 2022"), "\(lateES.err)")
        // A currency the ECB stopped publishing shows its last month too (it looked for rates in October 2026).
        let rub = SaldoCLI.capture(["rates", "show", "RUB", "--today", "2026-11-03", "--ledger", path])
        #expect(rub.status == 0 && rub.out.contains("the ECB published RUB rates until 2022-03-01 and publishes no newer ones"), "\(rub.out)\(rub.err)")
        // A code that is no currency is still refused.
        #expect(SaldoCLI.capture(["rates", "show", "HRX", "--ledger", path]).err.contains("unknown currency code \"HRX\""))
    }

    /// HRK amounts are imported and reported in HRK over the days it was in use; a report reaching
    /// past them, and HRK as the base currency, are refused with what to do instead.
    @Test func aRetiredCurrencyInTheLedgerAndAsAReportCurrency() throws {
        let path = ledger("hrk-demo.sqlite")
        _ = try DemoCommand.buildLedger(at: path)
        let imported = SaldoCLI.capture(["import", try hrkStatement(), "--ledger", path])
        #expect(imported.status == 0 && imported.out.contains("2 new"), "\(imported.out)\(imported.err)")
        let hrk = SaldoCLI.capture(["report", "monthly", "--currency", "HRK", "--period", "2014", "--format", "csv", "--ledger", path])
        #expect(hrk.status == 0 && hrk.out.contains("month,2014-12,total,HRK,8.85,0.00,8.85"), "\(hrk.out)\(hrk.err)")
        // In euros at the bundled rate of its day (7.6598 HRK per EUR on 2014-12-30, 7.658 on the 31st): 8.85 HRK is 1.16 EUR.
        let eur = SaldoCLI.capture(["report", "monthly", "--currency", "EUR", "--period", "2014", "--format", "csv", "--ledger", path])
        #expect(eur.status == 0 && eur.out.contains("month,2014-12,total,EUR,1.16,0.00,1.16"), "\(eur.out)\(eur.err)")

        let whole = SaldoCLI.capture(["report", "monthly", "--currency", "HRK", "--ledger", path])
        #expect(whole.status == 1, "\(whole.out)")
        #expect(whole.err.contains("HRK is no longer in use since 2023-01-01 (replaced by EUR): amounts can be shown in HRK up to 2022-12-31 only"), "\(whole.err)")
        #expect(whole.err.contains("choose a period that ends by 2022-12-31, or another currency such as EUR"), "\(whole.err)")
        let wholeES = SaldoCLI.capture(["--lang", "es", "report", "balances", "--currency", "HRK", "--ledger", path])
        #expect(wholeES.status == 1 && wholeES.err.contains("HRK ya no está en uso desde el 1 ene 2023 (la sustituyó el EUR): solo se pueden mostrar importes en HRK hasta el 31 dic 2022"), "\(wholeES.err)")
        let forecast = SaldoCLI.capture(["forecast", "--currency", "HRK", "--ledger", path])
        #expect(forecast.status == 1 && forecast.err.contains("HRK is no longer in use since 2023-01-01 (replaced by EUR)")
                && forecast.err.contains("choose a currency in use, such as EUR"), "\(forecast.err)")

        let base = SaldoCLI.capture(["config", "set", "base-currency", "HRK", "--ledger", path])
        #expect(base.status == 1 && base.err.contains("HRK is no longer in use since 2023-01-01 (replaced by EUR)"), "\(base.err)")
        let baseES = SaldoCLI.capture(["--lang", "es", "config", "set", "base-currency", "hrk", "--ledger", path])
        #expect(baseES.status == 1 && baseES.err.contains("elige una divisa en uso, por ejemplo EUR"), "\(baseES.err)")
        #expect(try SQLiteLedgerStore(path: path).setting("base-currency") == "EUR")
    }

    /// The command line shows the balance warnings as the import summary says them, in each language.
    @Test func balanceWarningsOfCamtAndMT940InBothLanguages() {
        let camt = Fixtures.url("statements/camt/viafintech-camt053-v08-ch-eur-entry-fx-unbalanced.xml").path
        let en = SaldoCLI.capture(["import", camt, "--ledger", ledger("camt-en.sqlite")])
        #expect(en.status == 3, "\(en.err)")
        #expect((en.out + en.err).contains("the statement states 84,515.25 CHF (CLBD), but the opening balance 82,721.95 CHF (OPBD, line 48) plus what the ledger holds for its 3 entries gives 83,265.51 CHF; 1,249.74 CHF is missing between line 48 and line 60"), "\(en.out)\(en.err)")
        let es = SaldoCLI.capture(["import", camt, "--ledger", ledger("camt-es.sqlite")], environment: ["LANG": "es_ES.UTF-8"])
        #expect((es.out + es.err).contains("aviso: el saldo de cierre no cuadra en el extracto R30B4SA880HMZ9XA: el extracto indica 84.515,25 CHF (CLBD), pero el saldo de apertura 82.721,95 CHF (OPBD, línea 48) más lo que el libro tiene para sus 3 apuntes da 83.265,51 CHF; faltan 1.249,74 CHF entre la línea 48 y la línea 60 [import.balance]"), "\(es.out)\(es.err)")
        let mt940 = Fixtures.url("statements/mt940/wolph-raiffeisen-mt940-hu-huf-non-utf8-forward-balances.sta").path
        let esMT = SaldoCLI.capture(["--lang", "es", "import", mt940, "--ledger", ledger("mt940-es.sqlite")])
        #expect((esMT.out + esMT.err).contains("el extracto indica 25.281.687,60 HUF, pero el saldo de apertura 25.170.637,10 HUF (línea 5) más lo que el libro tiene para los 7 apuntes del extracto da 24.158.423,60 HUF; faltan 1.123.264,00 HUF [import.balance]"), "\(esMT.out)\(esMT.err)")
    }

    /// The demo's first invoice was due on 2026-02-27; Wise's 15 October conversion brought euros in
    /// 230 days later: linked, and said.
    @Test func aPaymentLongAfterTheDueDateIsSaid() throws {
        let path = ledger("late-link.sqlite")
        _ = try DemoCommand.buildLedger(at: path)
        let r = SaldoCLI.capture(["invoices", "link", "LMS-2026-001", "556", "--amount", "100.00", "--ledger", path])
        #expect(r.status == 0, "\(r.err)")
        #expect(r.err.contains("transaction #556 of 2026-10-15 is 230 days after the invoice was due (2026-02-27); check that it pays this invoice"), "\(r.err)")
        _ = SaldoCLI.capture(["invoices", "unlink", "LMS-2026-001", "556", "--ledger", path])
        let es = SaldoCLI.capture(["--lang", "es", "invoices", "link", "LMS-2026-001", "556", "--amount", "100.00", "--ledger", path])
        #expect(es.status == 0 && es.err.contains("el movimiento n.º 556 del 15 oct 2026 es 230 días posterior al vencimiento de la factura (27 feb 2026); comprueba que la paga"), "\(es.err)")
    }
}
