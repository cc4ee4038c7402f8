import SaldoCore

/// The words of a bank statement's balance warnings (camt, MT940): the statement's own balances
/// against what the ledger holds for its entries. Amounts are written as Saldo writes money in
/// English (`15,121.12 EUR`, grouped, with the code) and handed over as the diagnostic's arguments,
/// so that every front end shows them in its language (`15.121,12 €` in Spanish).
///
/// The difference is said the way round it is: an amount the ledger lacks is missing; an amount
/// the ledger holds beyond the stated closing balance is not "missing" (a negative amount missing
/// read as nonsense).
enum BalanceBreak {
    /// A camt statement's closing balance (`CLBD`) that its opening balance (`OPBD`/`PRCD`) plus
    /// the ledger's change does not reach; `difference` is stated minus computed.
    static func closing(label: String, stated: Money, statedCode: String, opening: Money, openingCode: String, openingLine: Int,
                        entries: Int, ledger: Money, closingLine: Int, difference: Money) -> LocalizedText {
        LocalizedText(difference.isNegative ? "diag.import.balance.closing_surplus" : "diag.import.balance.closing_missing", [
            "st_label": label, "stated_money": text(stated), "code": statedCode, "opening_money": text(opening), "opening_code": openingCode,
            "line": String(openingLine), "entries_count": String(entries), "ledger_money": text(ledger), "difference_money": text(abs(difference)),
            "line2": String(closingLine),
        ])
    }

    /// An MT940 statement's closing balance (`:62F:`/`:62M:`) that its opening balance plus the
    /// ledger's change does not reach; `difference` is stated minus computed. (`closingLine` is
    /// for the hint, which names the lines between which an entry may be missing.)
    static func statement(stated: Money, opening: Money, openingLine: Int, entries: Int, ledger: Money, closingLine: Int, difference: Money) -> LocalizedText {
        LocalizedText(difference.isNegative ? "diag.import.balance.statement_surplus" : "diag.import.balance.statement_missing", [
            "stated_money": text(stated), "opening_money": text(opening), "line": String(openingLine), "entries_count": String(entries),
            "ledger_money": text(ledger), "difference_money": text(abs(difference)), "line2": String(closingLine),
        ])
    }

    /// Two statements of one account in a file that do not chain: a closing balance (on
    /// `closingLine`) that is not the next statement's opening one.
    static func chain(closing: Money, closingLine: Int, nextOpening: Money) -> LocalizedText {
        LocalizedText("diag.import.balance.statements_do_not_chain", [
            "line": String(closingLine), "money": text(closing), "money2": text(nextOpening),
            "money3": text(Money(minorUnits: nextOpening.minorUnits &- closing.minorUnits, currency: nextOpening.currency)),
        ])
    }

    /// `15,121.12 EUR`: grouped, with the code, as English messages write money.
    static func text(_ m: Money) -> String { HumanFormat.en.money(m) }

    static func abs(_ m: Money) -> Money { Money(minorUnits: m.minorUnits < 0 ? 0 &- m.minorUnits : m.minorUnits, currency: m.currency) }
}
