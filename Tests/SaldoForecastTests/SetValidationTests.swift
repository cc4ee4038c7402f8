import Foundation
import Testing
@testable import SaldoForecast

/// Straight lines with noise: a member that follows the trend beats the naive forecast on every
/// held-back window.
private func trendingCollection(count: Int, length: Int, seed: UInt64 = 11) -> [[Double]] {
    var rng = SeededGenerator(seed: seed)
    return (0..<count).map { i in
        let level = 100 + 10 * Double(i), slope = 1 + 0.1 * Double(i % 5)
        return (0..<length).map { t in level + slope * Double(t) + 0.5 * rng.normal() }
    }
}

/// Issue #16, fourth round: the members' weights rescaled per collection from their accuracy on
/// the collection's own last values.
@Suite struct SetValidationTests {
    static let pair = Combination(name: "Pair", members: [Naive(), Theta(.standard)], weights: [1, 1], performanceExponent: 0,
                                  setValidation: SetValidation(maximumSeries: 30, minimumSeries: 20, exponent: 3))

    /// The member that misses the held-back values loses weight, by its relative error to the power
    /// −3; the validation reads only the last `horizon` training values, never anything later.
    @Test func memberThatMissesTheHeldBackValuesLosesWeight() throws {
        let collection = trendingCollection(count: 40, length: 40)
        let validated = Self.pair.pooled(on: collection, seasonLength: 1, horizon: 6)
        let scores = try #require(validated.validationScores)
        #expect(scores.map(\.name) == ["Naive", "Theta"])
        #expect(scores[0].smape > scores[1].smape && scores[0].mase > scores[1].mase)
        let w = try #require(validated.weights)
        let r = 0.5 * (scores[0].smape / scores[1].smape + scores[0].mase / scores[1].mase)
        #expect(abs(w[0] - pow(r, -3)) < 1e-12 && w[1] == 1)
        #expect(validated.setValidation == nil)

        // Only the series' last 6 values are held back: the scores are those of the members fitted
        // on the first 34 values of the 30 series picked (every 40/30-th), scored on the last 6.
        let rule = try #require(Self.pair.setValidation)
        let picked = rule.chosen(collection, horizon: 6, minimum: 1)
        #expect(picked.count == 30 && picked.first == 0 && picked.last == 38)
        var naive = 0.0
        for i in picked {
            let y = collection[i]
            naive += AccuracyMetrics.smape(actual: Array(y.suffix(6)), forecast: [Double](repeating: y[33], count: 6))
        }
        #expect(abs(naive / 30 - scores[0].smape) < 1e-9)

        // A held-back value of a picked series moves the scores.
        var moved = collection
        moved[0][39] += 50
        #expect(Self.pair.pooled(on: moved, seasonLength: 1, horizon: 6).validationScores != scores)
    }

    /// Too few long-enough series, a zero exponent or no rule: the priors stay.
    @Test func fewSeriesOrNoRuleKeepThePriors() {
        let few = Self.pair.pooled(on: trendingCollection(count: 10, length: 40), seasonLength: 1, horizon: 6)
        #expect(few.weights == [1, 1] && few.validationScores == nil)
        let short = Self.pair.pooled(on: trendingCollection(count: 40, length: 8), seasonLength: 1, horizon: 6)
        #expect(short.weights == [1, 1] && short.validationScores == nil)
        var off = Self.pair
        off.setValidation = nil
        #expect(off.pooled(on: trendingCollection(count: 40, length: 40), seasonLength: 1, horizon: 6).weights == [1, 1])
        off.setValidation = SetValidation(exponent: 0)
        #expect(off.pooled(on: trendingCollection(count: 40, length: 40), seasonLength: 1, horizon: 6).weights == [1, 1])
    }

    /// A single series (a user's stream) never goes through the set rule: the default forecasts it
    /// exactly as it does without one.
    @Test func singleSeriesKeepsThePerSeriesRule() throws {
        let y = seasonalSeries(count: 60)
        var plain = Combination.standard
        plain.setValidation = nil
        #expect(Combination.standard.setValidation != nil)
        let a = try Combination.standard.fit(y, seasonLength: 12).predict(horizon: 6)
        let b = try plain.fit(y, seasonLength: 12).predict(horizon: 6)
        #expect(a.mean == b.mean && a.intervals[0].lower == b.intervals[0].lower && a.intervals[1].upper == b.intervals[1].upper)
    }
}
