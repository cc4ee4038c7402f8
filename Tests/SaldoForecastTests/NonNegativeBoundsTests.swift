import Foundation
import Testing
@testable import SaldoForecast

/// Issue #16, eighth round: a series that has never been below zero gets no bound below zero.
/// Not a knob: coverage cannot change (a value under zero would be the series' first), and the
/// band only narrows, so MSIS can only fall.
@Suite struct NonNegativeBoundsTests {
    /// A volatile positive series, the kind of income that swings from a few euros to thousands:
    /// its symmetric 95% band would reach below zero.
    static func volatile(seed: UInt64, count: Int = 60) -> [Double] {
        var rng = SeededGenerator(seed: seed)
        return (0..<count).map { _ in 100 * exp(1.1 * rng.normal()) }
    }

    @Test func aPositiveSeriesGetsNoBoundBelowZero() throws {
        var clippedSomewhere = false
        for seed in 1...20 as ClosedRange<UInt64> {
            let y = Self.volatile(seed: seed)
            let fit = try Naive().fit(y, seasonLength: 1)
            let f = try fit.predict(horizon: 12, levels: [0.8, 0.95])
            // The same band without the rule: the spread's own interval with the flag off.
            let (mean, origins) = fit.core.forecastAndOrigins(horizon: 12)
            var spread = fit.calibration.spread(series: y, origins: origins, horizon: 12, seasonLength: 1)
            #expect(spread.nonNegative)
            spread.nonNegative = false
            for (i, level) in [0.8, 0.95].enumerated() {
                let raw = spread.interval(level: level, mean: mean), band = f.intervals[i]
                for k in 0..<12 {
                    #expect(band.lower[k] >= 0, "seed \(seed), level \(level), step \(k + 1): \(band.lower[k])")
                    #expect(band.lower[k] == max(raw.lower[k], 0))
                    #expect(band.upper[k] == raw.upper[k])
                    #expect(band.lower[k] <= f.mean[k] && f.mean[k] <= band.upper[k])
                    if raw.lower[k] < 0 { clippedSomewhere = true }
                }
            }
        }
        // The test means something only if some band did reach below zero without the rule.
        #expect(clippedSomewhere)
    }

    /// A history with one value below zero (a refund month, a net balance) keeps its bands as
    /// they are: below zero has happened.
    @Test func aSeriesThatWasBelowZeroKeepsItsBand() throws {
        var y = Self.volatile(seed: 7)
        y[10] = -5
        let fit = try Naive().fit(y, seasonLength: 1)
        let (mean, origins) = fit.core.forecastAndOrigins(horizon: 12)
        let spread = fit.calibration.spread(series: y, origins: origins, horizon: 12, seasonLength: 1)
        #expect(!spread.nonNegative)
        let band = spread.interval(level: 0.95, mean: mean)
        #expect(band.lower.contains { $0 < 0 })
    }

    /// Zeros are not below zero: an intermittent income stream is non-negative too.
    @Test func zerosCountAsNonNegative() throws {
        var y = Self.volatile(seed: 3)
        for t in stride(from: 0, to: y.count, by: 4) { y[t] = 0 }
        let fit = try Naive().fit(y, seasonLength: 1)
        let f = try fit.predict(horizon: 6, levels: [0.95])
        #expect(f.intervals[0].lower.allSatisfy { $0 >= 0 })
    }
}
