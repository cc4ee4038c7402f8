import Foundation

/// The weighted mean of several models' point forecasts. Intervals are calibrated on the
/// combination's own past errors, not averaged from the members'. Members that cannot fit a
/// series (too short, not positive) are left out for that series.
///
/// With `performanceExponent` above 0 the weights are also per series and per step: member j's
/// weight at step k is `weights[j] · (MAE_j / mean MAE)^(-performanceExponent)`, where MAE_j is
/// its mean absolute error at steps 1...k from every past origin of the series (with the fitted
/// parameters; the first season is skipped). The forecast at step k therefore does not depend on
/// the horizon asked for. The past forecasts the intervals are calibrated on use, at each
/// origin, only the errors known there, so the calibration sees the weighting's own misses.
public struct Combination: Forecaster {
    public var name: String
    public var members: [any Forecaster]
    /// One weight per member (normalised over the members that fit); nil for equal weights.
    public var weights: [Double]?
    /// 0 for fixed weights; above 0, the weights are multiplied per series by each member's
    /// relative past error to the power of minus this (see above).
    public var performanceExponent: Double
    /// How the combination's intervals are calibrated.
    public var calibration: IntervalCalibration
    /// Members that need a collection of series to be fitted on (see `PooledForecaster`). They take
    /// part only after `pooled(on:seasonLength:horizon:)`; a single series on its own is forecast by
    /// `members` alone.
    public var pooledMembers: [PooledMember]
    /// The rule that rescales the members' weights per collection, from their accuracy on the
    /// collection's own last values (used by `pooled(on:seasonLength:horizon:)`; nil for none).
    public var setValidation: SetValidation?
    /// After `pooled(on:seasonLength:horizon:)` with a set validation: what each member scored there.
    public internal(set) var validationScores: [SetValidation.MemberScore]?
    /// After `pooled(on:seasonLength:horizon:)`: the member that won the set validation by its
    /// `winnerLevel` and alone forecasts the collection; nil when none did.
    public internal(set) var validationWinner: String?

    /// A pooled model and its prior weight in the combination.
    public struct PooledMember: Sendable {
        public var model: any PooledForecaster
        public var weight: Double
        public init(_ model: any PooledForecaster, weight: Double) {
            self.model = model
            self.weight = weight
        }
    }

    public init(name: String = "Combination", members: [any Forecaster], weights: [Double]? = nil,
                performanceExponent: Double = 0, calibration: IntervalCalibration = .default,
                pooledMembers: [PooledMember] = [], setValidation: SetValidation? = nil) {
        self.name = name
        self.members = members
        self.weights = weights
        self.performanceExponent = performanceExponent
        self.calibration = calibration
        self.pooledMembers = pooledMembers
        self.setValidation = setValidation
    }

    /// The combination with its pooled members fitted on `collection` (the series it will forecast,
    /// or others of the same kind: training values only) and added to `members`. A pooled member
    /// that cannot be fitted on the collection is left out. With `setValidation`, the members' prior
    /// weights are then rescaled by their accuracy on the last `horizon` values of the collection's
    /// own series (see `SetValidation`); `validate: false` skips that.
    public func pooled(on collection: [[Double]], seasonLength: Int, horizon: Int, validate: Bool = true) -> Combination {
        var out = self
        var w = (0..<members.count).map { weight($0) }
        for p in pooledMembers {
            guard let fitted = try? p.model.pool(collection, seasonLength: seasonLength, horizon: horizon) else { continue }
            out.members.append(fitted)
            w.append(p.weight)
        }
        out.pooledMembers = []
        out.setValidation = nil
        if w.count > members.count || weights != nil { out.weights = w }
        guard validate, let rule = setValidation, rule.exponent > 0,
              let fits = rule.fits(self, collection: collection, seasonLength: seasonLength, horizon: horizon),
              fits.priors.count == w.count else { return out }
        let units = rule.perSeries(fits)
        let scores = rule.memberScores(names: fits.names, units: units)
        out.validationScores = scores
        if let (winner, both) = rule.winner(self, collection: collection, seasonLength: seasonLength, horizon: horizon,
                                            first: fits, firstUnits: units) {
            // One member won both windows clearly: it alone forecasts this collection.
            out.validationWinner = both[winner].name
            out.weights = w.indices.map { $0 == winner ? w[$0] : 0 }
            return out
        }
        let factors = rule.multipliers(scores, exponent: rule.exponent)
        out.weights = zip(w, factors).map { $0 * $1 }
        return out
    }

