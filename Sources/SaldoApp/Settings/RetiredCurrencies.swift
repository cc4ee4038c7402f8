import SaldoCore
import SaldoStore

/// Currencies no longer in use (HRK, replaced by the euro on 1 January 2023): Saldo reads their
/// amounts and rates and shows them, but reports in one only over the days it was in use, since no
/// rate of it exists after them; the base currency, which every report defaults to, must be in use.
public enum RetiredCurrencies {
    /// `HRK is no longer in use since 2023-01-01 (replaced by EUR)`, with what to choose instead.
    static func notInUse(_ code: CurrencyCode, _ r: RetiredCurrency, fix: Fix? = nil) -> UserError {
        UserError(LocalizedText("error.retired_currency", ["code": code.code, "date": r.since.description, "successor": r.replacedBy]).english,
                  hint: LocalizedText("error.retired_currency.choose", ["successor": r.replacedBy]).english, fix: fix)
    }

    /// Refuses `code` for amounts dated up to `last` when it was no longer in use by then; with
    /// `period`, the days are a period the user chose (a shorter one would do).
    /// `fromSetting`: the currency is the `base-currency` setting, so the fix is to change it.
    static func check(_ code: CurrencyCode, through last: Day?, period: Bool, fromSetting: Bool) throws {
        guard let r = code.retirement, let last, last >= r.since else { return }
        let fix: Fix? = fromSetting ? .setSetting(.baseCurrency, example: r.replacedBy) : nil
        guard period else { throw notInUse(code, r, fix: fix) }
        throw UserError(LocalizedText("error.retired_currency.report", ["code": code.code, "date": r.since.description, "successor": r.replacedBy,
                                                                        "last_date": r.lastDay.description, "until_date": last.description]).english,
                        hint: LocalizedText("error.retired_currency.report_hint", ["code": code.code, "successor": r.replacedBy,
                                                                                   "last_date": r.lastDay.description]).english, fix: fix)
    }
}

extension Settings {
    /// The currency of amounts dated up to `last` (``baseCurrency(_:in:)``: the one asked for, else
    /// the `base-currency` setting, else EUR), refused when it was no longer in use by then: a
    /// report in HRK can cover 2022, not 2023, when no HRK rate exists. `period`: the days are a
    /// period the user chose (a report's), not today's (a forecast's, the overview's).
    public static func reportCurrency(_ asked: CurrencyCode?, through last: Day?, period: Bool = true, in store: any LedgerStore) throws -> CurrencyCode {
        let c = try baseCurrency(asked, in: store)
        try RetiredCurrencies.check(c, through: last, period: period, fromSetting: asked == nil)
        return c
    }
}
