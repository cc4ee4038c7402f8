import Foundation
import Testing
@testable import SaldoForecast

/// Issue #16, seventh round: the per-horizon scales smoothed across horizons
/// (`IntervalCalibration.scaleSmoothing`) and drawn toward the series' seasonal-naive scale
/// (`anchorPrior`, `anchorRatio`).
@Suite struct ScaleSmoothingTests {
    /// Scales that already follow s_k = c · k^b (noise-free errors) are left as they are, by the
    /// fit alone and by any shrinkage toward it; a flat law too.
    @Test func noiseFreeScalesAreTheRawOnes() {
        let counts = (0..<18).map { 100 - $0 }
        for (c, b) in [(0.05, 0.4), (0.2, 0.0), (0.01, 1.2)] {
            let raw = (0..<18).map { c * pow(Double($0 + 1), b) }
            for prior in [1.0, 20, 1e12] {
                var s = raw
                IntervalCalibration.smooth(&s, counts: counts, minimumSamples: 6, prior: prior)
                for k in 0..<18 { #expect(abs(s[k] - raw[k]) < 1e-12 * raw[k], "c \(c), b \(b), prior \(prior), k \(k): \(s[k]) vs \(raw[k])") }
            }
        }
    }

    /// Noisy scales around a power law come out closer to it (the point of the smoothing), and the
    /// shrinkage lies between the raw scales and the fit.
    @Test func noisyScalesComeCloserToTheirLaw() {
        var rng = SeededGenerator(seed: 16)
        let counts = (0..<18).map { 90 - $0 }
        var rawError = 0.0, fitError = 0.0
        for _ in 0..<200 {
            let truth = (0..<18).map { 0.08 * pow(Double($0 + 1), 0.5) }
            let raw = truth.map { $0 * exp(0.15 * rng.normal()) }
            var fit = raw, shrunk = raw
            IntervalCalibration.smooth(&fit, counts: counts, minimumSamples: 6, prior: 1e12)
            IntervalCalibration.smooth(&shrunk, counts: counts, minimumSamples: 6, prior: 30)
            for k in 0..<18 {
                rawError += pow(log(raw[k] / truth[k]), 2)
                fitError += pow(log(fit[k] / truth[k]), 2)
                #expect(shrunk[k] >= min(raw[k], fit[k]) * (1 - 1e-12) && shrunk[k] <= max(raw[k], fit[k]) * (1 + 1e-12))
            }
        }
        #expect(fitError < 0.25 * rawError, "\(fitError) vs \(rawError)")
    }

    /// A slope that comes out negative is not extrapolated: the fit is the weighted geometric mean,
    /// flat; unreliable horizons (too few errors) and zero scales are left alone.
    @Test func negativeSlopeGivesAFlatFitAndUnreliableHorizonsAreUntouched() {
        let counts = [50, 49, 48, 47, 3, 2]
        var s = [0.4, 0.3, 0.2, 0.1, 9, 0]
        IntervalCalibration.smooth(&s, counts: counts, minimumSamples: 6, prior: 1e12)
        let w = [50.0, 49, 48, 47]
        let mean = exp(zip(w, [0.4, 0.3, 0.2, 0.1]).map { $0 * log($1) }.reduce(0, +) / w.reduce(0, +))
        for k in 0..<4 { #expect(abs(s[k] - mean) < 1e-12) }
        #expect(s[4] == 9 && s[5] == 0)
        // One reliable horizon: nothing to fit.
        var one = [0.3, 5]
        IntervalCalibration.smooth(&one, counts: [40, 2], minimumSamples: 6, prior: 1e12)
        #expect(one == [0.3, 5])
    }

    /// The seasonal naive's in-sample scale: the RMS of y_t − y_{t−m}, relative to y_{t−m}.
    @Test func seasonalNaiveScaleByHand() {
        // Lag 2: (3 − 1)/1 = 2, (4 − 2)/2 = 1, (6 − 3)/3 = 1 → √(6/3).
        let v = IntervalCalibration.seasonalNaiveScale([1, 2, 3, 4, 6], seasonLength: 2, relative: true, guardLevel: 1e-12)
        #expect(abs(v - 2.0.squareRoot()) < 1e-12)
        // Absolute, first differences: 1, 1, 1, 2 → √(7/4).
        let a = IntervalCalibration.seasonalNaiveScale([1, 2, 3, 4, 6], seasonLength: 1, relative: false, guardLevel: 1)
        #expect(abs(a - (7.0 / 4).squareRoot()) < 1e-12)
        #expect(IntervalCalibration.seasonalNaiveScale([5], seasonLength: 12, relative: true, guardLevel: 1) == 0)
    }

    static func series(_ i: Int, rng: inout SeededGenerator) -> (y: [Double], m: Int) {
        let m = [1, 4, 12][i % 3]
        let n = [14, 30, 60, 120][i % 4] + i % 5
        let level = i % 7 == 0 ? 0.0 : 100.0   // some cross zero: absolute errors
        let trend = Double(i % 5 - 2)
        var y: [Double] = []
        var walk = 0.0
        for t in 0..<n {
            walk += (1 + Double(i % 3)) * rng.normal()
            let season = m > 1 ? 10 * sin(2 * Double.pi * Double(t) / Double(m)) : 0
            y.append(level + trend * Double(t) + season + walk + (i % 2 == 0 ? 3 * rng.normal() : 0))
        }
        return (y, m)
    }

    /// Property, on 60 series of every kind (short, long, seasonal or not, crossing zero) and every
    /// setting: the scales stay positive, finite and non-decreasing in the horizon.
    @Test func scalesStayPositiveAndNonDecreasing() throws {
        var rng = SeededGenerator(seed: 7)
        for i in 0..<60 {
            let (y, m) = Self.series(i, rng: &rng)
            let h = [6, 8, 18][i % 3]
            guard let fit = try? Theta().fit(y, seasonLength: m) else { Issue.record("Theta failed on series \(i)"); continue }
            let origins = fit.core.originForecasts(horizon: h)
            for (sm, ap, ar) in [(0.0, 0.0, 0.5), (1e12, 0, 0.5), (5, 0, 0.5), (0, 10, 0.5), (1e12, 40, 0.3), (20, 1e12, 1.5)] {
                let c = IntervalCalibration(scaleSmoothing: sm, anchorPrior: ap, anchorRatio: ar)
                let s = c.spread(series: y, origins: origins, horizon: h, seasonLength: m).scale
                #expect(s.count == h)
                for k in 0..<h { #expect(s[k] > 0 && s[k].isFinite, "series \(i), \(sm)/\(ap)/\(ar), step \(k + 1): \(s[k])") }
                for k in 1..<h { #expect(s[k] >= s[k - 1], "series \(i), \(sm)/\(ap)/\(ar), step \(k + 1): \(s[k]) < \(s[k - 1])") }
            }
        }
    }

    /// With the anchor worth every error, a reliable horizon's scale is the anchor itself:
    /// ratio × the seasonal naive's scale × √(⌊(k − 1)/m⌋ + 1); with both off, the default's scales.
    @Test func anchorAloneIsTheSeasonalNaiveScale() throws {
        let y = seasonalSeries(count: 96)
        let fit = try Theta().fit(y, seasonLength: 12)
        let origins = fit.core.originForecasts(horizon: 18)
        let base = IntervalCalibration.seasonalNaiveScale(y, seasonLength: 12, relative: true, guardLevel: 0.25 * Stats.mean(y))
        let s = IntervalCalibration(anchorPrior: 1e15, anchorRatio: 0.7).spread(series: y, origins: origins, horizon: 18, seasonLength: 12).scale
        for k in 0..<18 { #expect(abs(s[k] - 0.7 * base * Double(k / 12 + 1).squareRoot()) < 1e-9 * s[k], "step \(k + 1)") }
        let off = IntervalCalibration(scaleSmoothing: 0, anchorPrior: 0).spread(series: y, origins: origins, horizon: 18, seasonLength: 12).scale
        #expect(s != off)
    }

    /// A calibration encoded before the seventh round (no smoothing keys) decodes with both off;
    /// the new knobs survive a round trip.
    @Test func codableWithAndWithoutTheNewKeys() throws {
        var c = IntervalCalibration.fifthRound
        c.scaleSmoothing = 20; c.anchorPrior = 10; c.anchorRatio = 0.6
        let data = try JSONEncoder().encode(c)
        #expect(try JSONDecoder().decode(IntervalCalibration.self, from: data) == c)
        var object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        for key in ["scaleSmoothing", "anchorPrior", "anchorRatio"] { object.removeValue(forKey: key) }
        let old = try JSONDecoder().decode(IntervalCalibration.self, from: try JSONSerialization.data(withJSONObject: object))
        #expect(old.scaleSmoothing == 0 && old.anchorPrior == 0 && old.anchorRatio == 0.5)
        #expect(old == IntervalCalibration.fifthRound)
    }
}
