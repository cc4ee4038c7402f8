import PropertyBased
import SaldoCore
import SaldoFX
import SaldoTestSupport
import Testing

/// A day total's parts convert as the postings would one by one (what the tax return does): the
/// parts' fast path (one quote, its fraction worked out once) gives the same amounts, the same
/// counts of converted and fallback amounts, and the same provisional mark as converting each part
/// through ``Converter/convertMarking(_:on:)``.
@Suite struct DayTotalConversionTests {
    static let account = try! Account("income:upwork")

    @Test func partsConvertAsTheirAmountsOneByOne() async throws {
        var table = try sliceTable()
        table.beyondWindow = .provisional
        // A weekday, a Saturday (last Friday's rate), and a day after the slice ends (provisional);
        // dollars, yen (no minor unit) and Swiss francs, into euros and into dollars.
        let days = [d("2026-03-04"), d("2026-03-07"), d("2026-12-30")]
        let currencies: [CurrencyCode] = [.USD, try CurrencyCode("JPY"), try CurrencyCode("CHF")]
        await propertyCheck(count: 300, input: Gen.int(in: 0...2), Gen.int(in: 0...2), Gen.int(in: 2...12), Gen.int(in: 0...1_000_000), Gen.bool) { di, ci, n, seed, toDollars in
            var g = SplitMix(state: UInt64(seed))
            let parts = (0..<n).map { _ in Int64(g.next() % 2_000_000) - 1_000_000 }
            let currency = currencies[ci]
            let target: CurrencyCode = toDollars && currency != .USD ? .USD : .EUR
            let fact = PostingFact(transactionID: 0, date: days[di], account: Self.account,
                                   amount: Money(minorUnits: parts.reduce(0, +), currency: currency), kind: .earning, parts: parts)
            var fast = Converter(table: table, target: target), slow = Converter(table: table, target: target)
            guard let (amount, provisional) = try? fast.convertMarking(fact) else { Issue.record("no conversion"); return }
            var total: Int64 = 0, anyProvisional = false
            for p in parts {
                guard let (c, prov) = try? slow.convertMarking(Money(minorUnits: p, currency: currency), on: days[di]) else { Issue.record("no conversion"); return }
                total += c.minorUnits; anyProvisional = anyProvisional || prov
            }
            #expect(amount == Money(minorUnits: total, currency: target))
            #expect(provisional == anyProvisional)
            #expect(fast.convertedCount == slow.convertedCount && fast.fallbackCount == slow.fallbackCount)
        }
    }

    /// Converting the day's sum once can differ from converting its postings; the parts are what
    /// count. 0.05 USD + 0.05 USD at 1.0823 USD per EUR: 0.05 → 0.0462 → 0.05 EUR each, 0.10 EUR
    /// together; the sum 0.10 USD → 0.0924 → 0.09 EUR.
    @Test func thePartsNotTheSumAreRounded() throws {
        let rate = ExchangeRate(date: d("2026-03-04"), base: .EUR, quote: .USD, rate: dec("1.0823"), source: "test")
        var c = Converter(table: RateTable([rate]), target: .EUR)
        let f = PostingFact(transactionID: 0, date: d("2026-03-04"), account: Self.account, amount: m("0.10", .USD), kind: .earning, parts: [5, 5])
        #expect(try c.convertMarking(f).amount == m("0.10", .EUR))
        #expect(try c.convertMarking(m("0.10", .USD), on: d("2026-03-04")).amount == m("0.09", .EUR))
        // Parts that do not add up to the amount (a ledger edited by hand) are not trusted.
        var damaged = f; damaged.parts = [5, 6]
        #expect(try c.convertMarking(damaged).amount == m("0.09", .EUR))
        // Parts whose converted sum leaves what a ledger holds: an error, not a trap.
        let huge = PostingFact(transactionID: 0, date: d("2026-03-04"), account: Self.account, amount: Money(minorUnits: 0, currency: .USD),
                               kind: .earning, parts: [Int64.max / 2, Int64.max / 2, -(Int64.max / 2), -(Int64.max / 2)])
        var toYen = Converter(table: RateTable([rate, ExchangeRate(date: d("2026-03-04"), base: .EUR, quote: try CurrencyCode("JPY"), rate: dec("161.17"), source: "test")]), target: try CurrencyCode("JPY"))
        #expect(throws: RateError.self) { try toYen.convertMarking(huge) }
    }
}
