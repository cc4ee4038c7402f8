import Foundation

/// Rules fitted per collection of series (a benchmark set, or any group of series of one kind) on
/// the collection's own training values: the last `horizon` values of each series are held back, the
/// members (pooled ones included, pooled on the shortened series) are fitted on the rest, and each
/// member's accuracy on the held-back values decides how much the combination trusts it on this
/// collection (issue #16, fourth round). Nothing of the values being forecast is read.
///
/// A single series on its own (a user's stream) has no collection: it keeps the per-series rule.
public struct SetValidation: Sendable, Equatable {
    /// At most this many series are validated (evenly spaced through the collection), to bound the
    /// time: the validation fits every member once more on each of them.
    public var maximumSeries: Int
    /// Fewest validated series before the validation changes anything.
    public var minimumSeries: Int
    /// Member j's prior weight is multiplied by `r_j^(−exponent)`, r_j its validation error
    /// relative to the best member's (the mean of its sMAPE and MASE ratios); 0 leaves the priors.
    public var exponent: Double
    /// A member that wins the validation by a clear margin takes all the weight (issue #16, fifth
    /// round): the members are scored on two windows, the last `horizon` training values and the
    /// `horizon` before them (each series refitted without them), their sMAPE and MASE averaged over
    /// both; when the best member's relative error (as for `exponent`) is lower than every other
    /// member's by more than this, the combination is that member alone on this collection.
    /// `.infinity` never does (and skips the second window). Chosen leaving one set out
    /// (docs/forecasting.md, "Issue #16, fifth round") with `maximumSeries` validated series; with
    /// fewer (n), the margin needed grows as the standard error of a mean does, by √(maximumSeries / n):
    /// on a 60-series collection a lead of 0.0315 was noise (the winner alone was 5% worse).
    public var winnerMargin: Double

    public init(maximumSeries: Int = 150, minimumSeries: Int = 20, exponent: Double = 3, winnerMargin: Double = 0.03) {
        self.maximumSeries = maximumSeries
        self.minimumSeries = minimumSeries
        self.exponent = exponent
        self.winnerMargin = winnerMargin
    }

    public static let standard = SetValidation()

    /// Each member's mean accuracy on the held-back windows of a collection.
    public struct MemberScore: Sendable, Equatable {
        public var name: String
        public var smape: Double
        public var mase: Double
    }

    /// The series to validate: those long enough to lose `horizon` values and keep `minimum`,
    /// evenly spaced, at most `maximumSeries`.
    func chosen(_ collection: [[Double]], horizon h: Int, minimum: Int) -> [Int] {
        let usable = collection.indices.filter { collection[$0].count - h >= max(minimum, 3) }
        guard usable.count > maximumSeries, maximumSeries > 0 else { return usable }
        return (0..<maximumSeries).map { usable[$0 * usable.count / maximumSeries] }
    }

    /// The validation fits of a collection: the chosen series shortened by `horizon`, the held-back
    /// values, and every member's fitted path on each (pooled members pooled on the shortened series).
    struct Fits {
        var series: [BenchmarkSeries]
        var cores: [[any PointPath]]
        var priors: [Double]
        var names: [String]
        var model: Combination
    }

    /// Every member of `model` fitted on the chosen series of `collection` shortened by `horizon`
    /// (pooled members pooled on every shortened series); nil when fewer than `minimumSeries` series
    /// are long enough. A member that cannot fit a shortened series is replaced there as the
    /// benchmark replaces it (seasonal naive).
    func fits(_ model: Combination, collection: [[Double]], seasonLength m: Int, horizon h: Int) -> Fits? {
        let minimum = model.members.map { $0.minimumObservations(seasonLength: m) }.min() ?? 3
        let picked = chosen(collection, horizon: h, minimum: minimum)
        guard picked.count >= minimumSeries else { return nil }
        let shortened = collection.filter { $0.count - h >= 3 }.map { Array($0.dropLast(h)) }
        let validating = model.pooled(on: shortened, seasonLength: m, horizon: h, validate: false)
        let J = validating.members.count
        var out = Fits(series: [], cores: [], priors: (0..<J).map { validating.weight($0) }, names: validating.members.map(\.name), model: validating)
        for i in picked {
            let y = collection[i]
            let s = BenchmarkSeries(id: "", train: Array(y.dropLast(h)), test: Array(y.suffix(h)), seasonLength: m)
            var row: [any PointPath] = []
            for member in validating.members {
                guard let fit = ForecastBenchmark.fitOrFallback(member, s) else { break }
                row.append(fit.core)
            }
            guard row.count == J else { continue }
            out.series.append(s)
            out.cores.append(row)
        }
        return out.series.count >= minimumSeries ? out : nil
    }

    /// Per validated series, each member's sMAPE and MASE on the held-back values (rows with a
    /// non-finite score left out).
    func perSeries(_ f: Fits) -> [(smape: [Double], mase: [Double])] {
        var out: [(smape: [Double], mase: [Double])] = []
        for (s, row) in zip(f.series, f.cores) {
            let p = row.map { $0.forecast(horizon: s.test.count) }
            let a = p.map { AccuracyMetrics.smape(actual: s.test, forecast: $0) }
            let b = p.map { AccuracyMetrics.mase(actual: s.test, forecast: $0, insample: s.train, seasonLength: s.seasonLength) }
            guard a.allSatisfy(\.isFinite), b.allSatisfy(\.isFinite) else { continue }
            out.append((a, b))
        }
        return out
    }

