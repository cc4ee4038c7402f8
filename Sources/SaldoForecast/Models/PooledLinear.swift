import Foundation

/// A model fitted on a collection of series at once (a "global" model), then used on each series
/// of it, or on any other series of the same kind.
///
/// `pool(_:seasonLength:horizon:)` estimates the shared parameters from the training parts of the
/// collection and returns an ordinary `Forecaster`. Nothing of the collection's future is needed
/// or used. A single series on its own (a user's stream) has no collection to pool over: the
/// models that need one are then simply not used (see `Combination.pooled(on:seasonLength:horizon:)`).
public protocol PooledForecaster: Sendable {
    var name: String { get }
    /// Fits the shared parameters on `collection` (each oldest first). Series that are too short or
    /// hold a non-finite value are skipped; when nothing usable is left this throws.
    func pool(_ collection: [[Double]], seasonLength: Int, horizon: Int) throws(ForecastError) -> any Forecaster
}

/// A pooled linear autoregression (Montero-Manso & Hyndman 2021's global AR, direct form).
///
/// Every window of `lags` consecutive values of every series in the collection (on the seasonally
/// adjusted scale, with the same adjustment Theta uses) is divided by its own scale (the mean of its
/// last `scaleLength` values, a season by default) and, with an intercept, regressed by ridge least
/// squares on each of the next `horizon` values divided by the same scale: one regression per step,
/// all sharing the windows. A series is then forecast from its own last window. Steps beyond the
/// pooled horizon continue from the forecasts themselves.
///
/// The number of lags, when not given, is the rule in `lagRule`: two seasons (at least 4 values,
/// at most 24), capped so that the shortest fifth of the collection still gives a window with its
/// full horizon.
public struct PooledLinear: PooledForecaster {
    public var name: String { "PooledAR" }
    /// Values in a window; nil for the rule above.
    public var lags: Int?
    /// Ridge penalty per window, on the normalised scale.
    public var ridge: Double
    /// Whether to regress on the seasonally adjusted series.
    public var seasonallyAdjusted: Bool
    /// Values at the end of the window whose mean scales it; nil for one season (at least 1).
    public var scaleLength: Int?

    /// Whether the regression's targets are the changes from the window's last value (the ridge
    /// penalty then shrinks towards the naive forecast, not towards the window's mean).
    public var fromLast: Bool
    /// Whether to regress the logarithms of the scaled values (only windows of positive values
    /// are used; a series with a value at or below 0 is then not forecast by this member).
    public var logarithms: Bool
    /// Seasons in a window when `lags` is nil (see `lagRule`).
    public var seasons: Int

    public init(lags: Int? = nil, ridge: Double = 0.01, seasonallyAdjusted: Bool = true, scaleLength: Int? = nil,
                fromLast: Bool = true, logarithms: Bool = false, seasons: Int = 2) {
        self.fromLast = fromLast
        self.logarithms = logarithms
        self.seasons = seasons
        self.lags = lags
        self.ridge = ridge
        self.seasonallyAdjusted = seasonallyAdjusted
        self.scaleLength = scaleLength
    }

    /// The default's pooled member: logarithms of the values scaled by their last season's mean
    /// (not seasonally adjusted: the lags carry the season), ridge 0.001, two seasons of lags.
    public static let standard = PooledLinear(ridge: 0.001, seasonallyAdjusted: false, logarithms: true)

    /// Two seasons (4…24 values), capped by the shortest fifth of the collection minus the horizon.
    public static func lagRule(lengths: [Int], seasonLength m: Int, horizon h: Int, seasons: Int = 2) -> Int {
        let wanted = min(12 * seasons, max(4, seasons * max(1, m)))
        guard !lengths.isEmpty else { return wanted }
        let sorted = lengths.sorted()
        let short = sorted[sorted.count / 5]
        return max(2, min(wanted, short - h))
    }

