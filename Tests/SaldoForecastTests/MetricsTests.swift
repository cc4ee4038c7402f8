import Foundation
import Testing
@testable import SaldoForecast

@Suite struct MetricsTests {
    /// Property: the quantile that selects its two order statistics gives what the sorted one
    /// gives, bit for bit, whatever the order, the ties and the level.
    @Test func selectedQuantilesEqualSortedOnes() {
        var rng = SeededGenerator(seed: 16)
        for size in Array(1...40) + [199, 1_800] {
            for round in 0..<6 {
                // Round 0 and 1: many ties (few distinct values); then continuous values; round 5 sorted descending.
                var x = (0..<size).map { _ in round < 2 ? Double(Int.random(in: 0...3, using: &rng)) : Double.random(in: -3...3, using: &rng) }
                if round == 5 { x.sort(by: >) }
                for p in [0, 0.1, 0.5, 0.8, 0.8 * Double(size + 1) / Double(size), 0.95, 0.975, 1, Double.random(in: 0...1, using: &rng)] {
                    let sorted = Stats.quantile(sorted: x.sorted(), p), selected = Stats.quantile(unsorted: x, p)
                    #expect(sorted.bitPattern == selected.bitPattern, "size \(size), round \(round), p \(p): \(sorted) vs \(selected)")
                }
                var y = x
                let k = Int.random(in: 0..<size, using: &rng)
                let v = Stats.select(&y, k)
                #expect(v == x.sorted()[k] && y.sorted() == x.sorted())
                #expect(y[..<k].allSatisfy { $0 <= v } && y[(k + 1)...].allSatisfy { $0 >= v })
            }
        }
        #expect(Stats.quantile(unsorted: [], 0.5).isNaN)
    }

    @Test func smapeFollowsTheM3Definition() {
        // 200·|100−110|/(100+110) = 9.5238…, 200·|50−40|/(50+40) = 22.222…, mean 15.873…
        let v = AccuracyMetrics.smape(actual: [100, 50], forecast: [110, 40])
        #expect(abs(v - (2000.0 / 210 + 2000.0 / 90) / 2) < 1e-12)
        // Both zero counts as a perfect step.
        #expect(AccuracyMetrics.smape(actual: [0, 10], forecast: [0, 10]) == 0)
    }

    @Test func maseScalesBySeasonalNaiveInSample() {
        // In-sample lag-2 differences: |3−1|, |4−2|, |5−3| → scale 2. Errors |6−7|, |7−5| → mean 1.5.
        let v = AccuracyMetrics.mase(actual: [6, 7], forecast: [7, 5], insample: [1, 2, 3, 4, 5], seasonLength: 2)
        #expect(abs(v - 0.75) < 1e-12)
        // A flat history falls back to lag 1 and then to 1.
        #expect(AccuracyMetrics.mase(actual: [2], forecast: [1], insample: [5, 5, 5], seasonLength: 1) == 1)
    }

    @Test func coverageCountsValuesInsideTheInterval() {
        let v = AccuracyMetrics.coverage(actual: [1, 5, 10, 3], lower: [0, 0, 0, 3], upper: [2, 4, 10, 4])
        #expect(v == 0.75)
    }

    @Test func msisPenalisesMissesByTwoOverAlpha() {
        // Width 2 each; second value misses above by 1: penalty 2/0.05·1 = 40. Mean (2 + 42)/2 = 22;
        // in-sample lag-1 scale |3−1| = 2 → 11.
        let v = AccuracyMetrics.msis(actual: [1, 3], lower: [0, 0], upper: [2, 2], insample: [1, 3], seasonLength: 1, level: 0.95)
        #expect(abs(v - 11) < 1e-12)
    }

    @Test func quantileInterpolatesLinearly() {
        #expect(Stats.quantile(sorted: [1, 2, 3, 4], 0.5) == 2.5)
        #expect(Stats.quantile(sorted: [1, 2, 3, 4], 0) == 1)
        #expect(Stats.quantile(sorted: [1, 2, 3, 4], 1) == 4)
        #expect(abs(Stats.normalQuantile(0.975) - 1.959964) < 1e-5)
    }

    @Test func seededGeneratorIsDeterministic() {
        var a = SeededGenerator(seed: 1), b = SeededGenerator(seed: 1), c = SeededGenerator(seed: 2)
        let xa = (0..<5).map { _ in a.next() }, xb = (0..<5).map { _ in b.next() }, xc = (0..<5).map { _ in c.next() }
        #expect(xa == xb)
        #expect(xa != xc)
        var g = SeededGenerator(seed: 3)
        let betas = (0..<2000).map { _ in g.beta(2, 6) }
        #expect(abs(Stats.mean(betas) - 0.25) < 0.02)
    }
}
