import Foundation
import Testing
import SaldoCore
import SaldoTestSupport
@testable import SaldoImport

/// The balance warnings of camt and MT940 statements (the stated closing balance against the
/// stated opening balance plus what the ledger holds for the entries) write money as Saldo writes
/// it everywhere else: grouped, with the currency, and in Spanish as Spanish writes it. They wrote
/// `84515.25 CHF` in both languages, and "-434.16 EUR is missing" when the ledger held more than
/// the statement.
@Suite struct BalanceWarningWordsTests {
    let es = Catalog.shipped(.es)

    func balanceWarnings(_ r: StatementReadResult) -> [Diagnostic] { r.warnings.filter { $0.code == "import.balance" } }

    /// The same file with `replacements` made (text → text), read as `name`.
    func read(_ fixture: String, name: String, _ replacements: [(String, String)]) throws -> StatementReadResult {
        var text = String(decoding: try Fixtures.data("statements/" + fixture), as: UTF8.self)
        for (a, b) in replacements {
            let r = try #require(text.range(of: a), "\(a) is not in \(fixture)")
            text.replaceSubrange(r, with: b)
        }
        return StatementImporter.read(data: Data(text.utf8), fileName: name)
    }

    /// camt.053 v08 (SOURCES.md): 82,721.95 + 563.25 - 19.69 = 83,265.51, not the stated 84,515.25.
    @Test func camtMissingAmountIsGroupedAndSpanish() throws {
        let r = try StatementFixtures.read("camt/viafintech-camt053-v08-ch-eur-entry-fx-unbalanced.xml")
        let w = try #require(balanceWarnings(r).first)
        #expect(w.message == "closing balance breaks in the statement R30B4SA880HMZ9XA: the statement states 84,515.25 CHF (CLBD), but the opening balance 82,721.95 CHF (OPBD, line 48) plus what the ledger holds for its 3 entries gives 83,265.51 CHF; 1,249.74 CHF is missing between line 48 and line 60", "\(w.message)")
        #expect(w.localizedMessage(in: es) == "el saldo de cierre no cuadra en el extracto R30B4SA880HMZ9XA: el extracto indica 84.515,25 CHF (CLBD), pero el saldo de apertura 82.721,95 CHF (OPBD, línea 48) más lo que el libro tiene para sus 3 apuntes da 83.265,51 CHF; faltan 1.249,74 CHF entre la línea 48 y la línea 60", "\(w.localizedMessage(in: es))")
        #expect(w.localizedHint(in: es) == "puede que falte o se haya alterado un apunte del fichero; pide al banco el extracto completo")
    }

    /// When the ledger holds more than the statement states, nothing is "missing": it says which
    /// way the difference goes, with the amount positive.
    @Test func camtSurplusSaysTheLedgerHoldsMore() throws {
        // Statement 1 of the two: 18.15 + 8.85 = 27.00; opening raised to 2,018.15 and the closing
        // stated as 2,020.00, so the ledger's 2,027.00 is 7.00 more than stated.
        let r = try read("camt/genkgo-camt053-v02-two-statements.xml", name: "two.xml",
                         [("<Amt Ccy=\"EUR\">18.15</Amt>", "<Amt Ccy=\"EUR\">2018.15</Amt>"), ("<Amt Ccy=\"EUR\">27.00</Amt>", "<Amt Ccy=\"EUR\">2020.00</Amt>")])
        let warnings = balanceWarnings(r)
        #expect(warnings.count == 1, "\(warnings)")
        let w = try #require(warnings.first)
        #expect(w.message.contains("the statement states 2,020.00 EUR (CLBD), but the opening balance 2,018.15 EUR (OPBD, line "), "\(w.message)")
        #expect(w.message.contains("gives 2,027.00 EUR; the ledger holds 7.00 EUR more than the statement between line "), "\(w.message)")
        #expect(!w.message.contains("missing") && !w.message.contains("-7.00"), "\(w.message)")
        let spanish = w.localizedMessage(in: es)
        #expect(spanish.contains("el extracto indica 2.020,00 € (CLBD), pero el saldo de apertura 2.018,15 € (OPBD, línea "), "\(spanish)")
        #expect(spanish.contains("da 2.027,00 €; el libro tiene 7,00 € más que el extracto entre la línea "), "\(spanish)")
    }