    public func pool(_ collection: [[Double]], seasonLength: Int, horizon: Int) throws(ForecastError) -> any Forecaster {
        if horizon < 1 { throw .invalidHorizon(horizon) }
        if seasonLength < 1 { throw .invalidSeasonLength(seasonLength) }
        let usable = collection.filter { y in y.count >= 3 && y.allSatisfy { $0.isFinite } }
        let L = lags ?? PooledLinear.lagRule(lengths: usable.map(\.count), seasonLength: seasonLength, horizon: horizon, seasons: seasons)
        let S = min(L, scaleLength ?? max(1, seasonLength))
        let H = horizon
        let P = L + 1
        // Windows grouped by how many steps ahead they have targets for: XᵀX for step k sums the
        // groups with k or more.
        var groups = [[Double]](repeating: [Double](repeating: 0, count: P * P), count: H + 1)
        var xty = [Double](repeating: 0, count: H * P)
        var windows = [Int](repeating: 0, count: H + 1)
        var x = [Double](repeating: 0, count: P)
        for y0 in usable {
            let y = seasonallyAdjusted ? SeasonalAdjustment(y0, seasonLength: seasonLength).adjust(y0) : y0
            let n = y.count
            if n < L + 1 { continue }
            for t in L..<n {
                guard let scale = PooledLinearModel.window(y, end: t, lags: L, scaleLength: S, logarithms: logarithms, into: &x) else { continue }
                let steps = min(H, n - t)
                windows[steps] += 1
                groups[steps].withUnsafeMutableBufferPointer { g in
                    for a in 0..<P {
                        let xa = x[a]
                        for b in a..<P { g[a * P + b] += xa * x[b] }
                    }
                }
                for k in 1...steps {
                    let v = y[t + k - 1] / scale
                    if logarithms && !(v > 0) { continue }
                    let target = (logarithms ? log(v) : v) - (fromLast ? x[L - 1] : 0)
                    guard target.isFinite else { continue }
                    for a in 0..<P { xty[(k - 1) * P + a] += x[a] * target }
                }
            }
        }
        var coefficients = [Double](repeating: 0, count: H * P)
        var a = [Double](repeating: 0, count: P * P)
        var count = 0
        for k in stride(from: H, through: 1, by: -1) {
            count += windows[k]
            for i in 0..<(P * P) { a[i] += groups[k][i] }
            if count < P { continue }
            var m = a
            for r in 0..<P { for c in 0..<r { m[r * P + c] = m[c * P + r] } }
            // No penalty on the intercept (the last input).
            for r in 0..<L { m[r * P + r] += ridge * Double(count) }
            guard let beta = PooledLinearModel.solve(m, Array(xty[((k - 1) * P)..<(k * P)]), size: P) else { continue }
            for i in 0..<P { coefficients[(k - 1) * P + i] = beta[i] }
        }
        // Steps with too few windows repeat the nearest estimated step's coefficients.
        var last: Int?
        for k in 1...H {
            let row = coefficients[((k - 1) * P)..<(k * P)]
            if row.contains(where: { $0 != 0 }) { last = k } else if let l = last {
                for i in 0..<P { coefficients[(k - 1) * P + i] = coefficients[(l - 1) * P + i] }
            }
        }
        guard last != nil else {
            throw .invalidInput("\(name): the collection holds too few windows of \(L + 1) values to estimate \(P) coefficients; give more or longer series")
        }
        if fromLast {
            // Back to levels: the last value's coefficient gains 1.
            for k in 1...H { coefficients[(k - 1) * P + L - 1] += 1 }
        }
        return PooledLinearModel(name: name, lags: L, scaleLength: S, horizon: H, seasonallyAdjusted: seasonallyAdjusted,
                                 logarithms: logarithms, coefficients: coefficients)
    }
}

/// The fitted pooled autoregression: an ordinary `Forecaster` with fixed coefficients.
public struct PooledLinearModel: Forecaster {
    public let name: String
    public let lags: Int
    public let scaleLength: Int
    /// Steps estimated directly; later steps continue from the forecasts.
    public let horizon: Int
    public let seasonallyAdjusted: Bool
    public let logarithms: Bool
    /// `horizon` rows of `lags + 1` values (the last is the intercept).
    let coefficients: [Double]

    public func minimumObservations(seasonLength: Int) -> Int { 3 }

    public func fit(_ series: [Double], seasonLength: Int) throws(ForecastError) -> FittedForecast {
        try checkLength(series, seasonLength: seasonLength)
        if logarithms, let i = series.firstIndex(where: { !($0 > 0) }) {
            throw .invalidInput("\(name) works on logarithms and needs values above 0; value \(i + 1) is \(series[i])")
        }
        let adj = seasonallyAdjusted ? SeasonalAdjustment(series, seasonLength: seasonLength)
                                     : SeasonalAdjustment(unadjusted: seasonLength)
        let path = PooledLinearPath(y: adj.adjust(series), model: self)
        return FittedForecast(name: name, series: series, seasonLength: seasonLength,
                              core: AdjustedPath(inner: path, adjustment: adj, count: series.count))
    }

