import Foundation
import SaldoCore
import SaldoFX
import SaldoReports
import Testing

/// A day's fact in another currency is converted part by part (each posting rounded alone, as the
/// tax return converts them), not as one sum.
@Suite struct PerPostingConversionTests {
    static let day = Day(iso: "2026-01-05")!
    /// 1 EUR = 1.5 USD: one cent converts to 0.0067 EUR, rounded to 0.01; two cents to 0.0133, rounded to 0.01.
    static let rates = RateTable([ExchangeRate(date: day, base: .EUR, quote: .USD, rate: try! ExactDecimal("1.5"), source: "test")])

    static func income(_ cents: Int64, parts: [Int64]?) throws -> PostingFact {
        PostingFact(transactionID: 0, date: day, account: try Account("income:prolific"), amount: Money(minorUnits: cents, currency: .USD),
                    kind: .earning, platform: "Prolific", parts: parts)
    }

    @Test func eachPartIsRoundedAlone() throws {
        let apart = try monthlyReport([try Self.income(-2, parts: [-1, -1])], rates: Self.rates, currency: .EUR)
        #expect(apart.total.total.gross == Money(minorUnits: 2, currency: .EUR))
        #expect(apart.convertedAmounts == 2)
        // The same two cents as one amount: one cent of euro.
        let whole = try monthlyReport([try Self.income(-2, parts: nil)], rates: Self.rates, currency: .EUR)
        #expect(whole.total.total.gross == Money(minorUnits: 1, currency: .EUR))
        // The original currency is the sum either way.
        #expect(apart.total.original == whole.total.original)
    }

    @Test func theCurrenciesReportEarnsThePartsToo() throws {
        let r = try currenciesReport([try Self.income(-2, parts: [-1, -1])], rates: Self.rates, currency: .EUR)
        let usd = try #require(r.currencies.first { $0.currency == .USD })
        #expect(usd.earned == Money(minorUnits: 2, currency: .USD) && usd.earnedBase == Money(minorUnits: 2, currency: .EUR))
    }
}