    /// MT940, Raiffeisen Hungary (SOURCES.md): 25,170,637.10 - 1,012,213.50 = 24,158,423.60 HUF,
    /// 1,123,264.00 short of the stated 25,281,687.60.
    @Test func mt940MissingAmountIsGroupedAndSpanish() throws {
        let r = try StatementFixtures.read("mt940/wolph-raiffeisen-mt940-hu-huf-non-utf8-forward-balances.sta")
        let w = try #require(balanceWarnings(r).first)
        #expect(w.message == "closing balance breaks: the statement states 25,281,687.60 HUF, but the opening balance 25,170,637.10 HUF (line 5) plus what the ledger holds for the statement's 7 entries gives 24,158,423.60 HUF; 1,123,264.00 HUF is missing", "\(w.message)")
        #expect(w.localizedMessage(in: es) == "el saldo de cierre no cuadra: el extracto indica 25.281.687,60 HUF, pero el saldo de apertura 25.170.637,10 HUF (línea 5) más lo que el libro tiene para los 7 apuntes del extracto da 24.158.423,60 HUF; faltan 1.123.264,00 HUF", "\(w.localizedMessage(in: es))")
        #expect(w.localizedHint(in: es) == "puede que falte o esté alterado un apunte entre las líneas 5 y 40")
    }

    /// MT940, ABN AMRO (edited values): statements that do not chain, and a closing balance the
    /// ledger exceeds (3,236.28 - 321.44 = 2,914.84 against the stated 876.84).
    @Test func mt940ChainAndSurplusAreGroupedAndSpanish() throws {
        let r = try StatementFixtures.read("mt940/wolph-jejik-mt940-abnamro-nl-multi-statement.sta")
        let ws = balanceWarnings(r)
        let chain = try #require(ws.first { $0.message.hasPrefix("statements do not chain") })
        #expect(chain.message == "statements do not chain: the closing balance on line 27 is 876.84 EUR, but the next statement opens with 2,876.84 EUR (difference 2,000.00 EUR)", "\(chain.message)")
        #expect(chain.localizedMessage(in: es) == "los extractos no encadenan: el saldo de cierre de la línea 27 es 876,84 €, pero el extracto siguiente abre con 2.876,84 € (diferencia 2.000,00 €)", "\(chain.localizedMessage(in: es))")
        let surplus = try #require(ws.first { $0.location?.line == 27 })
        #expect(surplus.message == "closing balance breaks: the statement states 876.84 EUR, but the opening balance 3,236.28 EUR (line 7) plus what the ledger holds for the statement's 8 entries gives 2,914.84 EUR; the ledger holds 2,038.00 EUR more than the statement", "\(surplus.message)")
        #expect(surplus.localizedMessage(in: es) == "el saldo de cierre no cuadra: el extracto indica 876,84 €, pero el saldo de apertura 3.236,28 € (línea 7) más lo que el libro tiene para los 8 apuntes del extracto da 2.914,84 €; el libro tiene 2.038,00 € más que el extracto", "\(surplus.localizedMessage(in: es))")
        // What the warnings compare is the ledger's booking, as the balance checks record it.
        #expect(r.balanceChecks.map(\.stated.minorUnits) == [87_684, 184_975] && r.balanceChecks.map(\.computed.minorUnits) == [291_484, 285_235])
    }

    /// A statement that does chain says nothing, in both formats.
    @Test func statementsThatChainWarnNothing() throws {
        #expect(balanceWarnings(try StatementFixtures.read("camt/genkgo-camt053-v02-two-statements.xml")).isEmpty)
        #expect(balanceWarnings(try StatementFixtures.read("mt940/wolph-asnb-mt940-nl-swift-blocks-daily.sta")).isEmpty)
    }
}
