import Foundation

/// Repeats the last value. The baseline every other model must beat.
public struct Naive: Forecaster {
    public var name: String { "Naive" }
    public init() {}
    public func minimumObservations(seasonLength: Int) -> Int { 1 }
    public func fit(_ series: [Double], seasonLength: Int) throws(ForecastError) -> FittedForecast {
        try checkLength(series, seasonLength: seasonLength)
        return FittedForecast(name: name, series: series, seasonLength: seasonLength, core: LagPath(y: series, lag: 1))
    }
}

/// Forecast y[t+k-1] by y[t - lag + (k-1) mod lag].
struct LagPath: PointPath {
    let y: [Double]
    let lag: Int

    func forecast(horizon: Int) -> [Double] {
        let n = y.count
        return (0..<horizon).map { y[n - lag + $0 % lag] }
    }

    func originForecasts(horizon: Int) -> OriginForecasts {
        let n = y.count
        guard n > lag else { return .empty(count: n, horizon: horizon) }
        var v = [Double](repeating: 0, count: (n - lag) * horizon)
        var i = 0
        for t in lag..<n {
            for k in 0..<horizon { v[i] = y[t - lag + k % lag]; i += 1 }
        }
        return OriginForecasts(first: lag, count: n, horizon: horizon, values: v)
    }
}
