import Foundation
import Testing
@testable import SaldoForecast

@Suite struct IncomeForecasterTests {
    let history: [String: [Double]] = [
        "Upwork": [0, 0, 0, 1200, 1500, 900, 1300, 0, 1100, 1400, 1250, 1600],
        "Stripe": [800, 820, 790, 810, 800, 805, 830, 820, 815, 800, 810, 825],
        "Fiverr": [300, 0, 250, 400, 0, 0, 350, 300, 0, 0, 0, 0],
    ]
    let quick = IncomeForecaster(seed: 11, paths: 1_000)

    @Test func sameSeedSameAnswer() throws {
        let a = try quick.forecast(streams: history, floor: 1500)
        let b = try quick.forecast(streams: history, floor: 1500)
        #expect(a == b)
        let c = try IncomeForecaster(seed: 12, paths: 1_000).forecast(streams: history, floor: 1500)
        #expect(a.baseline.quarter != c.baseline.quarter)
    }

    @Test func defaultUsesTenThousandPaths() throws {
        let f = try IncomeForecaster(seed: 1).forecast(streams: ["A": [1000, 1100, 900, 1000]])
        #expect(f.paths == 10_000)
        #expect(f.horizon == 3)
    }

    @Test func quantilesAreOrderedAndTotalsAddUp() throws {
        let f = try quick.forecast(streams: history)
        #expect(f.baseline.months.count == 3)
        #expect(f.baseline.streams.map(\.name) == ["Fiverr", "Stripe", "Upwork"])
        for q in f.baseline.months + [f.baseline.quarter] {
            #expect(q.p10 <= q.p50 && q.p50 <= q.p90)
            #expect(q.p10 >= 0)
        }
        // Means add up exactly across streams and months.
        let streamMeans = f.baseline.streams.reduce(0) { $0 + $1.quarter.mean }
        #expect(abs(streamMeans - f.baseline.quarter.mean) < 1e-6 * f.baseline.quarter.mean)
        // The steady Stripe retainer is centred near its level.
        let stripe = try #require(f.baseline.streams.first { $0.name == "Stripe" })
        #expect(abs(stripe.months[0].p50 - 815) < 60)
    }

    @Test func leadingZerosAndDroughtsAreRecognised() throws {
        let f = try quick.forecast(streams: history)
        let upwork = try #require(f.baseline.streams.first { $0.name == "Upwork" })
        #expect(upwork.monthsSinceStart == 9)
        let fiverr = try #require(f.baseline.streams.first { $0.name == "Fiverr" })
        #expect(fiverr.dryMonths == 4)
        #expect(fiverr.chanceActiveNextMonth < 0.4)
        #expect(f.notes.contains { $0.hasPrefix("Fiverr: no income for the last 4 months") })
        // A dry stream's median month is zero.
        #expect(fiverr.months[0].p50 == 0)
    }

    @Test func shortHistoryGivesWideIntervalsAndSaysSo() throws {
        let four = try quick.forecast(streams: ["Client": [2000, 2100, 1900, 2000]])
        #expect(four.notes.contains("only 4 months of history: intervals are wide"))
        let q4 = four.baseline.quarter
        #expect(q4.p90 / max(q4.p10, 1) > 1.4, "P10 \(q4.p10) P90 \(q4.p90)")
        let long = try quick.forecast(streams: ["Client": [Double](repeating: 2000, count: 36).enumerated().map { $0.element + Double($0.offset % 3) * 50 }])
        let ql = long.baseline.quarter
        #expect(ql.p90 - ql.p10 < q4.p90 - q4.p10)
    }

    @Test func longSteadyStreamsFollowTheirTrend() throws {
        // 36 months growing 3% a month: the zoo's trend puts next month's median above the last value.
        let y = (0..<36).map { 1000 * pow(1.03, Double($0)) }
        let f = try quick.forecast(streams: ["Retainer": y])
        #expect(f.baseline.months[0].p50 > y[35] * 1.01)
        #expect(f.baseline.months[2].p50 > f.baseline.months[0].p50)
    }

    @Test func fewerThanThreeMonthsStillAnswersWithAWarning() throws {
        let f = try quick.forecast(streams: ["Client": [1500, 1700]])
        #expect(f.notes.first?.hasPrefix("only 2 months of history") == true)
        #expect(f.baseline.quarter.p50 > 0)
        #expect(f.baseline.quarter.p90 > 2 * f.baseline.quarter.p10)
        let one = try quick.forecast(streams: ["Client": [1500]])
        #expect(one.notes.first?.hasPrefix("only 1 month of history") == true)
    }

    @Test func floorProbabilityGrowsWithTheFloor() throws {
        let low = try quick.forecast(streams: history, floor: 500).baseline.pBelowFloor ?? -1
        let high = try quick.forecast(streams: history, floor: 3000).baseline.pBelowFloor ?? -1
        #expect(low >= 0 && low < high && high <= 1)
        #expect(try quick.forecast(streams: history).baseline.pBelowFloor == nil)
    }