    /// Each member's mean sMAPE and MASE on the held-back values.
    func memberScores(_ f: Fits) -> [MemberScore] {
        let J = f.names.count
        var smape = [Double](repeating: 0, count: J), mase = smape
        var counted = 0
        for (s, row) in zip(f.series, f.cores) {
            let p = row.map { $0.forecast(horizon: s.test.count) }
            let a = p.map { AccuracyMetrics.smape(actual: s.test, forecast: $0) }
            let b = p.map { AccuracyMetrics.mase(actual: s.test, forecast: $0, insample: s.train, seasonLength: s.seasonLength) }
            guard a.allSatisfy(\.isFinite), b.allSatisfy(\.isFinite) else { continue }
            for j in 0..<J { smape[j] += a[j]; mase[j] += b[j] }
            counted += 1
        }
        let n = Double(max(1, counted))
        return (0..<J).map { MemberScore(name: f.names[$0], smape: smape[$0] / n, mase: mase[$0] / n) }
    }

    /// The combination's mean sMAPE and MASE on the held-back values with the priors multiplied by `multipliers`.
    func combinationScore(_ f: Fits, multipliers: [Double]) -> (smape: Double, mase: Double) {
        var a = 0.0, b = 0.0, n = 0.0
        let priors = zip(f.priors, multipliers).map { $0 * $1 }
        for (s, row) in zip(f.series, f.cores) {
            let p = f.model.combinedPath(row, priors: priors, series: s.train, seasonLength: s.seasonLength).forecast(horizon: s.test.count)
            let x = AccuracyMetrics.smape(actual: s.test, forecast: p)
            let y = AccuracyMetrics.mase(actual: s.test, forecast: p, insample: s.train, seasonLength: s.seasonLength)
            guard x.isFinite, y.isFinite else { continue }
            a += x; b += y; n += 1
        }
        return (a / max(1, n), b / max(1, n))
    }

    /// Member scores on a collection (see `fits`); nil when too few series are long enough.
    func memberScores(_ model: Combination, collection: [[Double]], seasonLength m: Int, horizon h: Int) -> [MemberScore]? {
        fits(model, collection: collection, seasonLength: m, horizon: h).map { memberScores($0) }
    }

    /// The multipliers of the members' prior weights: `r_j^(−exponent)` (see `exponent`).
    func multipliers(_ scores: [MemberScore], exponent e: Double) -> [Double] {
        guard e > 0, let r = relativeErrors(scores) else { return [Double](repeating: 1, count: scores.count) }
        return r.map { $0.isFinite && $0 > 0 ? pow($0, -e) : 0 }
    }

    /// Each member's mean of its sMAPE and MASE divided by the best ones; nil when a best is not positive.
    func relativeErrors(_ scores: [MemberScore]) -> [Double]? {
        let bestS = scores.map(\.smape).min() ?? 0, bestM = scores.map(\.mase).min() ?? 0
        guard bestS > 0, bestM > 0, bestS.isFinite, bestM.isFinite else { return nil }
        return scores.map { 0.5 * ($0.smape / bestS + $0.mase / bestM) }
    }

    /// Each member's scores averaged over two windows (same members, same order).
    static func averaged(_ a: [MemberScore], _ b: [MemberScore]) -> [MemberScore] {
        zip(a, b).map { MemberScore(name: $0.name, smape: 0.5 * ($0.smape + $1.smape), mase: 0.5 * ($0.mase + $1.mase)) }
    }

    /// The index of the member whose relative error on `scores` (averaged over `validated` series)
    /// is lower than every other member's by more than the margin (`winnerMargin`, grown by
    /// √(maximumSeries / validated) below `maximumSeries` series); nil when none is.
    func winner(_ scores: [MemberScore], validated n: Int) -> Int? {
        guard winnerMargin.isFinite, scores.count >= 2, n > 0, let r = relativeErrors(scores), r.allSatisfy(\.isFinite) else { return nil }
        let margin = winnerMargin * (Double(max(maximumSeries, n)) / Double(n)).squareRoot()
        let order = r.indices.sorted { r[$0] < r[$1] }
        return r[order[1]] - r[order[0]] > margin ? order[0] : nil
    }

    /// The winner of a collection (see `winnerMargin`): the members scored on the last `horizon`
    /// values (`first`, already computed) and on the `horizon` before them.
    func winner(_ model: Combination, collection: [[Double]], seasonLength m: Int, horizon h: Int,
                first: [MemberScore], validated n: Int) -> (index: Int, scores: [MemberScore])? {
        guard winnerMargin.isFinite,
              let f2 = fits(model, collection: collection.map { Array($0.dropLast(h)) }, seasonLength: m, horizon: h),
              f2.names == first.map(\.name) else { return nil }
        let both = SetValidation.averaged(first, memberScores(f2))
        return winner(both, validated: min(n, f2.series.count)).map { ($0, both) }
    }
}