    func weight(_ i: Int) -> Double {
        guard let weights, i < weights.count, weights[i].isFinite, weights[i] >= 0 else { return 1 }
        return weights[i]
    }

    /// Saldo's default: ETS (prior weight 1/2), Theta (1/4), the dynamic optimised Theta (1/8) and
    /// auto-ARIMA (1/8), the priors multiplied per series and step by the members' relative past
    /// errors to the power −2. Inside ETS the candidates' Akaike weights are multiplied the same
    /// way, to the power −8 (close to picking the candidate that forecast the past best at that
    /// step). Chosen from the M3 benchmark (see docs/forecasting.md).
    ///
    /// Pooled over a collection of series (`pooled(on:seasonLength:horizon:)`, as the benchmark
    /// does with each set), a pooled autoregression on the logarithms (`PooledLinear.standard`)
    /// joins with prior weight 4 (against 4 : 2 : 1 : 1), chosen by leaving one benchmark set out at
    /// a time (docs/forecasting.md, "Issue #16, third round"). A single series on its own is
    /// forecast by the four members.
    public static let standard = Combination(
        name: "Default",
        members: [AutoETS(akaikeWeights: true, performanceExponent: 8), Theta(.standard), Theta(.optimized), AutoARIMA()],
        weights: [4, 2, 1, 1], performanceExponent: 2,
        pooledMembers: [PooledMember(PooledLinear.standard, weight: 4)],
        setValidation: .standard)

    public func minimumObservations(seasonLength: Int) -> Int {
        members.map { $0.minimumObservations(seasonLength: seasonLength) }.min() ?? 1
    }

    public func fit(_ series: [Double], seasonLength: Int) throws(ForecastError) -> FittedForecast {
        try checkLength(series, seasonLength: seasonLength)
        var fitted: [any PointPath] = []
        var used: [Double] = []
        var lastError: ForecastError?
        for (i, member) in members.enumerated() {
            do {
                fitted.append(try member.fit(series, seasonLength: seasonLength).core)
                used.append(weight(i))
            } catch {
                lastError = error
            }
        }
        if fitted.isEmpty { throw lastError ?? .tooShort(model: name, needed: 1, found: series.count) }
        return FittedForecast(name: name, series: series, seasonLength: seasonLength,
                              core: combinedPath(fitted, priors: used, series: series, seasonLength: seasonLength), calibration: calibration)
    }

    /// The combination of fitted members (with their prior weights) on `series`.
    func combinedPath(_ members: [any PointPath], priors: [Double], series: [Double], seasonLength: Int) -> any PointPath {
        if !(performanceExponent > 0) || members.count < 2 { return MeanPath(members: members, weights: priors) }
        return PerformancePath(members: members, priors: priors, series: series, seasonLength: seasonLength, exponent: performanceExponent)
    }
}

/// Members weighted per series and step by prior × (relative past error at steps 1...k)^-exponent.
struct PerformancePath: PointPath {
    let members: [any PointPath]
    let priors: [Double]
    let series: [Double]
    let seasonLength: Int
    let exponent: Double
    /// Fewest past errors (at steps 1...k, per member) before the errors change the weights.
    static let minimumErrors = 6.0

    /// Origins before this are skipped (one season, at least 3 values).
    var warm: Int { max(3, seasonLength) }

    func normalized(_ w: [Double]) -> [Double] {
        let t = w.reduce(0, +)
        return t > 0 && t.isFinite ? w.map { $0 / t } : [Double](repeating: 1 / Double(max(1, w.count)), count: w.count)
    }

    /// prior · (err / mean err)^-exponent, normalised; the priors when the errors are unusable.
    func weights(errors: [Double]) -> [Double] {
        var w = [Double](repeating: 0, count: errors.count)
        let normPriors = normalized(priors)
        errors.withUnsafeBufferPointer { e in
            w.withUnsafeMutableBufferPointer { out in
                normPriors.withUnsafeBufferPointer { np in
                    PerformancePath.weights(errors: e, scale: 1, priors: priors, normalizedPriors: np, exponent: exponent, into: out)
                }
            }
        }
        return w
    }