    @Test func scenariosUseTheSameRandomNumbers() throws {
        let scenarios = [
            IncomeScenario(without: ["Fiverr"]),
            IncomeScenario(change: ["Upwork": -0.3]),
            IncomeScenario(addPerMonth: 800),
        ]
        let f = try quick.forecast(streams: history, floor: 1500, scenarios: scenarios)
        #expect(f.scenarios.map(\.name) == ["without Fiverr", "Upwork -30%", "+800/month"])
        #expect(!f.scenarios[0].streams.contains { $0.name == "Fiverr" })
        let up = try #require(f.baseline.streams.first { $0.name == "Upwork" })
        let upCut = try #require(f.scenarios[1].streams.first { $0.name == "Upwork" })
        #expect(abs(upCut.quarter.p50 - 0.7 * up.quarter.p50) < 1e-6 * up.quarter.p50)
        // Adding a fixed contract shifts every quantile of the total by exactly 3 × 800.
        #expect(abs(f.scenarios[2].quarter.p50 - f.baseline.quarter.p50 - 2400) < 1e-6)
        #expect(abs(f.scenarios[2].quarter.p10 - f.baseline.quarter.p10 - 2400) < 1e-6)
        #expect((f.scenarios[2].pBelowFloor ?? 1) <= (f.baseline.pBelowFloor ?? 0))
    }

    @Test func badInputGivesClearErrors() {
        #expect(throws: ForecastError.self) { try quick.forecast(streams: [:]) }
        do {
            _ = try quick.forecast(streams: ["A": [1, 2, 3], "B": [1, 2]])
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("B has 2 months but A has 3"))
        }
        do {
            _ = try quick.forecast(streams: history, scenarios: [IncomeScenario(without: ["Etsy"])])
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("unknown stream Etsy"))
            #expect(error.description.contains("Fiverr, Stripe, Upwork"))
        }
        #expect(throws: ForecastError.self) { try quick.forecast(streams: ["A": [1, .nan]]) }
        #expect(throws: ForecastError.self) { try quick.forecast(streams: history, scenarios: [IncomeScenario(change: ["Upwork": -2])]) }
        #expect(throws: ForecastError.self) { try IncomeForecaster(paths: 10).forecast(streams: history) }
    }

    @Test func allZeroAndNegativeStreamsAreExplained() throws {
        let f = try quick.forecast(streams: ["A": [0, 0, 0, 0], "B": [500, -20, 600, 550]])
        #expect(f.notes.contains("A: no income in the history; it is forecast as zero"))
        #expect(f.notes.contains { $0.hasPrefix("B: 1 month with net negative income") })
        let a = try #require(f.baseline.streams.first { $0.name == "A" })
        #expect(a.quarter.p90 == 0)
    }

    /// The calibration test: 800 synthetic freelancer histories (6 to 24 months, one to four
    /// platforms that start late, go dry and come back, stop for good, dip seasonally and change
    /// rates) drawn from a known process. The next-quarter P10–P90 band must hold the true
    /// quarter total 80% ± 3% of the time. At n = 800 the standard error of a share near 0.8 is
    /// √(0.8 · 0.2 / 800) = 0.014, so ±3 points is about two standard errors. The model's one
    /// knob moved for this (the variance prior, 35% → 40% a month) was chosen on seeds
    /// 30000–31599; these seeds (40000–40799) were not used to choose anything.
    @Test func nextQuarterBandIsCalibratedOnSyntheticFreelancers() throws {
        let n = 800
        var inside = 0
        for i in 0..<n {
            let months = 6 + (i * 7) % 19
            let s = SyntheticFreelancer.make(seed: UInt64(40_000 + i), historyMonths: months)
            let f = try IncomeForecaster(seed: UInt64(i), paths: 500).forecast(streams: s.streams)
            let q = f.baseline.quarter
            if s.futureTotal >= q.p10 && s.futureTotal <= q.p90 { inside += 1 }
        }
        let coverage = Double(inside) / Double(n)
        #expect(coverage >= 0.77 && coverage <= 0.83, "P10–P90 coverage \(coverage)")
    }
}

@Suite struct IncomeBacktestTests {
    @Test func rollingOriginRowsAndScores() throws {
        let s = SyntheticFreelancer.make(seed: 5, historyMonths: 24)
        let r = try IncomeBacktest.run(streams: s.streams, forecaster: IncomeForecaster(seed: 3, paths: 1_000))
        // Origins at 6, 9, …, 21 months.
        #expect(r.rows.map(\.historyMonths) == [6, 9, 12, 15, 18, 21])
        #expect(r.coverage >= 0 && r.coverage <= 1)
        #expect(r.smape.isFinite && r.mase.isFinite)
        for row in r.rows {
            #expect(row.actual.count == 3)
            #expect(abs(row.actualQuarter - row.actual.reduce(0, +)) < 1e-9)
            #expect(row.inside == (row.actualQuarter >= row.quarter.p10 && row.actualQuarter <= row.quarter.p90))
        }
    }

    @Test func aSteadyIncomeIsPredictedWell() throws {
        let total = (0..<30).map { 3000 + Double($0 % 4) * 40 }
        let r = try IncomeBacktest.run(total: total, forecaster: IncomeForecaster(seed: 1, paths: 1_000))
        #expect(r.smape < 5)
        #expect(r.coverage >= 0.75)
    }

    @Test func tooShortToBacktest() {
        do {
            _ = try IncomeBacktest.run(total: [1, 2, 3, 4, 5, 6, 7])
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("at least 9 months"))
        }
    }
}
