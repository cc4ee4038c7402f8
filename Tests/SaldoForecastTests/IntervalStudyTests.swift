import Foundation
import Testing
import SaldoTestSupport
@testable import SaldoForecast

/// The interval study of issue #16's third round: it must score a rule exactly as the benchmark
/// does, and choose each set's rule without that set.
@Suite struct IntervalStudyTests {
    static func fixtureSeries(_ n: Int, horizon: Int = 6) throws -> [BenchmarkSeries] {
        let data = try Fixtures.data("forecasting/m3-monthly-60.json")
        return Array(try ForecastBenchmark.load(.m3Monthly, from: data, horizon: horizon).prefix(n))
    }

    /// A rule with every knob of the third round away from its neutral value.
    static let allKnobs = IntervalCalibration(inflationGrowth: 0.04, seasonalGrowth: -0.02, seasonalThreshold: 0.3, tailGrowth: 0.06,
                                              quantilePrior: 1e12, levelFactor80: 0.96, levelFactor95: 0.93,
                                              seasonalFactor80: 0.88, optimismParameters: 4)

    /// The study's scores are the benchmark's: the same coverage and MSIS as
    /// `ForecastBenchmark.evaluate` with that calibration, through the study's fast path too.
    @Test func studyScoresAreTheBenchmarksScores() throws {
        let series = try Self.fixtureSeries(6)
        let cases = IntervalStudy.collect(series, dataset: .m3Monthly)
        #expect(cases.count == 6)
        for c in [IntervalCalibration.default, .globalGrowth, .secondRound, Self.allKnobs] {
            var model = Combination.standard
            model.calibration = c
            let bench = ForecastBenchmark.evaluate(series, dataset: "m3-monthly", model: model)
            let s = IntervalStudy.score(cases, calibration: c)
            #expect(abs(s.coverage80 - bench.coverage80) < 1e-12 && abs(s.coverage95 - bench.coverage95) < 1e-12)
            #expect(abs(s.msis - bench.msis) < 1e-9 * bench.msis, "\(s.msis) against \(bench.msis)")
            let grid = IntervalStudy.Grid(quantilePrior: [c.quantilePrior], growth: [c.inflationGrowth], seasonalGrowth: [c.seasonalGrowth],
                                          seasonalThreshold: [c.seasonalThreshold], tailGrowth: [c.tailGrowth],
                                          levelFactor80: [c.levelFactor80], levelFactor95: [c.levelFactor95],
                                          seasonalFactor80: [c.seasonalFactor80], optimismParameters: [c.optimismParameters])
            let fast = try #require(IntervalStudy.study(cases, grid: grid).scoresOnAll[.m3Monthly])
            #expect(abs(fast.coverage80 - s.coverage80) < 1e-12 && abs(fast.coverage95 - s.coverage95) < 1e-12)
            #expect(abs(fast.msis - s.msis) < 1e-9 * s.msis, "\(fast.msis) against \(s.msis)")
        }
        // The knobs move the bands: the rules above do not all score alike.
        let scores = [IntervalCalibration.default, Self.allKnobs].map { IntervalStudy.score(cases, calibration: $0).msis }
        #expect(scores[0] != scores[1])
    }

    /// Each held-out set gets the candidate with the least loss on the other sets, whatever it
    /// scores on the held-out set itself.
    @Test func eachSetIsScoredWithTheRuleChosenWithoutIt() throws {
        var cases = IntervalStudy.collect(try Self.fixtureSeries(12), dataset: .m3Monthly)
        let labels: [BenchmarkDataset] = [.m3Monthly, .m3Quarterly, .tourismMonthly]
        for i in cases.indices { cases[i].dataset = labels[i % 3] }
        let grid = IntervalStudy.Grid(quantilePrior: [0, 1e12], growth: [0, 0.1], seasonalGrowth: [0], seasonalThreshold: [0.3],
                                      tailGrowth: [0, 0.1], levelFactor80: [0.8, 1.2], levelFactor95: [1], seasonalFactor80: [1],
                                      optimismParameters: [0])
        let report = IntervalStudy.study(cases, grid: grid)
        #expect(report.candidates == 16)
        #expect(report.heldOut.map(\.dataset) == [.m3Monthly, .m3Quarterly, .tourismMonthly])
        func setScore(_ d: BenchmarkDataset, _ c: IntervalCalibration) -> IntervalStudy.Score {
            IntervalStudy.score(cases.filter { $0.dataset == d }, calibration: c)
        }
        let reference = Dictionary(uniqueKeysWithValues: labels.map { ($0, setScore($0, .globalGrowth)) })
        func loss(_ c: IntervalCalibration, on sets: [BenchmarkDataset]) -> Double {
            sets.map { IntervalStudy.loss(setScore($0, c), reference: reference[$0]!) }.reduce(0, +)
        }
        let candidates = grid.candidates
        for h in report.heldOut {
            let others = labels.filter { $0 != h.dataset }
            let best = candidates.map { loss($0, on: others) }.min()!
            #expect(abs(loss(h.chosen, on: others) - best) < 1e-12, "\(h.dataset)")
            let own = setScore(h.dataset, h.chosen)
            #expect(abs(own.coverage80 - h.score.coverage80) < 1e-12 && abs(own.msis - h.score.msis) < 1e-9 * own.msis)
        }
        #expect(abs(loss(report.chosenOnAll, on: labels) - candidates.map { loss($0, on: labels) }.min()!) < 1e-12)
        #expect(IntervalStudy.render(report).contains("| m3-quarterly | "))
    }

