import Foundation

/// Croston's method for intermittent series: smooths the non-zero amounts and the gaps between
/// them separately (α = 0.1 as in Croston 1972) and forecasts amount / gap for every future step.
public struct Croston: Forecaster {
    public var name: String { "Croston" }
    public var alpha: Double
    public init(alpha: Double = 0.1) { self.alpha = alpha }
    public func minimumObservations(seasonLength: Int) -> Int { 1 }

    public func fit(_ series: [Double], seasonLength: Int) throws(ForecastError) -> FittedForecast {
        try checkLength(series, seasonLength: seasonLength)
        return FittedForecast(name: name, series: series, seasonLength: seasonLength, core: CrostonPath(y: series, alpha: alpha))
    }
}

struct CrostonPath: PointPath {
    let y: [Double]
    let alpha: Double

    /// Level after each prefix: forecasts[t] is the forecast made after t values.
    func levels() -> [Double] {
        var out = [Double](repeating: 0, count: y.count + 1)
        var z = 0.0, p = 0.0, gap = 0.0
        var started = false
        for t in 0..<y.count {
            gap += 1
            if y[t] != 0 {
                if !started { z = y[t]; p = gap; started = true } else {
                    z += alpha * (y[t] - z)
                    p += alpha * (gap - p)
                }
                gap = 0
            }
            out[t + 1] = started && p > 0 ? z / p : 0
        }
        return out
    }

    func forecast(horizon: Int) -> [Double] {
        [Double](repeating: levels()[y.count], count: horizon)
    }

    func originForecasts(horizon: Int) -> OriginForecasts {
        let n = y.count
        guard n >= 2 else { return .empty(count: n, horizon: horizon) }
        let lv = levels()
        var v = [Double](repeating: 0, count: (n - 1) * horizon)
        for t in 1..<n { for k in 0..<horizon { v[(t - 1) * horizon + k] = lv[t] } }
        return OriginForecasts(first: 1, count: n, horizon: horizon, values: v)
    }
}
