import Testing
@testable import SaldoCore

/// Message arguments that name a statement or account, or write an amount with its code, read in
/// the reader's language; English keeps them exactly as written.
@Suite struct LabelAndMoneyArgumentTests {
    @Test func spanishNamesStatementsAndWritesMoneyItsWay() {
        let es = Catalog.shipped(.es)
        let out = es.localizing(["st_label": "statement 1234Test/1", "bs_label": "credit card ending 0042", "statement_label": "statement on line 12",
                                 "money": "15121.12 EUR", "money2": "84515.25 CHF", "money4": "-434.16", "code": "CLBD"])
        #expect(out["st_label"] == "extracto 1234Test/1")
        #expect(out["bs_label"] == "tarjeta de crédito acabada en 0042")
        #expect(out["statement_label"] == "extracto de la línea 12")
        #expect(out["money"] == HumanFormat(.es).money(Money(minorUnits: 1_512_112, currency: .EUR)))
        #expect(out["money"]?.hasPrefix("15.121,12") == true)
        #expect(out["money2"]?.hasPrefix("84.515,25") == true)
        #expect(out["money4"] == "-434,16")
        #expect(out["code"] == "CLBD")
        // Something that is not a label or an amount stays as it is.
        #expect(es.localizing(["st_label": "whatever this is", "money": "n/a"]) == ["st_label": "whatever this is", "money": "n/a"])
    }

    /// Whatever its name, a value written as an amount and its code reads as money (the invoice
    /// matcher's `{outstanding}`, `{shortfall}`…); other values do not.
    @Test func anyAmountWithItsCodeIsMoney() {
        let es = Catalog.shipped(.es)
        let out = es.localizing(["outstanding": "709.14 EUR", "shortfall": "-3.50 USD", "number": "LMS 2026", "counterparty": "12 ABC Ltd"])
        #expect(out["outstanding"] == HumanFormat(.es).money(Money(minorUnits: 70914, currency: .EUR)))
        #expect(out["shortfall"] == HumanFormat(.es).money(Money(minorUnits: -350, currency: .USD)))
        #expect(out["number"] == "LMS 2026" && out["counterparty"] == "12 ABC Ltd")
        // One day is singular in both languages.
        #expect(LocalizedText("match.day_before", ["days": "1"]).english == "1 day before the due date")
        #expect(LocalizedText("match.day_before", ["days": "1"]).text(in: es) == "1 día antes del vencimiento")
    }

    @Test func englishLeavesThemAlone() {
        let args = ["st_label": "statement 1234Test/1", "money": "15121.12 EUR"]
        #expect(Catalog.shipped(.en).localizing(args) == args)
    }
}