    @Test func casesSurviveTheCacheAndACutFileIsRefused() throws {
        let cases = IntervalStudy.collect(try Self.fixtureSeries(3), dataset: .m3Other)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("saldo-interval-study-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("cases.bin")
        try IntervalStudy.save(cases, to: url)
        let back = try IntervalStudy.load(from: url)
        #expect(back.count == 3)
        for (a, b) in zip(cases, back) {
            #expect(a.dataset == b.dataset && a.train == b.train && a.test == b.test && a.mean == b.mean && a.origins == b.origins)
        }
        let data = try Data(contentsOf: url)
        try data.prefix(data.count - 20).write(to: url)
        do {
            _ = try IntervalStudy.load(from: url)
            Issue.record("a cut file must be refused")
        } catch {
            #expect(error.description.contains("cut short"))
        }
    }

    /// The third round's knobs, one at a time.
    @Test func normalShapeLevelFactorsAndOptimism() throws {
        var rng = SeededGenerator(seed: 11)
        var walk: [Double] = [100]
        for _ in 1..<90 { walk.append(walk.last! + rng.normal()) }
        let fit = try Theta().fit(walk, seasonLength: 12)
        let origins = fit.historicalForecasts(horizon: 6)
        let own = IntervalCalibration(quantilePrior: 0).spread(series: walk, origins: origins, horizon: 6, seasonLength: 12)
        let normal = IntervalCalibration(quantilePrior: 1e12).spread(series: walk, origins: origins, horizon: 6, seasonLength: 12)
        #expect(own.pooled.count >= 20)
        // The normal shape on the series' own scales: ±1.2816 and ±1.96 scales.
        #expect(abs(normal.quantiles(level: 0.8).hi - 1.2815515655) < 1e-6)
        #expect(abs(normal.quantiles(level: 0.95).lo + 1.9599639845) < 1e-6)
        #expect(abs(own.quantiles(level: 0.8).hi - 1.2815515655) > 1e-3)
        // Halfway between: the mean of the two.
        let half = IntervalCalibration(quantilePrior: Double(own.pooled.count)).spread(series: walk, origins: origins, horizon: 6, seasonLength: 12)
        #expect(abs(half.quantiles(level: 0.8).hi - (own.quantiles(level: 0.8).hi + 1.2815515655) / 2) < 1e-6)

        // Level factors: 0.96 at 80%, 0.93 at 95%, linear between, constant outside; the seasonal
        // factor only at 80% and only for strongly seasonal series.
        let c = Self.allKnobs
        let plain = c.wideningRule(seasonalStrength: 0, horizon: 1, seasonLength: 12, oneStepErrors: 0)
        #expect(abs(plain.factor(step: 0, level: 0.8) - 0.96) < 1e-12)
        #expect(abs(plain.factor(step: 0, level: 0.5) - 0.96) < 1e-12)
        #expect(abs(plain.factor(step: 0, level: 0.95) - 0.93) < 1e-12)
        #expect(abs(plain.factor(step: 0, level: 0.99) - 0.93) < 1e-12)
        #expect(abs(plain.factor(step: 0, level: 0.875) - 0.945) < 1e-12)
        let seasonal = c.wideningRule(seasonalStrength: 0.8, horizon: 1, seasonLength: 12, oneStepErrors: 0)
        #expect(abs(seasonal.factor(step: 0, level: 0.8) - 0.96 * 0.88) < 1e-12)
        #expect(abs(seasonal.factor(step: 0, level: 0.95) - 0.93) < 1e-12)

        // Optimism of fitted parameters: √(N / (N − p)); 1.5 when N is not above p + 2; none at p = 0.
        #expect(abs(c.optimism(oneStepErrors: 20) - (20.0 / 16).squareRoot()) < 1e-12)
        #expect(c.optimism(oneStepErrors: 5) == 1.5)
        #expect(c.optimism(oneStepErrors: 0) == 1)
        #expect(IntervalCalibration(optimismParameters: 0).optimism(oneStepErrors: 20) == 1)
        let short = c.wideningRule(seasonalStrength: 0, horizon: 1, seasonLength: 12, oneStepErrors: 20)
        #expect(abs(short.factor(step: 0, level: 0.8) - 0.96 * (20.0 / 16).squareRoot()) < 1e-12)
        // The spread remembers what its widening was decided from.
        #expect(normal.oneStepErrors == own.oneStepErrors && normal.oneStepErrors > 50)
    }
}
