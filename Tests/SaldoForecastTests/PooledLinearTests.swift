import Foundation
import Testing
@testable import SaldoForecast

/// Series growing by a common rate from different levels, with a common monthly pattern.
private func growingCollection(count: Int, length: Int, rate: Double = 1.01) -> [[Double]] {
    (0..<count).map { i in
        let level = 50 + 37 * Double(i)
        return (0..<length).map { t in level * pow(rate, Double(t)) * (1 + 0.2 * sin(2 * Double.pi * Double(t) / 12)) }
    }
}

@Suite struct PooledLinearTests {
    /// On logarithms a common growth rate and season are an exact linear law, whatever the level:
    /// the pooled model fitted on the collection continues each series, also on a series it never
    /// saw and beyond the pooled horizon.
    @Test func learnsACommonLawAcrossLevels() throws {
        let collection = growingCollection(count: 30, length: 60)
        let model = try PooledLinear.standard.pool(collection, seasonLength: 12, horizon: 6)
        let unseen = (0..<60).map { t in 5_000 * pow(1.01, Double(t)) * (1 + 0.2 * sin(2 * Double.pi * Double(t) / 12)) }
        let f = try model.fit(unseen, seasonLength: 12).pointForecast(horizon: 9)
        for k in 0..<9 {
            let t = Double(60 + k)
            let truth = 5_000 * pow(1.01, t) * (1 + 0.2 * sin(2 * Double.pi * t / 12))
            #expect(abs(f[k] / truth - 1) < 0.01, "step \(k + 1): \(f[k]) against \(truth)")
        }
    }

    /// The lag rule: two seasons, at least 4, at most 24, and no longer than the shortest fifth of
    /// the collection leaves room for the horizon.
    @Test func lagRuleFollowsSeasonAndShortSeries() {
        #expect(PooledLinear.lagRule(lengths: [100, 120], seasonLength: 12, horizon: 18) == 24)
        #expect(PooledLinear.lagRule(lengths: [100, 120], seasonLength: 4, horizon: 8) == 8)
        #expect(PooledLinear.lagRule(lengths: [100, 120], seasonLength: 1, horizon: 6) == 4)
        #expect(PooledLinear.lagRule(lengths: [14, 20, 30, 40, 41], seasonLength: 1, horizon: 6) == 4)
        #expect(PooledLinear.lagRule(lengths: [30, 30, 30, 30, 30], seasonLength: 12, horizon: 18) == 12)
    }

    /// Past forecasts come from the same coefficients, one row per origin, so performance weights
    /// and intervals can use them.
    @Test func pastForecastsUseTheSameCoefficients() throws {
        let collection = growingCollection(count: 10, length: 48)
        let model = try PooledLinear.standard.pool(collection, seasonLength: 12, horizon: 3)
        let fit = try model.fit(collection[3], seasonLength: 12)
        let o = fit.historicalForecasts(horizon: 3)
        #expect(o.count == 48)
        #expect(o.first == 24)
        let fromOrigin = try model.fit(Array(collection[3].prefix(40)), seasonLength: 12).pointForecast(horizon: 3)
        for k in 1...3 { #expect(abs(o.value(origin: 40, step: k) - fromOrigin[k - 1]) < 1e-9 * fromOrigin[k - 1]) }
    }

    @Test func unusableInputGivesErrorsNotTraps() throws {
        // Nothing long enough to make a window with its target.
        #expect(throws: ForecastError.self) { try PooledLinear.standard.pool([[1, 2], [3, 4]], seasonLength: 12, horizon: 6) }
        #expect(throws: ForecastError.self) { try PooledLinear.standard.pool(growingCollection(count: 3, length: 40), seasonLength: 12, horizon: 0) }
        let model = try PooledLinear.standard.pool(growingCollection(count: 5, length: 40), seasonLength: 12, horizon: 3)
        // Logarithms need positive values: the member declines the series (a combination leaves it out).
        do {
            _ = try model.fit([5, 4, 0, 3, 6, 7], seasonLength: 12)
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("above 0"), "\(error.description)")
        }
        #expect(throws: ForecastError.self) { try model.fit([1, .nan, 3], seasonLength: 12) }
    }

    /// The default on its own series is the four-member combination; pooled over a collection it
    /// gains the pooled member (prior 4). A collection that cannot be pooled
    /// leaves it as it was.
    @Test func defaultPoolsOnlyOverACollection() throws {
        let d = Combination.standard
        #expect(d.members.count == 4)
        #expect(d.performanceExponent == 2)
        let pooled = d.pooled(on: growingCollection(count: 20, length: 60), seasonLength: 12, horizon: 6)
        #expect(pooled.members.map(\.name) == ["ETS-AW", "Theta", "OptimizedTheta", "ARIMA", "PooledAR"])
        // The priors, before the set validation rescales them (see SetValidationTests).
        #expect(d.pooled(on: growingCollection(count: 20, length: 60), seasonLength: 12, horizon: 6, validate: false).weights == [4, 2, 1, 1, 4])
        #expect(pooled.weights?.count == 5 && pooled.validationScores?.count == 5)
        #expect(pooled.performanceExponent == 2)
        #expect(pooled.pooledMembers.isEmpty)
        let unpooled = d.pooled(on: [[1, 2]], seasonLength: 12, horizon: 6)
        #expect(unpooled.members.count == 4)

        // A single series is forecast the same with or without the (unused) pooled members.
        let y = seasonalSeries(count: 60)
        var plain = d
        plain.pooledMembers = []
        #expect(try d.fit(y, seasonLength: 12).pointForecast(horizon: 6) == plain.fit(y, seasonLength: 12).pointForecast(horizon: 6))
        // Pooled, the forecast is finite and differs (the pooled member takes part).
        let f = try pooled.fit(y, seasonLength: 12).predict(horizon: 6)
        #expect(f.mean.allSatisfy { $0.isFinite })
        #expect(f.mean != (try plain.fit(y, seasonLength: 12).pointForecast(horizon: 6)))
    }
}
