import Foundation
import Testing
import SaldoTestSupport
@testable import SaldoForecast

@Suite struct ForecastBenchmarkTests {
    /// Regression bounds on the 60-series M3 monthly fixture, measured with this code
    /// (sMAPE 15.55, MASE 0.802, coverage 0.804 / 0.956, MSIS 6.30 at h = 18). Issue #16's second
    /// round moved them from 15.49 / 0.818 / 0.954 / 6.40: the ARIMA tolerance (full set 13.60 →
    /// 13.57, this subset 15.49 → 15.55) and the widening per series and level (95% wider, then
    /// 0.800 / 0.962 / 6.51). Issue #16's third round pools the 60 series (the pooled
    /// autoregression joins with prior 4) and calibrates the bands with a normal shape on each
    /// series' scales, parameter optimism and level factors: 15.03 / 0.773 / 0.809 / 0.952 / 6.18.
    /// Issue #16's fourth round rescales the members' weights by their accuracy on the 60 series'
    /// last 18 training values (set validation) and re-chose the interval knobs on the full sets:
    /// 15.09 / 0.777 / 0.810 / 0.951 / 6.22 here (the full set stays at 13.31). The fifth round's
    /// clear-winner rule first gave this subset to ETS-AW alone (a lead of 0.0315 on 60 series:
    /// 15.91 / 0.827), which the margin's growth on fewer series fixed; its re-chosen interval knobs
    /// give 15.09 / 0.777 / 0.802 / 0.951 / 6.17. The sixth round's winner test leaves this subset to the
    /// combination as the margin's growth did (the point scores unchanged), and its intervals (the
    /// optimism from each forecast's effective number of parameters, knobs re-chosen on the full sets,
    /// where M3 monthly's MSIS went 6.15 → 6.14) give 0.818 / 0.954 / 6.25 on these 60 series.
    @Test func m3MonthlyFixtureStaysWithinMeasuredBounds() throws {
        let data = try Fixtures.data("forecasting/m3-monthly-60.json")
        let r = try ForecastBenchmark.run(dataset: .m3Monthly, data: data)
        #expect(r.series == 60)
        #expect(r.horizon == 18)
        #expect(r.smape <= 15.12, "sMAPE \(r.smape)")
        #expect(r.mase <= 0.78, "MASE \(r.mase)")
        #expect(r.coverage80 >= 0.78 && r.coverage80 <= 0.86, "coverage80 \(r.coverage80)")
        #expect(r.coverage95 >= 0.92 && r.coverage95 <= 0.98, "coverage95 \(r.coverage95)")
        #expect(r.msis <= 6.30, "MSIS \(r.msis)")
        #expect(r.members.map(\.name) == ["ETS-AW", "Theta", "OptimizedTheta", "ARIMA", "PooledAR"])
        // The combination beats each member on sMAPE here, as on the full set.
        for m in r.members { #expect(r.smape <= m.smape) }

        var zeroed = r
        zeroed.seconds = 0
        for i in zeroed.members.indices { zeroed.members[i].seconds = 0 }
        let table = ForecastBenchmark.renderTable(zeroed)
        #expect(Fixtures.compareGolden(table, "forecasting/m3-monthly-60.table.txt") == nil)
    }

    @Test func horizonOverrideScoresTheFirstMonths() throws {
        let data = try Fixtures.data("forecasting/m3-monthly-60.json")
        let series = try ForecastBenchmark.load(.m3Monthly, from: data, horizon: 3)
        #expect(series.count == 60)
        #expect(series.allSatisfy { $0.test.count == 3 && $0.seasonLength == 12 })
        #expect(throws: ForecastError.self) { try ForecastBenchmark.load(.m3Monthly, from: data, horizon: 19) }
    }

    @Test func jsonHasTheDefaultAtTheTopLevel() throws {
        let data = try Fixtures.data("forecasting/m3-monthly-60.json")
        let series = Array(try ForecastBenchmark.load(.m3Monthly, from: data, horizon: 3).prefix(5))
        let r = ForecastBenchmark.evaluate(series, dataset: "m3-monthly")
        let json = try JSONEncoder().encode(r)
        let object = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        for key in ["smape", "mase", "coverage80", "coverage95", "msis", "seconds", "series", "members"] {
            #expect(object[key] != nil, "missing \(key)")
        }
        #expect(object["series"] as? Int == 5)
        #expect(try JSONDecoder().decode(BenchmarkReport.self, from: json) == r)
    }

    @Test func wrongFilesGiveClearErrors() {
        do {
            _ = try ForecastBenchmark.load(.m3Monthly, from: Data("[1, 2]".utf8))
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("expected a JSON object of series"))
        }
        let quarterlyOnly = Data(#"{"N1": {"x": [1, 2, 3, 4, 5, 6, 7, 8], "xx": [1], "period": ["QUARTERLY"]}}"#.utf8)
        #expect(throws: ForecastError.self) { try ForecastBenchmark.load(.m3Monthly, from: quarterlyOnly) }
        #expect((try? ForecastBenchmark.load(.m3Quarterly, from: quarterlyOnly))?.count == 1)
        #expect(throws: ForecastError.self) {
            try ForecastBenchmark.run(dataset: .tourismMonthly, file: URL(fileURLWithPath: "/nonexistent/tcomp_data.json"))
        }
    }

    @Test func datasetNamesMatchTheCommandLine() {
        #expect(BenchmarkDataset(rawValue: "m3-monthly") == .m3Monthly)
        #expect(BenchmarkDataset(rawValue: "tourism-quarterly")?.fileName == "tcomp_data.json")
        #expect(BenchmarkDataset.tourismMonthly.seasonLength == 12)
        #expect(BenchmarkDataset.m3Quarterly.seasonLength == 4)
    }
}
