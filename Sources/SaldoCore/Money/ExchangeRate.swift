/// One published exchange rate: on `date`, one unit of `base` was worth `rate` units of `quote`,
/// as stated by `source` (`ECB`, `my-bank.csv`…).
///
/// The ECB publishes `1 EUR = 1.0856 USD`: base `EUR`, quote `USD`, rate `1.0856`.
public struct ExchangeRate: Hashable, Sendable, CustomStringConvertible {
    public var date: Day
    public var base: CurrencyCode
    public var quote: CurrencyCode
    public var rate: ExactDecimal
    public var source: String

    public init(date: Day, base: CurrencyCode, quote: CurrencyCode, rate: ExactDecimal, source: String) {
        self.date = date; self.base = base; self.quote = quote; self.rate = rate; self.source = source
    }

    /// `2026-01-02 1 EUR = 1.0352 USD (ECB)`.
    public var description: String { "\(date) 1 \(base) = \(rate) \(quote) (\(source))" }
}
