import Foundation
import Testing
@testable import SaldoForecast

/// Months without pay are data: the history runs to the last complete month for every stream.
@Suite struct IncomeHistoryTests {
    let jan24 = MonthIndex(year: 2024, month: 1)!
    let quick = IncomeForecaster(seed: 7, paths: 2_000)

    /// Monthly payments of `amount` for `stream` from `from` for `count` months.
    func pay(_ stream: String, from: MonthIndex, count: Int, amount: Double = 1000) -> [StreamPayment] {
        (0..<count).map { StreamPayment(stream: stream, month: from.adding($0), amount: amount + Double($0 % 3) * 40) }
    }

    @Test func monthIndexRoundTrips() {
        let m = MonthIndex(year: 2026, month: 12)!
        #expect(m.year == 2026 && m.month == 12)
        #expect(m.adding(1).description == "2027-01")
        #expect(MonthIndex(year: 2026, month: 13) == nil)
    }

    @Test func historyRunsToTheMonthBeforeTodayWithEmptyMonths() throws {
        // Paid Jan–Jun 2024; today is in October 2024, so the history ends in September.
        let sep = jan24.adding(8)
        let h = try IncomeHistory.build(payments: pay("Upwork", from: jan24, count: 6), through: sep)
        #expect(h.count == 9)
        #expect(h.streams["Upwork"]?.suffix(3) == [0, 0, 0])
        #expect(h.future(3).map(\.description) == ["2024-10", "2024-11", "2024-12"])
        // A payment in the month in progress is not history.
        let later = try IncomeHistory.build(payments: pay("Upwork", from: jan24, count: 12), through: sep)
        #expect(later.count == 9)
    }

    @Test func paymentsOfOneMonthAreSummedAndStreamsAligned() throws {
        let p = [StreamPayment(stream: "A", month: jan24, amount: 100), StreamPayment(stream: "A", month: jan24, amount: 50),
                 StreamPayment(stream: "B", month: jan24.adding(2), amount: 70)]
        let h = try IncomeHistory.build(payments: p, through: jan24.adding(3))
        #expect(h.streams["A"] == [150, 0, 0, 0])
        #expect(h.streams["B"] == [0, 0, 70, 0])
    }

    @Test func noIncomeOrBadAmountsAreExplained() {
        #expect(throws: ForecastError.self) { try IncomeHistory.build(payments: [], through: jan24) }
        do {
            _ = try IncomeHistory.build(payments: [StreamPayment(stream: "A", month: jan24, amount: .nan)], through: jan24)
            Issue.record("expected an error")
        } catch { #expect(error.description.contains("expected a finite amount")) }
        // Only payments after the history: nothing to learn from.
        do {
            _ = try IncomeHistory.build(payments: pay("A", from: jan24.adding(5), count: 2), through: jan24)
            Issue.record("expected an error")
        } catch { #expect(error.description.contains("no income up to 2024-01")) }
    }

    @Test func aDroughtInProgressCountsInTheChanceToPayAndTheBand() throws {
        // Two years of steady pay from A, then nothing for the last 4 months; B steady throughout.
        let through = jan24.adding(27)
        let h = try IncomeHistory.build(payments: pay("A", from: jan24, count: 24) + pay("B", from: jan24, count: 28, amount: 500),
                                        through: through)
        let f = try quick.forecast(streams: h.streams)
        let a = try #require(f.baseline.streams.first { $0.name == "A" })
        #expect(a.dryMonths == 4)
        #expect(a.chanceActiveNextMonth < 0.35, "chance \(a.chanceActiveNextMonth)")
        #expect(a.quarter.p50 < 1000, "a stream four months dry is not expected to pay its usual quarter: \(a.quarter)")
        // Had the history stopped at the last paid month, A would look active.
        let truncated = try quick.forecast(streams: h.streams.mapValues { Array($0.prefix(24)) })
        let aTruncated = try #require(truncated.baseline.streams.first { $0.name == "A" })
        #expect(aTruncated.chanceActiveNextMonth > 0.8)
        #expect(f.baseline.quarter.p50 < truncated.baseline.quarter.p50 - 1500)
    }

    @Test func everyPlatformGoneForecastsNearZero() throws {
        // Three platforms paid for two years and all stopped eight months ago.
        let through = jan24.adding(31)
        let p = pay("A", from: jan24, count: 24) + pay("B", from: jan24, count: 24, amount: 700) + pay("C", from: jan24, count: 24, amount: 300)
        let h = try IncomeHistory.build(payments: p, through: through)
        let f = try quick.forecast(streams: h.streams)
        let q = f.baseline.quarter
        #expect(q.p10 == 0)
        #expect(q.p50 == 0, "P50 \(q.p50)")
        #expect(q.p90 < 2_600, "P90 \(q.p90): once paying 2,000 a month (6,000 a quarter), silent for 8 months")
        for s in f.baseline.streams { #expect(s.dryMonths == 8) }
    }

    @Test func aNewPlatformIsForecastFromItsFewMonths() throws {
        let through = jan24.adding(23)
        let p = pay("Old", from: jan24, count: 24) + pay("New", from: jan24.adding(21), count: 3, amount: 600)
        let h = try IncomeHistory.build(payments: p, through: through)
        #expect(h.streams["New"]?.prefix(21).allSatisfy { $0 == 0 } == true)
        let f = try quick.forecast(streams: h.streams)
        let new = try #require(f.baseline.streams.first { $0.name == "New" })
        #expect(new.monthsSinceStart == 3)
        #expect(new.months[0].p50 > 300 && new.months[0].p50 < 1200, "\(new.months[0])")
        #expect(f.notes.contains { $0.hasPrefix("New: started 3 months ago") })
    }

    @Test func aStreamWithOnePaymentStillForecasts() throws {
        let through = jan24.adding(11)
        let p = pay("Steady", from: jan24, count: 12) + [StreamPayment(stream: "Once", month: jan24.adding(5), amount: 2500)]
        let h = try IncomeHistory.build(payments: p, through: through)
        let f = try quick.forecast(streams: h.streams)
        let once = try #require(f.baseline.streams.first { $0.name == "Once" })
        #expect(once.dryMonths == 6)
        #expect(once.months[0].p50 == 0)
        #expect(once.chanceActiveNextMonth < 0.3)
        #expect(once.quarter.p90.isFinite && once.quarter.p90 >= 0)
    }

    @Test func aDirectClientIsItsOwnStream() {
        #expect(IncomeHistory.streamName(platform: "PayPal", client: "ACME Corp") == "ACME Corp")
        #expect(IncomeHistory.streamName(platform: "Upwork", client: nil) == "Upwork")
        // A marketplace's clients stay in the marketplace's stream.
        #expect(IncomeHistory.streamName(platform: "upwork", client: "ACME Corp") == "upwork")
        #expect(IncomeHistory.streamName(platform: nil, client: "ACME Corp") == "ACME Corp")
        #expect(IncomeHistory.streamName(platform: "PayPal", client: " ") == "PayPal")
        #expect(IncomeHistory.streamName(platform: nil, client: nil) == nil)
    }
}
