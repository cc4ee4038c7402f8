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
    /// A member that clearly wins the validation takes all the weight (issue #16, fifth round; the
    /// test below since the sixth). The members are scored on two windows, the last `horizon`
    /// training values and the `horizon` before them (each series refitted without them), their
    /// sMAPE and MASE averaged over both; the best is the member with the least relative error (as
    /// for `exponent`). Per validation forecast (each validated series in each window), its lead
    /// over another member is the difference of their relative errors there; the best wins when,
    /// against every other member, the mean lead is above zero by more than the one-sided normal
    /// quantile at this level times the lead's own standard error (a paired test: with 0.95, a
    /// lead of 1.645 standard errors). Then the combination is that member alone on this collection.
    /// 1 or more never does (and skips the second window). 0.95 is the conventional level, not
    /// chosen on the benchmark sets; it replaced a margin of 0.03 in relative error that was (the
    /// fifth round's knife edge, docs/forecasting.md, "Issue #16, sixth round"). The standard error
    /// also does what the margin's √(150 / n) growth did for fewer validated series.
    public var winnerLevel: Double

    public init(maximumSeries: Int = 150, minimumSeries: Int = 20, exponent: Double = 3, winnerLevel: Double = 0.95) {
        self.maximumSeries = maximumSeries
        self.minimumSeries = minimumSeries
        self.exponent = exponent
        self.winnerLevel = winnerLevel
    }

    /// The rule never names a winner.
    var winnerOff: Bool { !(winnerLevel < 1) }

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
        memberScores(names: f.names, units: perSeries(f))
    }

    /// Each member's mean sMAPE and MASE over `units` (from `perSeries`).
    func memberScores(names: [String], units: [(smape: [Double], mase: [Double])]) -> [MemberScore] {
        let J = names.count
        var smape = [Double](repeating: 0, count: J), mase = smape
        for u in units { for j in 0..<J { smape[j] += u.smape[j]; mase[j] += u.mase[j] } }
        let n = Double(max(1, units.count))
        return (0..<J).map { MemberScore(name: names[$0], smape: smape[$0] / n, mase: mase[$0] / n) }
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

    /// The lead of member `best` over member `other` in relative error (sMAPE over `bestSmape` and
    /// MASE over `bestMase`, averaged) per validation forecast in `units`: its mean and standard error.
    static func lead(of best: Int, over other: Int, units: [(smape: [Double], mase: [Double])],
                     bestSmape: Double, bestMase: Double) -> (mean: Double, standardError: Double) {
        let n = Double(units.count)
        guard units.count >= 2 else { return (.nan, .nan) }
        var d = [Double](repeating: 0, count: units.count)
        for (i, u) in units.enumerated() {
            d[i] = 0.5 * ((u.smape[other] - u.smape[best]) / bestSmape + (u.mase[other] - u.mase[best]) / bestMase)
        }
        let mean = d.reduce(0, +) / n
        var ss = 0.0
        for v in d { ss += (v - mean) * (v - mean) }
        return (mean, (ss / (n - 1) / n).squareRoot())
    }

    /// The index of the best member of `scores` (least relative error) when its lead over every
    /// other member across `units` (the validation forecasts the scores average) is significant at
    /// `winnerLevel` (see there); nil when it is not, or when there is no rule.
    func winner(_ scores: [MemberScore], units: [(smape: [Double], mase: [Double])]) -> Int? {
        guard !winnerOff, scores.count >= 2, units.count >= 2, let r = relativeErrors(scores), r.allSatisfy(\.isFinite),
              units.allSatisfy({ $0.smape.count == scores.count && $0.mase.count == scores.count }) else { return nil }
        let bestS = scores.map(\.smape).min() ?? 0, bestM = scores.map(\.mase).min() ?? 0
        let w = r.indices.min { r[$0] < r[$1] }!
        let critical = Stats.normalQuantile(winnerLevel)
        for j in r.indices where j != w {
            let l = SetValidation.lead(of: w, over: j, units: units, bestSmape: bestS, bestMase: bestM)
            guard l.mean > 0, l.mean.isFinite else { return nil }
            if l.standardError > 0 && !(l.mean > critical * l.standardError) { return nil }
        }
        return w
    }

    /// The winner of a collection (see `winnerLevel`): the members scored on the last `horizon`
    /// values (`first`, already fitted, and `firstUnits`, its `perSeries`) and on the `horizon`
    /// before them.
    func winner(_ model: Combination, collection: [[Double]], seasonLength m: Int, horizon h: Int,
                first: Fits, firstUnits: [(smape: [Double], mase: [Double])]) -> (index: Int, scores: [MemberScore])? {
        guard !winnerOff,
              let f2 = fits(model, collection: collection.map { Array($0.dropLast(h)) }, seasonLength: m, horizon: h),
              f2.names == first.names else { return nil }
        let second = perSeries(f2)
        let both = SetValidation.averaged(memberScores(names: first.names, units: firstUnits), memberScores(names: f2.names, units: second))
        return winner(both, units: firstUnits + second).map { ($0, both) }
    }
}