    /// x^(-e): by repeated multiplication when e is a whole number up to 16 (the exponents in use
    /// are 2 and 8; pow was a tenth of the run time), else `pow`.
    @inline(__always) static func inversePower(_ x: Double, _ e: Double) -> Double {
        if e == e.rounded(), e >= 1, e <= 16 {
            var n = Int(e), base = x, r = 1.0
            while n > 0 {
                if n & 1 == 1 { r *= base }
                base *= base
                n >>= 1
            }
            return 1 / r
        }
        return pow(x, -e)
    }

    /// The weights for mean errors `sums[j] / scale` into `out` (no allocation).
    @inline(__always)
    static func weights(errors sums: UnsafeBufferPointer<Double>, scale: Double, priors: [Double],
                        normalizedPriors: UnsafeBufferPointer<Double>, exponent: Double,
                        into out: UnsafeMutableBufferPointer<Double>) {
        let J = sums.count
        var mean = 0.0
        for j in 0..<J { mean += sums[j] / scale }
        mean /= Double(max(1, J))
        guard mean > 0, mean.isFinite else {
            for j in 0..<J { out[j] = normalizedPriors[j] }
            return
        }
        var total = 0.0
        for j in 0..<J {
            let v = priors[j] * inversePower(max(sums[j] / scale, 1e-9 * mean) / mean, exponent)
            out[j] = v
            total += v
        }
        if total > 0 && total.isFinite {
            for j in 0..<J { out[j] /= total }
        } else {
            for j in 0..<J { out[j] = 1 / Double(max(1, J)) }
        }
    }

    /// Walks the origins in time. At origin t (t >= first), `emit(t, w)` gets the weights from the
    /// errors whose targets are before t (`w[(k - 1) * J + j]`: member j at step k). Returns the
    /// final weights (all errors), per step.
    private func accumulate(horizon h: Int, origins all: [OriginForecasts],
                            emit: ((Int, [Double]) -> Void)?) -> [[Double]] {
        let n = series.count
        let J = members.count
        let normPriors = normalized(priors)
        var sums = [Double](repeating: 0, count: J * h)
        var cnt = [Double](repeating: 0, count: h)
        var cum = [Double](repeating: 0, count: J)
        var w = [Double](repeating: 0, count: J * h)
        let usable = all.allSatisfy { $0.count == n && $0.horizon >= h }
        let first = all.map(\.first).max() ?? n
        func stepWeights() {
            for j in 0..<J { cum[j] = 0 }
            var cumC = 0.0
            cum.withUnsafeMutableBufferPointer { c in
                w.withUnsafeMutableBufferPointer { wb in
                    normPriors.withUnsafeBufferPointer { np in
                        for k in 1...h {
                            cumC += cnt[k - 1]
                            for j in 0..<J { c[j] += sums[j * h + k - 1] }
                            let out = UnsafeMutableBufferPointer(rebasing: wb[((k - 1) * J)..<(k * J)])
                            if cumC >= PerformancePath.minimumErrors {
                                PerformancePath.weights(errors: UnsafeBufferPointer(c), scale: cumC, priors: priors,
                                                        normalizedPriors: np, exponent: exponent, into: out)
                            } else {
                                for j in 0..<J { out[j] = np[j] }
                            }
                        }
                    }
                }
            }
        }
        func final() -> [[Double]] {
            stepWeights()
            return (0..<h).map { k in Array(w[(k * J)..<((k + 1) * J)]) }
        }
        guard usable else { return [[Double]](repeating: normPriors, count: h) }
        for t in 0..<n {
            if let emit, t >= first {
                stepWeights()
                emit(t, w)
            }
            // The errors whose target is t: from origins o = t - k + 1.
            for k in 1...h {
                let o = t - k + 1
                if o < max(warm, first) { continue }
                var finite = true
                for j in 0..<J where !(series[t] - all[j].value(origin: o, step: k)).isFinite { finite = false }
                if !finite { continue }
                for j in 0..<J { sums[j * h + k - 1] += abs(series[t] - all[j].value(origin: o, step: k)) }
                cnt[k - 1] += 1
            }
        }
        return final()
    }

