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
                                              seasonalFactor80: 0.88, optimismParameters: 4, optimism: .fixed)

    /// The study's scores are the benchmark's: the same coverage and MSIS as
    /// `ForecastBenchmark.evaluate` with that calibration, through the study's fast path too.
    @Test func studyScoresAreTheBenchmarksScores() throws {
        let series = try Self.fixtureSeries(6)
        let cases = IntervalStudy.collect(series, dataset: .m3Monthly)
        #expect(cases.count == 6)
        var student = Self.allKnobs
        student.optimism = .studentT
        // Issue #16, seventh round: the scales smoothed across horizons and drawn toward the
        // seasonal naive's.
        var smoothed = IntervalCalibration.default
        smoothed.scaleSmoothing = 20; smoothed.anchorPrior = 10; smoothed.anchorRatio = 0.6
        for c in [IntervalCalibration.default, .globalGrowth, .secondRound, .fifthRound, .sixthRound, Self.allKnobs, student, smoothed] {
            var model = Combination.standard
            model.calibration = c
            let bench = ForecastBenchmark.evaluate(series, dataset: "m3-monthly", model: model)
            let s = IntervalStudy.score(cases, calibration: c)
            #expect(abs(s.coverage80 - bench.coverage80) < 1e-12 && abs(s.coverage95 - bench.coverage95) < 1e-12)
            #expect(abs(s.msis - bench.msis) < 1e-9 * bench.msis, "\(s.msis) against \(bench.msis)")
            let grid = IntervalStudy.Grid(quantilePrior: [c.quantilePrior], growth: [c.inflationGrowth], seasonalGrowth: [c.seasonalGrowth],
                                          seasonalThreshold: [c.seasonalThreshold], tailGrowth: [c.tailGrowth],
                                          levelFactor80: [c.levelFactor80], levelFactor95: [c.levelFactor95],
                                          seasonalFactor80: [c.seasonalFactor80], optimismParameters: [c.optimismParameters],
                                          optimism: [c.optimism], scaleSmoothing: [c.scaleSmoothing],
                                          anchorPrior: [c.anchorPrior], anchorRatio: [c.anchorRatio])
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

    /// The seventh round's grid holds its chosen rule, and the rule turns both new knobs on.
    @Test func seventhRoundGridHoldsItsChoice() {
        let grid = IntervalStudy.Grid.seventhRound
        let candidates = grid.candidates
        #expect(candidates.count == 64_800)
        #expect(candidates.contains(IntervalCalibration.seventhRound))
        #expect(IntervalCalibration.seventhRound.scaleSmoothing >= 1e12 && IntervalCalibration.seventhRound.anchorPrior > 0)
        // The default since the seventh round; the sixth round's rule had both knobs off.
        #expect(IntervalCalibration.default == .seventhRound && IntervalStudy.Grid.standard.candidates.count == 64_800)
        #expect(IntervalCalibration.sixthRound.scaleSmoothing == 0 && IntervalCalibration.sixthRound.anchorPrior == 0)
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

    /// Issue #16, sixth round: the optimism of the history's errors comes from the effective number
    /// of parameters of the forecast actually used, not from one p chosen on the benchmark sets.
    @Test func optimismFromTheEffectiveNumberOfParameters() throws {
        // The default reads p_eff: √(N / (N − p_eff)), N − p_eff at least 2.
        let c = IntervalCalibration.default
        #expect(c.optimism == .effective)
        let few = c.wideningRule(seasonalStrength: 0, horizon: 1, seasonLength: 12, oneStepErrors: 20, parameters: 3)
        let many = c.wideningRule(seasonalStrength: 0, horizon: 1, seasonLength: 12, oneStepErrors: 20, parameters: 12)
        #expect(abs(few.factor(step: 0, level: 0.8) - c.levelFactor80 * (20.0 / 17).squareRoot()) < 1e-12)
        #expect(abs(many.factor(step: 0, level: 0.8) - c.levelFactor80 * (20.0 / 8).squareRoot()) < 1e-12)
        #expect(abs(c.optimism(oneStepErrors: 20, parameters: 19).factor - 10.0.squareRoot()) < 1e-12)
        #expect(c.optimism(oneStepErrors: 0, parameters: 5).factor == 1)
        // Student-t: N − p_eff degrees of freedom, the t quantile over the normal one at each level.
        var t = c
        t.optimism = .studentT
        let wt = t.wideningRule(seasonalStrength: 0, horizon: 1, seasonLength: 12, oneStepErrors: 13, parameters: 3)
        #expect(abs(wt.factor(step: 0, level: 0.95) / c.levelFactor95 - 2.2281388520 / 1.9599639845) < 1e-8)
        #expect(abs(wt.factor(step: 0, level: 0.8) / c.levelFactor80 - 1.3721836411 / 1.2815515655) < 1e-8)
        #expect(abs(Stats.studentTQuantile(0.9, degrees: 8) - 1.3968153097) < 1e-8)
        #expect(abs(Stats.studentTQuantile(0.975, degrees: 2) - 4.3026527297) < 1e-8)
        #expect(abs(Stats.studentTQuantile(0.025, degrees: 30) + 2.0422724563) < 1e-8)
        // The fifth round's fixed p is kept for comparison.
        #expect(abs(IntervalCalibration.fifthRound.optimism(oneStepErrors: 20, parameters: 12).factor - (20.0 / 16).squareRoot()) < 1e-12)
    }

    /// Each model counts what it fits to the series; a combination weighs its members' counts by
    /// its weights, so the same errors give a wider band to a forecast with more parameters.
    @Test func modelsCountTheirParameters() throws {
        let pattern: [Double] = [0, 5, 12, 20, 30, 25, 18, 10, 4, -3, -8, -2]
        var seasonal: [Double] = []
        for t in 0..<72 {
            let trend: Double = 100 + Double(t) * 0.5
            seasonal.append(trend + pattern[t % 12] + Double(t % 5) * 0.3)
        }
        // ETS(A,A,A): α, β, γ, the initial level and trend, and 11 free seasonal states.
        let ets = try ETSModel(ETSSpec(trend: .additive, season: .additive)).fit(seasonal, seasonLength: 12)
        #expect(ets.historicalForecasts(horizon: 3).parameters == 16)
        // ETS(A,N,N): α and the initial level.
        #expect(try ETSModel(ETSSpec()).fit(seasonal, seasonLength: 12).historicalForecasts(horizon: 3).parameters == 2)
        // Theta on a series without a season: α, the initial level, the trend line's intercept and
        // slope; optimised Theta: α, the initial level and θ. With a seasonal adjustment, 11 more.
        var rng = SeededGenerator(seed: 5)
        var walk: [Double] = [100]
        for _ in 1..<60 { walk.append(walk.last! + rng.normal()) }
        #expect(try Theta(.standard).fit(walk, seasonLength: 1).historicalForecasts(horizon: 3).parameters == 4)
        #expect(try Theta(.optimized).fit(walk, seasonLength: 1).historicalForecasts(horizon: 3).parameters == 3)
        #expect(try Theta(.standard).fit(seasonal, seasonLength: 12).historicalForecasts(horizon: 3).parameters == 15)
        #expect(try Naive().fit(walk, seasonLength: 1).historicalForecasts(horizon: 3).parameters == 0)
        // A combination: between its members' counts, and the forecast's origins carry it.
        let pair = Combination(members: [Naive(), Theta(.standard)], weights: [1, 3])
        let p = try pair.fit(walk, seasonLength: 1).historicalForecasts(horizon: 3).parameters
        #expect(abs(p - 3) < 1e-12)
        let weighted = Combination(members: [Naive(), Theta(.standard)], weights: [1, 1], performanceExponent: 2)
        let q = try weighted.fit(walk, seasonLength: 1).historicalForecasts(horizon: 3).parameters
        #expect(q > 0 && q < 4)
        // The same past errors, more parameters: a wider band.
        let fit = try Theta(.standard).fit(walk, seasonLength: 1)
        var origins = fit.historicalForecasts(horizon: 3)
        let wide = IntervalCalibration.default.spread(series: walk, origins: origins, horizon: 3, seasonLength: 1)
        origins.parameters = 0
        let narrow = IntervalCalibration.default.spread(series: walk, origins: origins, horizon: 3, seasonLength: 1)
        let n = Double(wide.oneStepErrors)
        #expect(wide.parameters == 4 && narrow.parameters == 0)
        #expect(abs(wide.widening.factor(step: 0, level: 0.8) / narrow.widening.factor(step: 0, level: 0.8) - (n / (n - 4)).squareRoot()) < 1e-12)
    }
}
