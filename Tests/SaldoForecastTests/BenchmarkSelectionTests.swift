import Foundation
import Testing
@testable import SaldoForecast

/// Every set in one run: one table, one report per set.
@Suite struct BenchmarkSelectionTests {
    @Test func allNamesEverySetAndUnknownNamesAreRefused() {
        #expect(BenchmarkSelection("all")?.datasets.count == 6)
        #expect(BenchmarkSelection("m3-yearly")?.datasets == [.m3Yearly])
        #expect(BenchmarkSelection("m4-hourly") == nil)
        #expect(BenchmarkSelection.names.first == "all")
    }

    /// Issue #16: the default against its best member, sMAPE and MASE separately, unrounded.
    @Test func comparisonNamesTheBestMemberAndWhereTheDefaultIsBehind() {
        func score(_ name: String, _ smape: Double, _ mase: Double) -> ModelScore {
            ModelScore(name: name, smape: smape, mase: mase, coverage80: 0.8, coverage95: 0.95, msis: 5, seconds: 0, series: 10)
        }
        func report(_ set: String, _ smape: Double, _ mase: Double, _ members: [ModelScore]) -> BenchmarkReport {
            BenchmarkReport(dataset: set, horizon: 6, model: "Default", smape: smape, mase: mase, coverage80: 0.8, coverage95: 0.95,
                            msis: 5, seconds: 0, series: 10, members: members)
        }
        let members = [score("ETS-AW", 4.35, 1.785), score("Theta", 4.20, 1.90), score("ARIMA", .nan, 1.7)]
        let text = ForecastBenchmark.renderMemberComparison([
            report("ahead", 4.10, 1.60, members),
            report("tied", 4.20, 1.70, members),
            report("behind", 4.30, 1.701, members),
            report("unrounded", 4.2001, 1.65, members)])
        let rows = text.split(separator: "\n").map(String.init)
        #expect(rows.count == 6)
        // The best by sMAPE skips a member without a score; the best by MASE is another member.
        #expect(rows[2].contains("Theta") && rows[2].contains("4.20") && rows[2].contains("ARIMA") && rows[2].hasSuffix("yes"))
        #expect(rows[3].hasSuffix("yes"))
        #expect(rows[4].hasSuffix("no (sMAPE, MASE)"))
        // 4.2001 prints as 4.20 but is behind Theta's 4.20: compared unrounded.
        #expect(rows[5].contains("4.20") && rows[5].hasSuffix("no (sMAPE)"))
    }

    /// A folder with a tiny `m3_data.json` and `tcomp_data.json`: one run scores all six sets.
    @Test func oneRunScoresEverySetInOneTable() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("saldo-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        func series(_ period: String, _ n: Int, _ h: Int, _ m: Int) -> String {
            let y = (0..<(n + h)).map { t in 100 + Double(t) + 10 * sin(2 * Double.pi * Double(t) / Double(max(m, 1))) }
            let x = y.prefix(n).map { String(format: "%.2f", $0) }.joined(separator: ",")
            let xx = y.suffix(h).map { String(format: "%.2f", $0) }.joined(separator: ",")
            return "{\"x\": [\(x)], \"xx\": [\(xx)], \"period\": [\"\(period)\"]}"
        }
        let m3 = "{\"M1\": \(series("MONTHLY", 48, 18, 12)), \"Q1\": \(series("QUARTERLY", 24, 8, 4)), \"Y1\": \(series("YEARLY", 20, 6, 1)), \"O1\": \(series("OTHER", 30, 8, 1))}"
        let tourism = "{\"TM1\": \(series("MONTHLY", 60, 24, 12)), \"TQ1\": \(series("QUARTERLY", 30, 8, 4))}"
        try Data(m3.utf8).write(to: dir.appendingPathComponent("m3_data.json"))
        try Data(tourism.utf8).write(to: dir.appendingPathComponent("tcomp_data.json"))
        let reports = try ForecastBenchmark.run(.all, location: dir)
        #expect(reports.map(\.dataset) == ["m3-monthly", "m3-quarterly", "m3-yearly", "m3-other", "tourism-monthly", "tourism-quarterly"])
        #expect(reports.map(\.horizon) == [18, 8, 6, 8, 24, 8])
        #expect(reports.allSatisfy { $0.series == 1 && $0.smape.isFinite })
        let table = ForecastBenchmark.renderTable(reports)
        let lines = table.split(separator: "\n")
        // The pooled member joins wherever the set's one series gives enough windows: not on the
        // 48-month series (24 windows of 24 lags for 25 coefficients), on every other set.
        #expect(reports.map { $0.members.count } == [4, 5, 5, 5, 5, 5])
        #expect(lines.count == 2 + 6 + 4 + 5 * 5 + 2 + 6, "one header, a rule, and the default plus its members per set, then the comparison with the best member, a line per set:\n\(table)")
        #expect(lines[0].hasPrefix("set"))
        #expect(lines[2 + 6 + 4 + 5 * 5].hasPrefix("set") && lines[2 + 6 + 4 + 5 * 5].contains("best member (sMAPE)"))
        // A file given for "all": the other file is looked for beside it.
        let again = try ForecastBenchmark.run(.all, location: dir.appendingPathComponent("m3_data.json"))
        #expect(again.count == 6)
        // A missing folder is explained.
        #expect(throws: ForecastError.self) { try ForecastBenchmark.run(.all, location: dir.appendingPathComponent("nowhere")) }
    }
}
