import Foundation

/// Seasonality test and classical decomposition, as used before Theta, SES and Holt.
enum Seasonality {
    /// True when the autocorrelation at lag `m` is significant at 90% (the M4 benchmarks' test).
    static func isSeasonal(_ y: [Double], seasonLength m: Int) -> Bool {
        guard m > 1, y.count >= 3 * m else { return false }
        let r = Stats.acf(y, maxLag: m)
        var s = 0.0
        for i in 1..<m { s += r[i] * r[i] }
        let limit = 1.645 * ((1 + 2 * s) / Double(y.count)).squareRoot()
        return abs(r[m]) > limit
    }

    /// Seasonal indices (length m, indexed by position mod m) from a classical decomposition
    /// with a centred moving average. Multiplicative indices average 1; additive average 0.
    static func indices(_ y: [Double], seasonLength m: Int, multiplicative: Bool) -> [Double] {
        let n = y.count
        var sums = [Double](repeating: 0, count: m)
        var counts = [Int](repeating: 0, count: m)
        let half = m / 2
        guard n >= 2 * m else { return [Double](repeating: multiplicative ? 1 : 0, count: m) }
        for t in half..<(n - half) {
            var trend: Double
            if m % 2 == 0 {
                var s = 0.5 * (y[t - half] + y[t + half])
                for j in (t - half + 1)..<(t + half) { s += y[j] }
                trend = s / Double(m)
            } else {
                var s = 0.0
                for j in (t - half)...(t + half) { s += y[j] }
                trend = s / Double(m)
            }
            let ratio = multiplicative ? (trend != 0 ? y[t] / trend : 1) : y[t] - trend
            sums[t % m] += ratio
            counts[t % m] += 1
        }
        var idx = [Double](repeating: multiplicative ? 1 : 0, count: m)
        for j in 0..<m where counts[j] > 0 { idx[j] = sums[j] / Double(counts[j]) }
        let avg = Stats.mean(idx)
        for j in 0..<m { idx[j] = multiplicative ? (avg != 0 ? idx[j] / avg : 1) : idx[j] - avg }
        if multiplicative { for j in 0..<m where !(idx[j] > 0) { idx[j] = 1 } }
        return idx
    }
}

/// A series with seasonality removed (or not), and the way back.
struct SeasonalAdjustment: Sendable {
    let seasonLength: Int
    /// Multiplicative indices by position mod m; nil when the series is left as is.
    let indices: [Double]?

    /// Tests the series and, when seasonal and positive, divides out classical multiplicative indices.
    init(_ y: [Double], seasonLength m: Int) {
        seasonLength = m
        var positive = true
        for v in y where !(v > 0) { positive = false; break }
        if positive && Seasonality.isSeasonal(y, seasonLength: m) {
            indices = Seasonality.indices(y, seasonLength: m, multiplicative: true)
        } else {
            indices = nil
        }
    }

    func adjust(_ y: [Double]) -> [Double] {
        guard let s = indices else { return y }
        var out = y
        for t in 0..<y.count { out[t] = y[t] / s[t % seasonLength] }
        return out
    }

    /// Factor for absolute time index t.
    @inline(__always) func factor(_ t: Int) -> Double {
        guard let s = indices else { return 1 }
        return s[t % seasonLength]
    }
}

/// Runs an inner path on the seasonally adjusted series and puts the seasonality back.
struct AdjustedPath: PointPath {
    let inner: any PointPath
    let adjustment: SeasonalAdjustment
    let count: Int

    func forecast(horizon: Int) -> [Double] {
        var f = inner.forecast(horizon: horizon)
        for k in 0..<horizon { f[k] *= adjustment.factor(count + k) }
        return f
    }

    func originForecasts(horizon: Int) -> OriginForecasts {
        var o = inner.originForecasts(horizon: horizon)
        // The seasonal indices were estimated on the series too: m − 1 free ones.
        if adjustment.indices != nil { o.parameters += Double(max(0, adjustment.seasonLength - 1)) }
        guard adjustment.indices != nil, o.first < o.count else { return o }
        var i = 0
        for t in o.first..<o.count {
            for k in 0..<horizon { o.values[i] *= adjustment.factor(t + k); i += 1 }
        }
        return o
    }
}
