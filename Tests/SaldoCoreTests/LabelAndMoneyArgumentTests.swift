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

    @Test func englishLeavesThemAlone() {
        let args = ["st_label": "statement 1234Test/1", "money": "15121.12 EUR"]
        #expect(Catalog.shipped(.en).localizing(args) == args)
    }
}