    /// Fills `x` with the window of `lags` values ending before `end`, divided by the mean of its
    /// last `scaleLength` absolute values, and a 1 for the intercept; returns the scale, or nil when
    /// it is 0 or not finite. Values before the series start repeat its first value.
    @inline(__always)
    static func window(_ y: [Double], end t: Int, lags L: Int, scaleLength S: Int, logarithms: Bool, into x: inout [Double]) -> Double? {
        var s = 0.0
        for i in (t - S)..<t { s += abs(y[max(0, i)]) }
        let scale = s / Double(S)
        guard scale > 0, scale.isFinite else { return nil }
        for i in 0..<L {
            let v = y[max(0, t - L + i)] / scale
            if logarithms {
                guard v > 0 else { return nil }
                x[i] = log(v)
            } else {
                x[i] = v
            }
        }
        x[L] = 1
        return scale
    }

    @inline(__always) func level(_ f: Double, scale: Double) -> Double {
        logarithms ? exp(min(f, 50)) * scale : f * scale
    }

    /// Solves the symmetric positive definite system by Cholesky; nil when it is not.
    static func solve(_ m: [Double], _ b: [Double], size n: Int) -> [Double]? {
        var l = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0...i {
                var s = m[i * n + j]
                for k in 0..<j { s -= l[i * n + k] * l[j * n + k] }
                if i == j {
                    guard s > 1e-12 else { return nil }
                    l[i * n + i] = s.squareRoot()
                } else {
                    l[i * n + j] = s / l[j * n + j]
                }
            }
        }
        var z = b
        for i in 0..<n {
            var s = z[i]
            for k in 0..<i { s -= l[i * n + k] * z[k] }
            z[i] = s / l[i * n + i]
        }
        for i in stride(from: n - 1, through: 0, by: -1) {
            var s = z[i]
            for k in (i + 1)..<n { s -= l[k * n + i] * z[k] }
            z[i] = s / l[i * n + i]
        }
        return z.allSatisfy({ $0.isFinite }) ? z : nil
    }

    /// Forecasts `h` steps from the window ending before `t` of `y`.
    func forecast(_ y: [Double], end t: Int, horizon h: Int, scratch x: inout [Double]) -> [Double] {
        let P = lags + 1
        guard let scale = PooledLinearModel.window(y, end: t, lags: lags, scaleLength: scaleLength, logarithms: logarithms, into: &x) else {
            return [Double](repeating: t > 0 ? y[t - 1] : 0, count: h)
        }
        var out = [Double](repeating: 0, count: h)
        for k in 1...min(h, horizon) {
            var f = 0.0
            for i in 0..<P { f += coefficients[(k - 1) * P + i] * x[i] }
            out[k - 1] = level(f, scale: scale)
        }
        if h > horizon {
            // Continue from the direct forecasts: the window slides over them.
            var ext = Array(y[..<t]) + Array(out[..<horizon])
            for k in (horizon + 1)...h {
                var w = [Double](repeating: 0, count: P)
                let next: Double
                if let s = PooledLinearModel.window(ext, end: ext.count, lags: lags, scaleLength: scaleLength, logarithms: logarithms, into: &w) {
                    var f = 0.0
                    for i in 0..<P { f += coefficients[i] * w[i] }
                    next = level(f, scale: s)
                } else {
                    next = ext.last ?? 0
                }
                out[k - 1] = next
                ext.append(next)
            }
        }
        return out
    }
}

extension SeasonalAdjustment {
    /// No adjustment.
    init(unadjusted m: Int) {
        seasonLength = m
        indices = nil
    }
}

struct PooledLinearPath: PointPath {
    let y: [Double]
    let model: PooledLinearModel

    func forecast(horizon: Int) -> [Double] {
        var x = [Double](repeating: 0, count: model.lags + 1)
        return model.forecast(y, end: y.count, horizon: horizon, scratch: &x)
    }

    func originForecasts(horizon h: Int) -> OriginForecasts {
        let n = y.count
        let first = min(n, max(3, model.lags))
        guard first < n else { return .empty(count: n, horizon: h) }
        var values = [Double](repeating: 0, count: (n - first) * h)
        var x = [Double](repeating: 0, count: model.lags + 1)
        for t in first..<n {
            let f = model.forecast(y, end: t, horizon: h, scratch: &x)
            for k in 0..<h { values[(t - first) * h + k] = f[k] }
        }
        // The coefficients are fitted on the whole collection, not on this series: none of its own
        // (the seasonal indices of its adjustment are counted by `AdjustedPath`).
        return OriginForecasts(first: first, count: n, horizon: h, values: values, parameters: 0)
    }
}