    func forecast(horizon: Int) -> [Double] {
        forecastAndOrigins(horizon: horizon, origins: false).mean
    }

    func originForecasts(horizon h: Int) -> OriginForecasts {
        forecastAndOrigins(horizon: h, origins: true).origins
    }

    func forecastAndOrigins(horizon: Int) -> (mean: [Double], origins: OriginForecasts) {
        forecastAndOrigins(horizon: horizon, origins: true)
    }

    /// The point forecast and (with `origins`) the past forecasts with online weights, from one
    /// pass over the members' past forecasts.
    private func forecastAndOrigins(horizon h: Int, origins wanted: Bool) -> (mean: [Double], origins: OriginForecasts) {
        var all: [OriginForecasts] = []
        var ends: [[Double]] = []
        for m in members {
            let r = m.forecastAndOrigins(horizon: h)
            ends.append(r.mean)
            all.append(r.origins)
        }
        let n = series.count
        let first = all.map(\.first).max() ?? n
        let J = all.count
        var v: [Double] = []
        let online = wanted && first < n && all.allSatisfy({ $0.count == n && $0.horizon >= h })
        if online { v = [Double](repeating: 0, count: (n - first) * h) }
        let w = accumulate(horizon: h, origins: all, emit: online ? { t, w in
            for k in 1...h {
                var f = 0.0
                for j in 0..<J { f += w[(k - 1) * J + j] * all[j].value(origin: t, step: k) }
                v[(t - first) * h + k - 1] = f
            }
        } : nil)
        var out = [Double](repeating: 0, count: h)
        for j in 0..<J {
            for k in 0..<h { out[k] += w[k][j] * ends[j][k] }
        }
        var origins: OriginForecasts
        if online {
            origins = OriginForecasts(first: first, count: n, horizon: h, values: v)
        } else if wanted {
            origins = MeanPath(members: members, weights: priors).originForecasts(horizon: h)
        } else {
            origins = .empty(count: n, horizon: h)
        }
        // The members' parameters weighted by the weights of the forecast (averaged over the steps).
        var p = 0.0
        for k in 0..<h { for j in 0..<J { p += w[k][j] * all[j].parameters } }
        origins.parameters = p / Double(max(1, h))
        return (out, origins)
    }
}

/// Weighted (by default equal-weight) mean of several paths.
struct MeanPath: PointPath {
    let members: [any PointPath]
    /// Normalised weights, one per member.
    let weights: [Double]

    init(members: [any PointPath], weights: [Double]? = nil) {
        self.members = members
        let w = weights ?? [Double](repeating: 1, count: members.count)
        let total = w.reduce(0, +)
        self.weights = total > 0 ? w.map { $0 / total } : [Double](repeating: 1 / Double(max(1, members.count)), count: members.count)
    }

    func forecast(horizon: Int) -> [Double] {
        var out = [Double](repeating: 0, count: horizon)
        for (i, m) in members.enumerated() {
            let f = m.forecast(horizon: horizon)
            for k in 0..<horizon { out[k] += weights[i] * f[k] }
        }
        return out
    }

    func originForecasts(horizon: Int) -> OriginForecasts {
        let all = members.map { $0.originForecasts(horizon: horizon) }
        guard let count = all.first?.count else { return .empty(count: 0, horizon: horizon) }
        let first = all.map(\.first).max() ?? count
        var parameters = 0.0
        for (j, o) in all.enumerated() { parameters += weights[j] * o.parameters }
        guard first < count else {
            var e = OriginForecasts.empty(count: count, horizon: horizon)
            e.parameters = parameters
            return e
        }
        var v = [Double](repeating: 0, count: (count - first) * horizon)
        for (j, o) in all.enumerated() {
            var i = 0
            let w = weights[j]
            for t in first..<count {
                let base = (t - o.first) * horizon
                for k in 0..<horizon { v[i] += w * o.values[base + k]; i += 1 }
            }
        }
        return OriginForecasts(first: first, count: count, horizon: horizon, values: v, parameters: parameters)
    }
}
