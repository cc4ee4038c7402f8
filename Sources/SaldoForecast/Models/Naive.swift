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

/// Repeats the last season: the forecast for step k is the value one season before it.
public struct SeasonalNaive: Forecaster {
    public var name: String { "SeasonalNaive" }
    public init() {}
    public func minimumObservations(seasonLength: Int) -> Int { max(1, seasonLength) }
    public func fit(_ series: [Double], seasonLength: Int) throws(ForecastError) -> FittedForecast {
        try checkLength(series, seasonLength: seasonLength)
        return FittedForecast(name: name, series: series, seasonLength: seasonLength,
                              core: LagPath(y: series, lag: max(1, seasonLength)))
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
        guard adjustment.indices != nil, o.first < o.count else { return o }
        var i = 0
        for t in o.first..<o.count {
            for k in 0..<horizon { o.values[i] *= adjustment.factor(t + k); i += 1 }
        }
        return o
    }
}

/// Simple exponential smoothing, ETS(A,N,N), on the seasonally adjusted series when the series is seasonal.
public struct SimpleExponentialSmoothing: Forecaster {
    public var name: String { "SES" }
    public init() {}
    public func minimumObservations(seasonLength: Int) -> Int { 2 }
    public func fit(_ series: [Double], seasonLength: Int) throws(ForecastError) -> FittedForecast {
        try checkLength(series, seasonLength: seasonLength)
        return try adjustedETS(series, seasonLength: seasonLength, spec: ETSSpec(trend: .none), name: name)
    }
}

/// Holt's linear method with a damped trend, ETS(A,Ad,N), on the seasonally adjusted series when seasonal.
public struct HoltDamped: Forecaster {
    public var name: String { "Holt" }
    public init() {}
    public func minimumObservations(seasonLength: Int) -> Int { 4 }
    public func fit(_ series: [Double], seasonLength: Int) throws(ForecastError) -> FittedForecast {
        try checkLength(series, seasonLength: seasonLength)
        return try adjustedETS(series, seasonLength: seasonLength, spec: ETSSpec(trend: .damped), name: name)
    }
}

func adjustedETS(_ y: [Double], seasonLength m: Int, spec: ETSSpec, name: String) throws(ForecastError) -> FittedForecast {
    let adj = SeasonalAdjustment(y, seasonLength: m)
    guard let fit = ETSFit.estimate(adj.adjust(y), spec: spec, seasonLength: 1) else {
        throw .invalidInput("\(name) could not be estimated on this series of \(y.count) values")
    }
    return FittedForecast(name: name, series: y, seasonLength: m, core: AdjustedPath(inner: fit, adjustment: adj, count: y.count))
}
